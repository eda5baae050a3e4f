package io.wirelake.catalog;

import com.sun.net.httpserver.HttpServer;
import io.wirelake.store.ObjectStore;
import io.wirelake.store.testing.SharedS3Proxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.security.MessageDigest;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalTrinoTest
{
    @Test
    void startsAnswersOnLoopbackAndStops(@TempDir Path home)
            throws Exception
    {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        LocalTrino trino = new LocalTrino(home, port, Optional.empty());
        assertThat(trino.isReady()).isFalse();
        trino.start();
        try {
            assertThat(trino.isReady()).isTrue();
            try (Connection connection = trino.connect(); Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery("SELECT regexp_like('ab', 'a(?=b)')")) {
                // The driver reports a failed query when its results are read.
                result.next();
                throw new AssertionError("RE2J must reject lookahead, as CEL's RE2 does, but Trino ran it");
            }
            catch (java.sql.SQLException expected) {
                assertThat(expected.getMessage()).contains("invalid or unsupported Perl syntax");
            }
            assertThat(Files.readString(home.resolve("etc/node.properties"))).contains("node.bind-ip=127.0.0.1");
            // A second start is a no-op on a running server.
            trino.start();
            assertThat(trino.settingsMismatch()).isEmpty();

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
        }
        finally {
            trino.stop();
        }
        assertThat(trino.isReady()).isFalse();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(java.io.IOException.class);
    }

    @Test
    void aDownloadIsRefusedUnlessItsSha256IsTheOneExpected(@TempDir Path directory)
            throws Exception
    {
        byte[] served = "not the Trino tarball".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(exchange.getRequestURI().getPath().endsWith("/file.tar.gz") ? 200 : 404, served.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(served);
            }
        });
        server.start();
        try {
            URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/repository/");
            String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(served));
            Path file = LocalTrino.download(base.resolve("file.tar.gz"), expected, directory);
            assertThat(file).hasBinaryContent(served);
            assertThatThrownBy(() -> LocalTrino.download(base.resolve("file.tar.gz"), LocalTrino.TARBALL_SHA256, directory.resolve("other")))
                    .hasMessageContaining("has SHA-256 " + expected + ", not " + LocalTrino.TARBALL_SHA256);
            assertThat(directory.resolve("other")).isEmptyDirectory();
            assertThatThrownBy(() -> LocalTrino.download(base.resolve("missing.tar.gz"), expected, directory))
                    .hasMessageContaining("HTTP 404").hasMessageContaining("WIRELAKE_MAVEN_REPOSITORY");
        }
        finally {
            server.stop(0);
        }
    }

    @Test
    void aMissingOrOldJdkIsAClearMessage(@TempDir Path home)
    {
        assertThatThrownBy(() -> new LocalTrino(home, 1, Optional.of(home.resolve("no-such-jdk"))).start())
                .hasMessageContaining("WIRELAKE_TRINO_JAVA_HOME")
                .hasMessageContaining("is not a JDK 24 or newer");
        Path java17 = Path.of(System.getProperty("java.home"));
        if (LocalTrino.javaVersion(java17) < LocalTrino.MINIMUM_JAVA) {
            assertThatThrownBy(() -> new LocalTrino(home, 1, Optional.of(java17)).start())
                    .hasMessageContaining("(it is " + LocalTrino.javaVersion(java17) + ")");
        }
    }
}
