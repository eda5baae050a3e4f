package io.wirelake.cli;

import io.wirelake.catalog.snapshot.Manifest;
import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.demo.DemoCluster;
import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.demo.GeneratorOptions;
import io.wirelake.demo.GeneratorSummary;
import io.wirelake.dissect.scan.ScanReport;
import io.wirelake.kfl.CompiledFilter;
import io.wirelake.kfl.KflCompiler;
import io.wirelake.query.LakeSession;
import io.wirelake.query.QueryService;
import io.wirelake.query.TableSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code wirelake quickstart}: the whole pipeline on built-in demo traffic. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline on built-in demo traffic of a small fictional cluster: captures of three nodes with Kubernetes metadata",
                "imported as segments into a local store, a snapshot, its dissection (Flink), and KFL queries on the local Trino."})
final class QuickstartCommand
        implements Callable<Integer>
{
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private static final String SNAPSHOT = "quickstart";

    @Option(names = "--dir", defaultValue = "wirelake-quickstart", paramLabel = "DIR", description = "Working directory (default: ./${DEFAULT-VALUE}).")
    Path directory;

    @Option(names = "--size", defaultValue = "32MB", paramLabel = "SIZE", description = "Demo traffic size (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed of the demo traffic (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call()
            throws Exception
    {
        PrintStream out = System.out;
        Path captures = directory.resolve("captures");
        Path storeDirectory = directory.resolve("store");
        out.println("== 1/5 demo traffic: 3 nodes, cross-node traffic seen on both nodes, Kubernetes metadata ==");
        io.wirelake.catalog.Directories.deleteTree(captures);
        io.wirelake.catalog.Directories.deleteTree(storeDirectory);
        GeneratorSummary summary = DemoTraffic.generate(GeneratorOptions.defaults(Sizes.parse(size)).withSeed(seed).withRates(0.04, 0.02, 0.03)
                .withCrossNodeCopies(true), captures, out, System.err);
        try (io.wirelake.store.ObjectStore store = new io.wirelake.store.LocalObjectStore(storeDirectory)) {
            out.println();
            out.println("== 2/5 import as the collectors would write them (store " + store.location() + ") ==");
            for (DemoCluster.Node node : DemoCluster.NODES) {
                CaptureImport.run(store, node.name(), List.of(captures.resolve(node.name() + ".pcap")),
                        List.of(captures.resolve(DemoTrafficGenerator.METADATA_FILE)), new io.wirelake.collector.Rotation(5, 64L << 20));
            }
            Snapshots snapshots = new Snapshots(store);
            QueryService queries = Wirelake.queryService(spec);
            out.println();
            out.println("== 3/5 snapshot ==");
            Manifest manifest = snapshots.create(SNAPSHOT, Optional.empty(), Optional.empty(), List.of(), line -> {});
            out.printf("snapshot %s: %d capture segments of %d nodes, %d metadata segments, %s, window %s .. %s (SHA-256 manifest)%n", manifest.id(),
                    manifest.captures().size(), manifest.nodes().size(), manifest.metadata().size(), Sizes.format(manifest.bytes()),
                    Times.format(manifest.fromMicros()), Times.format(manifest.toMicros()));
            out.println();
            out.println("== 4/5 dissection (Flink, local MiniCluster) ==");
            ScanReport report = new SnapshotDissector(snapshots, queries).dissect(SNAPSHOT, 0, out);
            out.println();
            out.println("== 5/5 KFL on the local Trino ==");
            try (LakeSession session = queries.open(TableSource.snapshot(store, SNAPSHOT))) {
                // REST calls: HTTP rows that are not GraphQL, gRPC or a WebSocket upgrade
                long http = count(session, "http && !gql && !grpc && status_code != 101");
                long dns = count(session, "dns && dns_request");
                Map<String, String> others = new LinkedHashMap<>();
                others.put("Redis", "redis");
                others.put("gRPC", "grpc");
                others.put("GraphQL", "gql");
                others.put("WebSocket", "ws");
                others.put("Kafka", "kafka");
                others.put("AMQP", "amqp");
                others.put("LDAP", "ldap");
                others.put("RADIUS", "radius");
                answer(out, session, "Server errors by service", "http && status_code >= 500",
                        "\"dst_service_name\" || ' ' || \"method\" || ' ' || \"path\" || ' -> ' || CAST(\"status_code\" AS varchar)", 8);
                answer(out, session, "Slow calls (over 1 s) by caller and service", "http && elapsed_time > 1000000",
                        "\"src_pod_name\" || ' -> ' || \"dst_service_name\" || ' ' || \"path\"", 6);
                answer(out, session, "Failed DNS lookups", "dns && dns_response && status_code != 0",
                        "element_at(\"dns_questions\", 1) || ' ' || \"dns_rcode_name\" || ' (asked by ' || \"src_pod_name\" || ')'", 6);
                answer(out, session, "Calls into the payments namespace", "http && dst.pod.namespace == \"payments\"",
                        "\"src_pod_namespace\" || '/' || \"src_service_name\" || ' -> ' || \"dst_service_name\" || ' (node ' || \"local_node_name\" || ')'", 6);
                answer(out, session, "Failed gRPC calls", "grpc && grpc_status != 0",
                        "\"src_pod_name\" || ' -> ' || \"grpc_service\" || '/' || \"grpc_method\" || ' status ' || CAST(\"grpc_status\" AS varchar)", 4);
                out.println();
                boolean consistent = http == summary.httpRequests() && dns == summary.dnsQueries();
                List<String> otherCounts = new ArrayList<>();
                for (Map.Entry<String, String> other : others.entrySet()) {
                    long found = count(session, other.getValue());
                    long expected = summary.otherCalls().getOrDefault(other.getKey(), 0L);
                    consistent &= found == expected;
                    otherCounts.add(other.getKey() + " " + Sizes.count(found) + (found == expected ? "" : " (expected " + Sizes.count(expected) + ")"));
                }
                out.printf("Other protocols found: %s.%n", String.join(", ", otherCounts));
                out.printf("Generated %s HTTP requests and %s DNS lookups; Trino finds %s and %s in the snapshot%s.%n", Sizes.count(summary.httpRequests()),
                        Sizes.count(summary.dnsQueries()), Sizes.count(http), Sizes.count(dns),
                        consistent ? " (all of them, each once although cross-node traffic was captured twice)" : " (MISMATCH)");
                out.printf("Try: bin/wirelake --store %s query --snapshot %s --kfl 'http && status_code >= 500'%n", storeDirectory, SNAPSHOT);
                return consistent && report.damageMessages().isEmpty() ? 0 : 1;
            }
        }
    }

    private static long count(LakeSession session, String kfl)
            throws Exception
    {
        CompiledFilter filter = new KflCompiler().compile(kfl, Optional.empty(), Instant.now());
        return ((Number) session.rows("SELECT count(*) FROM " + session.table(filter.table()) + " WHERE " + session.scope() + " AND (" + filter.predicate() + ")")
                .get(0).get(0)).longValue();
    }

    /** Runs a KFL filter on Trino, grouped by an SQL expression, and prints the answer. */
    private static void answer(PrintStream out, LakeSession session, String title, String kfl, String groupBy, int limit)
            throws Exception
    {
        CompiledFilter filter = new KflCompiler().compile(kfl, Optional.empty(), Instant.now());
        String sql = "SELECT " + groupBy + " AS what, count(*) AS calls, approx_percentile(\"elapsed_time\", 0.5) AS p50 FROM " + session.table(filter.table())
                + " WHERE " + session.scope() + " AND (" + filter.predicate() + ") GROUP BY 1 ORDER BY 2 DESC, 1";
        List<String> lines = new ArrayList<>();
        long total = 0;
        for (List<Object> row : session.rows(sql)) {
            long calls = ((Number) row.get(1)).longValue();
            total += calls;
            lines.add(String.format(Locale.ROOT, "    %6s  %s  (p50 %.1f ms)", Sizes.count(calls), row.get(0), ((Number) row.get(2)).longValue() / 1000.0));
        }
        section(out, title, kfl, total);
        lines.stream().limit(limit).forEach(out::println);
        if (lines.size() > limit) {
            out.printf("    ... and %d more%n", lines.size() - limit);
        }
    }

    private static void section(PrintStream out, String title, String kfl, long count)
    {
        out.printf("%n  %s: %s   [KFL: %s]%n", title, Sizes.count(count), kfl);
    }
}
