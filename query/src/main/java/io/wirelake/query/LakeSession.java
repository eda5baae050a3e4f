package io.wirelake.query;

import io.wirelake.columns.Table;
import io.wirelake.kfl.SqlText;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * An open Trino connection with a source's tables ready: created, and the snapshots' partitions
 * registered. {@link #table} names a table, {@link #scope} is the predicate that keeps a query to
 * the source's rows (the snapshots' partitions; everything for a directory).
 */
public final class LakeSession
        implements AutoCloseable
{
    /** Receives the rows of a query, values as plain Java objects ({@link #plain}). */
    public interface RowSink
    {
        default void columns(List<String> names) {}

        void row(List<Object> values)
                throws Exception;
    }

    private final Connection connection;
    private final LakeTables tables;
    private final String schema;
    private final TableSource source;

    LakeSession(Connection connection, LakeTables tables, String schema, TableSource source)
    {
        this.connection = requireNonNull(connection, "connection is null");
        this.tables = requireNonNull(tables, "tables is null");
        this.schema = requireNonNull(schema, "schema is null");
        this.source = requireNonNull(source, "source is null");
    }

    public Connection connection()
    {
        return connection;
    }

    public String schema()
    {
        return schema;
    }

    public TableSource source()
    {
        return source;
    }

    /** The qualified name of one of the lake's tables. */
    public String table(Table table)
    {
        return tables.qualified(schema, table);
    }

    /** The predicate that keeps a query to the source's rows. */
    public String scope()
    {
        if (source instanceof TableSource.Snapshots snapshots) {
            return SqlText.identifier(LakeTables.PARTITION_COLUMN) + " IN (" + snapshots.ids().stream().map(SqlText::string).collect(Collectors.joining(", ")) + ")";
        }
        return "TRUE";
    }

    /** Runs a query and hands every row to the sink; returns the number of rows. */
    public long query(String sql, RowSink sink)
            throws Exception
    {
        return query(connection, sql, sink);
    }

    /** Runs a query on any Trino connection (plain SQL, no lake tables prepared). */
    public static long query(Connection connection, String sql, RowSink sink)
            throws Exception
    {
        long count = 0;
        try (Statement statement = connection.createStatement(); ResultSet results = statement.executeQuery(sql)) {
            ResultSetMetaData metadata = results.getMetaData();
            List<String> names = new ArrayList<>();
            for (int index = 1; index <= metadata.getColumnCount(); index++) {
                names.add(metadata.getColumnLabel(index));
            }
            sink.columns(List.copyOf(names));
            while (results.next()) {
                List<Object> row = new ArrayList<>(names.size());
                for (int index = 1; index <= names.size(); index++) {
                    row.add(plain(results.getObject(index)));
                }
                sink.row(row);
                count++;
            }
        }
        return count;
    }

    /** All rows of a query, for small answers (aggregates, reports). */
    public List<List<Object>> rows(String sql)
            throws Exception
    {
        List<List<Object>> rows = new ArrayList<>();
        query(sql, rows::add);
        return rows;
    }

    /** Trino's timestamps (no zone, read in a UTC session) become Instants, arrays lists; everything else stays as the driver gives it. */
    public static Object plain(Object value)
            throws SQLException
    {
        if (value instanceof Timestamp timestamp) {
            return timestamp.toLocalDateTime().toInstant(ZoneOffset.UTC);
        }
        if (value instanceof java.sql.Array array) {
            List<Object> list = new ArrayList<>();
            for (Object element : (Object[]) array.getArray()) {
                list.add(plain(element));
            }
            return list;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object element : list) {
                copy.add(plain(element));
            }
            return copy;
        }
        return value;
    }

    @Override
    public void close()
            throws SQLException
    {
        connection.close();
    }
}
