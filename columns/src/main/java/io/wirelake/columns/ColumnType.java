package io.wirelake.columns;

/**
 * The value types a column can have. They are the KFL2 (CEL) types of the reference, so that a
 * column's type is at once its CEL type, its Avro/Parquet type and its Trino type.
 */
public enum ColumnType
{
    STRING("string", "varchar"),
    INT("int", "bigint"),
    BOOL("bool", "boolean"),
    /** UTC microseconds since the epoch. */
    TIMESTAMP("timestamp", "timestamp(6)"),
    BYTES("bytes", "varbinary"),
    STRING_LIST("list(string)", "array(varchar)"),
    STRING_MAP("map(string, string)", "map(varchar, varchar)");

    private final String celName;
    private final String trinoName;

    ColumnType(String celName, String trinoName)
    {
        this.celName = celName;
        this.trinoName = trinoName;
    }

    /** The type as CEL spells it. */
    public String celName()
    {
        return celName;
    }

    /** The type as Trino spells it in DDL. */
    public String trinoName()
    {
        return trinoName;
    }

    /** The documented default stored instead of NULL, so SQL and CEL see the same value. */
    public String defaultDisplay()
    {
        return switch (this) {
            case STRING -> "\"\"";
            case INT -> "0";
            case BOOL -> "false";
            case TIMESTAMP -> "1970-01-01T00:00:00Z";
            case BYTES -> "b\"\"";
            case STRING_LIST -> "[]";
            case STRING_MAP -> "{}";
        };
    }
}
