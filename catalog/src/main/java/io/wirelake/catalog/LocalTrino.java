package io.wirelake.catalog;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * A single-node Trino on loopback for the embedded default: Maven Central's
 * {@code io.trino:trino-server} tarball (from the Maven cache, else fetched), installed
 * lean (bin, lib and the hive, memory and tpch plugins), configured with a Hive catalog over the
 * local file system (file metastore), run with a JDK 24+ and declared ready only when a real query
 * succeeds.
 */
public final class LocalTrino
{
    public static final String VERSION = "476";
    static final int MINIMUM_JAVA = 24;
    private static final long START_TIMEOUT_SECONDS = 240;
    private static final int READY_STREAK = 3;
    private static final String HIVE_CATALOG = "catalog/hive.properties";
    private static final String NO_S3 = "none";
    private static final String MAVEN_CENTRAL = "https://repo.maven.apache.org/maven2/";
    private static final String TARBALL_PATH = "io/trino/trino-server/" + VERSION + "/trino-server-" + VERSION + ".tar.gz";
    /** Of the tarball Maven Central serves (its published SHA-1 checked by Maven when this was taken). */
    static final String TARBALL_SHA256 = "cfd5accde17e8ebd251eeeb78aed1f490e77bb3a164d95a0f454bf8a7c1cbd3f";

    /**
     * An S3-compatible store for {@code s3://} locations (Trino's native S3 file system).
     * Credentials come from the standard AWS chain of the Trino process; the explicit ones here
     * (for tests against a local S3 API) are passed as that process's environment only, never
     * written to a file or a log.
     */
    public record S3Settings(String endpoint, String region, boolean pathStyle, Optional<String> accessKey, Optional<String> secretKey)
    {
        public S3Settings
        {
            requireNonNull(endpoint, "endpoint is null");
            requireNonNull(region, "region is null");
            requireNonNull(accessKey, "accessKey is null");
            requireNonNull(secretKey, "secretKey is null");
        }

        @Override
        public String toString()
        {
            return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", pathStyle=" + pathStyle + "]";
        }

        /** The settings in words, as the fingerprint of a start keeps them. */
        String describe()
        {
            return "endpoint " + (endpoint.isEmpty() ? "AWS" : endpoint) + ", region " + region + ", path style " + pathStyle;
        }

        String catalogProperties()
        {
            String properties = "fs.native-s3.enabled=true\ns3.region=" + region + "\ns3.path-style-access=" + pathStyle + "\n";
            return endpoint.isEmpty() ? properties : properties + "s3.endpoint=" + endpoint + "\n";
        }
    }

    private final Path home;
    private final int port;
    private final Optional<Path> javaHome;
    private final Optional<S3Settings> s3;

    /**
     * @param home where the server, its configuration, data and file metastore live
     * @param javaHome the JDK to run it with; empty to detect one under /usr/lib/jvm
     */
    public LocalTrino(Path home, int port, Optional<Path> javaHome)
    {
        this(home, port, javaHome, Optional.empty());
    }

    public LocalTrino(Path home, int port, Optional<Path> javaHome, Optional<S3Settings> s3)
    {
        this.home = requireNonNull(home, "home is null").toAbsolutePath();
        this.port = port;
        this.javaHome = requireNonNull(javaHome, "javaHome is null");
        this.s3 = requireNonNull(s3, "s3 is null");
    }

    /**
     * From the environment: WIRELAKE_HOME (default ~/.wirelake), WIRELAKE_TRINO_PORT (18080),
     * WIRELAKE_TRINO_JAVA_HOME, and for s3:// locations WIRELAKE_S3_ENDPOINT (an S3-compatible
     * endpoint; AWS itself when only WIRELAKE_S3_REGION is set), WIRELAKE_S3_REGION (us-east-1) and
     * WIRELAKE_S3_PATH_STYLE (true with an endpoint). Credentials: the standard AWS chain.
     */
    public static LocalTrino fromEnvironment()
    {
        Map<String, String> environment = System.getenv();
        String wirelakeHome = environment.getOrDefault("WIRELAKE_HOME", System.getProperty("user.home") + "/.wirelake");
        int port = Integer.parseInt(environment.getOrDefault("WIRELAKE_TRINO_PORT", "18080"));
        Optional<Path> javaHome = Optional.ofNullable(environment.get("WIRELAKE_TRINO_JAVA_HOME")).map(Path::of);
        Optional<S3Settings> s3 = Optional.empty();
        if (environment.containsKey("WIRELAKE_S3_ENDPOINT") || environment.containsKey("WIRELAKE_S3_REGION")) {
            String endpoint = environment.getOrDefault("WIRELAKE_S3_ENDPOINT", "");
            boolean pathStyle = Boolean.parseBoolean(environment.getOrDefault("WIRELAKE_S3_PATH_STYLE", String.valueOf(!endpoint.isEmpty())));
            s3 = Optional.of(new S3Settings(endpoint, environment.getOrDefault("WIRELAKE_S3_REGION", "us-east-1"), pathStyle, Optional.empty(), Optional.empty()));
        }
        return new LocalTrino(Path.of(wirelakeHome, "trino"), port, javaHome, s3);
    }

    public int port()
    {
        return port;
    }

    public String jdbcUrl()
    {
        return "jdbc:trino://127.0.0.1:" + port + "/hive";
    }

    /** The installed server ({@code bin/launcher}, {@code lib/}, {@code plugin/}), which other nodes of a cluster can run too. */
    public Path serverDirectory()
    {
        return home.resolve("server");
    }

    public Path logFile()
    {
        return home.resolve("data/var/log/server.log");
    }

    /**
     * Installs if needed, writes the configuration, starts, and waits until a query runs. A server
     * of this home that already runs is kept when it was started with these settings, and restarted
     * (saying so on stderr) when not: one started without the store's S3 settings cannot read its
     * {@code s3://} locations ("External location is not a valid file system URI").
     */
    public void start()
            throws IOException, InterruptedException
    {
        if (isReady()) {
            Optional<String> mismatch = settingsMismatch();
            if (mismatch.isEmpty()) {
                return;
            }
            System.err.println("wirelake: restarting the local Trino on port " + port + ": " + mismatch.get());
            stop();
            if (isReady()) {
                throw new IOException("a Trino that " + home + " did not start answers on port " + port
                        + "; stop it, or give wirelake a port of its own with WIRELAKE_TRINO_PORT");
            }
        }
        Path java = detectJava();
        install();
        writeConfiguration();
        Files.deleteIfExists(logFile());
        launcher(java, "start");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        int consecutive = 0;
        while (System.nanoTime() < deadline) {
            // Right after start-up queries fail now and then ("No nodes available"): ready means
            // queries on both catalogs succeed several times in a row.
            consecutive = isReady() ? consecutive + 1 : 0;
            if (consecutive >= READY_STREAK) {
                return;
            }
            if (!launcherStatus(java)) {
                throw new IOException("Trino stopped while starting; the end of " + logFile() + ":\n" + logTail());
            }
            Thread.sleep(1000);
        }
        throw new IOException("Trino did not answer a query within " + START_TIMEOUT_SECONDS + " s; the end of " + logFile() + ":\n" + logTail());
    }

    public void stop()
            throws IOException, InterruptedException
    {
        if (Files.isDirectory(home.resolve("server"))) {
            launcher(detectJava(), "stop");
        }
    }

    /**
     * Why the running server does not fit these settings, if it does not: it was started with
     * other S3 settings (endpoint, region, path style), without S3 when these have it, or with a
     * configuration this version of wirelake writes differently. A server with S3 settings serves
     * local directories too, so settings without S3 accept it as it is.
     */
    public Optional<String> settingsMismatch()
    {
        Properties running = new Properties();
        try (var reader = Files.newBufferedReader(settingsFile())) {
            running.load(reader);
        }
        catch (IOException e) {
            return Optional.of("its settings are unknown (no " + settingsFile() + ")");
        }
        Properties wanted = settings();
        if (!wanted.getProperty("configuration").equals(running.getProperty("configuration"))) {
            return Optional.of("it was started with another configuration (an older wirelake, or another home)");
        }
        String wantedS3 = wanted.getProperty("s3");
        String runningS3 = running.getProperty("s3", "");
        if (!wantedS3.equals(NO_S3) && !wantedS3.equals(runningS3)) {
            return Optional.of("it was started with " + (runningS3.equals(NO_S3) ? "no S3 settings" : "S3 " + runningS3) + ", the store needs S3 " + wantedS3);
        }
        return Optional.empty();
    }

    /** Whether a query runs now (Trino answers for a few seconds after it starts before queries work). */
    public boolean isReady()
    {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String query : List.of("SELECT count(*) FROM tpch.tiny.region", "SELECT count(*) FROM hive.information_schema.schemata")) {
                try (var results = statement.executeQuery(query)) {
                    results.next();
                }
            }
            return true;
        }
        catch (SQLException e) {
            return false;
        }
    }

    public Connection connect()
            throws SQLException
    {
        Properties properties = new Properties();
        properties.setProperty("user", "wirelake");
        properties.setProperty("timezone", "UTC");
        return DriverManager.getConnection(jdbcUrl(), properties);
    }

    /** A JDK new enough for Trino: the configured one, else the newest under /usr/lib/jvm. */
    public Path detectJava()
            throws IOException
    {
        if (javaHome.isPresent()) {
            Path java = javaHome.get().resolve("bin/java");
            int version = javaVersion(javaHome.get());
            if (!Files.isExecutable(java) || version < MINIMUM_JAVA) {
                throw new IOException("WIRELAKE_TRINO_JAVA_HOME=" + javaHome.get() + " is not a JDK " + MINIMUM_JAVA + " or newer"
                        + (version > 0 ? " (it is " + version + ")" : "") + "; Trino " + VERSION + " needs one");
            }
            return javaHome.get();
        }
        Path jvms = Path.of("/usr/lib/jvm");
        if (Files.isDirectory(jvms)) {
            try (Stream<Path> candidates = Files.list(jvms)) {
                Optional<Path> best = candidates.filter(candidate -> Files.isExecutable(candidate.resolve("bin/java")))
                        .filter(candidate -> javaVersion(candidate) >= MINIMUM_JAVA)
                        .max(Comparator.comparingInt(LocalTrino::javaVersion));
                if (best.isPresent()) {
                    return best.get();
                }
            }
        }
        throw new IOException("Trino " + VERSION + " needs Java " + MINIMUM_JAVA + " or newer and none was found under /usr/lib/jvm: install one "
                + "(for example Temurin 25, package temurin-25-jdk) or set WIRELAKE_TRINO_JAVA_HOME to its directory");
    }

    static int javaVersion(Path javaHome)
    {
        try {
            for (String line : Files.readAllLines(javaHome.resolve("release"))) {
                if (line.startsWith("JAVA_VERSION=")) {
                    String version = line.substring("JAVA_VERSION=".length()).replace("\"", "");
                    String major = version.startsWith("1.") ? version.substring(2) : version;
                    return Integer.parseInt(major.split("[.+-]")[0]);
                }
            }
        }
        catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    /**
     * The tarball from the Maven cache, extracted lean. When the cache lacks it, a source checkout
     * fetches it through Maven; an installed distribution (no Maven) downloads it from Maven
     * Central over HTTPS, checks its SHA-256, and deletes it once extracted.
     */
    public void install()
            throws IOException, InterruptedException
    {
        Path server = home.resolve("server");
        if (Files.isExecutable(server.resolve("bin/launcher"))) {
            return;
        }
        Path downloads = home.resolve("download");
        Path tarball = tarball(downloads);
        Path staging = home.resolve("staging");
        Directories.deleteTree(staging);
        Files.createDirectories(staging);
        // Extract everything: the tarball stores plugin jars as hard links into other plugins.
        run(List.of("tar", "-xzf", tarball.toString(), "-C", staging.toString()), home);
        Path extracted = staging.resolve("trino-server-" + VERSION);
        Path target = home.resolve("server.partial");
        Directories.deleteTree(target);
        Files.createDirectories(target.resolve("plugin"));
        Files.move(extracted.resolve("bin"), target.resolve("bin"));
        Files.move(extracted.resolve("lib"), target.resolve("lib"));
        for (String plugin : List.of("hive", "memory", "tpch")) {
            Files.move(extracted.resolve("plugin").resolve(plugin), target.resolve("plugin").resolve(plugin));
        }
        Directories.deleteTree(staging);
        Files.move(target, server);
        Directories.deleteTree(downloads);
    }

    static Path tarball(Path downloads)
            throws IOException, InterruptedException
    {
        Path repository = Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"));
        Path tarball = repository.resolve(TARBALL_PATH);
        if (Files.exists(tarball)) {
            return tarball;
        }
        Path root = Path.of(System.getProperty("wirelake.root.dir", "."));
        if (!Files.isExecutable(root.resolve("mvnw"))) {
            // An installed distribution: no Maven to ask.
            String mirror = System.getenv().getOrDefault("WIRELAKE_MAVEN_REPOSITORY", MAVEN_CENTRAL);
            System.err.println("wirelake: Trino " + VERSION + " is not in the Maven cache; fetching it (821 MB) once");
            return download(URI.create(mirror.endsWith("/") ? mirror : mirror + "/").resolve(TARBALL_PATH), TARBALL_SHA256, downloads);
        }
        System.err.println("wirelake: fetching io.trino:trino-server:" + VERSION + " (821 MB) from Maven Central into " + repository);
        run(List.of(root.resolve("mvnw").toString(), "-q", "-B", "dependency:get", "-Dartifact=io.trino:trino-server:" + VERSION + ":tar.gz",
                "-Dtransitive=false"), root);
        if (!Files.exists(tarball)) {
            throw new IOException("Maven did not put the Trino tarball at " + tarball);
        }
        return tarball;
    }

    /** Downloads a file into a directory, refusing it unless its SHA-256 is the one expected. */
    static Path download(URI source, String sha256, Path directory)
            throws IOException, InterruptedException
    {
        Files.createDirectories(directory);
        String name = source.getPath().substring(source.getPath().lastIndexOf('/') + 1);
        Path partial = directory.resolve(name + ".partial");
        System.err.println("wirelake: downloading " + source + " into " + directory);
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).connectTimeout(Duration.ofSeconds(30)).build();
        HttpResponse<Path> response = client.send(HttpRequest.newBuilder(source).GET().build(), HttpResponse.BodyHandlers.ofFile(partial));
        if (response.statusCode() != 200) {
            Files.deleteIfExists(partial);
            throw new IOException("downloading " + source + " failed: HTTP " + response.statusCode()
                    + " (set WIRELAKE_MAVEN_REPOSITORY to a Maven repository that has it)");
        }
        MessageDigest digest = sha256();
        try (var input = new DigestInputStream(Files.newInputStream(partial), digest)) {
            input.transferTo(OutputStream.nullOutputStream());
        }
        String actual = HexFormat.of().formatHex(digest.digest());
        if (!actual.equals(sha256)) {
            Files.deleteIfExists(partial);
            throw new IOException("the file downloaded from " + source + " has SHA-256 " + actual + ", not " + sha256 + "; it was deleted");
        }
        Path file = directory.resolve(name);
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
        return file;
    }

    private static MessageDigest sha256()
    {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }

    /** Where the settings the server was last started with are kept, beside its configuration. */
    private Path settingsFile()
    {
        return home.resolve("etc/wirelake-settings.properties");
    }

    /**
     * The fingerprint of a start: a digest of the configuration without S3, and the S3 settings
     * in words (never credentials: those stay in the AWS chain of the Trino process).
     */
    private Properties settings()
    {
        MessageDigest digest = sha256();
        configuration().forEach((file, text) -> digest.update((file + "\n" + text + "\n").getBytes(StandardCharsets.UTF_8)));
        Properties settings = new Properties();
        settings.setProperty("configuration", HexFormat.of().formatHex(digest.digest()));
        settings.setProperty("s3", s3.map(S3Settings::describe).orElse(NO_S3));
        return settings;
    }

    private void writeConfiguration()
            throws IOException
    {
        Path etc = home.resolve("etc");
        Files.createDirectories(etc.resolve("catalog"));
        Files.createDirectories(home.resolve("metastore"));
        for (Map.Entry<String, String> file : configuration().entrySet()) {
            String text = file.getKey().equals(HIVE_CATALOG) ? file.getValue() + s3.map(S3Settings::catalogProperties).orElse("") : file.getValue();
            write(etc.resolve(file.getKey()), text);
        }
        try (var writer = Files.newBufferedWriter(settingsFile())) {
            settings().store(writer, "what the local Trino was started with; wirelake restarts it when a store needs other settings");
        }
    }

    /** The configuration files under etc/ (the hive catalog without its S3 settings). */
    private Map<String, String> configuration()
    {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("node.properties", """
                node.environment=wirelake
                node.id=wirelake-local
                node.data-dir=%s
                node.bind-ip=127.0.0.1
                """.formatted(home.resolve("data")));
        files.put("jvm.config", """
                -server
                -Xmx1G
                -XX:+UseG1GC
                -XX:+ExplicitGCInvokesConcurrent
                -XX:+ExitOnOutOfMemoryError
                -Djdk.attach.allowAttachSelf=true
                -Dfile.encoding=UTF-8
                -Duser.timezone=UTC
                """);
        files.put("config.properties", """
                coordinator=true
                node-scheduler.include-coordinator=true
                http-server.http.port=%d
                node.internal-address=127.0.0.1
                discovery.uri=http://127.0.0.1:%d
                query.max-memory=512MB
                query.max-memory-per-node=512MB
                # RE2 semantics for regular expressions, as CEL (and so KFL) has them.
                deprecated.regex-library=RE2J
                """.formatted(port, port));
        files.put("log.properties", "io.trino=WARN\n");
        files.put(HIVE_CATALOG, """
                connector.name=hive
                hive.metastore=file
                hive.metastore.catalog.dir=local://%s
                fs.native-local.enabled=true
                local.location=/
                hive.timestamp-precision=MICROSECONDS
                hive.parquet.time-zone=UTC
                hive.non-managed-table-writes-enabled=false
                hive.allow-register-partition-procedure=true
                """.formatted(home.resolve("metastore")));
        files.put("catalog/tpch.properties", "connector.name=tpch\n");
        files.put("catalog/memory.properties", "connector.name=memory\n");
        return files;
    }

    private void launcher(Path java, String command)
            throws IOException, InterruptedException
    {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("server/bin/launcher").toString(), command,
                "--etc-dir=" + home.resolve("etc"), "--data-dir=" + home.resolve("data")).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", java.toString());
        builder.environment().put("PATH", java.resolve("bin") + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
        s3.ifPresent(settings -> {
            settings.accessKey().ifPresent(key -> builder.environment().put("AWS_ACCESS_KEY_ID", key));
            settings.secretKey().ifPresent(key -> builder.environment().put("AWS_SECRET_ACCESS_KEY", key));
        });
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (exit != 0 && !(command.equals("stop") && output.contains("Not running"))) {
            throw new IOException("trino launcher " + command + " failed (exit " + exit + "): " + output.strip());
        }
    }

    private boolean launcherStatus(Path java)
            throws IOException, InterruptedException
    {
        ProcessBuilder builder = new ProcessBuilder(home.resolve("server/bin/launcher").toString(), "status",
                "--etc-dir=" + home.resolve("etc"), "--data-dir=" + home.resolve("data")).redirectErrorStream(true);
        builder.environment().put("JAVA_HOME", java.toString());
        Process process = builder.start();
        process.getInputStream().readAllBytes();
        return process.waitFor() == 0;
    }

    public String logTail()
    {
        try {
            List<String> lines = Files.exists(logFile()) ? Files.readAllLines(logFile()) : List.of("(no log yet)");
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        }
        catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
    }

    private static void write(Path file, String text)
            throws IOException
    {
        Files.writeString(file, text);
    }

    private static void run(List<String> command, Path directory)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(new ArrayList<>(command)).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed:\n" + output);
        }
    }

}
