package io.wirelake.cli;

import io.wirelake.catalog.LocalTrino;
import io.wirelake.query.LakeTables;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.kfl.CompiledFilter;
import io.wirelake.kfl.KflCompiler;
import io.wirelake.kfl.KflEvaluator;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code wirelake bench kfl}: filter latency through Trino (compiled SQL over Parquet) against
 * row-by-row CEL evaluation (the way Kubeshark evaluates KFL), on the same generated rows.
 */
@Command(name = "kfl", mixinStandardHelpOptions = true,
        description = "Measure KFL filter latency on Trino against row-by-row CEL evaluation at several table sizes.")
final class KflBenchCommand
        implements Callable<Integer>
{
    static final List<String> FILTERS = List.of(
            "http && status_code >= 500",
            "http && dst.pod.namespace == \"production\" && status_code >= 500 && path.contains(\"/charge\")",
            "dns && dns_response && status_code != 0",
            "http && request.headers[\"content-type\"] == \"application/json\" && elapsed_time > 2000000",
            "http && url.matches(\".*/api/v[0-9]+/users.*\")");
    private static final int BATCH = 500_000;

    @Option(names = "--rows", split = ",", defaultValue = "1000000,10000000", description = "Table sizes (default: ${DEFAULT-VALUE}).")
    List<Long> sizes;

    @Option(names = "--dir", defaultValue = "wirelake-bench/kfl", paramLabel = "DIR", description = "Working directory (default: ${DEFAULT-VALUE}).")
    Path directory;

    @Override
    public Integer call()
            throws Exception
    {
        KflCompiler compiler = new KflCompiler();
        Instant now = Instant.parse("2026-03-15T00:00:00Z");
        List<CompiledFilter> filters = new ArrayList<>();
        for (String kfl : FILTERS) {
            filters.add(compiler.compile(kfl, now));
        }
        LocalTrino trino = LocalTrino.fromEnvironment();
        if (!trino.isReady()) {
            System.err.println("bench: starting the local Trino ...");
            trino.start();
        }
        System.out.println("| rows | filter | matches | Trino ms (warm) | CEL row by row ms | CEL / Trino |");
        System.out.println("|---|---|---|---|---|---|");
        for (long size : sizes) {
            Path data = directory.resolve("rows-" + size).toAbsolutePath();
            io.wirelake.catalog.Directories.deleteTree(data);
            long[] celNanos = new long[filters.size()];
            long[] celMatches = new long[filters.size()];
            List<KflEvaluator> evaluators = filters.stream().map(KflEvaluator::new).toList();
            Random random = new Random(size);
            for (long written = 0, part = 0; written < size; part++) {
                int count = (int) Math.min(BATCH, size - written);
                List<Map<String, Object>> batch = new ArrayList<>(count);
                for (int index = 0; index < count; index++) {
                    batch.add(row(random, written + index));
                }
                for (int filter = 0; filter < filters.size(); filter++) {
                    KflEvaluator evaluator = evaluators.get(filter);
                    long start = System.nanoTime();
                    long matches = 0;
                    for (Map<String, Object> row : batch) {
                        matches += evaluator.matches(row) ? 1 : 0;
                    }
                    celNanos[filter] += System.nanoTime() - start;
                    celMatches[filter] += matches;
                }
                write(batch, data.resolve("api_calls/part-" + part + ".parquet"));
                written += count;
                System.err.printf("bench: %d of %d rows%n", written, size);
            }
            Files.createDirectories(data.resolve("flows"));
            // The tables are made as the local Trino's admin user, and queried as its query user.
            try (Connection admin = trino.connectAsAdmin(); Statement ddl = admin.createStatement()) {
                for (String statement : new LakeTables(LocalTrino.ADMIN_CATALOG).createForDirectory(data, trino.locationOf(data))) {
                    ddl.execute(statement);
                }
            }
            try (Connection connection = trino.connect(); Statement statement = connection.createStatement()) {
                String table = new LakeTables(LocalTrino.QUERY_CATALOG).qualified(LakeTables.schemaForDirectory(data), Table.API_CALLS);
                for (int filter = 0; filter < filters.size(); filter++) {
                    String sql = "SELECT count(*) FROM " + table + " WHERE " + filters.get(filter).predicate();
                    long trinoMatches = count(statement, sql);
                    long start = System.nanoTime();
                    count(statement, sql);
                    long trinoNanos = System.nanoTime() - start;
                    if (trinoMatches != celMatches[filter]) {
                        throw new IllegalStateException("engines disagree on " + FILTERS.get(filter) + ": Trino " + trinoMatches + ", CEL " + celMatches[filter]);
                    }
                    System.out.printf(Locale.ROOT, "| %,d | `%s` | %,d | %,.0f | %,.0f | %.1fx |%n", size, FILTERS.get(filter), trinoMatches, trinoNanos / 1e6,
                            celNanos[filter] / 1e6, (double) celNanos[filter] / trinoNanos);
                }
            }
        }
        return 0;
    }

    private static long count(Statement statement, String sql)
            throws Exception
    {
        try (ResultSet results = statement.executeQuery(sql)) {
            results.next();
            return results.getLong(1);
        }
    }

    private static final String[] NAMESPACES = {"production", "staging", "payments", "shop", "kube-system"};
    private static final String[] PATHS = {"/api/v1/users/", "/api/v2/charge", "/api/v1/orders/", "/healthz", "/static/app.js", "/api/v3/users/me"};
    private static final String[] METHODS = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};

    /** A plausible api_calls row: HTTP mostly, DNS some, with the columns the filters read. */
    private static Map<String, Object> row(Random random, long id)
    {
        Map<String, Object> row = new HashMap<>();
        boolean dns = random.nextInt(4) == 0;
        row.put("id", id);
        row.put("timestamp", 1_773_525_600_000_000L + id * 1000);
        row.put("http", !dns);
        row.put("dns", dns);
        row.put("protocol", dns ? "DNS" : "HTTP");
        String namespace = NAMESPACES[random.nextInt(NAMESPACES.length)];
        row.put("dst_pod_namespace", namespace);
        if (dns) {
            row.put("dns_response", random.nextInt(10) != 0);
            row.put("status_code", random.nextInt(30) == 0 ? 3L : 0L);
            row.put("dns_questions", List.of("svc-" + random.nextInt(50) + "." + namespace + ".svc.cluster.local"));
        }
        else {
            String path = PATHS[random.nextInt(PATHS.length)] + (random.nextBoolean() ? String.valueOf(random.nextInt(10_000)) : "");
            row.put("method", METHODS[random.nextInt(METHODS.length)]);
            row.put("path", path);
            row.put("url", path + (random.nextInt(3) == 0 ? "?page=" + random.nextInt(9) : ""));
            int roll = random.nextInt(100);
            row.put("status_code", roll < 3 ? 500L + random.nextInt(4) : roll < 8 ? 404L : 200L);
            row.put("elapsed_time", (long) (Math.exp(random.nextDouble() * 15)));
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("host", "svc-" + random.nextInt(50) + "." + namespace);
            headers.put("user-agent", "client/" + random.nextInt(5));
            if (random.nextBoolean()) {
                headers.put("content-type", random.nextBoolean() ? "application/json" : "text/html");
            }
            row.put("request_headers", headers);
        }
        return row;
    }

    private static void write(List<Map<String, Object>> batch, Path file)
            throws Exception
    {
        Files.createDirectories(file.getParent());
        TableSchema schema = TableSchema.of(Table.API_CALLS);
        Configuration configuration = new Configuration(false);
        configuration.setBoolean("parquet.avro.write-old-list-structure", false);
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
                .withSchema(schema.avroSchema()).withDataModel(GenericData.get()).withConf(configuration)
                .withCompressionCodec(CompressionCodecName.SNAPPY).build()) {
            for (Map<String, Object> values : batch) {
                GenericData.Record record = schema.newRow();
                values.forEach(record::put);
                writer.write(record);
            }
        }
    }
}
