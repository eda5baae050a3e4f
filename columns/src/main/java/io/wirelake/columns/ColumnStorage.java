package io.wirelake.columns;

import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * How a column is stored in Parquet, chosen beside the declarations: whether its values go
 * through a dictionary, and whether its pages and row groups carry min/max statistics.
 *
 * <p>A dictionary pays where a column repeats a few values (protocols, methods, namespaces, the
 * defaults of a protocol's columns on other protocols' rows): each value is written once and the
 * rows hold small ids. Where values are (nearly) unique per row (ids, times, ports, bodies) the
 * dictionary only costs a hash look-up per value until the writer gives up on it. Statistics let
 * Trino skip row groups by a filter's range; on bodies and free text nobody filters by range and
 * comparing large values costs time.
 *
 * @param dictionary whether values are dictionary-encoded
 * @param statistics whether min/max statistics are kept
 */
public record ColumnStorage(boolean dictionary, boolean statistics)
{
    /** Values (nearly) unique per row: a dictionary never pays. */
    private static final Set<Column> UNIQUE_PER_ROW = Set.of(Columns.ID, Columns.TIMESTAMP_COLUMN, Columns.ELAPSED_TIME, Columns.STREAM,
            Columns.CONN_ID, Columns.FLOW_ID, Columns.FLOW_END, Columns.SRC_PORT, Columns.CONN_GROUP_ID, Columns.FLOW_GROUP_ID);
    /** Free text nobody prunes row groups by. */
    private static final Set<Column> FREE_TEXT = Set.of(Columns.WS_REQUEST_PAYLOAD_DATA, Columns.TLS_INFO, Columns.REDIS_COMMAND);

    public static ColumnStorage of(Column column)
    {
        requireNonNull(column, "column is null");
        boolean bytes = column.type() == ColumnType.BYTES;
        return new ColumnStorage(!bytes && !UNIQUE_PER_ROW.contains(column), !bytes && !FREE_TEXT.contains(column));
    }
}
