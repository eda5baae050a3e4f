package io.wirelake.cli;

import io.wirelake.catalog.evidence.testing.TestTimestampAuthority;
import io.wirelake.demo.DemoCluster;
import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.demo.GeneratorOptions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compliance archiving as a user runs it: the packaged {@code bin/wirelake}, each command a process
 * of its own, with a TSA of the test's own on loopback. Snapshots are sealed and timestamped when
 * created, dissected, bundled as evidence, verified from the bundle alone (by wirelake, and by the
 * README's own sha256sum/openssl lines), tampered with and refused; held, archived, and deleted
 * only through the logged governance bypass. Tagged {@code packaged}: the CLI's POM runs it in the
 * integration-test phase, after the package phase built the jars, never in the test phase.
 */
@Tag("packaged")
class EvidenceCommandsIT
{
    private static Path work;
    private static Map<String, String> environment;
    private static TestTimestampAuthority tsa;
    private static Path caFile;

    private record Run(int exit, String out, String err) {}

    @BeforeAll
    static void setUp()
            throws Exception
    {
        Path root = Path.of(System.getProperty("wirelake.root.dir", "..")).toAbsolutePath().normalize();
        if (!Files.exists(root.resolve("cli/target/wirelake-cli.jar")) || !Files.isDirectory(root.resolve("cli/target/lib"))) {
            throw new IllegalStateException("the packaged command is not built: run ./mvnw -DskipTests package first (this test runs in the integration-test phase)");
        }
        // The package phase of this very build just made the jar (the jar plugin leaves an unchanged jar's time alone), so it is
        // current; bin/wirelake judges freshness by file times and would start a build of its own inside this one.
        Files.setLastModifiedTime(root.resolve("cli/target/wirelake-cli.jar"), java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
        work = Path.of("target", "evidence-commands").toAbsolutePath();
        io.wirelake.catalog.Directories.deleteTree(work);
        Files.createDirectories(work);
        DemoTraffic.generate(GeneratorOptions.defaults(1_500_000), work.resolve("captures"), new PrintStream(OutputStream.nullOutputStream()),
                new PrintStream(OutputStream.nullOutputStream()));
        tsa = TestTimestampAuthority.start();
        caFile = tsa.writeCaCertificate(work.resolve("tsa-ca.pem"));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        environment = new HashMap<>(Map.of("WIRELAKE_STORE", work.resolve("store").toString(), "WIRELAKE_HOME", work.resolve("home").toString(),
                "WIRELAKE_TRINO_PORT", String.valueOf(port), "WIRELAKE_TSA_URL", tsa.url().toString(), "WIRELAKE_TSA_CA", caFile.toString(),
                "WIRELAKE_ACTOR", "investigator@soc", "WIRELAKE_EXTRA_JAVA_OPTS", "-Xmx1g"));
        // bin/wirelake's class archive under target/, not the user's ~/.cache
        environment.put("WIRELAKE_CDS_DIR", Path.of("target", "cds").toAbsolutePath().toString());
    }

    @AfterAll
    static void tearDown()
    {
        if (tsa != null) {
            tsa.close();
        }
    }

    private static Run wirelake(String... arguments)
            throws Exception
    {
        Path root = Path.of(System.getProperty("wirelake.root.dir", "..")).toAbsolutePath().normalize();
        List<String> command = new ArrayList<>(List.of(root.resolve("bin/wirelake").toString()));
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertThat(process.waitFor(10, TimeUnit.MINUTES)).isTrue();
        Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        assertThat(run.err()).as("bin/wirelake must not rebuild inside a test").doesNotContain("wirelake: building");
        return run;
    }

    @Test
    void sealBundleVerifyTamperHoldArchiveDelete()
            throws Exception
    {
        Path captures = work.resolve("captures");
        for (DemoCluster.Node node : DemoCluster.NODES) {
            Run imported = wirelake("import", "--node", node.name(), "--rotate-seconds", "1", captures.resolve(node.name() + ".pcap").toString(),
                    captures.resolve(DemoTrafficGenerator.METADATA_FILE).toString());
            assertThat(imported.exit()).as(imported.err()).isZero();
        }
        Run base = wirelake("snapshot", "create", "baseline", "--no-dissect");
        assertThat(base.exit()).as(base.err()).isZero();
        assertThat(base.out()).contains("seal       chain #1").contains("timestamp  RFC 3161");
        Run created = wirelake("snapshot", "create", "incident-7", "--class", "incident", "--no-dissect");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("chain #2").contains("retention  legal hold (class incident)");
        Matcher fingerprintMatch = Pattern.compile("key ([0-9a-f]{64})").matcher(created.out());
        assertThat(fingerprintMatch.find()).isTrue();
        String fingerprint = fingerprintMatch.group(1);
        assertThat(wirelake("snapshot", "key", "show").out()).contains(fingerprint);
        assertThat(wirelake("snapshot", "list").out()).contains("yes+ts").contains("legal hold (class incident)");

        Run dissect = wirelake("snapshot", "dissect", "incident-7");
        assertThat(dissect.exit()).as(dissect.err()).isZero();
        Run verify = wirelake("snapshot", "verify", "incident-7");
        assertThat(verify.exit()).as(verify.out()).isZero();
        assertThat(verify.out()).contains("ok     objects:", "ok     signature:", "ok     chain: link #2 incident-7 -> #1 baseline holds", "ok     timestamp:",
                "ok     custody:");

        Run bundled = wirelake("snapshot", "evidence", "incident-7", "--out", "incident-7.tar");
        assertThat(bundled.exit()).as(bundled.err()).isZero();
        assertThat(bundled.out()).contains("the dissected tables").contains("RFC 3161 token");
        Run custody = wirelake("snapshot", "custody", "incident-7");
        assertThat(custody.out()).contains("investigator@soc").contains("sealed", "timestamped", "hold set", "dissected", "verified", "evidence bundled");

        Run checked = wirelake("verify-evidence", "incident-7.tar", "--tsa-ca", caFile.toString(), "--trusted-key", fingerprint);
        assertThat(checked.exit()).as(checked.out()).isZero();
        assertThat(checked.out()).contains("verified").doesNotContain("FAILED");

        // The bundle's README lines, on a stranger's laptop: GNU tar, sha256sum, openssl.
        Path laptop = Files.createDirectories(work.resolve("laptop"));
        assertThat(bash(laptop, "tar -xf " + work.resolve("incident-7.tar")).exit()).isZero();
        Path unpacked = laptop.resolve("evidence-incident-7");
        assertThat(Files.list(unpacked.resolve("tables/api_calls")).count()).isPositive();
        for (String line : Files.readAllLines(unpacked.resolve("README.txt"))) {
            if (line.startsWith("$ ")) {
                Run step = bash(unpacked, line.substring(2));
                assertThat(step.exit()).as(line + "\n" + step.out()).isZero();
            }
        }

        // One changed byte in a capture inside the tar: named.
        byte[] tar = Files.readAllBytes(work.resolve("incident-7.tar"));
        String captureKey = flipInFirstCapture(tar);
        Files.write(work.resolve("tampered.tar"), tar);
        Run tampered = wirelake("verify-evidence", "tampered.tar", "--tsa-ca", caFile.toString());
        assertThat(tampered.exit()).isEqualTo(4);
        assertThat(tampered.out()).contains("FAILED objects: " + captureKey + ": SHA-256");

        // Held: no delete. Released and archived in governance mode: only the bypass deletes, and the chain keeps the log saying so.
        Run held = wirelake("snapshot", "delete", "incident-7");
        assertThat(held.exit()).isEqualTo(1);
        assertThat(held.err()).contains("under legal hold").contains("snapshot hold incident-7 off");
        assertThat(wirelake("snapshot", "hold", "incident-7", "off").exit()).isZero();
        Run archived = wirelake("snapshot", "archive", "incident-7", "--mode", "governance", "--retain", "30d");
        assertThat(archived.exit()).as(archived.err()).isZero();
        assertThat(archived.out()).contains("governance until");
        Run retained = wirelake("snapshot", "delete", "incident-7");
        assertThat(retained.exit()).isEqualTo(1);
        assertThat(retained.err()).contains("retained in governance mode").contains("--bypass-governance");
        Run bypassed = wirelake("snapshot", "delete", "incident-7", "--bypass-governance");
        assertThat(bypassed.exit()).as(bypassed.err()).isZero();
        Path kept;
        try (var files = Files.list(work.resolve("store/chain/custody"))) {
            kept = files.filter(file -> file.getFileName().toString().endsWith("-incident-7.jsonl")).findFirst().orElseThrow();
        }
        String log = Files.readString(kept);
        assertThat(log).contains("\"action\":\"governance bypassed\"").contains("\"action\":\"deleted\"").contains("investigator@soc");

        // The chain still links across the deleted snapshot.
        Run after = wirelake("snapshot", "create", "after", "--no-dissect");
        assertThat(after.out()).contains("chain #3");
        Run afterVerify = wirelake("snapshot", "verify", "after");
        assertThat(afterVerify.exit()).as(afterVerify.out()).isZero();
        assertThat(afterVerify.out()).contains("link #3 after -> #2 incident-7 holds");
    }

    /** Flips one byte in the data of the first objects/raw/ entry of a ustar archive; returns that object's key. */
    private static String flipInFirstCapture(byte[] tar)
    {
        for (int offset = 0; offset + 512 <= tar.length; ) {
            String name = field(tar, offset, 100);
            String prefix = field(tar, offset + 345, 155);
            String full = prefix.isEmpty() ? name : prefix + "/" + name;
            long size = Long.parseLong(field(tar, offset + 124, 12).trim(), 8);
            if (full.contains("/objects/raw/") && size > 100) {
                tar[offset + 512 + (int) (size / 2)] ^= 1;
                return full.substring(full.indexOf("/objects/") + "/objects/".length());
            }
            offset += 512 + (int) ((size + 511) / 512 * 512);
        }
        throw new AssertionError("no capture in the bundle");
    }

    private static String field(byte[] tar, int offset, int length)
    {
        int end = offset;
        while (end < offset + length && tar[end] != 0) {
            end++;
        }
        return new String(tar, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static Run bash(Path directory, String script)
            throws Exception
    {
        Path out = Files.createTempFile(work, "bash", ".txt");
        Process process = new ProcessBuilder("bash", "-euo", "pipefail", "-c", script).directory(directory.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Run(process.exitValue(), Files.readString(out), "");
    }
}
