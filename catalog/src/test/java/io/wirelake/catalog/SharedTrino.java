package io.wirelake.catalog;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** One real Trino for the whole test run, started on first use and stopped when the JVM exits. */
final class SharedTrino
{
    private static LocalTrino trino;

    private SharedTrino() {}

    static synchronized LocalTrino get()
            throws IOException, InterruptedException
    {
        if (trino == null) {
            int port;
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path home = Path.of("target", "trino-home").toAbsolutePath();
            LocalTrino.deleteTree(home.resolve("metastore"));
            LocalTrino started = new LocalTrino(home, port, Optional.empty());
            started.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.stop();
                }
                catch (IOException | InterruptedException e) {
                    // the JVM is exiting; nothing more to do
                }
            }));
            trino = started;
        }
        return trino;
    }

    static void execute(String sql)
            throws Exception
    {
        try (Connection connection = get().connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    static List<Long> ids(String sql)
            throws Exception
    {
        List<Long> ids = new ArrayList<>();
        try (Connection connection = get().connect(); Statement statement = connection.createStatement(); ResultSet results = statement.executeQuery(sql)) {
            while (results.next()) {
                ids.add(results.getLong(1));
            }
        }
        return ids;
    }

    static boolean isQueryError(SQLException exception)
    {
        return exception.getMessage() != null;
    }
}
