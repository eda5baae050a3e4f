package io.wirelake.dissect.rows;

import io.wirelake.columns.Column;
import io.wirelake.columns.TableSchema;
import org.apache.avro.generic.GenericData;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/** Typed access to a row by column declaration (the Avro record is positional). */
public final class Rows
{
    private final TableSchema schema;
    private final GenericData.Record row;

    public Rows(TableSchema schema, GenericData.Record row)
    {
        this.schema = requireNonNull(schema, "schema is null");
        this.row = requireNonNull(row, "row is null");
    }

    public static Rows of(TableSchema schema, GenericData.Record row)
    {
        return new Rows(schema, row);
    }

    public Rows set(Column column, Object value)
    {
        Object stored = switch (column.type()) {
            case STRING -> requireNonNull((String) value, column.kflName());
            case INT, TIMESTAMP -> ((Number) value).longValue();
            case BOOL -> (Boolean) value;
            case BYTES -> value instanceof byte[] bytes ? ByteBuffer.wrap(bytes) : (ByteBuffer) value;
            case STRING_LIST -> (List<?>) value;
            case STRING_MAP -> (Map<?, ?>) value;
        };
        row.put(schema.position(column), stored);
        return this;
    }

    public Object get(Column column)
    {
        return row.get(schema.position(column));
    }

    /** The column's list, made mutable on first use (new rows share an immutable empty list). */
    @SuppressWarnings("unchecked")
    public List<String> list(Column column)
    {
        int position = schema.position(column);
        List<String> list = (List<String>) row.get(position);
        if (!(list instanceof java.util.ArrayList)) {
            list = new java.util.ArrayList<>(list);
            row.put(position, list);
        }
        return list;
    }

    /** Adds a value to a list column unless it is there already. */
    public Rows addDistinct(Column column, String value)
    {
        List<String> list = list(column);
        if (!list.contains(value)) {
            list.add(value);
        }
        return this;
    }

    @SuppressWarnings("unchecked")
    public Map<String, String> map(Column column)
    {
        return (Map<String, String>) row.get(schema.position(column));
    }

    public GenericData.Record record()
    {
        return row;
    }
}
