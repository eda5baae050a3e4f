package io.wirelake.dissect.job;

import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.dictionary.DictionaryValuesWriter.PlainBinaryDictionaryValuesWriter;
import org.apache.parquet.column.values.dictionary.DictionaryValuesWriter.PlainLongDictionaryValuesWriter;
import org.apache.parquet.column.values.factory.DefaultV1ValuesWriterFactory;
import org.apache.parquet.column.values.factory.ValuesWriterFactory;
import org.apache.parquet.column.values.fallback.FallbackValuesWriter;
import org.apache.parquet.io.api.Binary;
import shaded.parquet.it.unimi.dsi.fastutil.longs.Long2IntMap;

import java.lang.reflect.Field;

/**
 * Parquet's writers of values (format 1, as {@link DefaultV1ValuesWriterFactory} makes them), with
 * dictionaries of strings and longs that remember the last value written and its id.
 *
 * <p>Most of a row's 160 columns repeat the value of the row before: another protocol's defaults,
 * the flow's shared columns, a method or a namespace. Parquet's dictionary writer hashes every
 * value and looks it up (a fifth of the dissect job's CPU time on real traffic); these give a value
 * the same object as the last one ({@link TableParquetWriter} hands over the same {@link Binary}
 * for the same string) its id without either. The dictionary, the ids, the pages and when a column
 * falls back to plain encoding are exactly Parquet's: only the look-up is skipped. A caller must
 * not change the bytes of a {@link Binary} it has written (constant binaries, as the writer makes).
 */
final class RepeatedValueDictionaries
        implements ValuesWriterFactory
{
    /** Parquet's own long dictionary, which its writer keeps private; without it longs are looked up every time. */
    private static final Field LONG_DICTIONARY = longDictionaryField();

    private final DefaultV1ValuesWriterFactory defaults = new DefaultV1ValuesWriterFactory();
    private ParquetProperties properties;

    @Override
    public void initialize(ParquetProperties properties)
    {
        this.properties = properties;
        defaults.initialize(properties);
    }

    @Override
    public ValuesWriter newValuesWriter(ColumnDescriptor column)
    {
        ValuesWriter writer = defaults.newValuesWriter(column);
        if (!(writer instanceof FallbackValuesWriter<?, ?> fallback) || properties.getWriterVersion() != ParquetProperties.WriterVersion.PARQUET_1_0) {
            return writer;
        }
        int maxDictionaryBytes = properties.getDictionaryPageSizeThreshold();
        ByteBufferAllocator allocator = properties.getAllocator();
        if (fallback.initialWriter.getClass() == PlainBinaryDictionaryValuesWriter.class) {
            fallback.initialWriter.close();
            return FallbackValuesWriter.of(new Strings(maxDictionaryBytes, allocator), fallback.fallBackWriter);
        }
        if (fallback.initialWriter.getClass() == PlainLongDictionaryValuesWriter.class && LONG_DICTIONARY != null) {
            fallback.initialWriter.close();
            return FallbackValuesWriter.of(new Longs(maxDictionaryBytes, allocator), fallback.fallBackWriter);
        }
        return writer;
    }

    private static Field longDictionaryField()
    {
        try {
            Field field = PlainLongDictionaryValuesWriter.class.getDeclaredField("longDictionaryContent");
            field.setAccessible(true);
            return field.getType() == Long2IntMap.class ? field : null;
        }
        catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Parquet's string dictionary ({@code PLAIN_DICTIONARY}, as format 1 has it), the last value's id remembered. */
    static final class Strings
            extends PlainBinaryDictionaryValuesWriter
    {
        private Binary last;
        private int lastId;

        Strings(int maxDictionaryBytes, ByteBufferAllocator allocator)
        {
            super(maxDictionaryBytes, Encoding.PLAIN_DICTIONARY, Encoding.PLAIN_DICTIONARY, allocator);
        }

        @Override
        public void writeBytes(Binary value)
        {
            if (value != last) {
                // Parquet's own steps: an id for a value not seen yet is the dictionary's size, and a copy is kept.
                int id = binaryDictionaryContent.getInt(value);
                if (id == -1) {
                    id = binaryDictionaryContent.size();
                    binaryDictionaryContent.put(value.copy(), id);
                    dictionaryByteSize += 4L + value.length();
                }
                last = value;
                lastId = id;
            }
            encodedValues.add(lastId);
        }

        @Override
        protected void clearDictionaryContent()
        {
            super.clearDictionaryContent();
            last = null;
        }
    }

    /** Parquet's long dictionary, the last value's id remembered. */
    static final class Longs
            extends PlainLongDictionaryValuesWriter
    {
        private final Long2IntMap dictionary;
        private boolean remembered;
        private long last;
        private int lastId;

        Longs(int maxDictionaryBytes, ByteBufferAllocator allocator)
        {
            super(maxDictionaryBytes, Encoding.PLAIN_DICTIONARY, Encoding.PLAIN_DICTIONARY, allocator);
            try {
                dictionary = (Long2IntMap) LONG_DICTIONARY.get(this);
            }
            catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void writeLong(long value)
        {
            if (!remembered || value != last) {
                int id = dictionary.get(value);
                if (id == -1) {
                    id = dictionary.size();
                    dictionary.put(value, id);
                    dictionaryByteSize += 8;
                }
                remembered = true;
                last = value;
                lastId = id;
            }
            encodedValues.add(lastId);
        }

        @Override
        protected void clearDictionaryContent()
        {
            super.clearDictionaryContent();
            remembered = false;
        }
    }
}
