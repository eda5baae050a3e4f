package io.wirelake.dist;

import io.wirelake.catalog.LocalTrino;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The distribution as a user installs it: the tarball the build made, unpacked once per test JVM
 * into an empty directory, its {@code bin/wirelake} run as a process of its own with an environment
 * of its own (nothing of the test's class path reaches it). One local Trino (home and port) serves
 * every test of the JVM; it is stopped when the JVM exits.
 */
final class Distribution
{
    private static Path root;
    private static Path trinoHome;
    private static int trinoPort;

    /** What a command did: its exit code and everything it printed. */
    record Run(int exit, String out, String err)
    {
        Run
        {
            requireNonNull(out, "out is null");
            requireNonNull(err, "err is null");
        }

        /** The text of a failed command's output, for assertion messages. */
        String both()
        {
            return "exit " + exit + "\n--- stdout\n" + out + "\n--- stderr\n" + err;
        }
    }

    private Distribution() {}

    /** The unpacked distribution's top directory (bin/, lib/, plugins/, docs/). */
    static synchronized Path root()
            throws IOException, InterruptedException
    {
        if (root == null) {
            Path tarball = Path.of(requireNonNull(System.getProperty("wirelake.distribution"), "run through Maven: -Dwirelake.distribution is the tarball"));
            if (!Files.isRegularFile(tarball)) {
                throw new IOException("no distribution at " + tarball + ": the tests run after package (./mvnw verify)");
            }
            Path empty = emptyDirectory("unpacked");
            Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", empty.toString()).inheritIO().start();
            if (tar.waitFor() != 0) {
                throw new IOException("tar could not unpack " + tarball);
            }
            try (Stream<Path> entries = Files.list(empty)) {
                List<Path> tops = entries.toList();
                if (tops.size() != 1) {
                    throw new IOException("the tarball must hold one top directory, not " + tops);
                }
                root = tops.get(0);
            }
        }
        return root;
    }

    /** {@code target/NAME} as an empty directory (what an earlier run left there removed), absolute. */
    static Path emptyDirectory(String name)
            throws IOException
    {
        Path directory = Path.of("target", name).toAbsolutePath();
        io.wirelake.catalog.Directories.deleteTree(directory);
        return Files.createDirectories(directory);
    }

    /** Fails unless this JVM runs as root (as CI does): {@code why} says what needs it. */
    static void requireRoot(String why)
            throws IOException
    {
        Process id = new ProcessBuilder("id", "-u").start();
        assertThat(new String(id.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip()).as(why).isEqualTo("0");
    }

    /** The environment every command of this JVM shares: the one local Trino, its home and port. */
    static synchronized Map<String, String> trino()
            throws IOException
    {
        if (trinoHome == null) {
            try (ServerSocket socket = new ServerSocket(0)) {
                trinoPort = socket.getLocalPort();
            }
            trinoHome = Path.of("target", "wirelake-home").toAbsolutePath();
            io.wirelake.catalog.Directories.deleteTree(new LocalTrino(trinoHome.resolve("trino"), trinoPort, Optional.empty()).metastoreDirectory());
            Path home = trinoHome;
            int port = trinoPort;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    new LocalTrino(home.resolve("trino"), port, Optional.empty()).stop();
                }
                catch (IOException | InterruptedException e) {
                    // the JVM is exiting; nothing more to do
                }
            }));
        }
        return Map.of("WIRELAKE_HOME", trinoHome.toString(), "WIRELAKE_TRINO_PORT", String.valueOf(trinoPort));
    }

    /** The local Trino the distribution tests' commands share (started by the first command that queries), for queries from this JVM. */
    static LocalTrino localTrino()
            throws IOException
    {
        trino();
        return new LocalTrino(trinoHome.resolve("trino"), trinoPort, Optional.empty());
    }

    /** What the running local Trino was started with, as LocalTrino records it ("none" for no S3). */
    static String trinoS3Settings()
            throws IOException
    {
        Path settings = Path.of(trino().get("WIRELAKE_HOME"), "trino", "etc", "wirelake-settings.properties");
        if (!Files.exists(settings)) {
            return "none";
        }
        java.util.Properties properties = new java.util.Properties();
        try (var reader = Files.newBufferedReader(settings)) {
            properties.load(reader);
        }
        return properties.getProperty("s3", "none");
    }

    /** Runs {@code bin/wirelake ARGUMENTS} in a directory, with the environment given (over a clean one), to its end. */
    static Run run(Path directory, Map<String, String> environment, String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of(root().resolve("bin/wirelake").toString()));
        command.addAll(List.of(arguments));
        return exec(directory, environment, command);
    }

    /** Runs another program (jupyter, python) in a directory with the same clean environment as the command's, to its end. */
    static Run exec(Path directory, Map<String, String> environment, List<String> command)
            throws IOException, InterruptedException
    {
        Path out = Files.createTempFile(directory, "out", ".txt");
        Path err = Files.createTempFile(directory, "err", ".txt");
        Process process = startProcess(command, directory, environment, out, err);
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end within 10 minutes");
        }
        Run run = new Run(process.exitValue(), Files.readString(out), Files.readString(err));
        Files.delete(out);
        Files.delete(err);
        return run;
    }

    /** Starts {@code bin/wirelake ARGUMENTS} without waiting (the collector), its output into the two files. */
    static Process start(Path directory, Map<String, String> environment, Path out, Path err, String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of(root().resolve("bin/wirelake").toString()));
        command.addAll(List.of(arguments));
        return startProcess(command, directory, environment, out, err);
    }

    private static Process startProcess(List<String> command, Path directory, Map<String, String> environment, Path out, Path err)
            throws IOException
    {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().clear();
        builder.environment().putAll(baseEnvironment(directory));
        builder.environment().putAll(environment);
        return builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    }

    /**
     * A user's environment with none of wirelake's or AWS's settings: PATH (for tar, libpcap's
     * helpers), a home, the Java this test runs on (a Java 17 is all the command needs), the
     * Maven cache this build uses (where the Trino tarball is), temporary files under target/.
     */
    static Map<String, String> baseEnvironment(Path directory)
            throws IOException
    {
        Map<String, String> environment = new HashMap<>();
        environment.put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        environment.put("HOME", System.getProperty("user.home"));
        environment.put("LANG", "C.UTF-8");
        // wirelake's own home (seal keys, the local Trino) under target/ unless a test names one: never the user's ~/.wirelake.
        environment.put("WIRELAKE_HOME", Files.createDirectories(Path.of("target", "wirelake-home").toAbsolutePath()).toString());
        environment.put("JAVA_HOME", System.getProperty("java.home"));
        // The launcher's class archive: written by the first command of these tests that dissects, mapped by the rest.
        environment.put("WIRELAKE_CDS_DIR", Path.of("target", "cds").toAbsolutePath().toString());
        Path temporary = Files.createDirectories(Path.of("target", "tmp").toAbsolutePath());
        // Added to the launcher's default JVM options, so that the command runs with the options users get.
        String options = "-Djava.io.tmpdir=" + temporary;
        String repository = System.getProperty("maven.repo.local");
        environment.put("WIRELAKE_EXTRA_JAVA_OPTS", repository == null ? options : options + " -Dmaven.repo.local=" + repository);
        return environment;
    }
}
