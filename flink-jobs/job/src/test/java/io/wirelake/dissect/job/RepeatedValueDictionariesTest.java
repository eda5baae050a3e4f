package io.wirelake.dissect.job;

import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.dictionary.DictionaryValuesWriter;
import org.apache.parquet.column.values.dictionary.DictionaryValuesWriter.PlainBinaryDictionaryValuesWriter;
import org.apache.parquet.column.values.dictionary.DictionaryValuesWriter.PlainLongDictionaryValuesWriter;
import org.apache.parquet.column.values.fallback.FallbackValuesWriter;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dictionaries that remember the last value write what Parquet's own dictionary writers write,
 * byte for byte: the same pages of ids, the same dictionary pages, the same sizes and the same
 * moment to fall back to plain encoding, on random runs of repeated values (the same object, an
 * equal one, another), cut into pages, with the dictionary reset between row groups.
 */
class RepeatedValueDictionariesTest
{
    private static final int MAX_DICTIONARY_BYTES = 4_000;

    @Test
    void stringsAreWrittenAsParquetWritesThem()
            throws IOException
    {
        Random random = new Random(20261205);
        for (int trial = 0; trial < 300; trial++) {
            Binary[] objects = new Binary[1 + random.nextInt(12)];
            for (int index = 0; index < objects.length; index++) {
                objects[index] = index == 0 ? Binary.EMPTY : Binary.fromConstantByteArray(("value-" + random.nextInt(200)).getBytes(StandardCharsets.UTF_8));
            }
            DictionaryValuesWriter parquets = new PlainBinaryDictionaryValuesWriter(MAX_DICTIONARY_BYTES, Encoding.PLAIN_DICTIONARY, Encoding.PLAIN_DICTIONARY,
                    HeapByteBufferAllocator.getInstance());
            DictionaryValuesWriter ours = new RepeatedValueDictionaries.Strings(MAX_DICTIONARY_BYTES, HeapByteBufferAllocator.getInstance());
            Binary value = objects[0];
            for (int step = 0; step < 2_000; step++) {
                int choice = random.nextInt(10);
                if (choice < 6) {
                    // the same object as before
                }
                else if (choice < 8) {
                    value = objects[random.nextInt(objects.length)];
                }
                else if (choice < 9) {
                    // an equal value in another object
                    value = Binary.fromConstantByteArray(value.getBytes().clone());
                }
                else {
                    value = Binary.fromConstantByteArray(("new-" + random.nextInt(1_000)).getBytes(StandardCharsets.UTF_8));
                }
                Binary written = value;
                if (!wroteAlike(random, parquets, ours, writer -> writer.writeBytes(written))) {
                    break;
                }
            }
            endTrial(parquets, ours);
        }
    }

    @Test
    void longsAreWrittenAsParquetWritesThem()
            throws IOException
    {
        Random random = new Random(51202620);
        for (int trial = 0; trial < 300; trial++) {
            long[] values = new long[1 + random.nextInt(12)];
            for (int index = 1; index < values.length; index++) {
                values[index] = random.nextInt(3) == 0 ? random.nextLong() : random.nextInt(100);
            }
            DictionaryValuesWriter parquets = new PlainLongDictionaryValuesWriter(MAX_DICTIONARY_BYTES, Encoding.PLAIN_DICTIONARY, Encoding.PLAIN_DICTIONARY,
                    HeapByteBufferAllocator.getInstance());
            DictionaryValuesWriter ours = new RepeatedValueDictionaries.Longs(MAX_DICTIONARY_BYTES, HeapByteBufferAllocator.getInstance());
            long value = 0;
            for (int step = 0; step < 2_000; step++) {
                int choice = random.nextInt(10);
                if (choice >= 6 && choice < 9) {
                    value = values[random.nextInt(values.length)];
                }
                else if (choice == 9) {
                    value = random.nextLong();
                }
                long written = value;
                if (!wroteAlike(random, parquets, ours, writer -> writer.writeLong(written))) {
                    break;
                }
            }
            endTrial(parquets, ours);
        }
    }

    @Test
    void aColumnThatOutgrowsItsDictionaryFallsBackToPlainAsParquetsDoes()
            throws IOException
    {
        Random random = new Random(7);
        var parquets = FallbackValuesWriter.of(new PlainBinaryDictionaryValuesWriter(200, Encoding.PLAIN_DICTIONARY, Encoding.PLAIN_DICTIONARY,
                HeapByteBufferAllocator.getInstance()), new PlainValuesWriter(64, 1 << 20, HeapByteBufferAllocator.getInstance()));
        var ours = FallbackValuesWriter.of(new RepeatedValueDictionaries.Strings(200, HeapByteBufferAllocator.getInstance()),
                new PlainValuesWriter(64, 1 << 20, HeapByteBufferAllocator.getInstance()));
        Binary value = Binary.EMPTY;
        for (int step = 0; step < 500; step++) {
            if (random.nextInt(3) == 0) {
                value = Binary.fromConstantByteArray(("value-" + step).getBytes(StandardCharsets.UTF_8));
            }
            parquets.writeBytes(value);
            ours.writeBytes(value);
            assertThat(ours.getBufferedSize()).isEqualTo(parquets.getBufferedSize());
        }
        assertThat(ours.getEncoding()).isEqualTo(parquets.getEncoding()).isEqualTo(Encoding.PLAIN);
        assertThat(ours.getBytes().toByteArray()).isEqualTo(parquets.getBytes().toByteArray());
    }

    @Test
    void theFactoryGivesTheseDictionariesWhereParquetGivesItsOwnAndParquetsWritersElsewhere()
    {
        MessageType schema = Types.buildMessage()
                .required(PrimitiveTypeName.BINARY).named("text")
                .required(PrimitiveTypeName.INT64).named("number")
                .required(PrimitiveTypeName.BINARY).named("plain_text")
                .required(PrimitiveTypeName.BOOLEAN).named("flag")
                .named("row");
        RepeatedValueDictionaries factory = new RepeatedValueDictionaries();
        ParquetProperties.builder().withDictionaryEncoding("plain_text", false).withValuesWriterFactory(factory).build();
        assertThat(initialWriter(factory.newValuesWriter(column(schema, "text")))).isInstanceOf(RepeatedValueDictionaries.Strings.class);
        assertThat(initialWriter(factory.newValuesWriter(column(schema, "number")))).isInstanceOf(RepeatedValueDictionaries.Longs.class);
        assertThat(factory.newValuesWriter(column(schema, "plain_text"))).isNotInstanceOf(FallbackValuesWriter.class);
        assertThat(factory.newValuesWriter(column(schema, "flag"))).isNotInstanceOf(FallbackValuesWriter.class);
    }

    private static ValuesWriter initialWriter(ValuesWriter writer)
    {
        assertThat(writer).isInstanceOf(FallbackValuesWriter.class);
        return ((FallbackValuesWriter<?, ?>) writer).initialWriter;
    }

    private static ColumnDescriptor column(MessageType schema, String name)
    {
        return schema.getColumnDescription(new String[] {name});
    }

    /**
     * Writes a value to both and compares them: false once both are too big (where a column falls
     * back, and the trial ends), else now and then the end of a page or of a row group.
     */
    private static boolean wroteAlike(Random random, DictionaryValuesWriter parquets, DictionaryValuesWriter ours, Consumer<DictionaryValuesWriter> write)
            throws IOException
    {
        write.accept(parquets);
        write.accept(ours);
        if (fellBack(parquets, ours)) {
            return false;
        }
        compareOrCut(random, parquets, ours);
        return true;
    }

    /** The end of a trial: the dictionaries compared, unless they grew too big to be written as dictionaries. */
    private static void endTrial(DictionaryValuesWriter parquets, DictionaryValuesWriter ours)
            throws IOException
    {
        if (!parquets.shouldFallBack()) {
            compareDictionaries(parquets, ours);
        }
    }

    /** Whether both dictionaries are too big now (where a column falls back to plain encoding), which they must agree on. */
    private static boolean fellBack(DictionaryValuesWriter parquets, DictionaryValuesWriter ours)
    {
        assertThat(ours.shouldFallBack()).isEqualTo(parquets.shouldFallBack());
        assertThat(ours.getBufferedSize()).isEqualTo(parquets.getBufferedSize());
        return parquets.shouldFallBack();
    }

    /** Now and then the end of a page (its bytes compared) or of a row group (the dictionaries compared and cleared). */
    private static void compareOrCut(Random random, DictionaryValuesWriter parquets, DictionaryValuesWriter ours)
            throws IOException
    {
        int cut = random.nextInt(200);
        if (cut == 0) {
            assertThat(ours.getBytes().toByteArray()).isEqualTo(parquets.getBytes().toByteArray());
            parquets.reset();
            ours.reset();
        }
        else if (cut == 1) {
            compareDictionaries(parquets, ours);
            parquets.resetDictionary();
            ours.resetDictionary();
        }
    }

    private static void compareDictionaries(DictionaryValuesWriter parquets, DictionaryValuesWriter ours)
            throws IOException
    {
        assertThat(ours.getBytes().toByteArray()).isEqualTo(parquets.getBytes().toByteArray());
        DictionaryPage parquetsPage = parquets.toDictPageAndClose();
        DictionaryPage ourPage = ours.toDictPageAndClose();
        if (parquetsPage == null) {
            assertThat(ourPage).isNull();
            return;
        }
        assertThat(ourPage.getDictionarySize()).isEqualTo(parquetsPage.getDictionarySize());
        assertThat(ourPage.getBytes().toByteArray()).isEqualTo(parquetsPage.getBytes().toByteArray());
    }
}
