package io.wirelake.dist;

import io.wirelake.demo.DemoCluster;
import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.store.testing.SharedS3Proxy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * wirelake-VERSION.tar.gz as a user installs it: unpacked into an empty directory and run from
 * there with a Java 17 and nothing else (no Maven, no source tree).
 */
class DistributionTest
{
    private static final Pattern DEPENDENCY = Pattern.compile("^\\s+([^\\s:]+):([^\\s:]+):([^\\s:]+):(?:([^\\s:]+):)?([^\\s:]+):(compile|runtime)\\b.*$");

    @Test
    void holdsTheLauncherTheLibrariesTheFlinkPluginAndTheDocsAndNoSourceTree()
            throws Exception
    {
        Path root = Distribution.root();
        assertThat(root.getFileName().toString()).isEqualTo("wirelake-" + System.getProperty("wirelake.version"));
        assertThat(root.resolve("bin/wirelake")).isExecutable();
        assertThat(root.resolve("lib/wirelake-cli-" + System.getProperty("wirelake.version") + ".jar")).isRegularFile();
        try (Stream<Path> plugin = Files.list(root.resolve("plugins/s3-fs-hadoop"))) {
            assertThat(plugin.map(path -> path.getFileName().toString())).singleElement().asString().startsWith("flink-s3-fs-hadoop-");
        }
        assertThat(root.resolve("README.md")).isRegularFile();
        assertThat(root.resolve("docs/FIELDS.md")).isRegularFile();
        assertThat(root.resolve("docs/MCP.md")).isRegularFile();
        assertThat(root.resolve("skills/network-rca/SKILL.md")).as("the skills that drive wirelake mcp").isRegularFile();
        assertThat(root.resolve("kfl-to-sql/README.md")).as("README links to it").isRegularFile();
        assertThat(root.resolve("pom.xml")).doesNotExist();
        assertThat(root.resolve("mvnw")).doesNotExist();
    }

    /**
     * Every wirelake jar lists the runtime dependencies its module's build resolved; every one of
     * them must be in lib/. A dependency the packaged command lost (as the AWS SDK once was, pulled
     * into test scope by a test-jar) fails here, at build time, not in a user's command.
     */
    @Test
    void everyRuntimeDependencyOfEveryModuleIsInLib()
            throws Exception
    {
        Path lib = Distribution.root().resolve("lib");
        Set<String> present;
        try (Stream<Path> jars = Files.list(lib)) {
            present = jars.map(path -> path.getFileName().toString()).collect(Collectors.toCollection(TreeSet::new));
        }
        Set<String> modules = new TreeSet<>();
        List<String> missing = new ArrayList<>();
        Set<String> required = new TreeSet<>();
        for (String jar : present) {
            if (!jar.startsWith("wirelake-")) {
                continue;
            }
            try (ZipFile zip = new ZipFile(lib.resolve(jar).toFile())) {
                for (ZipEntry entry : zip.stream().filter(entry -> entry.getName().matches("META-INF/wirelake/[^/]+\\.dependencies")).toList()) {
                    String module = entry.getName().substring("META-INF/wirelake/".length(), entry.getName().length() - ".dependencies".length());
                    modules.add(module);
                    String listing;
                    try (InputStream input = zip.getInputStream(entry)) {
                        listing = new String(input.readAllBytes(), StandardCharsets.UTF_8);
                    }
                    for (String line : listing.lines().toList()) {
                        Matcher dependency = DEPENDENCY.matcher(line);
                        if (dependency.matches()) {
                            String file = dependency.group(2) + "-" + dependency.group(5) + (dependency.group(4) == null ? "" : "-" + dependency.group(4))
                                    + "." + dependency.group(3);
                            required.add(file);
                            if (!present.contains(file)) {
                                missing.add(module + " needs " + line.strip() + " (" + file + ")");
                            }
                        }
                    }
                }
            }
        }
        assertThat(modules).as("modules whose jars list their dependencies")
                .contains("wirelake-store", "wirelake-catalog", "wirelake-collector", "wirelake-engine", "wirelake-flink-job", "wirelake-query", "wirelake-cli", "wirelake-kfl-to-sql");
        assertThat(required).as("what the store needs at run time").contains("s3-2.57.8.jar", "apache-client-2.57.8.jar", "sts-2.57.8.jar");
        assertThat(missing).as("runtime dependencies missing from lib/").isEmpty();
    }

    @Test
    void versionNamesTheCommitItWasBuiltFrom()
            throws Exception
    {
        Path work = Files.createDirectories(Path.of("target", "distribution-version").toAbsolutePath());
        Distribution.Run version = Distribution.run(work, Map.of(), "--version");
        assertThat(version.exit()).as(version.both()).isZero();
        Process git = new ProcessBuilder("git", "rev-parse", "--short=12", "HEAD").directory(Path.of(System.getProperty("wirelake.root.dir")).toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String commit = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(git.waitFor()).as("the build runs in a git checkout").isZero();
        assertThat(version.out().strip()).matches("wirelake " + Pattern.quote(System.getProperty("wirelake.version")) + " \\(commit "
                + Pattern.quote(commit) + "(-modified)?\\)");
    }

    @Test
    void theLauncherCapsTheYoungGenerationOnlyOnAHeapThatHasRoomForIt()
            throws Exception
    {
        Path work = Files.createDirectories(Path.of("target", "distribution-heap").toAbsolutePath());
        // What the JVM was started with, as the JVM itself prints it.
        String base = Distribution.baseEnvironment(work).get("WIRELAKE_EXTRA_JAVA_OPTS") + " -XX:+PrintCommandLineFlags";
        Distribution.Run large = Distribution.run(work, Map.of("WIRELAKE_EXTRA_JAVA_OPTS", base + " -Xmx2g"), "--version");
        assertThat(large.exit()).as(large.both()).isZero();
        assertThat(large.out()).contains("-XX:MaxNewSize=268435456").contains("-XX:+UseParallelGC").contains("-XX:Tier4InvocationThreshold=50000");
        // A 512 MiB heap keeps the JVM's own young generation (a third): 256 MiB would halve the old generation.
        Distribution.Run small = Distribution.run(work, Map.of("WIRELAKE_EXTRA_JAVA_OPTS", base + " -Xmx512m"), "--version");
        assertThat(small.exit()).as(small.both()).isZero();
        assertThat(small.out()).contains("-XX:MaxHeapSize=536870912").contains("-XX:+UseParallelGC").doesNotContain("MaxNewSize");
        // WIRELAKE_JAVA_OPTS replaces the defaults, young generation and all.
        Distribution.Run replaced = Distribution.run(work, Map.of("WIRELAKE_JAVA_OPTS", "-Xmx2g -XX:+PrintCommandLineFlags"), "--version");
        assertThat(replaced.exit()).as(replaced.both()).isZero();
        assertThat(replaced.out()).doesNotContain("MaxNewSize").doesNotContain("Tier4");
    }

    /**
     * bin/wirelake's class archive: the first dissection writes it once it has gone well, under a
     * name of its own until a second JVM has mapped it; later starts map it, as the JVM's own
     * class-loading log says; a dissection stopped part-way leaves none, and WIRELAKE_CDS=off
     * writes none. The command's output is the same with and without it.
     */
    @Test
    void theFirstDissectionWritesAClassArchiveThatLaterStartsMap()
            throws Exception
    {
        Path work = Distribution.emptyDirectory("distribution-class-archive");
        Distribution.Run generated = Distribution.run(work, Map.of(), "generate", "--out", "captures", "--size", "1MB", "--seed", "7");
        assertThat(generated.exit()).as(generated.both()).isZero();
        // (a space in the path: the JDK's dump command splits its arguments at spaces unless quoted)
        Path archives = work.resolve("class archives");
        Map<String, String> environment = Map.of("WIRELAKE_CDS_DIR", archives.toString());

        // Stopped while it dissects (SIGTERM, as a terminal or Kubernetes would send): no archive, nothing partial.
        Path out = work.resolve("stopped.out");
        Path err = work.resolve("stopped.err");
        Process stopped = Distribution.start(work, environment, out, err, "dissect", "captures", "--out", "stopped");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        while (!Files.readString(out).contains("wirelake dissect:") && stopped.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(stopped.isAlive()).as("still dissecting when stopped: " + Files.readString(out) + Files.readString(err)).isTrue();
        stopped.destroy();
        assertThat(stopped.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        assertThat(stopped.exitValue()).as(Files.readString(err)).isEqualTo(143);
        assertThat(Files.readString(err)).doesNotContain("class archive");
        try (Stream<Path> left = Files.list(archives)) {
            assertThat(left).isEmpty();
        }

        Distribution.Run first = Distribution.run(work, environment, "dissect", "captures", "--out", "first");
        assertThat(first.exit()).as(first.both()).isZero();
        assertThat(first.err()).contains("wirelake: writing the class archive").containsPattern("wirelake: class archive .* written in");
        // What the JDK says as it dumps stays off the command's output.
        assertThat(first.out()).doesNotContain("[warning]").doesNotContain("[cds").doesNotContain("ynamic dump");
        List<Path> written;
        try (Stream<Path> list = Files.list(archives)) {
            written = list.toList();
        }
        assertThat(written).singleElement().satisfies(archive -> assertThat(archive.getFileName().toString()).matches("wirelake-[0-9a-f]{16}\\.jsa"));

        Path classes = work.resolve("class-load.log");
        String options = Distribution.baseEnvironment(work).get("WIRELAKE_EXTRA_JAVA_OPTS") + " -Xlog:class+load=info:file=" + classes;
        Distribution.Run second = Distribution.run(work, Map.of("WIRELAKE_CDS_DIR", archives.toString(), "WIRELAKE_EXTRA_JAVA_OPTS", options),
                "dissect", "captures", "--out", "second");
        assertThat(second.exit()).as(second.both()).isZero();
        assertThat(second.err()).doesNotContain("class archive");
        List<String> loaded = Files.readAllLines(classes);
        // The dynamic archive is the "top" layer above the JDK's own; Flink's classes come from it.
        assertThat(loaded).anyMatch(line -> line.contains("org.apache.flink.runtime.minicluster.MiniCluster source: shared objects file (top)"));
        assertThat(loaded.stream().filter(line -> line.endsWith("source: shared objects file (top)")).count()).isGreaterThan(loaded.size() / 2);
        assertThat(summary(second.out())).isEqualTo(summary(first.out()));

        Path none = work.resolve("none");
        Distribution.Run off = Distribution.run(work, Map.of("WIRELAKE_CDS", "off", "WIRELAKE_CDS_DIR", none.toString()), "dissect", "captures", "--out", "off");
        assertThat(off.exit()).as(off.both()).isZero();
        assertThat(off.err()).doesNotContain("class archive");
        assertThat(none).doesNotExist();
        assertThat(summary(off.out())).isEqualTo(summary(first.out()));
    }

    /** A dissect's summary without the lines that name its output directory or time it. */
    private static List<String> summary(String out)
    {
        return out.lines().filter(line -> !line.contains("throughput") && !line.contains("tables ") && !line.startsWith("wirelake dissect:")).toList();
    }

    @Test
    void anOldJavaIsRefusedWithWhatToDo()
            throws Exception
    {
        Path work = Files.createDirectories(Path.of("target", "distribution-old-java").toAbsolutePath());
        // A Java 8 as it answers: options it does not know fail, -version names it.
        Path java8 = work.resolve("java");
        Files.writeString(java8, """
                #!/bin/sh
                if [ "$1" = "-version" ]; then echo 'java version "1.8.0_392"' >&2; exit 0; fi
                echo "Unrecognized VM option" >&2; exit 1
                """);
        Files.setPosixFilePermissions(java8, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        Distribution.Run old = Distribution.run(work, Map.of("WIRELAKE_JAVA", java8.toString()), "--version");
        assertThat(old.exit()).isEqualTo(1);
        assertThat(old.err()).contains("is Java 8; wirelake needs Java 17 or newer (set JAVA_HOME or WIRELAKE_JAVA)");
    }

    @Test
    void trinoStartStatesWhatItNeeds()
            throws Exception
    {
        Path work = Files.createDirectories(Path.of("target", "distribution-trino").toAbsolutePath());
        // A Java 17 (all the rest of the command needs) named as Trino's Java.
        Path java17 = Files.createDirectories(work.resolve("java-17/bin"));
        Files.writeString(java17.resolve("java"), "#!/bin/sh\nexit 1\n");
        java17.resolve("java").toFile().setExecutable(true);
        Files.writeString(work.resolve("java-17/release"), "JAVA_VERSION=\"17.0.15\"\n");
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        Map<String, String> environment = new HashMap<>();
        environment.put("WIRELAKE_HOME", work.resolve("home").toString());
        environment.put("WIRELAKE_TRINO_PORT", String.valueOf(port));
        environment.put("WIRELAKE_TRINO_JAVA_HOME", work.resolve("java-17").toString());
        Distribution.Run start = Distribution.run(work, environment, "trino", "start");
        assertThat(start.exit()).isEqualTo(1);
        assertThat(start.err()).contains("WIRELAKE_TRINO_JAVA_HOME=" + work.resolve("java-17") + " is not a JDK 24 or newer (it is 17)")
                .contains("Trino 476 needs one");
    }

    /**
     * The offline path and the lake path from the unpacked tree: generate, dissect and a local
     * query; import, snapshot create and snapshot dissect on S3, and a local query of the snapshot.
     * Both find every request and lookup the generator made, once.
     */
    @Test
    void generatesDissectsImportsSnapshotsAndQueriesFromTheUnpackedTree()
            throws Exception
    {
        Path work = Distribution.emptyDirectory("distribution-run");

        Distribution.Run generated = Distribution.run(work, Map.of(), "generate", "--out", "captures", "--size", "1MB", "--seed", "7");
        assertThat(generated.exit()).as(generated.both()).isZero();
        long requests = count(generated.out(), "([\\d,]+) HTTP requests");
        long lookups = count(generated.out(), "([\\d,]+) DNS lookups");
        assertThat(requests).isPositive();
        assertThat(lookups).isPositive();

        Distribution.Run dissected = Distribution.run(work, Map.of(), "dissect", "captures", "--out", "tables");
        assertThat(dissected.exit()).as(dissected.both()).isZero();
        assertThat(rows(Distribution.run(work, Map.of(), "query", "--data", "tables", "--engine", "local", "--kfl", REST_CALLS,
                "--columns", "id", "--format", "csv", "--limit", "1000000"))).isEqualTo(requests);
        assertThat(rows(Distribution.run(work, Map.of(), "query", "--data", "tables", "--engine", "local", "--kfl", "dns && dns_request",
                "--columns", "id", "--format", "csv", "--limit", "1000000"))).isEqualTo(lookups);

        Map<String, String> s3 = new HashMap<>(SharedS3Proxy.environment());
        s3.put("WIRELAKE_STORE", "s3://" + SharedS3Proxy.BUCKET + "/distribution-" + UUID.randomUUID());
        for (DemoCluster.Node node : DemoCluster.NODES) {
            Distribution.Run imported = Distribution.run(work, s3, "import", "--node", node.name(), "captures/" + node.name() + ".pcap",
                    "captures/" + DemoTrafficGenerator.METADATA_FILE);
            assertThat(imported.exit()).as(imported.both()).isZero();
        }
        // snapshot create dissects too, unless told not to.
        Distribution.Run dissect = Distribution.run(work, s3, "snapshot", "create", "everything");
        assertThat(dissect.exit()).as(dissect.both()).isZero();
        assertThat(dissect.out()).contains("wirelake snapshot dissect everything");
        assertThat(dissect.out()).contains("reading     in place, through Flink's S3 file-system plugin in " + Distribution.root().resolve("plugins"));
        assertThat(rows(Distribution.run(work, s3, "query", "--snapshot", "everything", "--engine", "local", "--kfl", REST_CALLS,
                "--columns", "id", "--format", "csv", "--limit", "1000000"))).isEqualTo(requests);
        assertThat(rows(Distribution.run(work, s3, "query", "--snapshot", "everything", "--engine", "local", "--kfl", "dns && dns_request",
                "--columns", "id", "--format", "csv", "--limit", "1000000"))).isEqualTo(lookups);
    }

    /** REST calls as the generator counts them: HTTP rows that are not GraphQL, gRPC or a WebSocket upgrade. */
    private static final String REST_CALLS = "http && !gql && !grpc && status_code != 101";

    private static long count(String text, String pattern)
    {
        Matcher matcher = Pattern.compile(pattern).matcher(text);
        assertThat(matcher.find()).as("'" + pattern + "' in:\n" + text).isTrue();
        return Long.parseLong(matcher.group(1).replace(",", ""));
    }

    private static long rows(Distribution.Run csv)
            throws IOException
    {
        assertThat(csv.exit()).as(csv.both()).isZero();
        return csv.out().lines().skip(1).count();
    }
}
