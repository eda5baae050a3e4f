package io.wirelake.dissect.job;

import io.wirelake.columns.Column;
import io.wirelake.columns.ColumnStorage;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.demo.GeneratorOptions;
import io.wirelake.dissect.testing.Dissection;
import io.wirelake.packets.testing.Corpus;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.avro.AvroParquetWriter;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.LocalOutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tables' own Parquet writer against parquet-avro, the writer it replaced: the same rows
 * (the generator's traffic and corpus captures of every protocol) written by both have the same
 * Parquet schema and read back, through parquet-avro's reader, to the same values in every
 * column of every row, in one row group and cut into many; each column is dictionary-encoded or
 * not, with statistics or not, as {@link ColumnStorage} says.
 */
class TableParquetWriterTest
{
    @TempDir
    Path directory;

    @Test
    void sameSchemaAndValuesAsParquetAvro()
            throws Exception
    {
        List<Path> captures = new ArrayList<>(DemoTrafficGenerator.generate(GeneratorOptions.defaults(2_000_000), directory.resolve("demo"), null).captures());
        for (String capture : List.of("zeek/http/pipelined-requests.pcap", "arkime/v6-http.pcap", "arkime/dns-udp.pcap", "arkime/tcp-reassembly-synthetic.pcap")) {
            captures.add(Corpus.capture(capture).path());
        }
        Dissection dissection = Dissection.of(captures.toArray(Path[]::new));
        assertThat(dissection.calls()).hasSizeGreaterThan(1000);
        check(Table.API_CALLS, dissection.calls());
        check(Table.FLOWS, dissection.flows());
    }

    /** A row that fails part-way leaves no footer: the file is not read as Parquet with half a row in it. */
    @Test
    void aRowThatFailsLeavesNoFooter()
            throws Exception
    {
        Path file = directory.resolve("failed.parquet");
        GenericData.Record good = TableSchema.of(Table.FLOWS).newRow();
        GenericData.Record bad = TableSchema.of(Table.FLOWS).newRow();
        // a timestamp column holding text: a bug in a row's maker
        bad.put(TableSchema.of(Table.FLOWS).position(io.wirelake.columns.Columns.TIMESTAMP_COLUMN), "not a time");
        TableParquetWriter writer = ParquetTableWriters.writer(Table.FLOWS, new LocalOutputFile(file));
        writer.write(good);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.write(bad)).isInstanceOf(ClassCastException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> writer.write(good)).isInstanceOf(IllegalStateException.class);
        writer.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> footer(file)).isInstanceOf(Exception.class);
    }

    private void check(Table table, List<GenericData.Record> rows)
            throws Exception
    {
        Path ours = directory.resolve(table.sqlName() + "-ours.parquet");
        try (TableParquetWriter writer = ParquetTableWriters.writer(table, new LocalOutputFile(ours))) {
            for (GenericData.Record row : rows) {
                writer.write(row);
            }
        }
        // small row groups: the rows cut into many groups read back the same
        Path small = directory.resolve(table.sqlName() + "-small-groups.parquet");
        try (TableParquetWriter writer = ParquetTableWriters.writer(table, new LocalOutputFile(small), 256 << 10)) {
            for (GenericData.Record row : rows) {
                writer.write(row);
            }
        }
        assertThat(footer(small).getBlocks()).hasSizeGreaterThan(1);
        assertThat(footer(small).getBlocks().stream().mapToLong(BlockMetaData::getRowCount).sum()).isEqualTo(rows.size());
        List<GenericRecord> smallRows = read(small);
        assertThat(smallRows).hasSize(rows.size());
        for (int index = 0; index < rows.size(); index++) {
            assertThat(plain(smallRows.get(index))).as("%s row %d in small groups", table, index).isEqualTo(plain(rows.get(index)));
        }
        Path reference = directory.resolve(table.sqlName() + "-parquet-avro.parquet");
        Configuration configuration = new Configuration(false);
        configuration.setBoolean("parquet.avro.write-old-list-structure", false);
        try (ParquetWriter<GenericRecord> writer = AvroParquetWriter.<GenericRecord>builder(new LocalOutputFile(reference))
                .withSchema(TableSchema.of(table).avroSchema()).withDataModel(GenericData.get()).withConf(configuration).build()) {
            for (GenericData.Record row : rows) {
                writer.write(row);
            }
        }
        ParquetMetadata ourFooter = footer(ours);
        assertThat(ourFooter.getFileMetaData().getSchema()).isEqualTo(footer(reference).getFileMetaData().getSchema());
        assertThat(ourFooter.getFileMetaData().getKeyValueMetaData()).containsEntry("parquet.avro.schema", TableSchema.of(table).avroSchema().toString())
                .containsEntry("writer.model.name", TableParquetWriter.MODEL_NAME);

        List<GenericRecord> ourRows = read(ours);
        List<GenericRecord> referenceRows = read(reference);
        assertThat(ourRows).hasSize(rows.size());
        for (int index = 0; index < rows.size(); index++) {
            assertThat(plain(ourRows.get(index))).as("%s row %d", table, index).isEqualTo(plain(referenceRows.get(index))).isEqualTo(plain(rows.get(index)));
        }

        pageIndexes(ours);
        pageIndexes(small);
        // rows are held and written a batch at a time: files of a batch, a row more or less, and none, hold their rows
        for (int count : List.of(0, 1, TableParquetWriter.BATCH_ROWS - 1, TableParquetWriter.BATCH_ROWS, TableParquetWriter.BATCH_ROWS + 1)) {
            Path some = directory.resolve(table.sqlName() + "-" + count + ".parquet");
            try (TableParquetWriter writer = ParquetTableWriters.writer(table, new LocalOutputFile(some))) {
                for (GenericData.Record row : rows.subList(0, count)) {
                    writer.write(row);
                }
            }
            List<GenericRecord> read = read(some);
            assertThat(read).as("%s, %d rows", table, count).hasSize(count);
            for (int index = 0; index < count; index++) {
                assertThat(plain(read.get(index))).as("%s row %d of %d", table, index, count).isEqualTo(plain(rows.get(index)));
            }
        }

        for (BlockMetaData block : ourFooter.getBlocks()) {
            for (ColumnChunkMetaData chunk : block.getColumns()) {
                Column column = TableSchema.of(table).columns().stream().filter(candidate -> candidate.sqlName().equals(chunk.getPath().toArray()[0])).findFirst().orElseThrow();
                ColumnStorage storage = ColumnStorage.of(column);
                boolean dictionary = chunk.getEncodings().contains(Encoding.PLAIN_DICTIONARY) || chunk.getEncodings().contains(Encoding.RLE_DICTIONARY);
                if (!storage.dictionary()) {
                    assertThat(dictionary).as("%s is plain", column.sqlName()).isFalse();
                }
                if (!storage.statistics()) {
                    assertThat(chunk.getStatistics().hasNonNullValue()).as("%s has no statistics", column.sqlName()).isFalse();
                }
            }
        }
    }

    /**
     * Each column chunk's offset index (what Trino skips pages by) starts at row 0 and its pages'
     * first rows rise within the group; the column index, where there is one, has a page for each.
     */
    private static void pageIndexes(Path file)
            throws Exception
    {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            for (BlockMetaData block : reader.getFooter().getBlocks()) {
                for (ColumnChunkMetaData chunk : block.getColumns()) {
                    var offsets = reader.readOffsetIndex(chunk);
                    assertThat(offsets).as("%s has an offset index", chunk.getPath()).isNotNull();
                    assertThat(offsets.getFirstRowIndex(0)).isZero();
                    for (int page = 1; page < offsets.getPageCount(); page++) {
                        assertThat(offsets.getFirstRowIndex(page)).as("%s page %d", chunk.getPath(), page)
                                .isGreaterThan(offsets.getFirstRowIndex(page - 1)).isLessThan(block.getRowCount());
                    }
                    var columnIndex = reader.readColumnIndex(chunk);
                    if (columnIndex != null) {
                        assertThat(columnIndex.getNullPages()).as("%s column index", chunk.getPath()).hasSize(offsets.getPageCount());
                    }
                }
            }
        }
    }

    private static ParquetMetadata footer(Path file)
            throws Exception
    {
        try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
            return reader.getFooter();
        }
    }

    private static List<GenericRecord> read(Path file)
            throws Exception
    {
        List<GenericRecord> rows = new ArrayList<>();
        try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(new LocalInputFile(file)).build()) {
            GenericRecord row;
            while ((row = reader.read()) != null) {
                rows.add(row);
            }
        }
        return rows;
    }

    /** A row's values as comparable Java values: text as strings, bytes as lists of bytes, maps sorted. */
    private static Map<String, Object> plain(GenericRecord row)
    {
        Map<String, Object> values = new TreeMap<>();
        row.getSchema().getFields().forEach(field -> values.put(field.name(), plain(row.get(field.pos()))));
        return values;
    }

    private static Object plain(Object value)
    {
        if (value instanceof ByteBuffer bytes) {
            byte[] copy = new byte[bytes.remaining()];
            bytes.duplicate().get(copy);
            return java.util.HexFormat.of().formatHex(copy);
        }
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(TableParquetWriterTest::plain).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((key, element) -> sorted.put(key.toString(), plain(element)));
            return sorted;
        }
        return value;
    }
}
