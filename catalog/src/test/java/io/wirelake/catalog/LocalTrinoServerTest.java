package io.wirelake.catalog;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.wirelake.store.ObjectStore;
import io.wirelake.store.testing.SharedS3Proxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One real local Trino, installed and started once for this class, its tests in order: a fresh
 * start on loopback; then the lockdown, that the server is this local user's alone; then the
 * restart a store on S3 asks for, and the stop. The home is under a directory every user may
 * traverse, so that what stops another user is the home's own permissions: another local user
 * ({@code nobody}, through {@code setpriv}) can read none of its secrets and is refused without
 * the password; plain HTTP gets nothing; the web UI is off; the query user cannot point a table at
 * files; nothing outside the data roots is readable even by the admin user; and a stranger on the
 * port (an HTTPS server with a certificate of its own, a plain HTTP server that answers like Trino)
 * receives no request at all. The later tests start the server if the first did not (a start is
 * a no-op on a running server), so each fails for its own reason.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalTrinoServerTest
{
    private static Path base;
    private static Path home;
    private static int port;
    private static LocalTrino trino;
    private static Throwable startFailure;

    @BeforeAll
    static void start()
            throws Exception
    {
        // Under /tmp (which every user may traverse), so that nothing but the home's own permissions keeps others out.
        base = Files.createTempDirectory(Path.of("/tmp"), "wirelake-lockdown-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        home = base.resolve("home/trino");
        port = freePort();
        trino = new LocalTrino(home, port, Optional.empty());
    }

    @AfterAll
    static void stop()
            throws Exception
    {
        try {
            // whatever a test left: a server that never answered may run all the same
            if (trino != null && Files.isDirectory(home.resolve("server"))) {
                trino.stop();
            }
        }
        finally {
            Directories.deleteTree(base);
        }
    }

    /** Starts the server unless it runs (the first test starts it); a start that failed once is not tried again by every test. */
    private static void running()
            throws Exception
    {
        if (startFailure != null) {
            throw new AssertionError("the server did not start (in an earlier test)", startFailure);
        }
        try {
            trino.start();
        }
        catch (Exception | AssertionError failure) {
            startFailure = failure;
            throw failure;
        }
    }

    @Test
    @Order(1)
    void startsAndAnswersOnLoopback()
            throws Exception
    {
        assertThat(trino.isReady()).isFalse();
        running();
        assertThat(trino.isReady()).isTrue();
        try (Connection connection = trino.connect(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT regexp_like('ab', 'a(?=b)')")) {
            // The driver reports a failed query when its results are read.
            result.next();
            throw new AssertionError("RE2J must reject lookahead, as CEL's RE2 does, but Trino ran it");
        }
        catch (SQLException expected) {
            assertThat(expected.getMessage()).contains("invalid or unsupported Perl syntax");
        }
        assertThat(Files.readString(home.resolve("etc/node.properties"))).contains("node.bind-ip=127.0.0.1");
        // A second start is a no-op on a running server.
        trino.start();
        assertThat(trino.settingsMismatch()).isEmpty();
    }

    @Test
    @Order(2)
    void anotherLocalUserReadsNoSecretAndIsRefusedWithoutThePassword()
            throws Exception
    {
        running();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home))).isEqualTo("rwx------");
        Path secrets = trino.secretsDirectory();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets))).isEqualTo("rwx------");
        for (String name : List.of("credentials.properties", "tls.p12", "password.db")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secrets.resolve(name)))).as(name).isEqualTo("rw-------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home.resolve("etc/config.properties")))).isEqualTo("rw-------");
        assertThat(Files.readString(secrets.resolve("password.db"))).doesNotContain(password());

        // nobody reaches the home's parent, and no further.
        assertThat(asNobody("ls", home.getParent().toString()).exit()).isZero();
        Result cat = asNobody("cat", secrets.resolve("credentials.properties").toString());
        assertThat(cat.exit()).isNotZero();
        assertThat(cat.output()).contains("Permission denied").doesNotContain(password());
        // Without the password, or with a wrong one, Trino refuses nobody's query.
        assertThat(asNobody("curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}", "-H", "X-Trino-User: wirelake", "--data", "SELECT 1",
                "https://127.0.0.1:" + port + "/v1/statement").output()).isEqualTo("401");
        assertThat(asNobody("curl", "-sk", "-o", "/dev/null", "-w", "%{http_code}", "-u", "wirelake:guess", "--data", "SELECT 1",
                "https://127.0.0.1:" + port + "/v1/statement").output()).isEqualTo("401");
        // Plain HTTP is not served at all.
        Result http = asNobody("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "-H", "X-Trino-User: wirelake", "--data", "SELECT 1",
                "http://127.0.0.1:" + port + "/v1/statement");
        assertThat(http.output()).isEqualTo("000");

        // The JDBC driver, trusting the certificate, with the right user and a wrong password.
        Properties wrong = new Properties();
        wrong.setProperty("user", "wirelake");
        wrong.setProperty("password", "guess");
        wrong.setProperty("SSL", "true");
        wrong.setProperty("SSLTrustStorePath", secrets.resolve("tls.pem").toString());
        assertThatThrownBy(() -> {
            try (Connection connection = DriverManager.getConnection("jdbc:trino://127.0.0.1:" + port + "/hive", wrong);
                    Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery("SELECT 1")) {
                result.next();
            }
        }).isInstanceOf(SQLException.class).hasMessageContaining("Authentication failed");

        // The web UI is off, even with the password: its pages send to "disabled", its API refuses.
        assertThat(run(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "--cacert", secrets.resolve("tls.pem").toString(),
                "-u", "wirelake:" + password(), "https://127.0.0.1:" + port + "/ui/")).output()).startsWith("303 ").endsWith("/ui/disabled.html");
        assertThat(run(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", secrets.resolve("tls.pem").toString(),
                "-u", "wirelake:" + password(), "https://127.0.0.1:" + port + "/ui/api/cluster")).output()).isEqualTo("401");
        // With the password and the certificate, the same request is served: what refused nobody was the password.
        assertThat(run(List.of("curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", secrets.resolve("tls.pem").toString(),
                "-u", "wirelake:" + password(), "-H", "X-Trino-User: wirelake", "--data", "SELECT 1", "https://127.0.0.1:" + port + "/v1/statement"))
                .output()).isEqualTo("200");
    }

    @Test
    @Order(2)
    void theQueryUserCannotPointATableOrAPartitionAtFiles()
            throws Exception
    {
        running();
        Path data = Files.createDirectories(base.resolve("data/lines")).getParent();
        Files.writeString(data.resolve("lines/part-0.txt"), "x\n");
        String location = trino.locationOf(data);
        try (Connection connection = trino.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS hive.mine");
            assertThatThrownBy(() -> statement.execute("CREATE TABLE hive.mine.lines (line varchar) WITH (format = 'TEXTFILE', external_location = '"
                    + location + "/lines')")).hasMessageContaining("non-managed Hive table");
            statement.execute("CREATE TABLE hive.mine.parted (line varchar, part varchar) WITH (partitioned_by = ARRAY['part'])");
            assertThatThrownBy(() -> statement.execute("CALL hive.system.register_partition('mine', 'parted', ARRAY['part'], ARRAY['a'], '" + location + "/lines')"))
                    .hasMessageContaining("Access Denied: Cannot execute procedure hive.system.register_partition");
            // The catalog that takes external tables is the admin user's alone.
            assertThatThrownBy(() -> statement.executeQuery("SELECT count(*) FROM lake_admin.information_schema.schemata").next())
                    .hasMessageContaining("Access Denied");
        }
    }

    @Test
    @Order(2)
    void nothingOutsideTheDataRootsIsReadableEvenByTheAdmin()
            throws Exception
    {
        running();
        String secret = "top-secret-" + UUID.randomUUID();
        Path outside = Files.createDirectories(base.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), secret + "\n");
        Path data = Files.createDirectories(base.resolve("root/lines"));
        Files.writeString(data.resolve("part-0.txt"), "inside\n");
        String root = trino.locationOf(base.resolve("root"));
        List<String> read = new ArrayList<>();
        List<String> refusals = new ArrayList<>();
        try (Connection connection = trino.connectAsAdmin(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS lake_admin.probe");
            // A data root reads (the mechanism works) ...
            statement.execute("CREATE TABLE lake_admin.probe.inside (line varchar) WITH (format = 'TEXTFILE', external_location = '" + root + "/lines')");
            try (ResultSet rows = statement.executeQuery("SELECT line FROM lake_admin.probe.inside")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("inside");
            }
            // ... and every way to name the file beside it does not.
            List<String> locations = List.of("local://" + outside, "local:///" + outside, "local:///../../../../../../.." + outside, root + "/../../../outside",
                    "local:///dir-0000000000000000/../../../outside", "file://" + outside);
            for (int index = 0; index < locations.size(); index++) {
                String table = "lake_admin.probe.outside_" + index;
                try {
                    statement.execute("CREATE TABLE " + table + " (line varchar) WITH (format = 'TEXTFILE', external_location = '" + locations.get(index) + "')");
                    try (ResultSet rows = statement.executeQuery("SELECT line FROM " + table)) {
                        while (rows.next()) {
                            read.add(rows.getString(1));
                        }
                    }
                }
                catch (SQLException e) {
                    refusals.add(locations.get(index) + ": " + e.getMessage());
                }
            }
        }
        assertThat(read).as("refused: %s", refusals).doesNotContain(secret).isEmpty();
        assertThat(String.join("\n", refusals)).doesNotContain(secret);
    }

    @Test
    @Order(2)
    void aStrangerOnThePortReceivesNothing()
            throws Exception
    {
        running();
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        // Another user's server that answers like Trino, over HTTPS with a certificate of its own ...
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(strangersTls()));
        https.createContext("/", exchange -> answerLikeTrino(exchange, received));
        https.start();
        // ... and over plain HTTP.
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> answerLikeTrino(exchange, received));
        http.start();
        try {
            for (int strangerPort : List.of(https.getAddress().getPort(), http.getAddress().getPort())) {
                // This install (same home, same secrets), pointed at the stranger's port.
                LocalTrino pointed = new LocalTrino(home, strangerPort, Optional.empty());
                assertThat(pointed.probe()).isEqualTo(LocalTrino.PortState.STRANGER);
                assertThat(pointed.isReady()).isFalse();
                assertThatThrownBy(pointed::start).hasMessageContaining("is answered by a process that is not this wirelake's Trino")
                        .hasMessageContaining("nothing was sent to it");
                assertThatThrownBy(() -> pointed.connect().createStatement().executeQuery("SELECT 1").next())
                        .isInstanceOf(SQLException.class);
            }
            assertThat(received).as("requests the strangers received").isEmpty();
            // The real one is ours, and answers.
            assertThat(trino.probe()).isEqualTo(LocalTrino.PortState.OURS);
            assertThat(trino.isReady()).isTrue();
        }
        finally {
            https.stop(0);
            http.stop(0);
        }
    }

    @Test
    @Order(2)
    void anotherProcessTakesTheServerSeenReadyWithoutAskingIt()
            throws Exception
    {
        running();
        assertThat(trino.isReady()).isTrue();
        ServerSeenReady seen = new ServerSeenReady(home, 60, TimeUnit.SECONDS);
        Path record = home.resolve("data/wirelake-seen-ready");
        // The server process: the launcher's pid, alive (ps says so), and its start time.
        String pid = Files.readString(home.resolve("data/var/run/launcher.pid")).strip();
        assertThat(run(List.of("ps", "-o", "pid=", "-p", pid)).output()).isEqualTo(pid);
        String instance = seen.instance();
        assertThat(instance).matches(pid + " [0-9]+");
        assertThat(Files.readAllLines(record).get(0)).isEqualTo(instance);
        assertThat(seen.recently()).isTrue();

        // As a new process: a fresh record is taken as it is (the server is not asked, so the record stays as it was) ...
        LocalTrino.forgetWhatThisProcessSaw();
        String fresh = Files.readString(record);
        assertThat(trino.isReady()).isTrue();
        assertThat(Files.readString(record)).isEqualTo(fresh);
        // ... a record of another server process, an old one, or one from the future is not: the server is asked, and the record made anew.
        long now = System.currentTimeMillis();
        for (String stale : List.of("1 1\n" + now + "\n", instance + "\n" + (now - 61_000) + "\n", instance + "\n" + (now + 61_000) + "\n", "garbage")) {
            Files.writeString(record, stale);
            assertThat(seen.recently()).as(stale).isFalse();
            LocalTrino.forgetWhatThisProcessSaw();
            assertThat(trino.isReady()).as(stale).isTrue();
            assertThat(Files.readAllLines(record)).as(stale).hasSize(2).first().isEqualTo(instance);
            assertThat(seen.recently()).as(stale).isTrue();
        }
    }

    @Test
    @Order(3)
    void restartsWithTheSettingsOfAStoreOnS3AndStops()
            throws Exception
    {
        running();
        // The same server wanted for a store on S3: started without S3 settings, it cannot read s3://
        // locations, so it is restarted with them, and then it can.
        String endpoint = SharedS3Proxy.endpoint();
        String prefix = "settings-" + UUID.randomUUID();
        try (ObjectStore bucket = SharedS3Proxy.store(prefix)) {
            bucket.put("lines/part-0.txt", "from-s3\n".getBytes(StandardCharsets.UTF_8));
        }
        String create = "CREATE TABLE lake_admin.settings_check.lines (line varchar) WITH (format = 'TEXTFILE', external_location = 's3://"
                + SharedS3Proxy.BUCKET + "/" + prefix + "/lines')";
        try (Connection connection = trino.connectAsAdmin(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA IF NOT EXISTS lake_admin.settings_check");
            assertThatThrownBy(() -> statement.execute(create)).hasMessageContaining("External location is not a valid file system URI");
        }
        LocalTrino withS3 = new LocalTrino(home, port, Optional.empty(), Optional.of(new LocalTrino.S3Settings(endpoint, "us-east-1", true,
                Optional.of(SharedS3Proxy.IDENTITY), Optional.of(SharedS3Proxy.CREDENTIAL))));
        assertThat(withS3.settingsMismatch()).hasValueSatisfying(reason -> assertThat(reason).contains("no S3 settings")
                .contains("the store needs S3 endpoint " + endpoint + ", region us-east-1, path style true"));
        withS3.start();
        assertThat(withS3.settingsMismatch()).isEmpty();
        try (Connection connection = withS3.connectAsAdmin(); Statement statement = connection.createStatement()) {
            statement.execute(create);
        }
        // The query user reads the table the admin made, in the query catalog (the same metastore).
        try (Connection connection = withS3.connect(); Statement statement = connection.createStatement()) {
            try (ResultSet lines = statement.executeQuery("SELECT line FROM hive.settings_check.lines")) {
                assertThat(lines.next()).isTrue();
                assertThat(lines.getString(1)).isEqualTo("from-s3");
            }
        }
        // Settings without S3 accept the server with S3 (it reads local directories too); other S3 settings do not.
        assertThat(trino.settingsMismatch()).isEmpty();
        assertThat(new LocalTrino(home, port, Optional.empty(), Optional.of(new LocalTrino.S3Settings("http://127.0.0.1:1", "eu-west-1", false,
                Optional.empty(), Optional.empty()))).settingsMismatch()).hasValueSatisfying(reason -> assertThat(reason)
                .contains("started with S3 endpoint " + endpoint).contains("needs S3 endpoint http://127.0.0.1:1, region eu-west-1"));

        trino.stop();
        assertThat(home.resolve("data/wirelake-seen-ready")).as("what was seen of the stopped server").doesNotExist();
        assertThat(trino.isReady()).isFalse();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(IOException.class);
    }

    private static void answerLikeTrino(com.sun.net.httpserver.HttpExchange exchange, List<String> received)
            throws IOException
    {
        String body;
        try (InputStream input = exchange.getRequestBody()) {
            body = new String(input.readAllBytes(), StandardCharsets.UTF_8);
        }
        received.add(exchange.getRequestMethod() + " " + exchange.getRequestURI() + " " + exchange.getRequestHeaders().entrySet() + " " + body);
        byte[] answer = "{\"nodeVersion\":{\"version\":\"476\"},\"environment\":\"wirelake\",\"coordinator\":true,\"starting\":false}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, answer.length);
        try (OutputStream output = exchange.getResponseBody()) {
            output.write(answer);
        }
    }

    /** A certificate for 127.0.0.1 of the stranger's own, made by keytool like ours. */
    private static SSLContext strangersTls()
            throws Exception
    {
        Path keystore = base.resolve("stranger.p12");
        Result made = run(List.of(trino.detectJava().resolve("bin/keytool").toString(), "-genkeypair", "-alias", "stranger", "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=stranger", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", "stranger"));
        assertThat(made.exit()).as(made.output()).isZero();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream input = Files.newInputStream(keystore)) {
            store.load(input, "stranger".toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(store, "stranger".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private static String password()
            throws IOException
    {
        Properties credentials = new Properties();
        try (var reader = Files.newBufferedReader(trino.secretsDirectory().resolve("credentials.properties"))) {
            credentials.load(reader);
        }
        return credentials.getProperty("password");
    }

    private record Result(int exit, String output) {}

    /** Runs a command as the local user nobody (uid 65534), with no groups. */
    private static Result asNobody(String... command)
            throws Exception
    {
        List<String> full = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"));
        full.addAll(List.of(command));
        return run(full);
    }

    private static Result run(List<String> command)
            throws Exception
    {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Result(process.exitValue(), output);
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
