package io.wirelake.columns;

/** The lake's tables. */
public enum Table
{
    /** One row per L7 request/response pair, or per message where a protocol has no pairs. */
    API_CALLS("api_calls", "ApiCall"),
    /** One row per L4 connection or flow. */
    FLOWS("flows", "Flow");

    private final String sqlName;
    private final String recordName;

    Table(String sqlName, String recordName)
    {
        this.sqlName = sqlName;
        this.recordName = recordName;
    }

    public String sqlName()
    {
        return sqlName;
    }

    /** The Avro record name of the table's rows. */
    public String recordName()
    {
        return recordName;
    }
}
