package io.wirelake.cli;

import io.wirelake.demo.DemoCluster;
import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.demo.GeneratorOptions;
import io.wirelake.kfl.KflCompiler;
import io.wirelake.kfl.KflEvaluator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lake's commands as a user runs them: each a {@code wirelake} process of its own with its
 * own environment (store, Trino home and port), over demo traffic of three nodes. The snapshot
 * query's answer is checked against CEL evaluating the filter over the partition's Parquet files.
 */
class LakeCommandsTest
{
    private static Path work;
    private static Map<String, String> environment;

    private record Run(int exit, String out, String err) {}

    @BeforeAll
    static void generate()
            throws Exception
    {
        work = Path.of("target", "lake-commands").toAbsolutePath();
        io.wirelake.catalog.Directories.deleteTree(work);
        DemoTraffic.generate(GeneratorOptions.defaults(2_000_000).withCrossNodeCopies(true), work.resolve("captures"),
                new PrintStream(OutputStream.nullOutputStream()), new PrintStream(OutputStream.nullOutputStream()));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        environment = Map.of("WIRELAKE_STORE", work.resolve("store").toString(), "WIRELAKE_HOME", work.resolve("home").toString(),
                "WIRELAKE_TRINO_PORT", String.valueOf(port));
    }

    @AfterAll
    static void stopTrino()
            throws Exception
    {
        if (environment != null) {
            wirelake("trino", "stop");
        }
    }

    private static Run wirelake(String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dwirelake.flink.plugins.dir=" + System.getProperty("wirelake.flink.plugins.dir", ""),
                "-cp", System.getProperty("java.class.path"), Wirelake.class.getName()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
        builder.environment().putAll(environment);
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void importSnapshotDissectQueryVerifyExportCopyDelete()
            throws Exception
    {
        Path captures = work.resolve("captures");
        for (DemoCluster.Node node : DemoCluster.NODES) {
            Run imported = wirelake("import", "--node", node.name(), "--rotate-seconds", "1", captures.resolve(node.name() + ".pcap").toString(),
                    captures.resolve(DemoTrafficGenerator.METADATA_FILE).toString());
            assertThat(imported.exit()).as(imported.err()).isZero();
            assertThat(imported.out()).contains("of node " + node.name());
        }
        Run boundaries = wirelake("boundaries");
        DemoCluster.NODES.forEach(node -> assertThat(boundaries.out()).contains(node.name()));

        assertThat(wirelake("snapshot", "create", "s1", "--no-dissect").exit()).isZero();
        Run again = wirelake("snapshot", "create", "s1");
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("snapshot s1 already exists");
        Run late = wirelake("snapshot", "create", "late", "--from", "2030-01-01T00:00:00Z");
        assertThat(late.exit()).isEqualTo(1);
        assertThat(late.err()).contains("no capture of").contains("evicted");
        assertThat(wirelake("snapshot", "list").out()).contains("s1").contains("created");

        Run dissect = wirelake("snapshot", "dissect", "s1");
        assertThat(dissect.exit()).as(dissect.err()).isZero();
        assertThat(dissect.out()).contains("de-duplicated");
        assertThat(wirelake("snapshot", "get", "s1").out()).contains("status     dissected");

        // Trino over the snapshot's partition selects what CEL selects from the partition's files.
        String kfl = "http && dst.pod.namespace == \"payments\" && src.service.name == \"orders\"";
        Run query = wirelake("query", "--snapshot", "s1", "--kfl", kfl, "--columns", "id", "--format", "csv", "--limit", "100000");
        assertThat(query.exit()).as(query.err()).isZero();
        List<Long> trino = query.out().lines().skip(1).map(Long::parseLong).sorted().toList();
        KflEvaluator evaluator = new KflEvaluator(new KflCompiler().compile(kfl, Optional.empty(), Instant.now()));
        List<Long> cel = new ArrayList<>();
        for (Map<String, Object> row : io.wirelake.query.ParquetRows.readAll(work.resolve("store/tables/api_calls/snapshot_id=s1"))) {
            if (evaluator.matches(row)) {
                cel.add((Long) row.get("id"));
            }
        }
        assertThat(trino).isNotEmpty().isEqualTo(cel.stream().sorted().toList());
        Run local = wirelake("query", "--snapshot", "s1", "--engine", "local", "--kfl", kfl, "--columns", "id", "--format", "csv", "--limit", "100000");
        assertThat(local.exit()).as(local.err()).isZero();
        assertThat(local.out().lines().skip(1).map(Long::parseLong).sorted().toList()).as("the local engine over the snapshot's partition").isEqualTo(trino);

        Run resolve = wirelake("resolve", "s1", "orders");
        assertThat(resolve.out()).contains(DemoCluster.ORDERS.ip()).contains("shop/orders-594487879c-7ddxf");

        Run export = wirelake("snapshot", "export", "s1", "--out", "payments.pcap", "--bpf", "host " + DemoCluster.PAYMENTS.ip());
        assertThat(export.exit()).as(export.err()).isZero();
        assertThat(export.out()).startsWith("exported ");
        assertThat(Files.size(work.resolve("payments.pcap"))).isGreaterThan(24);

        Run copy = wirelake("snapshot", "copy", "s1", "--to", work.resolve("archive").toString());
        assertThat(copy.exit()).as(copy.err()).isZero();
        assertThat(copy.out()).contains("verified");
        assertThat(wirelake("--store", work.resolve("archive").toString(), "snapshot", "verify", "s1").exit()).isZero();

        Path frozen;
        try (var files = Files.walk(work.resolve("store/snapshots/s1/raw"))) {
            frozen = files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
        byte[] content = Files.readAllBytes(frozen);
        content[40] ^= 0x20;
        Files.write(frozen, content);
        Run verify = wirelake("snapshot", "verify", "s1");
        assertThat(verify.exit()).isEqualTo(4);
        assertThat(verify.out()).contains(frozen.getFileName().toString()).contains("SHA-256");

        Run delete = wirelake("snapshot", "delete", "s1");
        assertThat(delete.exit()).isZero();
        assertThat(delete.out()).contains("unregistered");
        Run gone = wirelake("query", "--snapshot", "s1", "--kfl", "http");
        assertThat(gone.exit()).isNotZero();
        assertThat(gone.err()).contains("no snapshot s1");
    }
}
