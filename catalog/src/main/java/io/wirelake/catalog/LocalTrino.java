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
 * lean (bin, lib and the hive, memory, tpch and password-authenticators plugins), configured with
 * a Hive catalog over the local file system (file metastore), run with a JDK 24+ and declared
 * ready only when a real query succeeds.
 *
 * <p>It is this local user's alone ({@link LocalTrinoSecrets}): HTTPS only, with a certificate
 * made for it that clients trust and nothing else, passwords from a 0600 file, no web UI, and a
 * home other users cannot enter. The Hive catalogs read only under {@code <home>/roots}, where
 * each data root (a dissect output, a local store) appears as a link ({@link #locationOf}): not
 * the whole file system. The {@code hive} catalog, which queries use, refuses external tables;
 * wirelake's own are made through {@code lake_admin} as the admin user, which no other user may
 * use. Before anything is sent to the port, the server there must prove it holds the
 * certificate's key ({@link #probe}): another user's process on the port gets no password and no
 * query.
 */
public final class LocalTrino
{
    public static final String VERSION = "476";
    static final int MINIMUM_JAVA = 24;
    private static final long START_TIMEOUT_SECONDS = 240;
    private static final int READY_STREAK = 3;
    /** How often a server not answering yet is asked again while it starts. */
    private static final long NOT_READY_POLL_MILLIS = 250;
    /** The pause between the queries of a ready streak, so that the streak spans a moment of the server's start-up, not one instant. */
    private static final long READY_STREAK_POLL_MILLIS = 500;
    /**
     * How long a server this process, or another process of this home ({@link ServerSeenReady}),
     * has seen answer queries is taken as ready without asking again: each check costs two queries
     * (about a second), every command is a process, and a report or an MCP call opens a session per
     * query. The TLS probe still runs every time, so a server that stopped is noticed.
     */
    private static final long READY_MEMORY_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** Per server (home and port): when this process last saw it answer queries. */
    private static final Map<String, Long> LAST_SEEN_READY = new java.util.concurrent.ConcurrentHashMap<>();
    private static final String HIVE_CATALOG = "catalog/hive.properties";
    private static final String ADMIN_CATALOG_FILE = "catalog/lake_admin.properties";
    /** The catalog queries run in: external tables refused. */
    public static final String QUERY_CATALOG = "hive";
    /** The catalog wirelake makes its tables in, as the admin user only: the same metastore, external tables allowed. */
    public static final String ADMIN_CATALOG = "lake_admin";
    private static final List<String> PLUGINS = List.of("hive", "memory", "tpch", "password-authenticators");
    /** Where the file metastore lives, under the roots (the catalogs' file system reaches nothing else). */
    private static final String METASTORE = "_metastore";
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
    private final ServerSeenReady seenReady;

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
        this.seenReady = new ServerSeenReady(this.home, READY_MEMORY_NANOS, TimeUnit.NANOSECONDS);
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

    /** The server's address for clients: HTTPS on loopback, with {@link #certificateFile} as its only trusted certificate. */
    public String httpsUrl()
    {
        return "https://127.0.0.1:" + port;
    }

    /** The user that runs queries (the {@code hive} catalog, read only). */
    public String queryUser()
    {
        return LocalTrinoSecrets.USER;
    }

    /** The 0600 file holding the query user's password (key {@code password}); made by the first start. */
    public Path credentialsFile()
    {
        return secretsDirectory().resolve(LocalTrinoSecrets.CREDENTIALS);
    }

    /** The server's self-signed certificate (PEM): a client trusts it and nothing else. */
    public Path certificateFile()
    {
        return secretsDirectory().resolve(LocalTrinoSecrets.CERTIFICATE);
    }

    /**
     * A JDBC URL that any Trino JDBC client (DBeaver, a notebook's driver) can use as it is, with
     * {@link #queryUser} and the password in {@link #credentialsFile}: TLS verified against this
     * install's certificate only.
     */
    public String clientJdbcUrl()
    {
        return jdbcUrl() + "?SSL=true&SSLVerification=FULL&SSLTrustStorePath=" + certificateFile();
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

    /** The only directory the Hive catalogs read: links to the data roots, and the metastore. */
    public Path rootsDirectory()
    {
        return home.resolve("roots");
    }

    public Path metastoreDirectory()
    {
        return rootsDirectory().resolve(METASTORE);
    }

    /** Where this install's credentials, certificate and key are (0700; files 0600). */
    public Path secretsDirectory()
    {
        return home.resolve("secrets");
    }

    /**
     * The location under which Trino reads a local directory (a dissect output, a store's root):
     * {@code local:///<name>}, where {@code <name>} is a link in {@link #rootsDirectory} to the
     * directory, made now if needed. Nothing outside such links is readable through the catalogs.
     */
    public String locationOf(Path directory)
            throws IOException
    {
        Path target = directory.toAbsolutePath().normalize();
        String name = "dir-" + HexFormat.of().formatHex(sha256().digest(target.toString().getBytes(StandardCharsets.UTF_8)), 0, 8);
        Path roots = rootsDirectory();
        LocalTrinoSecrets.privateDirectory(home);
        Files.createDirectories(roots);
        Path link = roots.resolve(name);
        if (!Files.isSymbolicLink(link) || !Files.readSymbolicLink(link).equals(target)) {
            // Made beside it and renamed over it: a reader never finds the name missing.
            Path temporary = roots.resolve("." + name + "-" + java.util.UUID.randomUUID());
            Files.createSymbolicLink(temporary, target);
            Files.move(temporary, link, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        return "local:///" + name;
    }

    /** Who answers on the port: nobody, this install's Trino (it proved it holds the key), or a stranger. */
    public enum PortState
    {
        FREE, OURS, STRANGER
    }

    /**
     * Connects to the port and asks for a TLS handshake that trusts only this install's
     * certificate, with the name checked: only a server holding its private key (0600, in a 0700
     * directory of this user) completes it. Nothing else is sent.
     */
    public PortState probe()
    {
        java.net.Socket plain = new java.net.Socket();
        try {
            plain.connect(new java.net.InetSocketAddress("127.0.0.1", port), 2000);
        }
        catch (IOException e) {
            closeQuietly(plain);
            return PortState.FREE;
        }
        try {
            Optional<LocalTrinoSecrets> secrets = LocalTrinoSecrets.load(secretsDirectory());
            if (secrets.isEmpty()) {
                return PortState.STRANGER;
            }
            plain.setSoTimeout(5000);
            try (javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) secrets.get().trustingOnlyThisCertificate().getSocketFactory()
                    .createSocket(plain, "127.0.0.1", port, true)) {
                javax.net.ssl.SSLParameters parameters = tls.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                tls.setSSLParameters(parameters);
                tls.startHandshake();
                return PortState.OURS;
            }
        }
        catch (IOException e) {
            return PortState.STRANGER;
        }
        finally {
            closeQuietly(plain);
        }
    }

    /** Whether this home's configuration is an older wirelake's: plain HTTP on this port. */
    private boolean startedWithoutTlsOnThisPort()
            throws IOException
    {
        Path config = home.resolve("etc/config.properties");
        if (!Files.isDirectory(home.resolve("server")) || !Files.isRegularFile(config)) {
            return false;
        }
        String text = Files.readString(config);
        return text.contains("http-server.http.port=" + port + "\n") && !text.contains("http-server.https.enabled=true");
    }

    private String strangerMessage()
    {
        return "port " + port + " on 127.0.0.1 is answered by a process that is not this wirelake's Trino (it cannot prove it holds the key of "
                + secretsDirectory().resolve("tls.pem") + "); nothing was sent to it: stop that process, or give wirelake a port of its own with WIRELAKE_TRINO_PORT";
    }

    private static void closeQuietly(java.net.Socket socket)
    {
        try {
            socket.close();
        }
        catch (IOException e) {
            // nothing more to do with it
        }
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
        start(() -> {});
    }

    /**
     * As {@link #start()}, calling {@code beforeLaunch} only when it installs or launches a server
     * (the wait of half a minute a caller may want to announce), not when one that fits runs. A
     * running server that fits costs one TLS probe here, and no query within a minute of the last.
     */
    public void start(Runnable beforeLaunch)
            throws IOException, InterruptedException
    {
        PortState state = probe();
        if (state == PortState.STRANGER) {
            if (startedWithoutTlsOnThisPort() && launcherStatus(detectJava())) {
                // This home's own server, started on this port by a wirelake before TLS: its launcher knows it.
                System.err.println("wirelake: restarting the local Trino on port " + port + ": it was started without TLS and passwords");
                stop();
            }
            if (probe() == PortState.STRANGER) {
                throw new IOException(strangerMessage());
            }
        }
        else if (state == PortState.OURS && answersOrAnswered()) {
            Optional<String> mismatch = settingsMismatch();
            if (mismatch.isEmpty()) {
                return;
            }
            System.err.println("wirelake: restarting the local Trino on port " + port + ": " + mismatch.get());
            stop();
            if (probe() != PortState.FREE) {
                throw new IOException("a Trino that " + home + " did not start answers on port " + port
                        + "; stop it, or give wirelake a port of its own with WIRELAKE_TRINO_PORT");
            }
        }
        beforeLaunch.run();
        Path java = detectJava();
        install();
        LocalTrinoSecrets.privateDirectory(home);
        LocalTrinoSecrets secrets = LocalTrinoSecrets.loadOrCreate(secretsDirectory(), java);
        writeConfiguration(secrets);
        Files.deleteIfExists(logFile());
        launcher(java, "start");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        int consecutive = 0;
        long statusDue = System.nanoTime();
        while (System.nanoTime() < deadline) {
            // Right after start-up queries fail now and then ("No nodes available"): ready means
            // queries on both catalogs succeed several times in a row, half a second apart.
            consecutive = probe() == PortState.OURS && answersQueries() ? consecutive + 1 : 0;
            if (consecutive >= READY_STREAK) {
                return;
            }
            // the launcher's status is a process of its own: asked once a second, not at every poll
            if (consecutive == 0 && System.nanoTime() - statusDue >= 0) {
                if (!launcherStatus(java)) {
                    throw new IOException("Trino stopped while starting; the end of " + logFile() + ":\n" + logTail());
                }
                statusDue = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            }
            Thread.sleep(consecutive == 0 ? NOT_READY_POLL_MILLIS : READY_STREAK_POLL_MILLIS);
        }
        throw new IOException("Trino did not answer a query within " + START_TIMEOUT_SECONDS + " s; the end of " + logFile() + ":\n" + logTail());
    }

    public void stop()
            throws IOException, InterruptedException
    {
        LAST_SEEN_READY.remove(serverKey());
        seenReady.forget();
        if (Files.isDirectory(home.resolve("server"))) {
            launcher(detectJava(), "stop");
        }
        // again: another process may have recorded the server while it stopped
        seenReady.forget();
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
        Optional<LocalTrinoSecrets> secrets;
        try (var reader = Files.newBufferedReader(settingsFile())) {
            running.load(reader);
            secrets = LocalTrinoSecrets.load(secretsDirectory());
        }
        catch (IOException e) {
            return Optional.of("its settings are unknown (no " + settingsFile() + ")");
        }
        if (secrets.isEmpty()) {
            return Optional.of("its credentials are missing from " + secretsDirectory());
        }
        Properties wanted = settings(secrets.get());
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

    /** Whether this install's Trino answers queries now (it answers for a few seconds after it starts before queries work). */
    public boolean isReady()
    {
        if (probe() != PortState.OURS) {
            LAST_SEEN_READY.remove(serverKey());
            return false;
        }
        return answersOrAnswered();
    }

    /** For a server the probe found ours: it answered queries within the last minute (as this process or another of this home saw), or answers now. */
    private boolean answersOrAnswered()
    {
        Long seen = LAST_SEEN_READY.get(serverKey());
        return (seen != null && System.nanoTime() - seen < READY_MEMORY_NANOS) || seenReady.recently() || answersQueries();
    }

    /** Whether queries on both catalogs run now (asked, not remembered); remembers when they do. */
    private boolean answersQueries()
    {
        // the server process is named before it is asked: the record then never names a server started in between
        String instance = seenReady.instance();
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            for (String query : List.of("SELECT count(*) FROM tpch.tiny.region", "SELECT count(*) FROM hive.information_schema.schemata")) {
                try (var results = statement.executeQuery(query)) {
                    results.next();
                }
            }
            LAST_SEEN_READY.put(serverKey(), System.nanoTime());
            seenReady.seen(instance);
            return true;
        }
        catch (SQLException e) {
            LAST_SEEN_READY.remove(serverKey());
            seenReady.forget();
            return false;
        }
    }

    /** Forgets which servers this process saw answer (as a new process would know nothing): for tests. */
    static void forgetWhatThisProcessSaw()
    {
        LAST_SEEN_READY.clear();
    }

    private String serverKey()
    {
        return home.toAbsolutePath().normalize() + ":" + port;
    }

    /** A session of the query user in the {@code hive} catalog, over HTTPS to this install's Trino only. */
    public Connection connect()
            throws SQLException
    {
        return connect(false);
    }

    /** A session of the admin user, for the DDL of wirelake's own tables in the {@code lake_admin} catalog. */
    public Connection connectAsAdmin()
            throws SQLException
    {
        return connect(true);
    }

    private Connection connect(boolean admin)
            throws SQLException
    {
        LocalTrinoSecrets secrets;
        try {
            secrets = LocalTrinoSecrets.load(secretsDirectory()).orElseThrow(() -> new SQLException("the local Trino of " + home + " has no credentials yet: start it"));
        }
        catch (IOException e) {
            throw new SQLException("cannot read the local Trino's credentials in " + secretsDirectory() + ": " + e.getMessage(), e);
        }
        Properties properties = new Properties();
        properties.setProperty("user", admin ? LocalTrinoSecrets.ADMIN_USER : LocalTrinoSecrets.USER);
        properties.setProperty("password", admin ? secrets.adminPassword() : secrets.password());
        properties.setProperty("SSL", "true");
        // This certificate and no other: a server that cannot prove it holds its key gets no password.
        properties.setProperty("SSLTrustStorePath", secrets.certificate().toString());
        properties.setProperty("SSLVerification", "FULL");
        properties.setProperty("timezone", "UTC");
        try {
            return DriverManager.getConnection("jdbc:trino://127.0.0.1:" + port + "/" + (admin ? ADMIN_CATALOG : QUERY_CATALOG), properties);
        }
        catch (SQLException e) {
            if (probe() == PortState.STRANGER) {
                throw new SQLException(strangerMessage(), e);
            }
            throw e;
        }
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
            if (PLUGINS.stream().allMatch(plugin -> Files.isDirectory(server.resolve("plugin").resolve(plugin)))) {
                return;
            }
            // Installed by an older wirelake, without the plugins this one needs (the password authenticator).
            Directories.deleteTree(server);
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
        for (String plugin : PLUGINS) {
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
    private Properties settings(LocalTrinoSecrets secrets)
    {
        MessageDigest digest = sha256();
        configuration(secrets).forEach((file, text) -> digest.update((file + "\n" + text + "\n").getBytes(StandardCharsets.UTF_8)));
        Properties settings = new Properties();
        settings.setProperty("configuration", HexFormat.of().formatHex(digest.digest()));
        settings.setProperty("s3", s3.map(S3Settings::describe).orElse(NO_S3));
        return settings;
    }

    private void writeConfiguration(LocalTrinoSecrets secrets)
            throws IOException
    {
        Path etc = home.resolve("etc");
        LocalTrinoSecrets.privateDirectory(etc);
        Files.createDirectories(etc.resolve("catalog"));
        Properties wanted = settings(secrets);
        Properties before = new Properties();
        if (Files.exists(settingsFile())) {
            try (var reader = Files.newBufferedReader(settingsFile())) {
                before.load(reader);
            }
        }
        if (!wanted.getProperty("configuration").equals(before.getProperty("configuration"))) {
            // Tables registered under another configuration may name locations this one reads elsewhere. The metastore
            // only caches what the query layer makes again on use (tables, and partitions as they are queried).
            Directories.deleteTree(metastoreDirectory());
            Directories.deleteTree(home.resolve("metastore"));
        }
        Files.createDirectories(metastoreDirectory());
        for (Map.Entry<String, String> file : configuration(secrets).entrySet()) {
            boolean catalog = file.getKey().equals(HIVE_CATALOG) || file.getKey().equals(ADMIN_CATALOG_FILE);
            String text = catalog ? file.getValue() + s3.map(S3Settings::catalogProperties).orElse("") : file.getValue();
            LocalTrinoSecrets.writePrivate(etc.resolve(file.getKey()), text);
        }
        try (var writer = Files.newBufferedWriter(settingsFile())) {
            wanted.store(writer, "what the local Trino was started with; wirelake restarts it when a store needs other settings");
        }
    }

    /**
     * The server's heap: {@code WIRELAKE_TRINO_HEAP_MB} if set, else a sixth of the machine's
     * memory between 1 GiB and 4 GiB (4 GiB on a 24 GiB machine). At 1 GiB, stats over ten million
     * calls spent a sixth of their time collecting garbage, with full collections; a query may use
     * two fifths of it.
     */
    static long heapMegabytes()
    {
        String chosen = System.getenv("WIRELAKE_TRINO_HEAP_MB");
        if (chosen != null && !chosen.isBlank()) {
            try {
                long megabytes = Long.parseLong(chosen.trim());
                if (megabytes >= 512) {
                    return megabytes;
                }
            }
            catch (NumberFormatException e) {
                // refused below
            }
            throw new IllegalArgumentException("WIRELAKE_TRINO_HEAP_MB must be a number of megabytes, 512 or more, not " + chosen);
        }
        long machine = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize() >> 20;
        return Math.max(1024, Math.min(4096, machine / 6));
    }

    /** The configuration files under etc/ (the hive catalogs without their S3 settings). */
    private Map<String, String> configuration(LocalTrinoSecrets secrets)
    {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("node.properties", """
                node.environment=wirelake
                node.id=wirelake-local
                node.data-dir=%s
                node.bind-ip=127.0.0.1
                """.formatted(home.resolve("data")));
        long heap = heapMegabytes();
        files.put("jvm.config", """
                -server
                -Xmx%dM
                -XX:+UseG1GC
                -XX:+ExplicitGCInvokesConcurrent
                -XX:+ExitOnOutOfMemoryError
                -Djdk.attach.allowAttachSelf=true
                -Dfile.encoding=UTF-8
                -Duser.timezone=UTC
                """.formatted(heap));
        files.put("config.properties", """
                coordinator=true
                node-scheduler.include-coordinator=true
                # HTTPS only, with this install's certificate; internal calls too, with a secret of their own.
                http-server.http.enabled=false
                http-server.https.enabled=true
                http-server.https.port=%d
                http-server.https.keystore.path=%s
                http-server.https.keystore.key=%s
                http-server.authentication.type=PASSWORD
                internal-communication.shared-secret=%s
                internal-communication.https.required=true
                internal-communication.https.keystore.path=%s
                internal-communication.https.keystore.key=%s
                internal-communication.https.truststore.path=%s
                node.internal-address=127.0.0.1
                discovery.uri=https://127.0.0.1:%d
                web-ui.enabled=false
                query.max-memory=%dMB
                query.max-memory-per-node=%dMB
                # RE2 semantics for regular expressions, as CEL (and so KFL) has them.
                deprecated.regex-library=RE2J
                """.formatted(port, secrets.keystore(), secrets.keystorePassword(), secrets.sharedSecret(), secrets.keystore(), secrets.keystorePassword(),
                secrets.certificate(), port, heap * 2 / 5, heap * 2 / 5));
        files.put("password-authenticator.properties", """
                password-authenticator.name=file
                file.password-file=%s
                """.formatted(secrets.passwordFilePath()));
        files.put("access-control.properties", """
                access-control.name=file
                security.config-file=%s
                """.formatted(home.resolve("etc/rules.json")));
        // The admin catalog is the admin user's alone; every other catalog is open to the query user. Procedures
        // (register_partition among them) are the admin's, in the admin catalog, only.
        files.put("rules.json", """
                {
                  "catalogs": [
                    {"user": "%1$s", "allow": "all"},
                    {"catalog": "%2$s", "allow": "none"},
                    {"allow": "all"}
                  ],
                  "procedures": [
                    {"user": "%1$s", "catalog": "%2$s", "schema": "system", "procedure": ".*", "privileges": ["EXECUTE"]}
                  ]
                }
                """.formatted(LocalTrinoSecrets.ADMIN_USER, ADMIN_CATALOG));
        files.put("log.properties", "io.trino=WARN\n");
        String hive = """
                connector.name=hive
                hive.metastore=file
                hive.metastore.catalog.dir=local:///%s
                fs.native-local.enabled=true
                # Links to the data roots, and nothing else of the file system.
                local.location=%s
                hive.timestamp-precision=MICROSECONDS
                hive.parquet.time-zone=UTC
                hive.non-managed-table-writes-enabled=false
                """.formatted(METASTORE, rootsDirectory());
        files.put(HIVE_CATALOG, hive + """
                # Queries cannot point a table, or a partition, at files of their choosing.
                hive.non-managed-table-creates-enabled=false
                hive.allow-register-partition-procedure=false
                """);
        files.put(ADMIN_CATALOG_FILE, hive + """
                hive.allow-register-partition-procedure=true
                """);
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
        return logTail(logFile());
    }

    /** The end of a Trino log for a message: from its last error on (the message comes before a long stack), else its last lines. */
    public static String logTail(Path log)
    {
        try {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of("(no log yet)");
            int from = Math.max(0, lines.size() - 20);
            for (int index = lines.size() - 1; index >= 0; index--) {
                if (lines.get(index).contains("\tERROR\t")) {
                    from = index;
                    break;
                }
            }
            return String.join("\n", lines.subList(from, Math.min(lines.size(), from + 40)));
        }
        catch (IOException e) {
            return "(log unreadable: " + e.getMessage() + ")";
        }
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
