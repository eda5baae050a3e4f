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
        return "CREATE TABLE " + qualified(schema, table) + " (" + String.join(", ", columns) + ") WITH (external_location = '"
                + location.replace("'", "''") + "', format = 'PARQUET')";
    }
}
