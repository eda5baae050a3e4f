package io.wirelake.query;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.catalog.Directories;
import io.wirelake.catalog.snapshot.Manifest;
import io.wirelake.catalog.snapshot.SnapshotStatus;
import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.columns.Table;
import io.wirelake.store.Layout;
import io.wirelake.store.LocalObjectStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a session on snapshots prepares, on a real Trino: the store's tables made on first use,
 * each snapshot's partitions registered once, nothing but one look when all is in place, and
 * tables an older wirelake made with other columns (or a table gone) made again.
 */
class QueryServiceSessionsTest
{
    private static final String NOW = "2026-03-14T22:30:00Z";

    private static Path root;
    private static QueryService service;

    @BeforeAll
    static void store()
            throws Exception
    {
        root = Path.of("target", "query-service-sessions").toAbsolutePath();
        Directories.deleteTree(root);
        try (LocalObjectStore store = new LocalObjectStore(root)) {
            snapshot(store, "day-1", 30, 1);
            snapshot(store, "day-2", 20, 2);
        }
        service = new QueryService(new TrinoAccess.Local(SharedTrino.get(), notice -> {}));
    }

    @Test
    void eachSnapshotIsRegisteredOnceAndAPreparedLakeCostsOneStatement()
            throws Exception
    {
        try (LocalObjectStore store = new LocalObjectStore(root)) {
            assertThat(count(store, List.of("day-1"))).isEqualTo(30);
            assertThat(count(store, List.of("day-1", "day-2"))).isEqualTo(50);
            assertThat(count(store, List.of("day-2"))).isEqualTo(20);

            String schema = LakeTables.schemaForStore(store);
            long before = adminStatements(schema);
            assertThat(count(store, List.of("day-1", "day-2"))).isEqualTo(50);
            assertThat(adminStatements(schema) - before).as("statements of the admin user to prepare a session on a prepared lake").isEqualTo(1);
        }
    }

    @Test
    void tablesOfOtherColumnsOrGoneAreMadeAgain()
            throws Exception
    {
        try (LocalObjectStore store = new LocalObjectStore(root)) {
            assertThat(count(store, List.of("day-1"))).isEqualTo(30);
            String schema = LakeTables.schemaForStore(store);
            // As an older wirelake made it: fewer columns, the same partitioning.
            SharedTrino.executeAsAdmin("DROP TABLE " + SharedTrino.ddl().qualified(schema, Table.API_CALLS));
            SharedTrino.executeAsAdmin("CREATE TABLE " + SharedTrino.ddl().qualified(schema, Table.API_CALLS)
                    + " (id bigint, snapshot_id varchar) WITH (external_location = " + io.wirelake.kfl.SqlText.string(LakeTables.tablesLocation(store,
                    service.trino()) + "/api_calls") + ", format = 'PARQUET', partitioned_by = ARRAY['snapshot_id'])");
            // With a partition registered, which the table made again will not have.
            SharedTrino.executeAsAdmin(SharedTrino.ddl().registerPartition(schema, "day-1").get(Table.API_CALLS.ordinal()));
            assertThat(count(store, List.of("day-1", "day-2"))).isEqualTo(50);
            assertThat(columns(schema, Table.API_CALLS)).isEqualTo(LakeTables.partitionedColumnNames(Table.API_CALLS));

            // A table gone.
            SharedTrino.executeAsAdmin("DROP TABLE " + SharedTrino.ddl().qualified(schema, Table.FLOWS));
            assertThat(count(store, List.of("day-1", "day-2"))).isEqualTo(50);
            for (Table table : Table.values()) {
                assertThat(columns(schema, table)).as(table.sqlName()).isEqualTo(LakeTables.partitionedColumnNames(table));
            }
            for (Table table : Table.values()) {
                assertThat(partitions(schema, table)).as(table.sqlName()).containsExactly("day-1", "day-2");
            }
        }
    }

    private static long count(LocalObjectStore store, List<String> ids)
            throws Exception
    {
        try (LakeSession session = service.open(TableSource.snapshots(store, ids))) {
            return ((Number) session.rows("SELECT count(*) FROM " + session.table(Table.API_CALLS) + " WHERE " + session.scope()).get(0).get(0)).longValue();
        }
    }

    /** How many statements the admin user has run that name the schema, from Trino's own record of its queries. */
    private static long adminStatements(String schema)
            throws Exception
    {
        try (Connection connection = SharedTrino.get().connectAsAdmin(); Statement statement = connection.createStatement();
                ResultSet results = statement.executeQuery("SELECT count(*) FROM system.runtime.queries WHERE \"user\" = current_user AND strpos(query, '" + schema + "') > 0 AND strpos(query, 'system.runtime.queries') = 0")) {
            results.next();
            return results.getLong(1);
        }
    }

    private static List<String> partitions(String schema, Table table)
            throws Exception
    {
        List<String> ids = new ArrayList<>();
        try (Connection connection = SharedTrino.get().connectAsAdmin(); Statement statement = connection.createStatement();
                ResultSet results = statement.executeQuery("SELECT snapshot_id FROM \"" + schema + "\".\"" + table.sqlName() + "$partitions\" ORDER BY 1")) {
            while (results.next()) {
                ids.add(results.getString(1));
            }
        }
        return ids;
    }

    private static List<String> columns(String schema, Table table)
            throws Exception
    {
        List<String> names = new ArrayList<>();
        try (Connection connection = SharedTrino.get().connectAsAdmin(); Statement statement = connection.createStatement();
                ResultSet results = statement.executeQuery("SELECT column_name FROM information_schema.columns WHERE table_schema = '" + schema
                        + "' AND table_name = '" + table.sqlName() + "' ORDER BY ordinal_position")) {
            while (results.next()) {
                names.add(results.getString(1));
            }
        }
        return names;
    }

    private static void snapshot(LocalObjectStore store, String id, int rows, int seed)
            throws Exception
    {
        GeneratedRows.write(GeneratedRows.generate(rows, seed), root.resolve("tables/api_calls/snapshot_id=" + id + "/part-0.parquet"));
        GeneratedRows.write(List.of(), root.resolve("tables/flows/snapshot_id=" + id + "/part-0.parquet"));
        // A dissected snapshot as the catalog records one (sessions refuse others).
        store.put(Layout.manifest(id), new ObjectMapper().writeValueAsBytes(new Manifest(Manifest.VERSION, id, NOW, 0, 1, List.of("n1"), List.of(), List.of(), null)));
        new Snapshots(store).writeStatus(SnapshotStatus.of(id, SnapshotStatus.DISSECTED));
    }
}
