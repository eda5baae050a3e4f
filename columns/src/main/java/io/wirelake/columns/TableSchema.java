package io.wirelake.columns;

import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;

import java.nio.ByteBuffer;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A table's Avro schema (the Parquet schema follows from it) and its rows, derived from the
 * column declarations. Every field is non-null and starts at the documented default.
 */
public final class TableSchema
{
    public static final String NAMESPACE = "io.wirelake.tables";

    private static final Map<Table, TableSchema> SCHEMAS = new IdentityHashMap<>();

    private final Table table;
    private final List<Column> columns;
    private final Schema schema;
    /** Field position by column ordinal; -1 for columns of the other table. */
    private final int[] positions;
    private final Object[] defaults;

    private TableSchema(Table table)
    {
        this.table = requireNonNull(table, "table is null");
        this.columns = Columns.of(table);
        SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record(table.recordName()).namespace(NAMESPACE)
                .doc("wirelake " + table.sqlName() + " row").fields();
        for (Column column : columns) {
            fields = fields.name(column.sqlName()).doc(column.doc()).type(avroType(column.type())).noDefault();
        }
        this.schema = fields.endRecord();
        this.defaults = new Object[columns.size()];
        this.positions = new int[Columns.all().size()];
        java.util.Arrays.fill(positions, -1);
        for (int index = 0; index < columns.size(); index++) {
            positions[columns.get(index).ordinal()] = index;
            defaults[index] = defaultValue(columns.get(index).type());
        }
    }

    public static synchronized TableSchema of(Table table)
    {
        return SCHEMAS.computeIfAbsent(table, TableSchema::new);
    }

    public Table table()
    {
        return table;
    }

    public List<Column> columns()
    {
        return columns;
    }

    public Schema avroSchema()
    {
        return schema;
    }

    /** The field position of a column in this table's rows. */
    public int position(Column column)
    {
        int position = positions[column.ordinal()];
        if (position < 0) {
            throw new IllegalArgumentException("column " + column.kflName() + " is not in " + table.sqlName());
        }
        return position;
    }

    /**
     * A new row with every column at its default. Empty lists and maps are shared and immutable:
     * replace them rather than adding to them.
     */
    public GenericData.Record newRow()
    {
        GenericData.Record row = new GenericData.Record(schema);
        for (int index = 0; index < defaults.length; index++) {
            row.put(index, defaults[index]);
        }
        return row;
    }

    static Schema avroType(ColumnType type)
    {
        return switch (type) {
            case STRING -> Schema.create(Schema.Type.STRING);
            case INT -> Schema.create(Schema.Type.LONG);
            case BOOL -> Schema.create(Schema.Type.BOOLEAN);
            case TIMESTAMP -> LogicalTypes.timestampMicros().addToSchema(Schema.create(Schema.Type.LONG));
            case BYTES -> Schema.create(Schema.Type.BYTES);
            case STRING_LIST -> Schema.createArray(Schema.create(Schema.Type.STRING));
            case STRING_MAP -> Schema.createMap(Schema.create(Schema.Type.STRING));
        };
    }

    static Object defaultValue(ColumnType type)
    {
        return switch (type) {
            case STRING -> "";
            case INT, TIMESTAMP -> 0L;
            case BOOL -> false;
            case BYTES -> ByteBuffer.allocate(0).asReadOnlyBuffer();
            case STRING_LIST -> List.of();
            case STRING_MAP -> Map.of();
        };
    }
}
