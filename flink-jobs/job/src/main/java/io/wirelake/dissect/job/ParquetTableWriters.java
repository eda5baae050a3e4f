package io.wirelake.dissect.job;

import io.wirelake.columns.Column;
import io.wirelake.columns.ColumnType;
import io.wirelake.columns.Columns;
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
import java.util.Set;

/**
 * Parquet writers for the tables: standard logical types (timestamp-micros, 3-level lists, maps),
 * Snappy compression, readable by Trino, Spark, DuckDB and pandas.
 */
final class ParquetTableWriters
{
    /** Columns whose values are (nearly) unique per row. */
    private static final Set<Column> UNIQUE_PER_ROW = Set.of(Columns.ID, Columns.TIMESTAMP_COLUMN, Columns.ELAPSED_TIME, Columns.STREAM,
            Columns.CONN_ID, Columns.FLOW_ID, Columns.FLOW_END, Columns.SRC_PORT, Columns.CONN_GROUP_ID, Columns.FLOW_GROUP_ID);
    /** Free text nobody prunes row groups by. */
    private static final Set<Column> NO_STATISTICS = Set.of(Columns.WS_REQUEST_PAYLOAD_DATA, Columns.TLS_INFO, Columns.REDIS_COMMAND);

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
            AvroParquetWriter.Builder<GenericRecord> builder = AvroParquetWriter.<GenericRecord>builder(out)
                    .withSchema(TableSchema.of(table).avroSchema())
                    .withDataModel(GenericData.get())
                    .withConf(configuration)
                    .withCompressionCodec(CompressionCodecName.SNAPPY);
            for (Column column : TableSchema.of(table).columns()) {
                if (UNIQUE_PER_ROW.contains(column) || column.type() == ColumnType.BYTES) {
                    // Values (nearly) unique per row: a dictionary never pays, and min/max
                    // statistics on bodies cost time for no pruning.
                    builder.withDictionaryEncoding(column.sqlName(), false);
                }
                if (column.type() == ColumnType.BYTES || NO_STATISTICS.contains(column)) {
                    builder.withStatisticsEnabled(column.sqlName(), false);
                }
            }
            return builder.build();
        }
    }
}
