package io.wirelake.query;

import io.wirelake.catalog.snapshot.SnapshotStatus;
import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.columns.Table;
import io.wirelake.kfl.SqlText;
import io.wirelake.store.LocalObjectStore;
import io.wirelake.store.ObjectStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The one place that turns a source (a dissect output, or snapshots of a store) and a KFL filter
 * into rows: on Trino (the compiled SQL) or locally (CEL row by row over the Parquet files), with
 * the same answers. Reports (stats, service maps, drift), schedules, the MCP server and the
 * command line all query through here.
 */
public final class QueryService
{
    /** Where a query runs. */
    public enum Engine
    {
        /** The compiled SQL on Trino. */
        TRINO,
        /** CEL's runtime row by row over the Parquet files; no server. */
        LOCAL;

        public static Engine of(String name)
        {
            return switch (name.toLowerCase(java.util.Locale.ROOT)) {
                case "trino" -> TRINO;
                case "local" -> LOCAL;
                default -> throw new IllegalArgumentException("the engine is trino or local, not " + name);
            };
        }
    }

    private final TrinoAccess trino;
    private final LakeTables tables;
    private final LakeTables ddlTables;
    private final Path workDirectory;

    public QueryService(TrinoAccess trino)
    {
        this(trino, Path.of(System.getProperty("java.io.tmpdir")));
    }

    public QueryService(TrinoAccess trino, Path workDirectory)
    {
        this.trino = requireNonNull(trino, "trino is null");
        this.tables = new LakeTables(trino.catalog());
        this.ddlTables = new LakeTables(trino.ddlCatalog());
        this.workDirectory = requireNonNull(workDirectory, "workDirectory is null");
    }

    public TrinoAccess trino()
    {
        return trino;
    }

    public LakeTables tables()
    {
        return tables;
    }

    /** A Trino session with no lake tables prepared ({@code wirelake sql} without a source). */
    public Connection connect()
            throws Exception
    {
        return trino.connect();
    }

    /** A Trino session with the source's tables ready (and, for a directory, its schema as the session's). */
    public LakeSession open(TableSource source)
            throws Exception
    {
        requireReadable(source);
        String schema;
        // The tables are made as the admin user (on the local Trino, the one catalog that takes external tables); the session queries them.
        try (Connection ddl = trino.connectForDdl()) {
            if (source instanceof TableSource.Directory directory) {
                schema = LakeTables.schemaForDirectory(directory.path());
                try (Statement statement = ddl.createStatement()) {
                    for (String statementText : ddlTables.createForDirectory(directory.path(), trino.localLocation(directory.path()))) {
                        statement.execute(statementText);
                    }
                }
            }
            else {
                TableSource.Snapshots snapshots = (TableSource.Snapshots) source;
                schema = LakeTables.schemaForStore(snapshots.store());
                prepareStore(ddl, snapshots.store(), schema);
                for (String id : snapshots.ids()) {
                    registerPartition(ddl, schema, id);
                }
            }
        }
        Connection connection = trino.connect();
        try {
            connection.setSchema(schema);
            return new LakeSession(connection, tables, schema, source);
        }
        catch (Exception e) {
            connection.close();
            throw e;
        }
    }

    /** The rows a filter selects, in time order, on the chosen engine; returns how many. */
    public long select(Selection selection, Engine engine, LakeSession.RowSink sink)
            throws Exception
    {
        return switch (engine) {
            case TRINO -> {
                try (LakeSession session = open(selection.source())) {
                    String columns = selection.columns().stream()
                            .map(column -> DisplayColumn.byName(column).map(display -> "(" + display.sql() + ") AS " + SqlText.identifier(column))
                                    .orElseGet(() -> SqlText.identifier(column)))
                            .collect(Collectors.joining(", "));
                    yield session.query("SELECT " + columns + " FROM " + session.table(selection.table()) + " WHERE " + session.scope() + " AND ("
                            + selection.filter().predicate() + ") ORDER BY \"timestamp\", \"id\" LIMIT " + selection.limit(), sink);
                }
            }
            case LOCAL -> {
                requireReadable(selection.source());
                yield new LocalEngine(workDirectory).select(selection, sink);
            }
        };
    }

    /** Hides a snapshot's partitions again (after its deletion); a Trino that never saw them is left alone. */
    public void unregister(ObjectStore store, String id)
            throws Exception
    {
        try (Connection connection = trino.connectForDdl(); Statement statement = connection.createStatement()) {
            for (String call : ddlTables.unregisterPartition(LakeTables.schemaForStore(store), id)) {
                statement.execute(call);
            }
        }
    }

    /** Refuses, with the fix, a source that cannot answer: missing tables, a snapshot not dissected. */
    private void requireReadable(TableSource source)
            throws Exception
    {
        if (source instanceof TableSource.Directory directory) {
            if (!Files.isDirectory(directory.path().resolve(Table.API_CALLS.sqlName())) && !Files.isDirectory(directory.path().resolve(Table.FLOWS.sqlName()))) {
                throw new IllegalArgumentException(directory.path() + " is not a dissect output (no api_calls/ or flows/ in it)");
            }
            return;
        }
        TableSource.Snapshots snapshots = (TableSource.Snapshots) source;
        Snapshots catalog = new Snapshots(snapshots.store());
        for (String id : snapshots.ids()) {
            SnapshotStatus status = catalog.status(id);
            if (!status.state().equals(SnapshotStatus.DISSECTED)) {
                throw new IllegalArgumentException("snapshot " + id + " is " + status.state() + ", not dissected: run 'wirelake snapshot dissect " + id + "' first");
            }
        }
    }

    private void prepareStore(Connection connection, ObjectStore store, String schema)
            throws SQLException, java.io.IOException
    {
        if (store instanceof LocalObjectStore && !trino.readsLocalFiles()) {
            throw new IllegalArgumentException(trino.description() + " cannot read the local store " + store.location()
                    + ": query it with --engine local, or keep the lake on S3 for a shared Trino");
        }
        try (Statement statement = connection.createStatement()) {
            // Tables made by an older wirelake (other columns) are made again; their partitions are
            // registered again as they are queried.
            for (Table table : Table.values()) {
                List<String> columns = new ArrayList<>();
                try (ResultSet existing = statement.executeQuery("SELECT column_name FROM " + SqlText.identifier(ddlTables.catalog())
                        + ".information_schema.columns WHERE table_schema = " + SqlText.string(schema) + " AND table_name = " + SqlText.string(table.sqlName())
                        + " ORDER BY ordinal_position")) {
                    while (existing.next()) {
                        columns.add(existing.getString(1));
                    }
                }
                if (!columns.isEmpty() && !columns.equals(LakeTables.partitionedColumnNames(table))) {
                    statement.execute("DROP TABLE " + ddlTables.qualified(schema, table));
                }
            }
            for (String ddl : ddlTables.createPartitioned(schema, LakeTables.tablesLocation(store, trino))) {
                statement.execute(ddl);
            }
        }
    }

    /** Registers a snapshot's partitions once: a registered partition's files are read afresh by every query. */
    private void registerPartition(Connection connection, String schema, String id)
            throws SQLException
    {
        try (Statement statement = connection.createStatement()) {
            for (Table table : Table.values()) {
                if (isRegistered(statement, schema, table, id)) {
                    continue;
                }
                String call = ddlTables.registerPartition(schema, id).get(table.ordinal());
                try {
                    statement.execute(call);
                }
                catch (SQLException e) {
                    // Another process may have registered it in between.
                    if (!isRegistered(statement, schema, table, id)) {
                        throw e;
                    }
                }
            }
        }
    }

    private boolean isRegistered(Statement statement, String schema, Table table, String id)
            throws SQLException
    {
        try (ResultSet partitions = statement.executeQuery("SELECT count(*) FROM " + SqlText.identifier(ddlTables.catalog()) + "." + SqlText.identifier(schema)
                + "." + SqlText.identifier(table.sqlName() + "$partitions") + " WHERE " + SqlText.identifier(LakeTables.PARTITION_COLUMN) + " = " + SqlText.string(id))) {
            partitions.next();
            return partitions.getLong(1) > 0;
        }
    }
}
