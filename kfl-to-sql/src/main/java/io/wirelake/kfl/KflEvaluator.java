package io.wirelake.kfl;

import com.google.common.collect.ImmutableList;
import dev.cel.common.values.CelByteString;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelFunctionBinding;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.wirelake.columns.Column;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a compiled filter on rows with CEL's own runtime: the reference semantics of KFL2
 * (row by row, as Kubeshark evaluates it). A row on which evaluation fails does not match. Used
 * by the tests as the oracle for the SQL translation, and by the {@code local} query engine.
 */
public final class KflEvaluator
{
    private final CelRuntime.Program program;
    /** The variables the filter reads: the activation needs no others. */
    private final List<Column> referenced;

    public KflEvaluator(CompiledFilter filter)
    {
        this.referenced = List.copyOf(filter.columns());
        Instant now = filter.now();
        CelRuntime runtime = CelRuntimeFactory.standardCelRuntimeBuilder()
                .setOptions(KflEnvironment.OPTIONS)
                .addFunctionBindings(
                        CelFunctionBinding.from(KflEnvironment.MAP_GET_OVERLOAD, ImmutableList.of(Map.class, String.class, String.class),
                                arguments -> {
                                    Object value = ((Map<?, ?>) arguments[0]).get(arguments[1]);
                                    return value != null ? value : arguments[2];
                                }),
                        CelFunctionBinding.from(KflEnvironment.NOW_OVERLOAD, ImmutableList.of(), arguments -> now))
                .build();
        try {
            this.program = runtime.createProgram(filter.ast());
        }
        catch (CelEvaluationException e) {
            throw new IllegalStateException("a checked filter did not plan: " + e.getMessage(), e);
        }
    }

    /**
     * Whether the row matches. The row maps KFL variable names (or SQL column names) to values:
     * String, Long, Boolean, Instant or Long microseconds (timestamps), byte[] or ByteBuffer (bytes), List of String,
     * Map of String to String. Absent variables take their documented defaults.
     */
    public boolean matches(Map<String, ?> row)
    {
        try {
            return Boolean.TRUE.equals(program.eval(activation(referenced, row)));
        }
        catch (CelEvaluationException e) {
            return false;
        }
    }

    /** Evaluates, reporting an error instead of folding it into "no match" (for tests). */
    public Object evaluate(Map<String, ?> row)
            throws CelEvaluationException
    {
        return program.eval(activation(referenced, row));
    }

    private static Map<String, Object> activation(List<Column> columns, Map<String, ?> row)
    {
        Map<String, Object> values = new HashMap<>();
        for (Column column : columns) {
            Object value = row.containsKey(column.kflName()) ? row.get(column.kflName()) : row.get(column.sqlName());
            values.put(column.kflName(), value == null ? defaultValue(column) : adapt(column, value));
        }
        return values;
    }

    private static Object adapt(Column column, Object value)
    {
        if (column.type() == io.wirelake.columns.ColumnType.TIMESTAMP && value instanceof Long micros) {
            // The tables store timestamps as UTC microseconds.
            return Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS);
        }
        if (value instanceof byte[] bytes) {
            return CelByteString.of(bytes);
        }
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return CelByteString.of(bytes);
        }
        if (value instanceof Integer number) {
            return number.longValue();
        }
        if (value instanceof CharSequence text && !(value instanceof String)) {
            return text.toString();
        }
        return value;
    }

    private static Object defaultValue(Column column)
    {
        return switch (column.type()) {
            case STRING -> "";
            case INT -> 0L;
            case BOOL -> false;
            case TIMESTAMP -> Instant.EPOCH;
            case BYTES -> CelByteString.of(new byte[0]);
            case STRING_LIST -> List.of();
            case STRING_MAP -> Map.of();
        };
    }
}
