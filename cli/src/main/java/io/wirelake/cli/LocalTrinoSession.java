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
        }
        // Also restarts a running one whose settings do not fit the store (S3 endpoint, region, path style).
        trino.start();
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

    /** The schema of a store's partitioned tables. */
    static String schemaForStore(io.wirelake.store.ObjectStore store)
    {
        String location = store.location();
        return "lake_" + Long.toHexString(location.hashCode() & 0xFFFFFFFFL) + "_" + Integer.toHexString(location.length());
    }

    /**
     * Connects with a store's tables created and one snapshot's partition registered (once: a
     * registered partition is left as it is, its files are read afresh by every query).
     */
    static Connection connect(io.wirelake.store.ObjectStore store, String snapshotId)
            throws Exception
    {
        Connection connection = connect(null);
        String schema = schemaForStore(store);
        String tables = store instanceof io.wirelake.store.LocalObjectStore local
                ? "local://" + local.root().resolve("tables")
                : store.uri("tables");
        try (Statement statement = connection.createStatement()) {
            // Tables made by an older wirelake (other columns) are made again; their partitions
            // are registered again below as they are queried.
            for (io.wirelake.columns.Table table : io.wirelake.columns.Table.values()) {
                java.util.List<String> columns = new java.util.ArrayList<>();
                try (java.sql.ResultSet existing = statement.executeQuery("SELECT column_name FROM " + TrinoTables.CATALOG + ".information_schema.columns WHERE table_schema = '"
                        + schema + "' AND table_name = '" + table.sqlName() + "' ORDER BY ordinal_position")) {
                    while (existing.next()) {
                        columns.add(existing.getString(1));
                    }
                }
                java.util.List<String> expected = new java.util.ArrayList<>(io.wirelake.columns.Columns.of(table).stream().map(io.wirelake.columns.Column::sqlName).toList());
                expected.add("snapshot_id");
                if (!columns.isEmpty() && !columns.equals(expected)) {
                    statement.execute("DROP TABLE " + TrinoTables.qualified(schema, table));
                }
            }
            for (String ddl : TrinoTables.createPartitioned(schema, tables)) {
                statement.execute(ddl);
            }
            boolean registered;
            try (java.sql.ResultSet partitions = statement.executeQuery("SELECT count(*) FROM " + TrinoTables.CATALOG + "." + schema
                    + ".\"api_calls$partitions\" WHERE snapshot_id = '" + snapshotId.replace("'", "''") + "'")) {
                partitions.next();
                registered = partitions.getLong(1) > 0;
            }
            if (!registered) {
                for (String call : TrinoTables.registerPartition(schema, snapshotId)) {
                    statement.execute(call);
                }
            }
        }
        connection.setSchema(schema);
        return connection;
    }
}
