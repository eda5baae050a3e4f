package io.wirelake.query;

import io.wirelake.catalog.Directories;
import io.wirelake.catalog.LocalTrino;
import io.wirelake.store.testing.SharedS3Proxy;

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
            // s3:// locations go to the shared S3Proxy, credentials through the Trino process's environment.
            LocalTrino.S3Settings s3 = new LocalTrino.S3Settings(SharedS3Proxy.endpoint(), "us-east-1", true,
                    Optional.of(SharedS3Proxy.IDENTITY), Optional.of(SharedS3Proxy.CREDENTIAL));
            LocalTrino started = new LocalTrino(home, port, Optional.empty(), Optional.of(s3));
            Directories.deleteTree(started.metastoreDirectory());
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

    /** Runs DDL as the admin user: the lake's tables are made in the admin catalog ({@link LocalTrino#ADMIN_CATALOG}). */
    static void executeAsAdmin(String sql)
            throws Exception
    {
        try (Connection connection = get().connectAsAdmin(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The tables' DDL, in the admin catalog. */
    static LakeTables ddl()
    {
        return new LakeTables(LocalTrino.ADMIN_CATALOG);
    }

    /** Qualified names for queries, in the query catalog. */
    static LakeTables queries()
    {
        return new LakeTables(LocalTrino.QUERY_CATALOG);
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
