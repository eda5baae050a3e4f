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
import io.wirelake.query.report.Drift;
import io.wirelake.query.report.DriftFormat;
import io.wirelake.query.report.DriftReport;
import io.wirelake.query.report.DriftThresholds;
import io.wirelake.demo.DriftOptions;
import io.wirelake.demo.DriftScenario;
import io.wirelake.demo.DriftTrafficGenerator;
import io.wirelake.demo.DriftTruth;
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
        out.println("== 1/6 demo traffic: 3 nodes, cross-node traffic seen on both nodes, Kubernetes metadata ==");
        io.wirelake.catalog.Directories.deleteTree(captures);
        io.wirelake.catalog.Directories.deleteTree(storeDirectory);
        GeneratorSummary summary = DemoTraffic.generate(GeneratorOptions.defaults(Sizes.parse(size)).withSeed(seed).withRates(0.04, 0.02, 0.03)
                .withCrossNodeCopies(true), captures, out, System.err);
        try (io.wirelake.store.ObjectStore store = new io.wirelake.store.LocalObjectStore(storeDirectory)) {
            out.println();
            out.println("== 2/6 import as the collectors would write them (store " + store.location() + ") ==");
            for (DemoCluster.Node node : DemoCluster.NODES) {
                CaptureImport.run(store, node.name(), List.of(captures.resolve(node.name() + ".pcap")),
                        List.of(captures.resolve(DemoTrafficGenerator.METADATA_FILE)), new io.wirelake.collector.Rotation(5, 64L << 20));
            }
            Snapshots snapshots = new Snapshots(store);
            QueryService queries = Wirelake.queryService(spec);
            out.println();
            out.println("== 3/6 snapshot ==");
            Manifest manifest = EvidenceCommands.evidence(store).create(SNAPSHOT, Optional.empty(), Optional.empty(), List.of(), Optional.empty(), line -> {});
            out.printf("snapshot %s: %d capture segments of %d nodes, %d metadata segments, %s, window %s .. %s (SHA-256 manifest)%n", manifest.id(),
                    manifest.captures().size(), manifest.nodes().size(), manifest.metadata().size(), Sizes.format(manifest.bytes()),
                    Times.format(manifest.fromMicros()), Times.format(manifest.toMicros()));
            out.println();
            out.println("== 4/6 dissection (Flink, local MiniCluster) ==");
            ScanReport report = new SnapshotDissector(snapshots, queries).dissect(SNAPSHOT, 0, out);
            out.println();
            out.println("== 5/6 KFL on the local Trino ==");
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
                boolean drift = drift(out, queries);
                return consistent && drift && report.damageMessages().isEmpty() ? 0 : 1;
            }
        }
    }

    /**
     * Step 6: a baseline day and an incident day of the cluster with planted drift, each a
     * snapshot of its window in a store of their own, and the drift report between them, checked
     * against what was planted.
     */
    private boolean drift(PrintStream out, QueryService queries)
            throws Exception
    {
        out.println();
        out.println("== 6/6 daily drift: a baseline day and an incident day, and what changed ==");
        Path days = directory.resolve("drift");
        Path storeDirectory = directory.resolve("drift-store");
        io.wirelake.catalog.Directories.deleteTree(days);
        io.wirelake.catalog.Directories.deleteTree(storeDirectory);
        DriftTruth truth = DriftTrafficGenerator.generate(DriftOptions.ofSize(8L << 20, seed).withCrossNodeCopies(true), days, bytes -> {});
        try (io.wirelake.store.ObjectStore store = new io.wirelake.store.LocalObjectStore(storeDirectory)) {
            Snapshots snapshots = new Snapshots(store);
            for (DriftScenario.Day day : DriftScenario.Day.values()) {
                DriftTruth.DayTruth facts = truth.day(day);
                for (String capture : facts.captures()) {
                    String node = capture.substring(capture.lastIndexOf('/') + 1, capture.length() - ".pcap".length());
                    new io.wirelake.collector.Importer(store, node, new io.wirelake.collector.Rotation(60, 64L << 20), days.resolve("spool"))
                            .importFiles(List.of(days.resolve(capture)), List.of(days.resolve(facts.metadata())), line -> {});
                }
                String name = facts.directory() + "-day";
                EvidenceCommands.evidence(store).create(name, Times.parse("--from", facts.from()), Times.parse("--to", facts.to()), List.of(), Optional.empty(), line -> {});
                new SnapshotDissector(snapshots, queries).dissect(name, 0, new PrintStream(java.io.OutputStream.nullOutputStream()));
                out.printf("snapshot %s: %s .. %s, dissected%n", name, facts.from(), facts.to());
            }
            DriftReport report = Drift.compare(queries, store, "baseline-day", "incident-day", DriftThresholds.defaults(), Optional.empty());
            Path html = directory.resolve("drift-report.html");
            java.nio.file.Files.writeString(html, DriftFormat.html(report));
            java.nio.file.Files.writeString(directory.resolve("drift-report.md"), DriftFormat.markdown(report));
            out.println();
            out.print(DriftFormat.markdown(report));
            java.util.Set<String> found = new java.util.TreeSet<>();
            report.findings().forEach(finding -> found.add(finding.check() + " " + truthName(finding.check(), finding.subject())));
            java.util.Set<String> planted = new java.util.TreeSet<>();
            truth.findings().forEach(finding -> planted.add(finding.check() + " " + finding.subject()));
            out.println();
            out.printf("Drift report: %s (Markdown beside it). %s%n", html, found.equals(planted)
                    ? "It finds the " + planted.size() + " planted changes and nothing else."
                    : "MISMATCH with what was planted: missing " + difference(planted, found) + ", unexpected " + difference(found, planted));
            out.printf("Try: bin/wirelake --store %s diff baseline-day incident-day --format html --out report.html%n", storeDirectory);
            return found.equals(planted);
        }
    }

    /** The generator names an endpoint by its bare service ({@code catalog GET /x}); wirelake with the namespace ({@code shop/catalog GET /x}). */
    private static String truthName(String check, String subject)
    {
        int slash = subject.indexOf('/');
        int space = subject.indexOf(' ');
        boolean endpoint = check.endsWith("_endpoint") || check.equals("latency_regression") || check.equals("error_rate_increase");
        return endpoint && slash >= 0 && slash < space ? subject.substring(slash + 1) : subject;
    }

    private static java.util.Set<String> difference(java.util.Set<String> left, java.util.Set<String> right)
    {
        java.util.Set<String> rest = new java.util.TreeSet<>(left);
        rest.removeAll(right);
        return rest;
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
