package io.wirelake.dissect.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wirelake.columns.Column;
import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import org.apache.avro.generic.GenericData;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rows as golden text, one JSON object per line, so a change to any row shows as a line of a
 * diff. What the text holds, and why:
 * <ul>
 * <li>Every column whose value differs from its documented default, in declaration order; a
 *     column left out holds its default (every column is non-null and starts at its default, so
 *     this loses nothing and keeps lines short).</li>
 * <li>Rows of {@code api_calls} sorted by {@code conn_id} then {@code index}, rows of {@code flows}
 *     by {@code conn_id}: each row's position follows from what it is, not from emit order.</li>
 * <li>{@code api_calls.id} is left out: it is a counter over the whole scan, so one row more early
 *     in a capture would renumber every later row and bury the change that matters. Its
 *     uniqueness is checked by the job's tests. Flow ids ({@code conn_id}, {@code stream}, ...)
 *     stay: they number flows, which a dissector change does not add.</li>
 * <li>Map entries sorted by key (maps have no order).</li>
 * <li>Strings over {@value #MAX_TEXT} characters and byte values over {@value #MAX_BYTES} bytes
 *     keep their start and a SHA-256 of the whole value, so a change anywhere in a body still
 *     shows while the files stay small; bytes are shown as text with {@code \xNN} escapes.</li>
 * </ul>
 */
public final class GoldenRows
{
    static final int MAX_TEXT = 120;
    static final int MAX_BYTES = 96;
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Set<Column> LEFT_OUT = Set.of(Columns.ID);

    private GoldenRows() {}

    /** The golden lines of a table's rows, sorted. */
    public static List<String> lines(Table table, List<GenericData.Record> rows)
    {
        TableSchema schema = TableSchema.of(table);
        int connection = schema.position(Columns.CONN_ID);
        Comparator<GenericData.Record> order = Comparator.comparingLong(row -> (Long) row.get(connection));
        if (table == Table.API_CALLS) {
            int index = schema.position(Columns.INDEX);
            order = order.thenComparingLong(row -> (Long) row.get(index));
        }
        return rows.stream().sorted(order).map(row -> line(schema, row)).toList();
    }

    static String line(TableSchema schema, GenericData.Record row)
    {
        GenericData.Record defaults = schema.newRow();
        ObjectNode object = MAPPER.createObjectNode();
        // The key first, whatever its value, so a reader finds rows by it.
        object.put(Columns.CONN_ID.sqlName(), (Long) row.get(schema.position(Columns.CONN_ID)));
        if (schema.table() == Table.API_CALLS) {
            object.put(Columns.INDEX.sqlName(), (Long) row.get(schema.position(Columns.INDEX)));
        }
        for (Column column : schema.columns()) {
            int position = schema.position(column);
            Object value = row.get(position);
            if (LEFT_OUT.contains(column) || object.has(column.sqlName()) || equal(value, defaults.get(position))) {
                continue;
            }
            object.set(column.sqlName(), MAPPER.valueToTree(plain(value)));
        }
        try {
            return MAPPER.writeValueAsString(object);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean equal(Object value, Object defaultValue)
    {
        if (value instanceof ByteBuffer bytes && defaultValue instanceof ByteBuffer empty) {
            return bytes.remaining() == empty.remaining();
        }
        if (value instanceof CharSequence text && defaultValue instanceof CharSequence empty) {
            return text.toString().equals(empty.toString());
        }
        if (value instanceof List<?> list && defaultValue instanceof List<?>) {
            return list.isEmpty();
        }
        if (value instanceof Map<?, ?> map && defaultValue instanceof Map<?, ?>) {
            return map.isEmpty();
        }
        return value.equals(defaultValue);
    }

    private static Object plain(Object value)
    {
        if (value instanceof ByteBuffer buffer) {
            ByteBuffer copy = buffer.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return bytes(bytes);
        }
        if (value instanceof CharSequence text) {
            return text(text.toString());
        }
        if (value instanceof List<?> list) {
            List<Object> values = new ArrayList<>(list.size());
            list.forEach(element -> values.add(plain(element)));
            return values;
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> sorted = new TreeMap<>();
            map.forEach((key, element) -> sorted.put(key.toString(), plain(element)));
            return sorted;
        }
        return value;
    }

    private static String text(String value)
    {
        if (value.length() <= MAX_TEXT) {
            return value;
        }
        return value.substring(0, MAX_TEXT) + "...(" + value.length() + " chars, sha256 " + digest(value.getBytes(StandardCharsets.UTF_8)) + ")";
    }

    private static String bytes(byte[] value)
    {
        StringBuilder text = new StringBuilder();
        int shown = Math.min(value.length, MAX_BYTES);
        for (int index = 0; index < shown; index++) {
            int octet = value[index] & 0xFF;
            if (octet >= 0x20 && octet < 0x7F && octet != '\\') {
                text.append((char) octet);
            }
            else {
                text.append("\\x").append(HexFormat.of().toHexDigits((byte) octet));
            }
        }
        if (value.length > MAX_BYTES) {
            text.append("...(").append(value.length).append(" bytes, sha256 ").append(digest(value)).append(')');
        }
        return text.toString();
    }

    private static String digest(byte[] value)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value), 0, 12);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What differs between expected and actual golden lines, as a reader wants to see it: rows
     * missing, rows added, and for rows with the same key the columns whose values changed. Empty
     * when they are the same. At most {@code limit} lines.
     */
    public static List<String> differences(Table table, List<String> expected, List<String> actual, int limit)
    {
        Map<String, ObjectNode> expectedRows = byKey(table, expected);
        Map<String, ObjectNode> actualRows = byKey(table, actual);
        List<String> differences = new ArrayList<>();
        for (Map.Entry<String, ObjectNode> entry : expectedRows.entrySet()) {
            ObjectNode was = entry.getValue();
            ObjectNode now = actualRows.get(entry.getKey());
            if (now == null) {
                differences.add("- " + table.sqlName() + " " + entry.getKey() + " is missing: " + was);
                continue;
            }
            for (String column : columns(was, now)) {
                JsonNode before = was.get(column);
                JsonNode after = now.get(column);
                if (before == null || after == null || !before.equals(after)) {
                    differences.add("~ " + table.sqlName() + " " + entry.getKey() + " " + column + ": " + (before == null ? "(default)" : before)
                            + " -> " + (after == null ? "(default)" : after));
                }
            }
        }
        for (Map.Entry<String, ObjectNode> entry : actualRows.entrySet()) {
            if (!expectedRows.containsKey(entry.getKey())) {
                differences.add("+ " + table.sqlName() + " " + entry.getKey() + " is new: " + entry.getValue());
            }
        }
        if (differences.isEmpty() && !expected.equals(actual)) {
            // Same rows by key, yet not the same text: lines repeated or out of order.
            differences.add("~ " + table.sqlName() + ": the same rows, but the lines differ in order or repetition");
        }
        if (differences.size() > limit) {
            int more = differences.size() - limit;
            differences = new ArrayList<>(differences.subList(0, limit));
            differences.add("... and " + more + " more");
        }
        return differences;
    }

    private static List<String> columns(ObjectNode was, ObjectNode now)
    {
        List<String> names = new ArrayList<>();
        was.fieldNames().forEachRemaining(names::add);
        for (Iterator<String> iterator = now.fieldNames(); iterator.hasNext(); ) {
            String name = iterator.next();
            if (!names.contains(name)) {
                names.add(name);
            }
        }
        return names;
    }

    /** Rows by their key ({@code conn_id}, and {@code index} for api_calls); a repeated key gets a suffix. */
    private static Map<String, ObjectNode> byKey(Table table, List<String> lines)
    {
        Map<String, ObjectNode> rows = new LinkedHashMap<>();
        for (String line : lines) {
            ObjectNode row;
            try {
                row = (ObjectNode) MAPPER.readTree(line);
            }
            catch (JsonProcessingException e) {
                throw new IllegalStateException("not a golden line: " + line, e);
            }
            String key = "conn_id=" + row.path(Columns.CONN_ID.sqlName()).asLong()
                    + (table == Table.API_CALLS ? " index=" + row.path(Columns.INDEX.sqlName()).asLong() : "");
            String unique = key;
            for (int repeat = 2; rows.containsKey(unique); repeat++) {
                unique = key + " #" + repeat;
            }
            rows.put(unique, row);
        }
        return rows;
    }
}
