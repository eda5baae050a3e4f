package io.wirelake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.catalog.snapshot.Manifest;
import io.wirelake.catalog.snapshot.SnapshotStatus;
import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.query.LakeSession;
import io.wirelake.query.QueryService;
import io.wirelake.query.TableSource;
import io.wirelake.query.report.Drift;
import io.wirelake.query.report.DriftReport;
import io.wirelake.query.report.DriftThresholds;
import io.wirelake.query.report.SnapshotWindows;
import io.wirelake.query.report.Stats;
import io.wirelake.query.report.Window;
import io.wirelake.store.Layout;
import io.wirelake.store.LocalObjectStore;
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
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * {@code wirelake bench reports}: how long {@code stats} and {@code diff} take on Trino over large
 * snapshots. The rows are generated straight into a local store's table partitions (a cluster of
 * many services, endpoints with ids in their paths, errors and a long latency tail; flows between
 * the workloads), so the measure is the query layer's, not the dissection's.
 */
@Command(name = "reports", mixinStandardHelpOptions = true,
        description = "Measure stats over a large snapshot and diff between two, on the local Trino, over generated rows.")
final class ReportsBenchCommand
        implements Callable<Integer>
{
    private static final int FILE_ROWS = 1_000_000;
    private static final long START = 1_773_525_600_000_000L;
    private static final long WINDOW_MICROS = 24L * 3600 * 1_000_000;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--stats-rows", defaultValue = "10000000", description = "api_calls rows of the snapshot stats read (default: ${DEFAULT-VALUE}).")
    long statsRows;

    @Option(names = "--diff-rows", defaultValue = "1000000", description = "api_calls rows of each snapshot diff compares (default: ${DEFAULT-VALUE}).")
    long diffRows;

    @Option(names = "--dir", defaultValue = "wirelake-bench/reports", paramLabel = "DIR", description = "Working directory (default: ${DEFAULT-VALUE}).")
    Path directory;

    @Option(names = "--reuse", description = "Keep the rows an earlier run wrote in --dir with the same counts, instead of writing them again.")
    boolean reuse;

    @Option(names = "--runs", defaultValue = "3", description = "Timed runs of each, after one that warms Trino up (default: ${DEFAULT-VALUE}).")
    int runs;

    @Override
    public Integer call()
            throws Exception
    {
        Path marker = directory.resolve("rows.properties");
        String rows = "stats=" + statsRows + "\ndiff=" + diffRows + "\n";
        boolean written = reuse && Files.isRegularFile(marker) && Files.readString(marker).equals(rows);
        if (!written) {
            io.wirelake.catalog.Directories.deleteTree(directory);
        }
        try (LocalObjectStore store = new LocalObjectStore(directory.resolve("store"))) {
            if (written) {
                System.err.println("bench: reusing the rows in " + directory);
            }
            else {
                write(store, "stats-10m", statsRows, 1, false);
                write(store, "diff-baseline", diffRows, 2, false);
                write(store, "diff-current", diffRows, 3, true);
                Files.writeString(marker, rows);
            }
            QueryService queries = Wirelake.queryService(spec);
            Snapshots snapshots = new Snapshots(store);
            Map<String, Window> windows = SnapshotWindows.of(snapshots, List.of("stats-10m"));
            Map<String, Stats.Result> last = new java.util.HashMap<>();
            System.out.println("| measure | rows | first run (s) | warm runs (s) |");
            System.out.println("|---|---:|---:|---|");
            for (Stats.GroupBy groupBy : List.of(Stats.GroupBy.SERVICE, Stats.GroupBy.ENDPOINT)) {
                for (boolean exact : List.of(false, true)) {
                    String what = "stats --group-by " + groupBy.label() + (exact ? " --exact-up-to all" : "");
                    measure(what, statsRows, () -> {
                        try (LakeSession session = queries.open(TableSource.snapshot(store, "stats-10m"))) {
                            Stats.Result result = Stats.compute(session, windows, groupBy, Optional.empty(), exact ? Long.MAX_VALUE : Stats.EXACT_PERCENTILES_UP_TO);
                            last.put(what, result);
                            return result.groups().size();
                        }
                    });
                }
            }
            measure("diff (all checks)", 2 * diffRows, () -> {
                DriftReport report = Drift.compare(queries, store, "diff-baseline", "diff-current", DriftThresholds.defaults(), Optional.empty());
                return report.findings().size();
            });
            for (Stats.GroupBy groupBy : List.of(Stats.GroupBy.SERVICE, Stats.GroupBy.ENDPOINT)) {
                String what = "stats --group-by " + groupBy.label();
                System.out.println();
                System.out.println(accuracy(what, last.get(what), last.get(what + " --exact-up-to all")));
            }
        }
        return 0;
    }

    /** How far the approximate percentiles are from the exact ones: the largest relative difference per percentile. */
    private static String accuracy(String what, Stats.Result approximate, Stats.Result exact)
    {
        Map<String, Stats.Metrics> truth = new java.util.HashMap<>();
        exact.groups().forEach(group -> truth.put(group.key(), group.bySnapshot().values().iterator().next()));
        double[] worst = new double[3];
        long smallest = Long.MAX_VALUE;
        for (Stats.Group group : approximate.groups()) {
            Stats.Metrics sketch = group.bySnapshot().values().iterator().next();
            Stats.Metrics sorted = truth.get(group.key());
            smallest = Math.min(smallest, sorted.requests());
            double[][] pairs = {{sketch.p50Millis(), sorted.p50Millis()}, {sketch.p95Millis(), sorted.p95Millis()}, {sketch.p99Millis(), sorted.p99Millis()}};
            for (int index = 0; index < 3; index++) {
                if (pairs[index][1] > 0) {
                    worst[index] = Math.max(worst[index], Math.abs(pairs[index][0] - pairs[index][1]) / pairs[index][1]);
                }
            }
        }
        return String.format(Locale.ROOT, "%s: percentiles %s; approx_percentile against the exact nearest rank over %d groups of %,d calls or more: "
                        + "largest difference p50 %.2f%%, p95 %.2f%%, p99 %.2f%%",
                what, approximate.exactPercentiles() ? "exact" : "approximate", approximate.groups().size(), smallest, worst[0] * 100, worst[1] * 100, worst[2] * 100);
    }

    private interface Measured
    {
        int run()
                throws Exception;
    }

    private void measure(String what, long rows, Measured measured)
            throws Exception
    {
        long start = System.nanoTime();
        int answer = measured.run();
        double first = (System.nanoTime() - start) / 1e9;
        StringBuilder warm = new StringBuilder();
        for (int run = 0; run < runs; run++) {
            long again = System.nanoTime();
            measured.run();
            warm.append(run == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.2f", (System.nanoTime() - again) / 1e9));
        }
        System.out.printf(Locale.ROOT, "| %s -> %d | %,d | %.2f | %s |%n", what.replace(" (0 groups)", ""), answer, rows, first, warm);
    }

    /** A dissected snapshot of generated rows: its partitions, a manifest with a one-day window, and its status. */
    private static void write(LocalObjectStore store, String id, long rows, long seed, boolean drifted)
            throws Exception
    {
        System.err.printf("bench: writing %,d api_calls rows of %s%n", rows, id);
        Random random = new Random(seed);
        long written = 0;
        for (int part = 0; written < rows; part++) {
            int count = (int) Math.min(FILE_ROWS, rows - written);
            Path file = store.root().resolve(Layout.tablePartition("api_calls", id) + "part-" + part + ".parquet");
            try (ParquetWriter<GenericRecord> writer = writer(file, Table.API_CALLS)) {
                TableSchema schema = TableSchema.of(Table.API_CALLS);
                for (int index = 0; index < count; index++) {
                    GenericData.Record record = schema.newRow();
                    call(random, written + index, drifted).forEach(record::put);
                    writer.write(record);
                }
            }
            written += count;
        }
        Path flows = store.root().resolve(Layout.tablePartition("flows", id) + "part-0.parquet");
        try (ParquetWriter<GenericRecord> writer = writer(flows, Table.FLOWS)) {
            TableSchema schema = TableSchema.of(Table.FLOWS);
            for (long index = 0; index < rows / 10; index++) {
                GenericData.Record record = schema.newRow();
                flow(random, index, drifted).forEach(record::put);
                writer.write(record);
            }
        }
        Manifest manifest = new Manifest(Manifest.VERSION, id, Instant.now().toString(), START, START + WINDOW_MICROS, List.of("bench-node"), List.of(), List.of(), null);
        store.put(Layout.manifest(id), new ObjectMapper().writeValueAsBytes(manifest));
        new Snapshots(store).writeStatus(new SnapshotStatus(id, SnapshotStatus.DISSECTED, Instant.now().toString(), Map.of(), null, null));
    }

    private static ParquetWriter<GenericRecord> writer(Path file, Table table)
            throws Exception
    {
        Files.createDirectories(file.getParent());
        Configuration configuration = new Configuration(false);
        configuration.setBoolean("parquet.avro.write-old-list-structure", false);
        return AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file)).withSchema(TableSchema.of(table).avroSchema()).withDataModel(GenericData.get())
                .withConf(configuration).withCompressionCodec(CompressionCodecName.SNAPPY).build();
    }

    private static final String[] VERBS = {"GET", "GET", "GET", "POST", "PUT", "DELETE"};

    /** An HTTP call among 60 services of 6 namespaces, 20 endpoints each, from 100 client workloads. */
    private static Map<String, Object> call(Random random, long id, boolean drifted)
    {
        int service = random.nextInt(60);
        int endpoint = random.nextInt(20);
        String namespace = "team-" + service % 6;
        String path = "/api/v" + (1 + endpoint % 3) + "/resource-" + endpoint + (endpoint % 2 == 0 ? "/" + random.nextInt(100_000) : "");
        boolean slow = drifted && service == 7 && endpoint == 3;
        boolean failing = drifted && service == 11 && endpoint == 5;
        long latency = (long) (Math.exp(random.nextGaussian() * 0.8 + 8.5) * (slow ? 6 : 1));
        int roll = random.nextInt(1000);
        long status = failing && roll < 200 || roll < 10 ? 503 : roll < 30 ? 404 : 200;
        Map<String, Object> row = new java.util.HashMap<>();
        row.put("id", id);
        row.put("timestamp", START + (long) (random.nextDouble() * WINDOW_MICROS));
        row.put("http", true);
        row.put("protocol", "HTTP");
        row.put("method", VERBS[endpoint % VERBS.length]);
        row.put("path", path);
        row.put("url", path);
        row.put("status_code", status);
        row.put("elapsed_time", latency);
        row.put("request_headers_size", 200L + random.nextInt(300));
        row.put("response_headers_size", 150L + random.nextInt(100));
        row.put("response_body_size", (long) random.nextInt(20_000));
        row.put("dst_service_name", "service-" + service);
        row.put("dst_service_namespace", namespace);
        row.put("dst_pod_name", "service-" + service + "-7c9f8b6d5-q8m4t");
        row.put("dst_pod_namespace", namespace);
        row.put("dst_workload_name", "service-" + service);
        int client = random.nextInt(100);
        row.put("src_pod_name", "client-" + client + "-5f7b8c9d6-jn3ks");
        row.put("src_pod_namespace", "team-" + client % 6);
        row.put("src_workload_name", "client-" + client);
        row.put("tcp", true);
        row.put("dst_port", 8080L);
        return row;
    }

    private static Map<String, Object> flow(Random random, long id, boolean drifted)
    {
        int client = random.nextInt(100);
        int service = random.nextInt(60);
        Map<String, Object> row = new java.util.HashMap<>();
        row.put("id", id);
        row.put("timestamp", START + (long) (random.nextDouble() * WINDOW_MICROS));
        row.put("protocol", "TCP");
        row.put("tcp", true);
        row.put("src_pod_name", "client-" + client + "-5f7b8c9d6-jn3ks");
        row.put("src_pod_namespace", "team-" + client % 6);
        row.put("src_workload_name", "client-" + client);
        row.put("dst_pod_name", "service-" + service + "-7c9f8b6d5-q8m4t");
        row.put("dst_pod_namespace", "team-" + service % 6);
        row.put("dst_workload_name", "service-" + service);
        row.put("dst_port", 8080L);
        row.put("flow_local_bytes", (long) random.nextInt(50_000));
        row.put("flow_remote_bytes", (long) random.nextInt(500_000) * (drifted && service == 2 ? 4 : 1));
        row.put("tcp_handshake_rtt", 200L + random.nextInt(300));
        row.put("conn_l7_detected", List.of("HTTP"));
        return row;
    }
}
