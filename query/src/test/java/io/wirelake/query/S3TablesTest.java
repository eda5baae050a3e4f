package io.wirelake.query;

import io.wirelake.store.testing.SharedS3Proxy;

import io.wirelake.columns.Table;
import io.wirelake.kfl.CompiledFilter;
import io.wirelake.kfl.KflCompiler;
import io.wirelake.kfl.KflEvaluator;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The Hive catalog reads s3:// locations through Trino's native S3, here against S3Proxy. */
class S3TablesTest
{
    @Test
    void snapshotPartitionsOnS3AreQueryable()
            throws Exception
    {
        Path bucket = SharedS3Proxy.bucketDirectory();
        List<GenericData.Record> rows = GeneratedRows.generate(60, 5);
        GeneratedRows.write(rows, bucket.resolve("tables/api_calls/snapshot_id=s3-snap/part-0.parquet"));
        GeneratedRows.write(List.of(), bucket.resolve("tables/flows/snapshot_id=s3-snap/part-0.parquet"));
        String schema = "s3_lake";
        for (String statement : SharedTrino.ddl().createPartitioned(schema, "s3://" + SharedS3Proxy.BUCKET + "/tables")) {
            SharedTrino.executeAsAdmin(statement);
        }
        for (String statement : SharedTrino.ddl().registerPartition(schema, "s3-snap")) {
            SharedTrino.executeAsAdmin(statement);
        }
        String table = SharedTrino.queries().qualified(schema, Table.API_CALLS);
        assertThat(SharedTrino.ids("SELECT count(*) FROM " + table + " WHERE snapshot_id = 's3-snap'")).containsExactly(60L);

        CompiledFilter filter = new KflCompiler().compile("http && (status_code >= 500 || path.startsWith(\"/api\"))", Instant.now());
        KflEvaluator evaluator = new KflEvaluator(filter);
        List<Long> expected = rows.stream().filter(row -> evaluator.matches(GeneratedRows.asMap(row))).map(row -> (Long) row.get("id")).sorted().toList();
        assertThat(SharedTrino.ids("SELECT id FROM " + table + " WHERE " + filter.predicate() + " ORDER BY id")).isEqualTo(expected).isNotEmpty();
        assertThat(Files.readString(Path.of("target", "trino-home", "etc", "catalog", "hive.properties")))
                .contains("fs.native-s3.enabled=true")
                .doesNotContain(SharedS3Proxy.CREDENTIAL);
    }
}
