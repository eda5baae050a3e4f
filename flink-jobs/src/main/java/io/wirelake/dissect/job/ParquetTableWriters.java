package io.wirelake.dissect.job;

import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.formats.parquet.ParquetBuilder;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;

import java.io.IOException;

/**
 * Parquet writers for the tables: standard logical types (timestamp-micros, 3-level lists, maps),
 * Snappy compression, readable by Trino, Spark, DuckDB and pandas.
 */
final class ParquetTableWriters
{
    private ParquetTableWriters() {}

    static ParquetWriterFactory<GenericRecord> forTable(Table table)
    {
        return new ParquetWriterFactory<>(new Builder(table));
    }

    private static final class Builder
            implements ParquetBuilder<GenericRecord>
    {
        private final Table table;

        Builder(Table table)
        {
            this.table = table;
        }

        @Override
        public ParquetWriter<GenericRecord> createWriter(OutputFile out)
                throws IOException
        {
            Configuration configuration = new Configuration(false);
            // 3-level lists: the old 2-level encoding is ambiguous to other readers.
            configuration.setBoolean("parquet.avro.write-old-list-structure", false);
            return AvroParquetWriter.<GenericRecord>builder(out)
                    .withSchema(TableSchema.of(table).avroSchema())
                    .withDataModel(GenericData.get())
                    .withConf(configuration)
                    .withCompressionCodec(CompressionCodecName.SNAPPY)
                    .build();
        }
    }
}
