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

    @SuppressWarnings("unchecked")
    public List<String> list(Column column)
    {
        return (List<String>) row.get(schema.position(column));
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
