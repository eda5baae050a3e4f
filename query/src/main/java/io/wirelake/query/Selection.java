package io.wirelake.query;

import io.wirelake.columns.Column;
import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.kfl.CompiledFilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The rows a KFL filter selects from a source: the columns to show (SQL column names or
 * {@link DisplayColumn} names), at most {@code limit} of them, in time order.
 */
public record Selection(TableSource source, CompiledFilter filter, List<String> columns, int limit)
{
    /** What {@code query} shows when no columns are asked for: when, what, who talks to whom. */
    public static final Map<Table, List<String>> DEFAULT_COLUMNS = Map.of(
            Table.API_CALLS, List.of("timestamp", "protocol", "src", "dst", "dst_port", "method", "url", "status_code", "elapsed_time", "dns_questions"),
            Table.FLOWS, List.of("timestamp", "protocol", "src", "src_port", "dst", "dst_port", "conn_state", "conn_local_pkts", "conn_remote_pkts",
                    "conn_l7_detected"));

    public static final int MAXIMUM_LIMIT = 1_000_000;

    public Selection
    {
        requireNonNull(source, "source is null");
        requireNonNull(filter, "filter is null");
        columns = List.copyOf(columns);
        if (limit < 0 || limit > MAXIMUM_LIMIT) {
            throw new IllegalArgumentException("the limit must be between 0 and " + MAXIMUM_LIMIT + ", not " + limit);
        }
    }

    public Table table()
    {
        return filter.table();
    }

    /**
     * The columns to show: the requested ones (KFL names like {@code dst.pod.name}, SQL names, or
     * {@code src}/{@code dst}), or the defaults of the table.
     */
    public static List<String> resolveColumns(Table table, List<String> requested)
    {
        if (requested == null || requested.isEmpty()) {
            return DEFAULT_COLUMNS.get(table);
        }
        List<String> resolved = new ArrayList<>();
        for (String name : requested) {
            String trimmed = name.trim();
            if (DisplayColumn.byName(trimmed).isPresent()) {
                resolved.add(trimmed);
                continue;
            }
            Column column = Columns.byKflName(trimmed)
                    .or(() -> Columns.all().stream().filter(candidate -> candidate.sqlName().equals(trimmed)).findFirst())
                    .filter(candidate -> candidate.in(table))
                    .orElseThrow(() -> new IllegalArgumentException("no column " + trimmed + " in " + table.sqlName() + " (see docs/FIELDS.md)"));
            resolved.add(column.sqlName());
        }
        return List.copyOf(resolved);
    }
}
