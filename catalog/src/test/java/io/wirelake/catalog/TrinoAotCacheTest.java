package io.wirelake.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AOT cache's life on a real JVM (the JDK the local Trino runs on) and a real program of
 * Trino's on the server's class path (its command-line client, in place of the server, which
 * {@link LocalTrinoTest} starts): a start records, the stop's check keeps the recording under the
 * cache's name, the next start maps it; a recording cut short is refused, said, and not recorded
 * again within the day; off and old Javas get no options.
 */
class TrinoAotCacheTest
{
    @TempDir
    Path directory;

    @Test
    void aRecordingCheckedAfterTheStopIsMappedByTheNextStart()
            throws Exception
    {
        Path java = trinosJava();
        Path server = server();
        Map<String, String> environment = Map.of("WIRELAKE_CDS_DIR", directory.resolve("cds").toString());
        Path home = Files.createDirectories(directory.resolve("home"));
        TrinoAotCache aot = TrinoAotCache.of(home, java, environment).orElseThrow();

        List<String> recording = aot.jvmOptions();
        assertThat(recording).singleElement().asString().startsWith("-XX:AOTCacheOutput=" + directory.resolve("cds"));
        TrinoAotCache.noteRecording(home, recording);
        assertThat(run(java, server, recording)).isZero();
        Path recorded = Path.of(recording.get(0).substring("-XX:AOTCacheOutput=".length()));
        assertThat(recorded).isNotEmptyFile();
        assertThat(TrinoAotCache.notedRecording(home)).contains(recorded);

        TrinoAotCache.adopt(home, java, server, List.of());
        assertThat(recorded).doesNotExist();
        assertThat(TrinoAotCache.notedRecording(home)).isEmpty();
        assertThat(aot.file()).isNotEmptyFile().hasFileName(aot.file().getFileName().toString());
        assertThat(aot.file().getFileName().toString()).matches("trino-" + LocalTrino.VERSION + "-[0-9a-f]{16}\\.aot");

        List<String> mapping = aot.jvmOptions();
        assertThat(mapping).containsExactly("-XX:AOTCache=" + aot.file());
        // AOTMode=on: a JVM that cannot map the cache fails instead of starting without it
        List<String> strict = new ArrayList<>(mapping);
        strict.add("-XX:AOTMode=on");
        assertThat(run(java, server, strict)).isZero();
        // another home with the same Java and Trino maps the same cache
        assertThat(TrinoAotCache.of(directory.resolve("other-home"), java, environment).orElseThrow().jvmOptions()).isEqualTo(mapping);
    }

    @Test
    void aRecordingCutShortIsRefusedSaidAndNotRecordedAgainToday()
            throws Exception
    {
        Path java = trinosJava();
        Path server = server();
        Path home = Files.createDirectories(directory.resolve("home"));
        TrinoAotCache aot = TrinoAotCache.of(home, java, Map.of("WIRELAKE_CDS_DIR", directory.resolve("cds").toString())).orElseThrow();
        List<String> recording = aot.jvmOptions();
        TrinoAotCache.noteRecording(home, recording);
        assertThat(run(java, server, recording)).isZero();
        Path recorded = Path.of(recording.get(0).substring("-XX:AOTCacheOutput=".length()));
        // a server killed while its JVM wrote the cache
        byte[] whole = Files.readAllBytes(recorded);
        Files.write(recorded, Arrays.copyOf(whole, whole.length / 3));

        TrinoAotCache.adopt(home, java, server, List.of());
        assertThat(recorded).doesNotExist();
        assertThat(aot.file()).doesNotExist();
        Path failed = aot.file().resolveSibling(aot.file().getFileName() + ".failed");
        assertThat(Files.readString(failed, StandardCharsets.UTF_8)).startsWith("a JVM could not map it: exit ");
        assertThat(aot.jvmOptions()).isEmpty();
    }

    @Test
    void offOrAnOldJavaGetsNoCache()
            throws Exception
    {
        Path java = trinosJava();
        Path home = directory.resolve("home");
        assertThat(TrinoAotCache.of(home, java, Map.of("WIRELAKE_CDS", "off", "WIRELAKE_CDS_DIR", directory.toString()))).isEmpty();
        // a JDK 24 runs Trino 476 but cannot write an AOT cache in one run
        Path java24 = Files.createDirectories(directory.resolve("jdk-24"));
        Files.writeString(java24.resolve("release"), "JAVA_VERSION=\"24.0.2\"\n");
        assertThat(TrinoAotCache.of(home, java24, Map.of("WIRELAKE_CDS_DIR", directory.toString()))).isEmpty();
        assertThat(TrinoAotCache.directory(Map.of("XDG_CACHE_HOME", "/cache"))).isEqualTo(Path.of("/cache/wirelake/cds"));
    }

    @Test
    void theServersOptionsAreItsCommandLineButTheClassPathAndTheCache()
    {
        assertThat(TrinoAotCache.jvmOptionsOf(List.of("/jdk/bin/java", "-cp", "/server/lib/*", "-server", "-Xmx4017M", "-XX:+UseG1GC",
                "-XX:AOTCache=/cache/trino.aot", "-Dnode.id=local", "-XX:AOTMode=auto", "io.trino.server.TrinoServer", "-Xignored"), "io.trino.server.TrinoServer"))
                .containsExactly("-server", "-Xmx4017M", "-XX:+UseG1GC", "-Dnode.id=local");
    }

    /** The JDK the local Trino would run on, which must be 25 or newer for these tests to mean anything. */
    private Path trinosJava()
            throws IOException
    {
        Path java = new LocalTrino(directory.resolve("probe"), 1, Optional.empty()).detectJava();
        assertThat(LocalTrino.javaVersion(java)).as("the JDK for Trino at %s", java).isGreaterThanOrEqualTo(TrinoAotCache.MINIMUM_JAVA);
        return java;
    }

    /** A server directory whose lib/ holds Trino's command-line client (from the Maven cache, where .ci/run puts it). */
    private Path server()
            throws IOException
    {
        Path jar = Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"))
                .resolve("io/trino/trino-cli/" + LocalTrino.VERSION + "/trino-cli-" + LocalTrino.VERSION + "-executable.jar");
        assertThat(jar).as("Trino's client, which .ci/run fetches into the Maven cache").isRegularFile();
        Path server = Files.createDirectories(directory.resolve("server/lib"));
        Files.copy(jar, server.resolve("trino-cli.jar"));
        return server.getParent();
    }

    private static int run(Path java, Path server, List<String> options)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of(java.resolve("bin/java").toString(), "-cp", server.resolve("lib") + "/*"));
        command.addAll(options);
        command.addAll(List.of("io.trino.cli.Trino", "--version"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        assertThat(output).as("%s", command).contains("Trino CLI " + LocalTrino.VERSION).doesNotContainIgnoringCase("error");
        return exit;
    }
}
