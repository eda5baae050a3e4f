package io.wirelake.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.columns.Table;
import io.wirelake.demo.DemoCluster;
import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.demo.GeneratorOptions;
import io.wirelake.demo.GeneratorSummary;
import io.wirelake.store.testing.SharedS3Proxy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command of the lake as a user runs it: the distribution's {@code bin/wirelake} (the jar
 * and lib/ users get), each command a process of its own, against both stores: a local directory,
 * and S3 (S3Proxy; endpoint and credentials reach the command through its environment only, as a
 * user's would). Answers are checked against independent oracles: the snapshot query, on both
 * engines, against CEL evaluating the filter over the partition's Parquet files; the export against
 * tcpdump applying the same filter to the original captures; the cross-node de-duplication against
 * the generator's ground truth and tshark: the demo's traffic between nodes is in two nodes'
 * captures, and every HTTP request it made (by its X-Request-Id, as tshark reads them from the
 * captures) is one row, every DNS lookup one row, every TCP connection (by its SYN, as tshark reads
 * them) one flow.
 */
class LakeCommandsTest
{
    private static final String KFL = "http && dst.pod.namespace == \"payments\" && src.service.name == \"orders\"";

    private static final Pattern REQUEST_ID = Pattern.compile("X-Request-Id: ([0-9a-f-]{36})");

    private static Path work;
    /** What the generator made, from the generator itself (the same options as the command's, the same bytes). */
    private static GeneratorSummary truth;
    /** The X-Request-Id of every HTTP request in any node's capture, as tshark reads them. */
    private static Set<String> requestIds;
    /** Every TCP connection (client ip:port > server ip:port of its SYN) in any node's capture, and how many captures hold it. */
    private static Map<String, Integer> connections;

    enum Store
    {
        DIRECTORY, S3
    }

    @BeforeAll
    static void generate()
            throws Exception
    {
        work = Distribution.emptyDirectory("lake-commands");
        Distribution.Run generated = Distribution.run(work, Map.of(), "generate", "--out", "captures", "--size", "2MB", "--cross-node-copies");
        assertThat(generated.exit()).as(generated.both()).isZero();

        // The ground truth: the generator run here with the command's defaults makes the same captures, and says what they hold.
        Path same = work.resolve("captures-in-process");
        Files.createDirectories(same);
        truth = DemoTrafficGenerator.generate(GeneratorOptions.defaults(2L << 20).withCrossNodeCopies(true), same, bytes -> {});
        requestIds = new HashSet<>();
        connections = new TreeMap<>();
        for (DemoCluster.Node node : DemoCluster.NODES) {
            Path capture = work.resolve("captures").resolve(node.name() + ".pcap");
            assertThat(Files.mismatch(capture, same.resolve(node.name() + ".pcap"))).as("the command's capture of %s is the generator's", node.name())
                    .isEqualTo(-1L);
            // tshark knows HTTP on 80 and 8080; the demo's services also serve it on 9000, 8443 and 8081.
            for (String line : tshark(capture, "http.request", "-d", "tcp.port==9000,http", "-d", "tcp.port==8443,http", "-d", "tcp.port==8081,http",
                    "-E", "aggregator=|", "-e", "http.request.line")) {
                Matcher id = REQUEST_ID.matcher(line);
                while (id.find()) {
                    requestIds.add(id.group(1));
                }
            }
            for (String line : tshark(capture, "tcp.flags.syn == 1 && tcp.flags.ack == 0", "-e", "ip.src", "-e", "tcp.srcport", "-e", "ip.dst", "-e",
                    "tcp.dstport")) {
                String[] fields = line.split("\t");
                connections.merge(fields[0] + ":" + fields[1] + " > " + fields[2] + ":" + fields[3], 1, Integer::sum);
            }
        }
        assertThat(requestIds).as("requests tshark finds, and the generator made").hasSize((int) truth.httpRequests());
        assertThat(connections).as("connections tshark finds, and the generator made").hasSize((int) truth.tcpConnections());
        assertThat(connections.values()).as("connections captured on two nodes").contains(2);
    }

    @ParameterizedTest
    @EnumSource(Store.class)
    void everyCommandOfTheLake(Store kind)
            throws Exception
    {
        Path directory = Files.createDirectories(work.resolve(kind.name().toLowerCase(java.util.Locale.ROOT)));
        String prefix = "lake-commands-" + UUID.randomUUID();
        String store = kind == Store.S3 ? "s3://" + SharedS3Proxy.BUCKET + "/" + prefix : directory.resolve("store").toString();
        // Where the store's objects are files, for the oracles and to damage one.
        Path objects = kind == Store.S3 ? SharedS3Proxy.bucketDirectory().resolve(prefix) : directory.resolve("store");
        Map<String, String> environment = new HashMap<>(Distribution.trino());
        environment.put("WIRELAKE_STORE", store);
        if (kind == Store.S3) {
            environment.putAll(SharedS3Proxy.environment());
        }
        Path captures = work.resolve("captures");

        for (DemoCluster.Node node : DemoCluster.NODES) {
            Distribution.Run imported = Distribution.run(directory, environment, "import", "--node", node.name(), "--rotate-seconds", "1",
                    captures.resolve(node.name() + ".pcap").toString(), captures.resolve(DemoTrafficGenerator.METADATA_FILE).toString());
            assertThat(imported.exit()).as(imported.both()).isZero();
            assertThat(imported.out()).contains("of node " + node.name());
        }
        Distribution.Run boundaries = Distribution.run(directory, environment, "boundaries");
        assertThat(boundaries.exit()).as(boundaries.both()).isZero();
        DemoCluster.NODES.forEach(node -> assertThat(boundaries.out()).contains(node.name()));

        Distribution.Run created = Distribution.run(directory, environment, "snapshot", "create", "s1", "--no-dissect");
        assertThat(created.exit()).as(created.both()).isZero();
        Distribution.Run again = Distribution.run(directory, environment, "snapshot", "create", "s1");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("snapshot s1 already exists");
        Distribution.Run late = Distribution.run(directory, environment, "snapshot", "create", "late", "--from", "2030-01-01T00:00:00Z");
        assertThat(late.exit()).isEqualTo(1);
        assertThat(late.err()).contains("no capture of").contains("evicted");
        assertThat(Distribution.run(directory, environment, "snapshot", "list").out()).contains("s1").contains("created");

        if (kind == Store.S3) {
            // A local Trino started without S3 settings cannot read the store: the dissection, registering
            // its partitions there, restarts it with them.
            Map<String, String> withoutS3 = new HashMap<>(environment);
            SharedS3Proxy.environment().keySet().forEach(withoutS3::remove);
            withoutS3.remove("WIRELAKE_STORE");
            if (!Distribution.trinoS3Settings().equals("none")) {
                assertThat(Distribution.run(directory, withoutS3, "trino", "stop").exit()).isZero();
            }
            Distribution.Run started = Distribution.run(directory, withoutS3, "trino", "start");
            assertThat(started.exit()).as(started.both()).isZero();
            assertThat(Distribution.trinoS3Settings()).isEqualTo("none");
        }

        Distribution.Run dissect = Distribution.run(directory, environment, "snapshot", "dissect", "s1");
        assertThat(dissect.exit()).as(dissect.both()).isZero();
        assertThat(dissect.out()).contains("de-duplicated");
        if (kind == Store.S3) {
            assertThat(dissect.out()).contains("reading     in place, through Flink's S3 file-system plugin");
            assertThat(dissect.err()).contains("restarting the local Trino on port " + Distribution.trino().get("WIRELAKE_TRINO_PORT"))
                    .contains("it was started with no S3 settings, the store needs S3 endpoint " + SharedS3Proxy.endpoint());
            assertThat(dissect.out()).contains("registered  in the local Trino");
            assertThat(Distribution.trinoS3Settings()).contains(SharedS3Proxy.endpoint());
        }
        assertThat(Distribution.run(directory, environment, "snapshot", "get", "s1").out()).contains("status     dissected");

        // Cross-node traffic was captured twice: each request, lookup and connection is one row all the same.
        Distribution.Run requests = Distribution.run(directory, environment, "query", "--snapshot", "s1", "--kfl", "http && !gql && !grpc && status_code != 101",
                "--columns", "request.headers", "--format", "jsonl", "--limit", "100000");
        assertThat(requests.exit()).as(requests.both()).isZero();
        ObjectMapper json = new ObjectMapper();
        List<String> rowIds = new ArrayList<>();
        for (String line : requests.out().lines().toList()) {
            rowIds.add(json.readTree(line).path("request_headers").path("x-request-id").asText());
        }
        assertThat(rowIds).as("the X-Request-Id of every HTTP row").doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(requestIds);
        Distribution.Run lookups = Distribution.run(directory, environment, "query", "--snapshot", "s1", "--kfl", "dns && dns_request", "--columns", "id",
                "--format", "csv", "--limit", "100000");
        assertThat(lookups.exit()).as(lookups.both()).isZero();
        assertThat(ids(lookups)).as("DNS lookups").hasSize((int) truth.dnsQueries());
        Distribution.Run flows = Distribution.run(directory, environment, "query", "--snapshot", "s1", "--kfl", "tcp_conn", "--columns",
                "src.ip,src.port,dst.ip,dst.port", "--format", "csv", "--limit", "100000");
        assertThat(flows.exit()).as(flows.both()).isZero();
        List<String> flowKeys = flows.out().lines().skip(1).map(line -> line.split(",")).map(cells -> cells[0] + ":" + cells[1] + " > " + cells[2] + ":" + cells[3])
                .toList();
        assertThat(flowKeys).as("TCP flows").doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(connections.keySet());

        // Trino and the local CEL engine over the snapshot's partition select what CEL selects from its files.
        Path partition = objects.resolve("tables/api_calls/snapshot_id=s1");
        List<Long> expected = CelOracle.matchingIds(KFL, Table.API_CALLS, partition);
        assertThat(expected).isNotEmpty();
        Distribution.Run trino = Distribution.run(directory, environment, "query", "--snapshot", "s1", "--kfl", KFL, "--columns", "id", "--format", "csv",
                "--limit", "100000");
        assertThat(trino.exit()).as(trino.both()).isZero();
        assertThat(ids(trino)).isEqualTo(expected);
        Distribution.Run local = Distribution.run(directory, environment, "query", "--snapshot", "s1", "--engine", "local", "--kfl", KFL,
                "--columns", "id", "--format", "csv", "--limit", "100000");
        assertThat(local.exit()).as(local.both()).isZero();
        assertThat(ids(local)).isEqualTo(expected);

        Distribution.Run resolve = Distribution.run(directory, environment, "resolve", "s1", "orders");
        assertThat(resolve.exit()).as(resolve.both()).isZero();
        assertThat(resolve.out()).contains(DemoCluster.ORDERS.ip()).contains("shop/orders-594487879c-7ddxf");

        // The export holds what tcpdump's filter selects from the original captures (every node's, as the snapshot has them).
        String bpf = "host " + DemoCluster.PAYMENTS.ip();
        Distribution.Run export = Distribution.run(directory, environment, "snapshot", "export", "s1", "--out", "payments.pcap", "--bpf", bpf);
        assertThat(export.exit()).as(export.both()).isZero();
        assertThat(export.out()).startsWith("exported ");
        long original = 0;
        for (DemoCluster.Node node : DemoCluster.NODES) {
            original += tcpdumpCount(captures.resolve(node.name() + ".pcap"), bpf);
        }
        assertThat(original).isPositive();
        assertThat(tcpdumpCount(directory.resolve("payments.pcap"), "")).isEqualTo(original);

        // A copy to the other kind of store verifies there against the same manifest.
        String archive = kind == Store.S3 ? directory.resolve("archive").toString() : "s3://" + SharedS3Proxy.BUCKET + "/archive-" + UUID.randomUUID();
        Map<String, String> withS3 = new HashMap<>(environment);
        withS3.putAll(SharedS3Proxy.environment());
        Distribution.Run copy = Distribution.run(directory, withS3, "snapshot", "copy", "s1", "--to", archive);
        assertThat(copy.exit()).as(copy.both()).isZero();
        assertThat(copy.out()).contains("verified");
        Distribution.Run copied = Distribution.run(directory, withS3, "--store", archive, "snapshot", "verify", "s1");
        assertThat(copied.exit()).as(copied.both()).isZero();
        assertThat(copied.out()).contains("every size and SHA-256 as the manifest says").contains("signature: Ed25519 signature over the manifest verifies");

        Path frozen;
        try (Stream<Path> files = Files.walk(objects.resolve("snapshots/s1/raw"))) {
            frozen = files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
        byte[] content = Files.readAllBytes(frozen);
        content[40] ^= 0x20;
        Files.write(frozen, content);
        Distribution.Run verify = Distribution.run(directory, environment, "snapshot", "verify", "s1");
        assertThat(verify.exit()).as(verify.both()).isEqualTo(4);
        assertThat(verify.out()).contains(frozen.getFileName().toString()).contains("SHA-256");

        Distribution.Run delete = Distribution.run(directory, environment, "snapshot", "delete", "s1");
        assertThat(delete.exit()).as(delete.both()).isZero();
        assertThat(delete.out()).contains("unregistered");
        if (Files.exists(objects.resolve("snapshots/s1"))) {
            try (Stream<Path> files = Files.walk(objects.resolve("snapshots/s1"))) {
                assertThat(files.filter(Files::isRegularFile)).as("objects left of a deleted snapshot").isEmpty();
            }
        }
        Distribution.Run gone = Distribution.run(directory, environment, "query", "--snapshot", "s1", "--kfl", "http");
        assertThat(gone.exit()).isNotZero();
        assertThat(gone.err()).contains("no snapshot s1");
    }

    private static List<Long> ids(Distribution.Run csv)
    {
        return csv.out().lines().skip(1).map(Long::parseLong).sorted().toList();
    }

    /** tshark's fields for the frames a display filter selects, one line per frame, tab-separated; fails if tshark does. */
    private static List<String> tshark(Path capture, String filter, String... options)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(), "-Y", filter, "-T", "fields", "-E", "occurrence=a"));
        command.addAll(List.of(options));
        Path errors = Files.createTempFile(work, "tshark", ".err");
        Process process = new ProcessBuilder(command).redirectError(errors.toFile()).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("tshark ends").isTrue();
        String complaints = Files.readString(errors).lines().filter(line -> !line.startsWith("Running as user \"root\"")).collect(Collectors.joining("\n"));
        Files.delete(errors);
        assertThat(process.exitValue()).as("tshark (Debian: apt-get install tshark) %s: %s", command, complaints).isZero();
        assertThat(complaints).as("tshark's complaints about %s", command).isEmpty();
        return output.lines().filter(line -> !line.isEmpty()).toList();
    }

    /** Packets tcpdump reads from a capture through a filter (an empty filter: all of them). */
    static long tcpdumpCount(Path capture, String filter)
            throws IOException, InterruptedException
    {
        List<String> command = new java.util.ArrayList<>(List.of("tcpdump", "-nn", "-r", capture.toString()));
        if (!filter.isEmpty()) {
            command.add(filter);
        }
        Process tcpdump = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long packets = new String(tcpdump.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().count();
        assertThat(tcpdump.waitFor()).as("tcpdump (Debian: apt-get install tcpdump) on " + capture).isZero();
        return packets;
    }
}
