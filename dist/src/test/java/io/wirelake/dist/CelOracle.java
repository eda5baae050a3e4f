package io.wirelake.dist;

import io.wirelake.columns.Column;
import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.kfl.CompiledFilter;
import io.wirelake.kfl.KflCompiler;
import io.wirelake.kfl.KflEvaluator;
import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The reference answer to a KFL filter: CEL's own evaluator over every row of a table's Parquet
 * files, read in this JVM (independently of the command that wrote or queries them).
 */
final class CelOracle
{
    private CelOracle() {}

    /** The ids of the rows of the Parquet files under the directory that the filter selects, sorted. */
    static List<Long> matchingIds(String kfl, Table table, Path directory)
            throws IOException, io.wirelake.kfl.KflException
    {
        CompiledFilter filter = new KflCompiler().compile(kfl, Optional.of(table), Instant.now());
        KflEvaluator evaluator = new KflEvaluator(filter);
        List<Long> ids = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> paths = Files.walk(directory)) {
            files = paths.filter(path -> path.getFileName().toString().endsWith(".parquet")).sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IOException("no Parquet files under " + directory);
        }
        for (Path file : files) {
            try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file)).build()) {
                for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (Column column : Columns.of(table)) {
                        values.put(column.sqlName(), plain(record.get(column.sqlName())));
                    }
                    if (evaluator.matches(values)) {
                        ids.add((Long) record.get("id"));
                    }
                }
            }
        }
        return ids.stream().sorted().toList();
    }

    /** Avro's Utf8 strings and keys as Java strings, as the evaluator expects them. */
    private static Object plain(Object value)
    {
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(CelOracle::plain).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, entry) -> copy.put(key.toString(), plain(entry)));
            return copy;
        }
        return value;
    }
}
