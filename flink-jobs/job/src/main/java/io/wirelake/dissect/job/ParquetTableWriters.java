package io.wirelake.dissect.job;

import io.wirelake.columns.Column;
import io.wirelake.columns.ColumnStorage;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.formats.parquet.ParquetBuilder;
import org.apache.flink.formats.parquet.ParquetWriterFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;

import java.io.IOException;

/**
 * Parquet writers for the tables: standard logical types (timestamp-micros, 3-level lists, maps),
 * Snappy compression, readable by Trino, Spark, DuckDB and pandas; rows written by
 * {@link TableWriteSupport}, each column's dictionary and statistics as {@link ColumnStorage}
 * chooses.
 *
 * <p>Sizes: a row group is at most {@link #ROW_GROUP_BYTES} (Parquet's default is 128 MiB): the
 * writer holds a whole row group in memory, per table and task, and Trino reads and skips row
 * groups as a unit, so smaller groups cost the dissect job less memory and cost queries little.
 * Pages stay at Parquet's 1 MiB; dictionaries at 1 MiB, past which a column falls back to plain
 * encoding.
 */
final class ParquetTableWriters
{
    static final long ROW_GROUP_BYTES = 64L << 20;
    static final int PAGE_BYTES = 1 << 20;
    static final int DICTIONARY_PAGE_BYTES = 1 << 20;

    private ParquetTableWriters() {}

    static ParquetWriterFactory<GenericRecord> forTable(Table table)
    {
        return new ParquetWriterFactory<>(new Builder(table));
    }

    /** A writer of a table's rows to a file. */
    static ParquetWriter<GenericRecord> writer(Table table, OutputFile out)
            throws IOException
    {
        TableWriterBuilder builder = new TableWriterBuilder(out, table)
                .withConf(new Configuration(false))
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withRowGroupSize(ROW_GROUP_BYTES)
                .withPageSize(PAGE_BYTES)
                .withDictionaryPageSize(DICTIONARY_PAGE_BYTES);
        for (Column column : TableSchema.of(table).columns()) {
            ColumnStorage storage = ColumnStorage.of(column);
            builder.withDictionaryEncoding(column.sqlName(), storage.dictionary());
            builder.withStatisticsEnabled(column.sqlName(), storage.statistics());
        }
        return builder.build();
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
            return writer(table, out);
        }
    }

    private static final class TableWriterBuilder
            extends ParquetWriter.Builder<GenericRecord, TableWriterBuilder>
    {
        private final Table table;

        TableWriterBuilder(OutputFile file, Table table)
        {
            super(file);
            this.table = table;
        }

        @Override
        protected TableWriterBuilder self()
        {
            return this;
        }

        @Override
        protected WriteSupport<GenericRecord> getWriteSupport(ParquetConfiguration configuration)
        {
            return new TableWriteSupport(table);
        }

        /** Parquet 1.15 still declares the Hadoop form abstract (and deprecated): the same write support. */
        @Override
        @SuppressWarnings("deprecation")
        protected WriteSupport<GenericRecord> getWriteSupport(Configuration configuration)
        {
            return new TableWriteSupport(table);
        }
    }
}
