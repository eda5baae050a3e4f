package io.wirelake.query;

import java.util.Map;

/**
 * Columns computed for display, the same on both engines: who talks to whom, by Kubernetes name
 * when the row has one and by IP otherwise.
 */
public enum DisplayColumn
{
    /** The side that opened the connection: {@code namespace/pod}, else its IP. */
    SRC("src", "CASE WHEN \"src_pod_name\" <> '' THEN \"src_pod_namespace\" || '/' || \"src_pod_name\" ELSE \"src_ip\" END"),
    /** The responder: {@code namespace/service}, else {@code namespace/pod}, else its IP. */
    DST("dst", "CASE WHEN \"dst_service_name\" <> '' THEN \"dst_service_namespace\" || '/' || \"dst_service_name\" "
            + "WHEN \"dst_pod_name\" <> '' THEN \"dst_pod_namespace\" || '/' || \"dst_pod_name\" ELSE \"dst_ip\" END");

    private final String name;
    private final String sql;

    DisplayColumn(String name, String sql)
    {
        this.name = name;
        this.sql = sql;
    }

    public String columnName()
    {
        return name;
    }

    /** The SQL expression over the row's columns. */
    public String sql()
    {
        return sql;
    }

    /** The same value computed from a row read locally (keys are SQL column names). */
    public Object value(Map<String, Object> row)
    {
        return switch (this) {
            case SRC -> named(row, "src_pod_namespace", "src_pod_name") != null ? named(row, "src_pod_namespace", "src_pod_name") : text(row, "src_ip");
            case DST -> {
                String service = named(row, "dst_service_namespace", "dst_service_name");
                String pod = named(row, "dst_pod_namespace", "dst_pod_name");
                yield service != null ? service : pod != null ? pod : text(row, "dst_ip");
            }
        };
    }

    public static java.util.Optional<DisplayColumn> byName(String name)
    {
        for (DisplayColumn column : values()) {
            if (column.name.equals(name)) {
                return java.util.Optional.of(column);
            }
        }
        return java.util.Optional.empty();
    }

    private static String named(Map<String, Object> row, String namespaceColumn, String nameColumn)
    {
        String name = text(row, nameColumn);
        return name.isEmpty() ? null : text(row, namespaceColumn) + "/" + name;
    }

    private static String text(Map<String, Object> row, String column)
    {
        Object value = row.get(column);
        return value == null ? "" : value.toString();
    }
}
