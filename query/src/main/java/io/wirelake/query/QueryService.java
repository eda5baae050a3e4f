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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
                prepareSnapshots(ddl, snapshots.store(), schema, snapshots.ids());
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
                    yield select(session, selection, sink);
                }
            }
            case LOCAL -> {
                requireReadable(selection.source());
                yield new LocalEngine(workDirectory).select(selection, sink);
            }
        };
    }

    /** The rows a filter selects on Trino, in time order, in a session {@link #open} made for the selection's source; returns how many. */
    public long select(LakeSession session, Selection selection, LakeSession.RowSink sink)
            throws Exception
    {
        if (!session.source().equals(selection.source())) {
            throw new IllegalArgumentException("the session is open on " + session.source() + ", the selection is of " + selection.source());
        }
        String columns = selection.columns().stream()
                .map(column -> DisplayColumn.byName(column).map(display -> "(" + display.sql() + ") AS " + SqlText.identifier(column))
                        .orElseGet(() -> SqlText.identifier(column)))
                .collect(Collectors.joining(", "));
        return session.query("SELECT " + columns + " FROM " + session.table(selection.table()) + " WHERE " + session.scope() + " AND ("
                + selection.filter().predicate() + ") ORDER BY \"timestamp\", \"id\" LIMIT " + selection.limit(), sink);
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

    /**
     * Makes the lake's tables in the store's schema as this wirelake makes them (again, when an older
     * one made them with other columns) and registers the snapshots' partitions. Every query opens a
     * session and every statement costs a round trip (some 200 ms on two cores), so the usual case,
     * where all is in place, costs one: the tables' columns and the registered partitions, asked together.
     */
    private void prepareSnapshots(Connection connection, ObjectStore store, String schema, List<String> ids)
            throws SQLException, java.io.IOException
    {
        if (store instanceof LocalObjectStore && !trino.readsLocalFiles()) {
            throw new IllegalArgumentException(trino.description() + " cannot read the local store " + store.location()
                    + ": query it with --engine local, or keep the lake on S3 for a shared Trino");
        }
        try (Statement statement = connection.createStatement()) {
            Lake lake;
            try {
                lake = Lake.read(statement, ddlTables.catalog(), schema, ids);
            }
            catch (SQLException e) {
                // A table is missing (its $partitions with it): look at the columns alone, and make what is missing.
                lake = Lake.read(statement, ddlTables.catalog(), schema, List.of());
                boolean missing = false;
                for (Table table : Table.values()) {
                    missing |= lake.columns(table).isEmpty();
                }
                if (!missing) {
                    // Every table is there: the failure was something else, and it is the one to report.
                    throw e;
                }
            }
            boolean ready = true;
            for (Table table : Table.values()) {
                List<String> columns = lake.columns(table);
                // Tables made by an older wirelake (other columns) are made again; their partitions are
                // registered again as they are queried.
                if (!columns.isEmpty() && !columns.equals(LakeTables.partitionedColumnNames(table))) {
                    statement.execute("DROP TABLE " + ddlTables.qualified(schema, table));
                    ready = false;
                }
                else if (columns.isEmpty()) {
                    ready = false;
                }
            }
            if (!ready) {
                for (String ddl : ddlTables.createPartitioned(schema, LakeTables.tablesLocation(store, trino))) {
                    statement.execute(ddl);
                }
                lake = Lake.read(statement, ddlTables.catalog(), schema, ids);
            }
            for (String id : ids) {
                for (Table table : Table.values()) {
                    if (!lake.registered(table, id)) {
                        registerPartition(statement, schema, table, id);
                    }
                }
            }
        }
    }

    /** What a schema holds: each table's columns in order, and which of some snapshots' partitions are registered. */
    private record Lake(Map<String, List<String>> columns, Set<String> partitions)
    {
        /** One statement; fails when {@code ids} are asked for and a table is missing. */
        static Lake read(Statement statement, String catalog, String schema, List<String> ids)
                throws SQLException
        {
            StringBuilder sql = new StringBuilder("SELECT 'column', table_name, column_name, ordinal_position FROM " + SqlText.identifier(catalog)
                    + ".information_schema.columns WHERE table_schema = " + SqlText.string(schema));
            if (!ids.isEmpty()) {
                String wanted = ids.stream().map(SqlText::string).collect(Collectors.joining(", "));
                for (Table table : Table.values()) {
                    sql.append(" UNION ALL SELECT 'partition', ").append(SqlText.string(table.sqlName())).append(", ")
                            .append(SqlText.identifier(LakeTables.PARTITION_COLUMN)).append(", 0 FROM ")
                            .append(SqlText.identifier(catalog)).append(".").append(SqlText.identifier(schema)).append(".")
                            .append(SqlText.identifier(table.sqlName() + "$partitions")).append(" WHERE ")
                            .append(SqlText.identifier(LakeTables.PARTITION_COLUMN)).append(" IN (").append(wanted).append(")");
                }
            }
            Map<String, TreeMap<Long, String>> columns = new HashMap<>();
            Set<String> partitions = new HashSet<>();
            try (ResultSet rows = statement.executeQuery(sql.toString())) {
                while (rows.next()) {
                    if (rows.getString(1).equals("column")) {
                        columns.computeIfAbsent(rows.getString(2), name -> new TreeMap<>()).put(rows.getLong(4), rows.getString(3));
                    }
                    else {
                        partitions.add(rows.getString(2) + "/" + rows.getString(3));
                    }
                }
            }
            Map<String, List<String>> ordered = new HashMap<>();
            columns.forEach((table, byPosition) -> ordered.put(table, List.copyOf(byPosition.values())));
            return new Lake(ordered, partitions);
        }

        List<String> columns(Table table)
        {
            return columns.getOrDefault(table.sqlName(), List.of());
        }

        boolean registered(Table table, String id)
        {
            return partitions.contains(table.sqlName() + "/" + id);
        }
    }

    /** Registers one partition; its files are read afresh by every query from then on. */
    private void registerPartition(Statement statement, String schema, Table table, String id)
            throws SQLException
    {
        try {
            statement.execute(ddlTables.registerPartition(schema, id).get(table.ordinal()));
        }
        catch (SQLException e) {
            // Another process may have registered it in between.
            if (!isRegistered(statement, schema, table, id)) {
                throw e;
            }
        }
    }

    private String partitionsTable(String schema, Table table)
    {
        return SqlText.identifier(ddlTables.catalog()) + "." + SqlText.identifier(schema) + "." + SqlText.identifier(table.sqlName() + "$partitions");
    }

    private boolean isRegistered(Statement statement, String schema, Table table, String id)
            throws SQLException
    {
        try (ResultSet partitions = statement.executeQuery("SELECT count(*) FROM " + partitionsTable(schema, table) + " WHERE " + SqlText.identifier(LakeTables.PARTITION_COLUMN) + " = " + SqlText.string(id))) {
            partitions.next();
            return partitions.getLong(1) > 0;
        }
    }
}
