package io.wirelake.dist;

import io.wirelake.columns.Table;
import io.wirelake.demo.DemoCluster;
import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.store.testing.SharedS3Proxy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command of the lake as a user runs it: the distribution's {@code bin/wirelake} (the jar
 * and lib/ users get), each command a process of its own, against both stores: a local directory,
 * and S3 (S3Proxy; endpoint and credentials reach the command through its environment only, as a
 * user's would). Answers are checked against independent oracles: the snapshot query, on both
 * engines, against CEL evaluating the filter over the partition's Parquet files; the export against
 * tcpdump applying the same filter to the original captures.
 */
class LakeCommandsTest
{
    private static final String KFL = "http && dst.pod.namespace == \"payments\" && src.service.name == \"orders\"";

    private static Path work;

    enum Store
    {
        DIRECTORY, S3
    }

    @BeforeAll
    static void generate()
            throws Exception
    {
        work = Path.of("target", "lake-commands").toAbsolutePath();
        io.wirelake.catalog.Directories.deleteTree(work);
        Files.createDirectories(work);
        Distribution.Run generated = Distribution.run(work, Map.of(), "generate", "--out", "captures", "--size", "2MB", "--cross-node-copies");
        assertThat(generated.exit()).as(generated.both()).isZero();
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
