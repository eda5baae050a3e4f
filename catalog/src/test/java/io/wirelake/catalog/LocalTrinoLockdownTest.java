package io.wirelake.catalog;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
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
 * The local Trino is this local user's alone. One real Trino, in a home under a directory every
 * user may traverse (so what stops another user is the home's own permissions): another local
 * user ({@code nobody}, through {@code setpriv}) can read none of its secrets and is refused
 * without the password; plain HTTP gets nothing; the web UI is off; the query user cannot point
 * a table at files; nothing outside the data roots is readable even by the admin user; and a
 * stranger on the port (an HTTPS server with a certificate of its own, a plain HTTP server that
 * answers like Trino) receives no request at all.
 */
class LocalTrinoLockdownTest
{
    private static Path base;
    private static Path home;
    private static int port;
    private static LocalTrino trino;

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
        trino.start();
    }

    @AfterAll
    static void stop()
            throws Exception
    {
        if (trino != null) {
            trino.stop();
        }
        Directories.deleteTree(base);
    }

    @Test
    void anotherLocalUserReadsNoSecretAndIsRefusedWithoutThePassword()
            throws Exception
    {
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
    void theQueryUserCannotPointATableOrAPartitionAtFiles()
            throws Exception
    {
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
    void nothingOutsideTheDataRootsIsReadableEvenByTheAdmin()
            throws Exception
    {
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
    void aStrangerOnThePortReceivesNothing()
            throws Exception
    {
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
