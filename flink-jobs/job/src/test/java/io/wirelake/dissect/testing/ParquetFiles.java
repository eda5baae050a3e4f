package io.wirelake.dissect.testing;

import org.apache.avro.generic.GenericRecord;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.io.LocalInputFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads back the Parquet files a job wrote. */
public final class ParquetFiles
{
    private ParquetFiles() {}

    public static List<GenericRecord> read(Path directory)
            throws IOException
    {
        List<GenericRecord> rows = new ArrayList<>();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.filter(path -> path.getFileName().toString().endsWith(".parquet")).sorted().toList()) {
                try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file)).build()) {
                    GenericRecord row;
                    while ((row = reader.read()) != null) {
                        rows.add(row);
                    }
                }
            }
        }
        return rows;
    }
}
