package io.wirelake.catalog;

import io.wirelake.columns.Column;
import io.wirelake.columns.Table;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.wirelake.columns.Columns.of;

/** Trino DDL for the tables, generated from the column declarations. */
public final class TrinoTables
{
    public static final String CATALOG = "hive";

    private TrinoTables() {}

    /** The schema that holds the tables of one {@code dissect} output directory. */
    public static String schemaForDirectory(Path directory)
    {
        String path = directory.toAbsolutePath().normalize().toString();
        return "data_" + Long.toHexString(path.hashCode() & 0xFFFFFFFFL) + "_" + Integer.toHexString(path.length());
    }

    /** External tables over a dissect output: DIR/api_calls and DIR/flows. */
    public static List<String> createForDirectory(Path directory)
    {
        String schema = schemaForDirectory(directory);
        List<String> statements = new ArrayList<>();
        statements.add("CREATE SCHEMA IF NOT EXISTS " + CATALOG + "." + schema);
        for (Table table : Table.values()) {
            statements.add("DROP TABLE IF EXISTS " + qualified(schema, table));
            statements.add(create(schema, table, "local://" + directory.toAbsolutePath().normalize().resolve(table.sqlName())));
        }
        return statements;
    }

    /**
     * External tables over the lake's layout, partitioned by snapshot:
     * {@code <tables>/api_calls/snapshot_id=<id>/*.parquet}. Partitions are invisible until
     * registered ({@link #registerPartition}).
     */
    public static List<String> createPartitioned(String schema, String tablesLocation)
    {
        List<String> statements = new ArrayList<>();
        statements.add("CREATE SCHEMA IF NOT EXISTS " + CATALOG + "." + identifier(schema));
        String base = tablesLocation.endsWith("/") ? tablesLocation : tablesLocation + "/";
        for (Table table : Table.values()) {
            List<String> columns = new ArrayList<>();
            for (Column column : of(table)) {
                columns.add("\"" + column.sqlName() + "\" " + column.type().trinoName());
            }
            columns.add("\"snapshot_id\" varchar");
            statements.add("CREATE TABLE IF NOT EXISTS " + qualified(schema, table) + " (" + String.join(", ", columns) + ") WITH (external_location = "
                    + literal(base + table.sqlName()) + ", format = 'PARQUET', partitioned_by = ARRAY['snapshot_id'])");
        }
        return statements;
    }

    /** Makes one snapshot's partition of both tables visible. */
    public static List<String> registerPartition(String schema, String snapshotId)
    {
        List<String> statements = new ArrayList<>();
        for (Table table : Table.values()) {
            statements.add("CALL " + CATALOG + ".system.register_partition(" + literal(schema) + ", " + literal(table.sqlName())
                    + ", ARRAY['snapshot_id'], ARRAY[" + literal(snapshotId) + "])");
        }
        return statements;
    }

    /** Hides one snapshot's partition of both tables again (its files are left alone). */
    public static List<String> unregisterPartition(String schema, String snapshotId)
    {
        List<String> statements = new ArrayList<>();
        for (Table table : Table.values()) {
            statements.add("CALL " + CATALOG + ".system.unregister_partition(" + literal(schema) + ", " + literal(table.sqlName())
                    + ", ARRAY['snapshot_id'], ARRAY[" + literal(snapshotId) + "])");
        }
        return statements;
    }

    private static String literal(String value)
    {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String identifier(String name)
    {
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("schema names are lower-case letters, digits and _: " + name);
        }
        return name;
    }

    public static String qualified(String schema, Table table)
    {
        return CATALOG + "." + schema + "." + table.sqlName();
    }

    static String create(String schema, Table table, String location)
    {
        List<String> columns = new ArrayList<>();
        for (Column column : of(table)) {
            columns.add("\"" + column.sqlName() + "\" " + column.type().trinoName());
        }
        return "CREATE TABLE " + qualified(schema, table) + " (" + String.join(", ", columns) + ") WITH (external_location = "
                + literal(location) + ", format = 'PARQUET')";
    }
}
