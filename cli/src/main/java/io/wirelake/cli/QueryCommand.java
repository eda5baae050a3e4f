package io.wirelake.cli;

import io.wirelake.catalog.TrinoTables;
import io.wirelake.columns.Column;
import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.kfl.CompiledFilter;
import io.wirelake.kfl.KflCompiler;
import io.wirelake.kfl.KflEvaluator;
import io.wirelake.kfl.KflException;
import io.wirelake.kfl.SqlText;
import org.apache.avro.generic.GenericRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code wirelake query (--data DIR | --snapshot NAME) --kfl EXPR}: KFL2 over a dissect output or a snapshot, on Trino or row by row with CEL. */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Run a KFL2 filter over a dissect output directory or a dissected snapshot: on the local Trino (compiled to SQL), or locally with CEL row by row.")
final class QueryCommand
        implements Callable<Integer>
{
    static final Map<Table, List<String>> DEFAULT_COLUMNS = Map.of(
            Table.API_CALLS, List.of("timestamp", "protocol", "src_ip", "dst_ip", "dst_port", "method", "url", "status_code", "elapsed_time", "dns_questions"),
            Table.FLOWS, List.of("timestamp", "protocol", "src_ip", "src_port", "dst_ip", "dst_port", "conn_state", "conn_local_pkts", "conn_remote_pkts",
                    "conn_l7_detected"));

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR", description = "A dissect output directory (with api_calls/ and flows/).")
    Path data;

    @Option(names = "--snapshot", paramLabel = "NAME", description = "A dissected snapshot of the store: its partition of the store's tables.")
    String snapshot;

    @Option(names = "--kfl", defaultValue = "", paramLabel = "EXPR", description = "The KFL2 filter (default: everything).")
    String kfl;

    @Option(names = "--table", paramLabel = "TABLE", description = "api_calls or flows (default: chosen by the filter's variables).")
    String table;

    @Option(names = "--engine", defaultValue = "trino", paramLabel = "ENGINE", description = "trino (default) or local (CEL row by row, no server).")
    String engine;

    @Option(names = "--columns", split = ",", paramLabel = "A,B", description = "Columns to show (SQL or KFL names).")
    List<String> columns;

    @Option(names = "--limit", defaultValue = "50", paramLabel = "N", description = "Rows to show (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", description = "table (default), csv or jsonl.")
    String format;

    @Override
    public Integer call()
            throws Exception
    {
        if ((data == null) == (snapshot == null)) {
            throw new IllegalArgumentException("give one of --data DIR or --snapshot NAME");
        }
        if (snapshot == null && !Files.isDirectory(data.resolve("api_calls")) && !Files.isDirectory(data.resolve("flows"))) {
            throw new IllegalArgumentException(data + " is not a dissect output (no api_calls/ or flows/ in it)");
        }
        Optional<Table> requested = Optional.ofNullable(table).map(QueryCommand::table);
        CompiledFilter filter;
        try {
            filter = new KflCompiler().compile(kfl, requested, Instant.now());
        }
        catch (KflException e) {
            System.err.println("wirelake: " + e.getMessage());
            return 2;
        }
        List<String> shown = resolveColumns(filter.table(), columns);
        ResultPrinter printer = new ResultPrinter(System.out, format, shown);
        long started = System.nanoTime();
        long count = switch (engine.toLowerCase(Locale.ROOT)) {
            case "trino" -> trino(filter, shown, printer);
            case "local" -> local(filter, shown, printer);
            default -> throw new IllegalArgumentException("--engine must be trino or local");
        };
        printer.finish();
        if (format.equals("table")) {
            System.err.printf(Locale.ROOT, "%d row(s) from %s in %.2f s (%s)%n", count, filter.table().sqlName(), (System.nanoTime() - started) / 1e9, engine);
        }
        return 0;
    }

    private long trino(CompiledFilter filter, List<String> shown, ResultPrinter printer)
            throws Exception
    {
        if (snapshot != null) {
            try (io.wirelake.store.ObjectStore store = Wirelake.openStore(spec)) {
                checkDissected(store);
                try (Connection connection = LocalTrinoSession.connect(store, snapshot)) {
                    return run(connection, TrinoTables.qualified(connection.getSchema(), filter.table()),
                            "\"snapshot_id\" = " + SqlText.string(snapshot) + " AND (" + filter.predicate() + ")", shown, printer);
                }
            }
        }
        try (Connection connection = LocalTrinoSession.connect(data)) {
            return run(connection, TrinoTables.qualified(TrinoTables.schemaForDirectory(data), filter.table()), filter.predicate(), shown, printer);
        }
    }

    private long run(Connection connection, String table, String predicate, List<String> shown, ResultPrinter printer)
            throws Exception
    {
        try (Statement statement = connection.createStatement()) {
            String select = shown.stream().map(SqlText::identifier).reduce((left, right) -> left + ", " + right).orElseThrow();
            String sql = "SELECT " + select + " FROM " + table + " WHERE " + predicate + " ORDER BY \"timestamp\", \"id\" LIMIT " + limit;
            long count = 0;
            try (ResultSet results = statement.executeQuery(sql)) {
                while (results.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int index = 1; index <= shown.size(); index++) {
                        row.add(results.getObject(index));
                    }
                    printer.row(row);
                    count++;
                }
            }
            return count;
        }
    }

    private void checkDissected(io.wirelake.store.ObjectStore store)
            throws java.io.IOException
    {
        io.wirelake.catalog.snapshot.SnapshotStatus status = new io.wirelake.catalog.snapshot.Snapshots(store).status(snapshot);
        if (!status.state().equals(io.wirelake.catalog.snapshot.SnapshotStatus.DISSECTED)) {
            throw new IllegalArgumentException("snapshot " + snapshot + " is " + status.state() + ", not dissected: run 'wirelake snapshot dissect " + snapshot + "' first");
        }
    }

    private long local(CompiledFilter filter, List<String> shown, ResultPrinter printer)
            throws Exception
    {
        if (data != null) {
            return local(data.resolve(filter.table().sqlName()), filter, shown, printer);
        }
        // A snapshot's partition: read in place from a directory store, else downloaded for the query.
        try (io.wirelake.store.ObjectStore store = Wirelake.openStore(spec)) {
            checkDissected(store);
            String partition = io.wirelake.store.Layout.tablePartition(filter.table().sqlName(), snapshot);
            if (store instanceof io.wirelake.store.LocalObjectStore local) {
                return local(local.root().resolve(partition), filter, shown, printer);
            }
            Path downloaded = Files.createTempDirectory("wirelake-query");
            try {
                for (io.wirelake.store.ObjectInfo object : store.list(partition)) {
                    if (object.key().endsWith(".parquet")) {
                        store.download(object.key(), downloaded.resolve(object.key().substring(partition.length())));
                    }
                }
                return local(downloaded, filter, shown, printer);
            }
            finally {
                io.wirelake.catalog.Directories.deleteTree(downloaded);
            }
        }
    }

    private long local(Path directory, CompiledFilter filter, List<String> shown, ResultPrinter printer)
            throws Exception
    {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        KflEvaluator evaluator = new KflEvaluator(filter);
        List<GenericRecord> matching = new ArrayList<>();
        for (GenericRecord record : TableReader.read(directory)) {
            Map<String, Object> values = new LinkedHashMap<>();
            for (Column column : Columns.of(filter.table())) {
                values.put(column.sqlName(), plain(record.get(column.sqlName())));
            }
            if (evaluator.matches(values)) {
                matching.add(record);
            }
        }
        matching.sort(Comparator.comparingLong((GenericRecord record) -> (Long) record.get("timestamp")).thenComparingLong(record -> (Long) record.get("id")));
        long count = 0;
        for (GenericRecord record : matching.subList(0, Math.min(limit, matching.size()))) {
            List<Object> row = new ArrayList<>();
            for (String column : shown) {
                Object value = plain(record.get(column));
                row.add(column.equals("timestamp") || column.equals("flow_end") ? Instant.EPOCH.plus((Long) value, java.time.temporal.ChronoUnit.MICROS) : value);
            }
            printer.row(row);
            count++;
        }
        return count;
    }

    /** Avro's Utf8 strings and keys become Java strings. */
    static Object plain(Object value)
    {
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(QueryCommand::plain).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, entry) -> copy.put(key.toString(), plain(entry)));
            return copy;
        }
        return value;
    }

    static Table table(String name)
    {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "api_calls" -> Table.API_CALLS;
            case "flows" -> Table.FLOWS;
            default -> throw new IllegalArgumentException("--table must be api_calls or flows");
        };
    }

    static List<String> resolveColumns(Table table, List<String> requested)
    {
        if (requested == null || requested.isEmpty()) {
            return DEFAULT_COLUMNS.get(table);
        }
        List<String> resolved = new ArrayList<>();
        for (String name : requested) {
            Column column = Columns.byKflName(name.trim())
                    .or(() -> Columns.all().stream().filter(candidate -> candidate.sqlName().equals(name.trim())).findFirst())
                    .filter(candidate -> candidate.in(table))
                    .orElseThrow(() -> new IllegalArgumentException("no column " + name + " in " + table.sqlName() + " (see docs/FIELDS.md)"));
            resolved.add(column.sqlName());
        }
        return resolved;
    }
}
