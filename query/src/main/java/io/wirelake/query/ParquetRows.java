package io.wirelake.query;

import org.apache.avro.generic.GenericRecord;
import org.apache.avro.Schema;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the tables' Parquet files row by row as plain Java values keyed by SQL column name:
 * strings, longs, booleans, timestamps as microseconds, bytes as byte[], lists and maps of strings.
 */
public final class ParquetRows
{
    /** Receives one row; the map is the reader's own and must be copied to be kept. */
    public interface RowConsumer
    {
        void accept(Map<String, Object> row)
                throws Exception;
    }

    private ParquetRows() {}

    /** The Parquet files of a table directory (recursively; in name order). */
    public static List<Path> files(Path directory)
            throws IOException
    {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(path -> path.getFileName().toString().endsWith(".parquet") && Files.isRegularFile(path)).sorted().toList();
        }
    }

    public static void read(List<Path> files, RowConsumer consumer)
            throws Exception
    {
        for (Path file : files) {
            try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file)).build()) {
                for (GenericRecord record = reader.read(); record != null; record = reader.read()) {
                    consumer.accept(plain(record));
                }
            }
        }
    }

    /** Every row of a table directory (small tables only: tests and summaries). */
    public static List<Map<String, Object>> readAll(Path directory)
            throws Exception
    {
        List<Map<String, Object>> rows = new ArrayList<>();
        read(files(directory), rows::add);
        return rows;
    }

    static Map<String, Object> plain(GenericRecord record)
    {
        Map<String, Object> row = new LinkedHashMap<>();
        for (Schema.Field field : record.getSchema().getFields()) {
            row.put(field.name(), plain(record.get(field.pos())));
        }
        return row;
    }

    /** Avro's Utf8 strings and keys become Java strings, byte buffers byte arrays. */
    public static Object plain(Object value)
    {
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return bytes;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object element : list) {
                copy.add(plain(element));
            }
            return copy;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((key, entry) -> copy.put(key.toString(), plain(entry)));
            return copy;
        }
        return value;
    }
}
