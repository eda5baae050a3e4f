package io.wirelake.catalog;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The local Trino's install without a server: the download's checksum and the JDK it needs (the server: LocalTrinoServerTest). */
class LocalTrinoTest
{
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
