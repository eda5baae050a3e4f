package io.wirelake.cli;

import io.wirelake.catalog.LocalTrino;
import io.wirelake.catalog.TrinoTables;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/** The local Trino as the query commands use it: started when needed, with a dissect output's tables registered. */
final class LocalTrinoSession
{
    private LocalTrinoSession() {}

    static Connection connect(Path data)
            throws Exception
    {
        LocalTrino trino = LocalTrino.fromEnvironment();
        if (!trino.isReady()) {
            System.err.println("wirelake: starting the local Trino (stop it with: wirelake trino stop) ...");
            trino.start();
        }
        Connection connection = trino.connect();
        if (data != null) {
            try (Statement statement = connection.createStatement()) {
                for (String ddl : TrinoTables.createForDirectory(data)) {
                    statement.execute(ddl);
                }
            }
            connection.setSchema(TrinoTables.schemaForDirectory(data));
        }
        return connection;
    }
}
