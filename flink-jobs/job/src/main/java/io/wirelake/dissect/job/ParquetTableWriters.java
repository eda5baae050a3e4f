package io.wirelake.dissect.job;

import io.wirelake.columns.Column;
import io.wirelake.columns.ColumnStorage;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.serialization.BulkWriter;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

import java.io.IOException;

import static java.util.Objects.requireNonNull;

/**
 * Parquet writers for the tables: standard logical types (timestamp-micros, 3-level lists, maps),
 * Snappy compression, readable by Trino, Spark, DuckDB and pandas; rows written by
 * {@link TableParquetWriter}, each column's dictionary and statistics as {@link ColumnStorage}
 * chooses.
 *
 * <p>Sizes: a row group is at most {@link #ROW_GROUP_BYTES} (Parquet's default is 128 MiB): the
 * writer holds a whole row group in memory, per table and task, and Trino reads and skips row
 * groups as a unit, so smaller groups cost the dissect job less memory and cost queries little.
 * Pages stay at Parquet's 1 MiB; dictionaries at 1 MiB, past which a column falls back to plain
 * encoding.
 *
 * <p>Parquet 1.15's size statistics (per page and column chunk: the bytes of its binary values and
 * histograms of its levels) are not kept: they cost a step per value written, and Trino does not
 * read them. Min/max statistics and the column and offset indexes stay. The dictionaries of strings
 * and longs skip the look-up of a value that repeats the one before ({@link RepeatedValueDictionaries}).
 */
final class ParquetTableWriters
{
    static final long ROW_GROUP_BYTES = 64L << 20;
    static final int PAGE_BYTES = 1 << 20;
    static final int DICTIONARY_PAGE_BYTES = 1 << 20;

    private ParquetTableWriters() {}

    /** The Flink sink's writers of a table's part files. */
    static BulkWriter.Factory<GenericRecord> forTable(Table table)
    {
        return new Factory(table);
    }

    /** A writer of a table's rows to a file. */
    static TableParquetWriter writer(Table table, OutputFile out)
            throws IOException
    {
        return writer(table, out, ROW_GROUP_BYTES);
    }

    /** A writer of a table's rows to a file, cutting row groups at {@code rowGroupBytes}. */
    static TableParquetWriter writer(Table table, OutputFile out, long rowGroupBytes)
            throws IOException
    {
        ParquetProperties.Builder properties = ParquetProperties.builder()
                .withPageSize(PAGE_BYTES)
                .withDictionaryPageSize(DICTIONARY_PAGE_BYTES)
                .withSizeStatisticsEnabled(false)
                .withValuesWriterFactory(new RepeatedValueDictionaries());
        for (Column column : TableSchema.of(table).columns()) {
            ColumnStorage storage = ColumnStorage.of(column);
            properties.withDictionaryEncoding(column.sqlName(), storage.dictionary());
            properties.withStatisticsEnabled(column.sqlName(), storage.statistics());
        }
        return new TableParquetWriter(table, out, properties.build(), CompressionCodecName.SNAPPY, rowGroupBytes);
    }

    private record Factory(Table table)
            implements BulkWriter.Factory<GenericRecord>
    {
        @Override
        public BulkWriter<GenericRecord> create(FSDataOutputStream out)
                throws IOException
        {
            TableParquetWriter writer = writer(table, new StreamFile(out));
            return new BulkWriter<>()
            {
                @Override
                public void addElement(GenericRecord row)
                        throws IOException
                {
                    writer.write(row);
                }

                @Override
                public void flush()
                {
                    // a Parquet file is written whole row groups at a time: nothing is ready before finish
                }

                @Override
                public void finish()
                        throws IOException
                {
                    writer.close();
                }
            };
        }
    }

    /**
     * Flink's part-file stream as Parquet's output file. Closing the Parquet stream leaves Flink's
     * open: the sink closes (and commits) its part files itself.
     */
    private record StreamFile(FSDataOutputStream out)
            implements OutputFile
    {
        StreamFile
        {
            requireNonNull(out, "out is null");
        }

        @Override
        public PositionOutputStream create(long blockSizeHint)
        {
            return new PositionOutputStream()
            {
                @Override
                public long getPos()
                        throws IOException
                {
                    return out.getPos();
                }

                @Override
                public void write(int b)
                        throws IOException
                {
                    out.write(b);
                }

                @Override
                public void write(byte[] bytes, int offset, int length)
                        throws IOException
                {
                    out.write(bytes, offset, length);
                }

                @Override
                public void flush()
                        throws IOException
                {
                    out.flush();
                }

                @Override
                public void close()
                        throws IOException
                {
                    // left open for the sink; what Parquet wrote is flushed to it
                    out.flush();
                }
            };
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint)
        {
            return create(blockSizeHint);
        }

        @Override
        public boolean supportsBlockSize()
        {
            return false;
        }

        @Override
        public long defaultBlockSize()
        {
            return 0;
        }
    }
}
