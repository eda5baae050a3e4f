package io.wirelake.query;

import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.io.LocalOutputFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Rows for differential tests: every column type, with the values that break translations:
 * empty strings and collections, missing map keys, quotes, backslashes, LIKE and regex
 * metacharacters, comment markers, control characters, unicode beyond the BMP, extreme integers.
 */
final class GeneratedRows
{
    static final List<String> STRINGS = List.of("", "GET", "POST", "a", "A", "ab", "abc", "b", "/api/v1/users", "/api/v2/orders/17",
            "it's", "quote\"d", "back\\slash", "100%", "under_score", "-- comment", "/* c */", "é", "中文", "😀emoji", "line\nbreak", "tab\tx",
            ".*+?()[]{}|^$", "a.b", "%_%", "GET ", " GET", "x'; DROP TABLE t; --", "production", "checkout", "example.com", "x.example.com");
    static final List<Long> INTEGERS = List.of(0L, 1L, -1L, 2L, 3L, 200L, 404L, 500L, 503L, 5_000_000L, Long.MAX_VALUE, Long.MIN_VALUE,
            Long.MAX_VALUE - 1, 42L, 7L);
    static final long BASE_MICROS = 1_773_525_600_000_000L;

    private GeneratedRows() {}

    static List<GenericData.Record> generate(int count, long seed)
    {
        Random random = new Random(seed);
        TableSchema schema = TableSchema.of(Table.API_CALLS);
        List<GenericData.Record> rows = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            GenericData.Record row = schema.newRow();
            row.put("id", (long) index);
            for (String column : List.of("method", "path", "url", "src_ip", "dst_pod_namespace", "protocol", "host", "redis_key", "tls_info")) {
                row.put(column, pick(random, STRINGS));
            }
            for (String column : List.of("status_code", "elapsed_time", "src_port", "dst_port", "request_body_size")) {
                row.put(column, pick(random, INTEGERS));
            }
            for (String column : List.of("http", "dns", "tcp", "redis")) {
                row.put(column, random.nextBoolean());
            }
            row.put("timestamp", BASE_MICROS + (random.nextInt(7_200) - 3_600) * 1_000_000L + random.nextInt(1_000_000));
            row.put("request_body", ByteBuffer.wrap(pick(random, STRINGS).getBytes(StandardCharsets.UTF_8)));
            row.put("dns_questions", list(random));
            row.put("namespaces", list(random));
            row.put("request_headers", map(random));
            row.put("local_labels", map(random));
            row.put("query_string", map(random));
            rows.add(row);
        }
        return rows;
    }

    private static List<String> list(Random random)
    {
        List<String> list = new ArrayList<>();
        int size = random.nextInt(4);
        for (int index = 0; index < size; index++) {
            list.add(pick(random, STRINGS));
        }
        return list;
    }

    private static Map<String, String> map(Random random)
    {
        Map<String, String> map = new LinkedHashMap<>();
        int size = random.nextInt(4);
        for (int index = 0; index < size; index++) {
            map.put(pick(random, List.of("app", "env", "content-type", "k'", "id", "", "tier")), pick(random, STRINGS));
        }
        return map;
    }

    private static <T> T pick(Random random, List<T> values)
    {
        return values.get(random.nextInt(values.size()));
    }

    static void write(List<GenericData.Record> rows, Path file)
            throws IOException
    {
        Files.createDirectories(file.getParent());
        Files.deleteIfExists(file);
        Configuration configuration = new Configuration(false);
        configuration.setBoolean("parquet.avro.write-old-list-structure", false);
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(file))
                .withSchema(TableSchema.of(Table.API_CALLS).avroSchema()).withDataModel(GenericData.get()).withConf(configuration).build()) {
            for (GenericData.Record row : rows) {
                writer.write(row);
            }
        }
    }

    /** The row as the evaluator takes it: SQL column names to values. */
    static Map<String, Object> asMap(GenericData.Record row)
    {
        Map<String, Object> values = new LinkedHashMap<>();
        for (var column : Columns.of(Table.API_CALLS)) {
            values.put(column.sqlName(), row.get(column.sqlName()));
        }
        return values;
    }
}
