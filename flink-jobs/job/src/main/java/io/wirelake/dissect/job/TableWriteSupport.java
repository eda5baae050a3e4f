package io.wirelake.dissect.job;

import io.wirelake.columns.Column;
import io.wirelake.columns.ColumnType;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroSchemaConverter;
import org.apache.parquet.avro.AvroWriteSupport;
import org.apache.parquet.conf.HadoopParquetConfiguration;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Writes a table's rows to Parquet straight from the column declarations: each column's type is
 * known once, so a value is handed to Parquet as a long, a boolean or a binary with no walk of an
 * Avro schema and no look-up of logical-type conversions per value (what parquet-avro's
 * {@link AvroWriteSupport} does for every value of every row). The Parquet schema is
 * parquet-avro's translation of the table's Avro schema (the schema bridge: 3-level lists,
 * {@code timestamp-micros}, maps), and the footer carries the Avro schema as parquet-avro's
 * does, so every reader sees the files exactly as before.
 *
 * <p>Strings repeat: most columns of a row hold a default or a value shared by every row of a
 * flow (node, protocol, addresses). A column's last string and its UTF-8 bytes are kept, and the
 * same string (the same instance) is not encoded again.
 */
final class TableWriteSupport
        extends WriteSupport<GenericRecord>
{
    private final TableSchema table;
    private final MessageType parquetSchema;
    private final ColumnType[] types;
    private final String[] names;
    /** For list columns, the names of the repeated group and the element; for map columns, of the repeated group, the key and the value. */
    private final String[] repeatedNames;
    private final String[] elementNames;
    private final String[] valueNames;
    private final Object[] lastText;
    private final Binary[] lastBinary;
    private RecordConsumer consumer;

    TableWriteSupport(Table table)
    {
        this.table = TableSchema.of(requireNonNull(table, "table is null"));
        this.parquetSchema = parquetSchema(table);
        List<Column> columns = this.table.columns();
        int count = columns.size();
        types = new ColumnType[count];
        names = new String[count];
        repeatedNames = new String[count];
        elementNames = new String[count];
        valueNames = new String[count];
        lastText = new Object[count];
        lastBinary = new Binary[count];
        for (int index = 0; index < count; index++) {
            Column column = columns.get(index);
            types[index] = column.type();
            names[index] = column.sqlName();
            if (column.type() == ColumnType.STRING_LIST || column.type() == ColumnType.STRING_MAP) {
                GroupType repeated = parquetSchema.getType(index).asGroupType().getType(0).asGroupType();
                repeatedNames[index] = repeated.getName();
                elementNames[index] = repeated.getType(0).getName();
                valueNames[index] = column.type() == ColumnType.STRING_MAP ? repeated.getType(1).getName() : null;
            }
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

    @Override
    public String getName()
    {
        return "wirelake";
    }

    @Override
    public WriteContext init(ParquetConfiguration configuration)
    {
        // parquet-avro's readers take the Avro schema from the footer when it is there
        return new WriteContext(parquetSchema, Map.of("parquet.avro.schema", table.avroSchema().toString()));
    }

    /** Parquet 1.15 still declares the Hadoop form abstract (and deprecated): the same context. */
    @Override
    @SuppressWarnings("deprecation")
    public WriteContext init(Configuration configuration)
    {
        return init(new HadoopParquetConfiguration(configuration));
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer)
    {
        this.consumer = recordConsumer;
    }

    @Override
    public void write(GenericRecord row)
    {
        consumer.startMessage();
        for (int index = 0; index < types.length; index++) {
            Object value = row.get(index);
            String name = names[index];
            consumer.startField(name, index);
            switch (types[index]) {
                case STRING -> consumer.addBinary(text(index, value));
                case INT, TIMESTAMP -> consumer.addLong((Long) value);
                case BOOL -> consumer.addBoolean((Boolean) value);
                case BYTES -> consumer.addBinary(bytes((ByteBuffer) value));
                case STRING_LIST -> list(index, (List<?>) value);
                case STRING_MAP -> map(index, (Map<?, ?>) value);
            }
            consumer.endField(name, index);
        }
        consumer.endMessage();
    }

    private Binary text(int index, Object value)
    {
        if (value == lastText[index]) {
            return lastBinary[index];
        }
        Binary binary = Binary.fromString(value.toString());
        lastText[index] = value;
        lastBinary[index] = binary;
        return binary;
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

    /** A 3-level list (LIST annotated group, a repeated group, its element), as parquet-avro writes it. */
    private void list(int index, List<?> values)
    {
        consumer.startGroup();
        if (!values.isEmpty()) {
            String repeated = repeatedNames[index];
            String element = elementNames[index];
            consumer.startField(repeated, 0);
            for (Object value : values) {
                consumer.startGroup();
                consumer.startField(element, 0);
                consumer.addBinary(Binary.fromString(value.toString()));
                consumer.endField(element, 0);
                consumer.endGroup();
            }
            consumer.endField(repeated, 0);
        }
        consumer.endGroup();
    }

    /** A MAP annotated group of repeated key/value groups, as parquet-avro writes it. */
    private void map(int index, Map<?, ?> values)
    {
        consumer.startGroup();
        if (!values.isEmpty()) {
            String repeated = repeatedNames[index];
            String key = elementNames[index];
            String value = valueNames[index];
            consumer.startField(repeated, 0);
            for (Map.Entry<?, ?> entry : values.entrySet()) {
                consumer.startGroup();
                consumer.startField(key, 0);
                consumer.addBinary(Binary.fromString(entry.getKey().toString()));
                consumer.endField(key, 0);
                consumer.startField(value, 1);
                consumer.addBinary(Binary.fromString(entry.getValue().toString()));
                consumer.endField(value, 1);
                consumer.endGroup();
            }
            consumer.endField(repeated, 0);
        }
        consumer.endGroup();
    }
}
