package io.wirelake.catalog;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Optional;

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
        }
        finally {
            trino.stop();
        }
        assertThat(trino.isReady()).isFalse();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(java.io.IOException.class);
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
