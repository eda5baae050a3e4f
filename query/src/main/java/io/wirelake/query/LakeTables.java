package io.wirelake.query;

import io.wirelake.columns.Column;
import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.kfl.SqlText;
import io.wirelake.store.LocalObjectStore;
import io.wirelake.store.ObjectStore;
import io.wirelake.store.S3Settings;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The Trino DDL of the lake's tables, generated from the column declarations, and the schemas
 * that hold them: one per dissect output directory ({@code data_<digest>}) and one per store
 * ({@code lake_<digest>}, partitioned by snapshot). Schema names carry 64 bits of a SHA-256 of the
 * location, so two locations do not share a schema by accident. Every identifier and literal goes
 * through {@link SqlText}.
 */
public final class LakeTables
{
    public static final String PARTITION_COLUMN = "snapshot_id";

    private final String catalog;

    public LakeTables(String catalog)
    {
        this.catalog = requireNonNull(catalog, "catalog is null");
    }

    public String catalog()
    {
        return catalog;
    }

    /** The schema that holds the tables of one {@code dissect} output directory. */
    public static String schemaForDirectory(Path directory)
    {
        return "data_" + digest(directory.toAbsolutePath().normalize().toString());
    }

    /** The schema of a store's tables, partitioned by snapshot. */
    public static String schemaForStore(ObjectStore store)
    {
        return "lake_" + digest(store.location());
    }

    /**
     * Where a store's tables live for a Trino of the operator's own ({@code catalog ddl}): the store's
     * URI, or for a directory the same path on the Trino's nodes ({@code local://}).
     */
    public static String tablesLocation(ObjectStore store)
    {
        return store instanceof LocalObjectStore local ? "local://" + local.root().toAbsolutePath().normalize() + "/tables" : store.uri("tables");
    }

    /** Where a store's tables live, as this Trino names it: under the location it reads the store's directory at, or the store's URI. */
    public static String tablesLocation(ObjectStore store, TrinoAccess trino)
            throws java.io.IOException
    {
        return store instanceof LocalObjectStore local ? trino.localLocation(local.root()) + "/tables" : store.uri("tables");
    }

    public String qualified(String schema, Table table)
    {
        return SqlText.identifier(catalog) + "." + SqlText.identifier(schema) + "." + SqlText.identifier(table.sqlName());
    }

    /**
     * External tables over a dissect output, made afresh: {@code <location>/api_calls} and
     * {@code <location>/flows}, where {@code location} is how Trino reaches the directory
     * ({@link TrinoAccess#localLocation}).
     */
    public List<String> createForDirectory(Path directory, String location)
    {
        String schema = schemaForDirectory(directory);
        List<String> statements = new ArrayList<>();
        statements.add("CREATE SCHEMA IF NOT EXISTS " + SqlText.identifier(catalog) + "." + SqlText.identifier(schema));
        for (Table table : Table.values()) {
            statements.add("DROP TABLE IF EXISTS " + qualified(schema, table));
            statements.add("CREATE TABLE " + qualified(schema, table) + " (" + String.join(", ", columnDefinitions(table)) + ") WITH (external_location = "
                    + SqlText.string(location + "/" + table.sqlName()) + ", format = 'PARQUET')");
        }
        return statements;
    }

    /**
     * External tables over the lake's layout, partitioned by snapshot:
     * {@code <tables>/api_calls/snapshot_id=<id>/*.parquet}. Partitions are invisible until
     * registered ({@link #registerPartition}).
     */
    public List<String> createPartitioned(String schema, String tablesLocation)
    {
        List<String> statements = new ArrayList<>();
        statements.add("CREATE SCHEMA IF NOT EXISTS " + SqlText.identifier(catalog) + "." + SqlText.identifier(schema));
        String base = tablesLocation.endsWith("/") ? tablesLocation : tablesLocation + "/";
        for (Table table : Table.values()) {
            List<String> columns = columnDefinitions(table);
            columns.add(SqlText.identifier(PARTITION_COLUMN) + " varchar");
            statements.add("CREATE TABLE IF NOT EXISTS " + qualified(schema, table) + " (" + String.join(", ", columns) + ") WITH (external_location = "
                    + SqlText.string(base + table.sqlName()) + ", format = 'PARQUET', partitioned_by = ARRAY[" + SqlText.string(PARTITION_COLUMN) + "])");
        }
        return statements;
    }

    /**
     * The properties of a Trino catalog over a store, as an operator installs them
     * ({@code etc/catalog/<name>.properties} on every node): the Hive connector with a file
     * metastore in the store ({@code metastore/}), Trino's native S3 (or local) file system, and
     * the settings KFL's semantics need (microsecond timestamps, UTC Parquet times, the
     * register-partition procedure, no writes to the lake's tables). The Helm chart's
     * {@code trino.catalogs.wirelake} says the same (a test compares them).
     */
    public static List<String> catalogProperties(ObjectStore store, S3Settings s3)
    {
        List<String> properties = new ArrayList<>();
        properties.add("connector.name=hive");
        properties.add("hive.metastore=file");
        if (store instanceof LocalObjectStore local) {
            properties.add("hive.metastore.catalog.dir=local://" + local.root().toAbsolutePath().normalize().resolve("metastore"));
            properties.add("fs.native-local.enabled=true");
            properties.add("local.location=/");
        }
        else {
            properties.add("hive.metastore.catalog.dir=" + store.uri("metastore"));
            properties.add("fs.native-s3.enabled=true");
            properties.add("s3.region=" + s3.region());
            s3.endpoint().ifPresent(endpoint -> properties.add("s3.endpoint=" + endpoint));
            properties.add("s3.path-style-access=" + s3.pathStyle());
        }
        properties.add("hive.timestamp-precision=MICROSECONDS");
        properties.add("hive.parquet.time-zone=UTC");
        properties.add("hive.non-managed-table-writes-enabled=false");
        properties.add("hive.allow-register-partition-procedure=true");
        return properties;
    }

    /** The column names a partitioned table of this wirelake has, in order (to find tables an older one made). */
    public static List<String> partitionedColumnNames(Table table)
    {
        List<String> names = new ArrayList<>(Columns.of(table).stream().map(Column::sqlName).toList());
        names.add(PARTITION_COLUMN);
        return names;
    }

    /** Makes one snapshot's partition of both tables visible. */
    public List<String> registerPartition(String schema, String snapshotId)
    {
        return partitionCalls("register_partition", schema, snapshotId);
    }

    /** Hides one snapshot's partition of both tables again (its files are left alone). */
    public List<String> unregisterPartition(String schema, String snapshotId)
    {
        return partitionCalls("unregister_partition", schema, snapshotId);
    }

    private List<String> partitionCalls(String procedure, String schema, String snapshotId)
    {
        List<String> statements = new ArrayList<>();
        for (Table table : Table.values()) {
            statements.add("CALL " + SqlText.identifier(catalog) + ".system." + procedure + "(" + SqlText.string(schema) + ", " + SqlText.string(table.sqlName())
                    + ", ARRAY[" + SqlText.string(PARTITION_COLUMN) + "], ARRAY[" + SqlText.string(snapshotId) + "])");
        }
        return statements;
    }

    private static List<String> columnDefinitions(Table table)
    {
        List<String> columns = new ArrayList<>();
        for (Column column : Columns.of(table)) {
            columns.add(SqlText.identifier(column.sqlName()) + " " + column.type().trinoName());
        }
        return columns;
    }

    private static String digest(String text)
    {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 8);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
