package io.wirelake.dissect.job;

import io.wirelake.columns.Column;
import io.wirelake.columns.ColumnType;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Writes a table's rows to one Parquet file straight into parquet-mr's column writers, one call
 * per value with its levels. parquet-mr's own path (a {@code WriteSupport} feeding a
 * {@code RecordConsumer}) walks the schema for every field of every row: it marks each field
 * written in a bit set, looks up a null cache per group in a hash map, and checks for missing
 * fields at each level. A table's schema is fixed and flat but for its lists and maps, so the
 * levels are known once: a plain column's value is written at levels 0/0; a list's elements and a
 * map's keys and values at repetition 0 for the first and 1 for the others, definition 1; an
 * empty list or map is a null at 0/0.
 *
 * <p>The file is what parquet-avro wrote before: the Parquet schema is parquet-avro's translation
 * of the table's Avro schema (3-level lists, {@code timestamp-micros}, maps), and the footer
 * carries the Avro schema, so every reader sees the files as before. Row groups are cut as
 * parquet-mr's writer cuts them: the buffered size is checked every so many rows, and a group
 * ends within about two batches of rows of its size.
 *
 * <p>Strings repeat: most columns of a row hold a default or a value shared by every row of a
 * flow. A column's last string and its UTF-8 bytes are kept, and the same string (the same
 * instance) is not encoded again.
 *
 * <p>Rows go to the column writers {@link #BATCH_ROWS} at a time, a column at a time: a row has
 * about 160 columns, and writing a row's values one after the other touched each column's writer,
 * dictionary, statistics and buffers once per row, each of them out of the processor's caches by
 * the next row (a value cost about 16 ns where the work is a few). The strings, numbers and flags of a
 * batch are held (strings as their UTF-8 bytes, already copied out of the row) until the batch is
 * written; bodies, lists and maps, whose objects a row's maker may share, go to their writers at
 * once. Each column writer counts its own rows, so its pages start on a row's first value as
 * before; a page may end up to a batch of rows later than one written row by row would.
 */
final class TableParquetWriter
        implements Closeable
{
    /** Rows held before they go to the column writers, a column at a time. */
    static final int BATCH_ROWS = 128;

    /** What a file's footer names as the writer of its rows (parquet-mr's {@code writer.model.name}). */
    static final String MODEL_NAME = "wirelake";

    private final MessageType schema;
    private final ParquetProperties properties;
    private final ParquetFileWriter file;
    private final CompressionCodecFactory codecs;
    private final CompressionCodecFactory.BytesInputCompressor compressor;
    private final Map<String, String> footer;
    private final long rowGroupBytes;
    private final ColumnType[] types;
    /** Per column, its leaves in the schema: one for a plain column or a list, the key and the value for a map. */
    private final ColumnDescriptor[][] leaves;
    private final Object[] lastText;
    private final Binary[] lastBinary;
    /** The columns written a batch at a time (strings, numbers, times, flags), in table order. */
    private final int[] batched;
    /** The batch, row after row ({@code row * columns + column}): a string column's bytes, a number or time, a flag. */
    private final Binary[] batchText;
    private final long[] batchNumbers;
    private final boolean[] batchFlags;
    private int batchRows;

    private ColumnChunkPageWriteStore pages;
    private ColumnWriteStore store;
    private ColumnWriter[][] writers;
    private long rows;
    private long nextSizeCheck;
    private boolean closed;
    /** A row failed part-way: the file gets no footer. */
    private boolean aborted;

    TableParquetWriter(Table table, OutputFile out, ParquetProperties properties, CompressionCodecName codec, long rowGroupBytes)
            throws IOException
    {
        TableSchema tableSchema = TableSchema.of(requireNonNull(table, "table is null"));
        this.schema = parquetSchema(table);
        this.properties = requireNonNull(properties, "properties is null");
        this.rowGroupBytes = rowGroupBytes;
        this.footer = Map.of("parquet.avro.schema", tableSchema.avroSchema().toString(), ParquetWriter.OBJECT_MODEL_NAME_PROP, MODEL_NAME);
        List<Column> columns = tableSchema.columns();
        types = new ColumnType[columns.size()];
        leaves = new ColumnDescriptor[columns.size()][];
        lastText = new Object[columns.size()];
        lastBinary = new Binary[columns.size()];
        batched = java.util.stream.IntStream.range(0, columns.size())
                .filter(index -> switch (columns.get(index).type()) {
                    case STRING, INT, TIMESTAMP, BOOL -> true;
                    case BYTES, STRING_LIST, STRING_MAP -> false;
                })
                .toArray();
        batchText = new Binary[BATCH_ROWS * columns.size()];
        batchNumbers = new long[BATCH_ROWS * columns.size()];
        batchFlags = new boolean[BATCH_ROWS * columns.size()];
        List<ColumnDescriptor> descriptors = schema.getColumns();
        int leaf = 0;
        for (int index = 0; index < columns.size(); index++) {
            types[index] = columns.get(index).type();
            int count = types[index] == ColumnType.STRING_MAP ? 2 : 1;
            leaves[index] = descriptors.subList(leaf, leaf + count).toArray(ColumnDescriptor[]::new);
            int nested = types[index] == ColumnType.STRING_LIST || types[index] == ColumnType.STRING_MAP ? 1 : 0;
            for (ColumnDescriptor descriptor : leaves[index]) {
                // the levels written below hold for required values only: a schema that differs is a bug here, not bad input
                if (!descriptor.getPath()[0].equals(schema.getFieldName(index)) || descriptor.getMaxRepetitionLevel() != nested
                        || descriptor.getMaxDefinitionLevel() != nested) {
                    throw new IllegalStateException("column " + String.join(".", descriptor.getPath()) + " of " + table.sqlName() + " has levels "
                            + descriptor.getMaxRepetitionLevel() + "/" + descriptor.getMaxDefinitionLevel() + ", not " + nested + "/" + nested);
                }
            }
            leaf += count;
        }
        this.codecs = new CodecFactory(new Configuration(false), properties.getPageSizeThreshold());
        this.compressor = codecs.getCompressor(codec);
        ParquetFileWriter opened = null;
        try {
            opened = new ParquetFileWriter(out, schema, ParquetFileWriter.Mode.CREATE, rowGroupBytes, ParquetWriter.MAX_PADDING_SIZE_DEFAULT, null, properties);
            opened.start();
            this.file = opened;
            startRowGroup();
        }
        catch (IOException | RuntimeException e) {
            codecs.release();
            if (opened != null) {
                closeQuietly(opened, e);
            }
            throw e;
        }
    }

    /** parquet-avro's Parquet schema of the table: what the files held when parquet-avro wrote them. */
    static MessageType parquetSchema(Table table)
    {
        Configuration configuration = new Configuration(false);
        // 3-level lists: the old 2-level encoding is ambiguous to other readers (and cannot hold null elements)
        configuration.setBoolean(AvroWriteSupport.WRITE_OLD_LIST_STRUCTURE, false);
        return new AvroSchemaConverter(configuration).convert(TableSchema.of(table).avroSchema());
    }

    /**
     * Writes a row of the table (every column set, as {@link TableSchema#newRow} makes them). A row
     * that fails part-way leaves the file without a footer (as parquet-mr's writer does): it is not
     * a Parquet file, rather than one with half a row.
     */
    void write(GenericRecord row)
            throws IOException
    {
        if (aborted) {
            throw new IllegalStateException("a row failed to be written to this file before");
        }
        aborted = true;
        int slot = batchRows * types.length;
        for (int index = 0; index < types.length; index++, slot++) {
            Object value = row.get(index);
            switch (types[index]) {
                case STRING -> batchText[slot] = text(index, value);
                case INT, TIMESTAMP -> batchNumbers[slot] = (Long) value;
                case BOOL -> batchFlags[slot] = (Boolean) value;
                case BYTES -> writers[index][0].write(bytes((ByteBuffer) value), 0, 0);
                case STRING_LIST -> list(writers[index][0], (List<?>) value);
                case STRING_MAP -> map(writers[index][0], writers[index][1], (Map<?, ?>) value);
            }
        }
        batchRows++;
        if (batchRows == BATCH_ROWS) {
            writeBatch();
        }
        aborted = false;
    }

    /** The rows held go to their column writers, a column at a time, and end as records. */
    private void writeBatch()
            throws IOException
    {
        int width = types.length;
        for (int index : batched) {
            ColumnWriter writer = writers[index][0];
            int end = batchRows * width + index;
            switch (types[index]) {
                case STRING -> {
                    for (int slot = index; slot < end; slot += width) {
                        writer.write(batchText[slot], 0, 0);
                        batchText[slot] = null;
                    }
                }
                case INT, TIMESTAMP -> {
                    for (int slot = index; slot < end; slot += width) {
                        writer.write(batchNumbers[slot], 0, 0);
                    }
                }
                case BOOL -> {
                    for (int slot = index; slot < end; slot += width) {
                        writer.write(batchFlags[slot], 0, 0);
                    }
                }
                default -> throw new IllegalStateException("column " + index + " of type " + types[index] + " is not written a batch at a time");
            }
        }
        for (int row = 0; row < batchRows; row++) {
            store.endRecord();
        }
        rows += batchRows;
        batchRows = 0;
        if (rows >= nextSizeCheck) {
            checkRowGroupSize();
        }
    }

    @Override
    public void close()
            throws IOException
    {
        if (closed) {
            return;
        }
        closed = true;
        Throwable failure = null;
        try {
            if (!aborted) {
                writeBatch();
                flushRowGroup();
                file.end(footer);
            }
        }
        catch (IOException | RuntimeException e) {
            failure = e;
        }
        // every resource is released, whatever failed first; the first failure is the one thrown
        failure = closeQuietly(store, failure);
        failure = closeQuietly(pages, failure);
        try {
            codecs.release();
        }
        catch (RuntimeException e) {
            failure = first(failure, e);
        }
        failure = closeQuietly(file, failure);
        if (failure instanceof IOException e) {
            throw e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure != null) {
            throw new IOException(failure);
        }
    }

    private static Throwable closeQuietly(AutoCloseable resource, Throwable failure)
    {
        try {
            resource.close();
            return failure;
        }
        catch (Exception e) {
            return first(failure, e);
        }
    }

    private static Throwable first(Throwable failure, Throwable next)
    {
        if (failure == null) {
            return next;
        }
        failure.addSuppressed(next);
        return failure;
    }

    private void startRowGroup()
    {
        pages = new ColumnChunkPageWriteStore(compressor, schema, properties.getAllocator(), properties.getColumnIndexTruncateLength(),
                properties.getPageWriteChecksumEnabled());
        store = properties.newColumnWriteStore(schema, pages, pages);
        writers = new ColumnWriter[leaves.length][];
        for (int index = 0; index < leaves.length; index++) {
            writers[index] = new ColumnWriter[leaves[index].length];
            for (int leaf = 0; leaf < leaves[index].length; leaf++) {
                writers[index][leaf] = store.getColumnWriter(leaves[index][leaf]);
            }
        }
        nextSizeCheck = properties.getMinRowCountForPageSizeCheck();
    }

    /**
     * As parquet-mr's record writer: measuring the buffered size costs a walk of every column, so
     * it is done half-way to where the group would be full at the rows' average size, and the
     * group ends when it is within about two batches of rows of {@code rowGroupBytes}.
     */
    private void checkRowGroupSize()
            throws IOException
    {
        long buffered = store.getBufferedSize();
        long rowBytes = Math.max(1, buffered / rows);
        if (buffered > rowGroupBytes - 2L * BATCH_ROWS * rowBytes) {
            flushRowGroup();
            store.close();
            pages.close();
            startRowGroup();
        }
        else {
            nextSizeCheck = Math.min(Math.max(properties.getMinRowCountForPageSizeCheck(), (rows + rowGroupBytes / rowBytes) / 2),
                    rows + properties.getMaxRowCountForPageSizeCheck());
        }
    }

    private void flushRowGroup()
            throws IOException
    {
        if (rows == 0) {
            return;
        }
        file.startBlock(rows);
        store.flush();
        pages.flushToFileWriter(file);
        file.endBlock();
        rows = 0;
    }

    /** A column's string as a binary: the last one's again for the same string object (its dictionary then skips the look-up, {@link RepeatedValueDictionaries}). */
    private Binary text(int index, Object value)
    {
        if (value == lastText[index]) {
            return lastBinary[index];
        }
        Binary binary = utf8(value);
        lastText[index] = value;
        lastBinary[index] = binary;
        return binary;
    }

    /**
     * A string's UTF-8 bytes as a binary backed by an array: the dictionary writers hash and
     * compare every value, which costs less on an array than on the buffer that
     * {@link Binary#fromString} wraps.
     */
    private static Binary utf8(Object value)
    {
        String text = value.toString();
        return text.isEmpty() ? Binary.EMPTY : Binary.fromConstantByteArray(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Binary bytes(ByteBuffer value)
    {
        int length = value.remaining();
        if (length == 0) {
            return Binary.EMPTY;
        }
        if (value.hasArray()) {
            return Binary.fromConstantByteArray(value.array(), value.arrayOffset() + value.position(), length);
        }
        return Binary.fromConstantByteBuffer(value);
    }

    /** A 3-level list: its elements at definition level 1, the first at repetition level 0; an empty list is a null at 0/0. */
    private static void list(ColumnWriter elements, List<?> values)
    {
        if (values.isEmpty()) {
            elements.writeNull(0, 0);
            return;
        }
        int repetition = 0;
        for (Object value : values) {
            elements.write(utf8(value), repetition, 1);
            repetition = 1;
        }
    }

    /** A map's repeated key/value groups: as a list, for the key and the value column alike. */
    private static void map(ColumnWriter keys, ColumnWriter values, Map<?, ?> entries)
    {
        if (entries.isEmpty()) {
            keys.writeNull(0, 0);
            values.writeNull(0, 0);
            return;
        }
        int repetition = 0;
        for (Map.Entry<?, ?> entry : entries.entrySet()) {
            keys.write(utf8(entry.getKey()), repetition, 1);
            values.write(utf8(entry.getValue()), repetition, 1);
            repetition = 1;
        }
    }
}
