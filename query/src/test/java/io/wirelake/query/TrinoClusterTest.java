package io.wirelake.query;

import io.wirelake.columns.Table;
import io.wirelake.kfl.CompiledFilter;
import io.wirelake.kfl.KflCompiler;
import io.wirelake.kfl.KflEvaluator;
import io.wirelake.store.S3ObjectStore;
import io.wirelake.store.testing.SharedS3Proxy;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Trino with a worker ({@link TrinoCluster}: a coordinator that schedules nothing on itself and a
 * worker, HTTPS and a password file) gives the answers of the single node ({@link SharedTrino})
 * and of CEL: the KFL differential's filters, and snapshot queries through {@code --trino URL}'s
 * access (user, password, trust store from the WIRELAKE_TRINO_* variables).
 */
class TrinoClusterTest
{
    private static final Instant NOW = Instant.parse("2026-03-14T22:30:00Z");

    static List<GenericData.Record> rows;
    static String table;

    @BeforeAll
    static void load()
            throws Exception
    {
        rows = GeneratedRows.generate(400, 11);
        Path data = Path.of("target", "differential-cluster").toAbsolutePath();
        GeneratedRows.write(rows, data.resolve("api_calls/rows.parquet"));
        GeneratedRows.write(List.of(), data.resolve("flows/empty.parquet"));
        // the cluster's hive catalog reads local files; the single node's tables are made in its admin catalog, as wirelake makes them
        for (String statement : new LakeTables("hive").createForDirectory(data, "local://" + data)) {
            TrinoCluster.get().execute("hive", statement);
        }
        for (String statement : SharedTrino.ddl().createForDirectory(data, SharedTrino.get().locationOf(data))) {
            SharedTrino.executeAsAdmin(statement);
        }
        table = new LakeTables("hive").qualified(LakeTables.schemaForDirectory(data), Table.API_CALLS);
    }

    @Test
    void kflFiltersSelectWhatTheSingleNodeAndCelSelect()
            throws Exception
    {
        // The edge cases and a hundred random filters: what a cluster could change is where the rows
        // are read, not what a predicate means (KflTrinoDifferentialTest holds a thousand against CEL
        // on the single node), and each filter runs on both engines here, in IdQueries' batches.
        Set<String> filters = new LinkedHashSet<>(KflTrinoDifferentialTest.EDGE_CASES);
        FilterGenerator generator = new FilterGenerator(2027);
        while (filters.size() < KflTrinoDifferentialTest.EDGE_CASES.size() + 100) {
            filters.add(generator.next());
        }
        KflCompiler compiler = new KflCompiler();
        List<String> kfls = new ArrayList<>(filters);
        List<List<Long>> cel = new ArrayList<>();
        List<String> selects = new ArrayList<>();
        int discriminating = 0;
        for (String kfl : kfls) {
            CompiledFilter filter = compiler.compile(kfl, Optional.of(Table.API_CALLS), NOW);
            KflEvaluator evaluator = new KflEvaluator(filter);
            List<Long> selected = rows.stream().filter(row -> evaluator.matches(GeneratedRows.asMap(row))).map(row -> (Long) row.get("id")).toList();
            if (!selected.isEmpty() && selected.size() < rows.size()) {
                discriminating++;
            }
            cel.add(selected);
            selects.add("SELECT id FROM " + table + " WHERE " + filter.predicate());
        }
        long workerTasksBefore = workerTasks();
        AtomicInteger clusterQueries = new AtomicInteger();
        List<IdQueries.Answer> cluster = IdQueries.run(selects, sql -> {
            List<Long> ids = TrinoCluster.get().ids("hive", sql);
            clusterQueries.incrementAndGet();
            return ids;
        });
        List<IdQueries.Answer> single = IdQueries.run(selects, SharedTrino::ids);
        List<String> disagreements = new ArrayList<>();
        for (int index = 0; index < kfls.size(); index++) {
            List<Long> onCluster = answer(cluster.get(index));
            List<Long> onSingle = answer(single.get(index));
            if (!onCluster.equals(onSingle) || !onCluster.equals(cel.get(index))) {
                disagreements.add(kfls.get(index) + "\n    cluster " + onCluster.size() + " rows, single node " + onSingle.size() + ", CEL " + cel.get(index).size());
            }
        }
        assertThat(disagreements).isEmpty();
        assertThat(discriminating).as("filters that select some but not all rows").isGreaterThan(60);
        // The worker did the reading: the coordinator schedules no table scans on itself (only its own system tables).
        // Every query that read the table had a task there.
        assertThat(workerTasks() - workerTasksBefore).as("tasks on the worker for %d queries", clusterQueries.get()).isGreaterThanOrEqualTo(clusterQueries.get());
    }

    @Test
    void snapshotQueriesThroughTheTrinoUrlOverHttpsWithAPassword()
            throws Exception
    {
        String prefix = "trino-cluster-" + UUID.randomUUID();
        List<GenericData.Record> snapshotRows = GeneratedRows.generate(120, 23);
        Path bucket = SharedS3Proxy.bucketDirectory().resolve(prefix);
        GeneratedRows.write(snapshotRows, bucket.resolve("tables/api_calls/snapshot_id=day-1/part-0.parquet"));
        GeneratedRows.write(List.of(), bucket.resolve("tables/flows/snapshot_id=day-1/part-0.parquet"));
        try (S3ObjectStore store = SharedS3Proxy.store(prefix)) {
            // A dissected snapshot as the catalog records one (queries refuse others).
            store.put(io.wirelake.store.Layout.manifest("day-1"), new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(
                    new io.wirelake.catalog.snapshot.Manifest(io.wirelake.catalog.snapshot.Manifest.VERSION, "day-1", NOW.toString(), 0, 1, List.of("n1"),
                            List.of(), List.of(), null)));
            new io.wirelake.catalog.snapshot.Snapshots(store).writeStatus(io.wirelake.catalog.snapshot.SnapshotStatus.of("day-1",
                    io.wirelake.catalog.snapshot.SnapshotStatus.DISSECTED));
        }
        CompiledFilter filter = new KflCompiler().compile("http && (status_code >= 500 || path.startsWith(\"/api\"))", NOW);
        KflEvaluator evaluator = new KflEvaluator(filter);
        List<Long> cel = snapshotRows.stream().filter(row -> evaluator.matches(GeneratedRows.asMap(row))).map(row -> (Long) row.get("id")).sorted().toList();

        // What every command gets from WIRELAKE_TRINO_URL, _USER, _PASSWORD and _TRUSTSTORE (or --trino URL).
        TrinoAccess access = TrinoAccess.fromEnvironment(TrinoCluster.get().environment(), Optional.empty(), notice -> {});
        assertThat(access).isInstanceOf(TrinoAccess.Remote.class);
        assertThat(access.toString()).doesNotContain(TrinoCluster.get().environment().get("WIRELAKE_TRINO_PASSWORD"));
        List<Long> cluster;
        List<Long> single;
        try (S3ObjectStore store = SharedS3Proxy.store(prefix)) {
            cluster = snapshotIds(new QueryService(access), store, filter);
            single = snapshotIds(new QueryService(new TrinoAccess.Local(SharedTrino.get(), notice -> {})), store, filter);
        }
        assertThat(cluster).isEqualTo(single).isEqualTo(cel).isNotEmpty();

        Map<String, String> wrongPassword = new java.util.HashMap<>(TrinoCluster.get().environment());
        wrongPassword.put("WIRELAKE_TRINO_PASSWORD", "not-the-password");
        assertThatThrownBy(() -> TrinoAccess.fromEnvironment(wrongPassword, Optional.empty(), notice -> {}).connect().createStatement().execute("SELECT 1"))
                .isInstanceOf(SQLException.class)
                .satisfies(error -> assertThat(error.getMessage().toLowerCase(java.util.Locale.ROOT)).containsAnyOf("credentials", "unauthorized", "authentication"));
        Map<String, String> noTrustStore = new java.util.HashMap<>(TrinoCluster.get().environment());
        noTrustStore.remove("WIRELAKE_TRINO_TRUSTSTORE");
        assertThatThrownBy(() -> TrinoAccess.fromEnvironment(noTrustStore, Optional.empty(), notice -> {}).connect().createStatement().execute("SELECT 1"))
                .isInstanceOf(SQLException.class);
    }

    private static List<Long> snapshotIds(QueryService queries, S3ObjectStore store, CompiledFilter filter)
            throws Exception
    {
        try (LakeSession session = queries.open(TableSource.snapshot(store, "day-1"))) {
            List<Long> ids = new ArrayList<>();
            for (List<Object> row : session.rows("SELECT id FROM " + session.table(Table.API_CALLS) + " WHERE " + session.scope() + " AND ("
                    + filter.predicate() + ") ORDER BY id")) {
                ids.add(((Number) row.get(0)).longValue());
            }
            return ids;
        }
    }

    private static long workerTasks()
            throws Exception
    {
        return TrinoCluster.get().ids("hive", "SELECT count(*) FROM system.runtime.tasks WHERE node_id = 'worker'").get(0);
    }

    /** A failed query's answer is [-1]: the engines agree when both fail, and never agree with CEL then. */
    private static List<Long> answer(IdQueries.Answer answer)
    {
        return answer.failed() ? List.of(-1L) : answer.ids();
    }
}
