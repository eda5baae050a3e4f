package io.wirelake.query;

import io.wirelake.catalog.Directories;
import io.wirelake.columns.Table;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Tables partitioned by snapshot: a partition's rows appear in Trino once it is registered, and only its rows. */
class PartitionedTablesTest
{
    @Test
    void registeredPartitionsAreQueryableAndOthersAreNot()
            throws Exception
    {
        Path lake = Path.of("target", "lake-partitioned").toAbsolutePath();
        Directories.deleteTree(lake);
        List<GenericData.Record> first = GeneratedRows.generate(30, 1);
        List<GenericData.Record> second = GeneratedRows.generate(20, 2);
        GeneratedRows.write(first, lake.resolve("tables/api_calls/snapshot_id=incident-1/part-0.parquet"));
        GeneratedRows.write(second, lake.resolve("tables/api_calls/snapshot_id=daily-2026-03-14/part-0.parquet"));
        java.nio.file.Files.createDirectories(lake.resolve("tables/flows/snapshot_id=incident-1"));
        java.nio.file.Files.createDirectories(lake.resolve("tables/flows/snapshot_id=daily-2026-03-14"));
        String schema = "lake_test";
        for (String statement : SharedTrino.ddl().createPartitioned(schema, SharedTrino.get().locationOf(lake) + "/tables")) {
            SharedTrino.executeAsAdmin(statement);
        }
        String table = SharedTrino.queries().qualified(schema, Table.API_CALLS);
        assertThat(SharedTrino.ids("SELECT id FROM " + table)).as("nothing before registration").isEmpty();

        for (String statement : SharedTrino.ddl().registerPartition(schema, "incident-1")) {
            SharedTrino.executeAsAdmin(statement);
        }
        assertThat(SharedTrino.ids("SELECT id FROM " + table + " ORDER BY id")).hasSize(30);
        assertThat(SharedTrino.ids("SELECT count(*) FROM " + table + " WHERE snapshot_id = 'incident-1'")).containsExactly(30L);

        for (String statement : SharedTrino.ddl().registerPartition(schema, "daily-2026-03-14")) {
            SharedTrino.executeAsAdmin(statement);
        }
        assertThat(SharedTrino.ids("SELECT count(*) FROM " + table)).containsExactly(50L);
        assertThat(SharedTrino.ids("SELECT count(*) FROM " + table + " WHERE snapshot_id = 'daily-2026-03-14'")).containsExactly(20L);
    }
}
