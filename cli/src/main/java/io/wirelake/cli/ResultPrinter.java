package io.wirelake.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Prints result rows as an aligned table, CSV (RFC 4180) or JSON lines. */
final class ResultPrinter
{
    private final PrintStream out;
    private final String format;
    private final List<String> columns;
    private final List<List<String>> buffered = new ArrayList<>();

    ResultPrinter(PrintStream out, String format, List<String> columns)
    {
        this.out = out;
        this.format = format.toLowerCase(Locale.ROOT);
        this.columns = columns;
        if (!List.of("table", "csv", "jsonl").contains(this.format)) {
            throw new IllegalArgumentException("--format must be table, csv or jsonl");
        }
        if (this.format.equals("csv")) {
            out.println(String.join(",", columns.stream().map(ResultPrinter::csv).toList()));
        }
    }

    void row(List<Object> values)
    {
        switch (format) {
            case "csv" -> out.println(String.join(",", values.stream().map(value -> csv(text(value))).toList()));
            case "jsonl" -> {
                StringBuilder line = new StringBuilder("{");
                for (int index = 0; index < columns.size(); index++) {
                    line.append(index == 0 ? "" : ",").append(json(columns.get(index))).append(':').append(jsonValue(values.get(index)));
                }
                out.println(line.append('}'));
            }
            default -> buffered.add(values.stream().map(ResultPrinter::text).toList());
        }
    }

    void finish()
    {
        if (!format.equals("table")) {
            return;
        }
        int[] widths = new int[columns.size()];
        for (int index = 0; index < columns.size(); index++) {
            widths[index] = columns.get(index).length();
            for (List<String> row : buffered) {
                widths[index] = Math.min(60, Math.max(widths[index], row.get(index).length()));
            }
        }
        print(columns, widths);
        StringBuilder rule = new StringBuilder();
        for (int width : widths) {
            rule.append("-".repeat(width)).append("  ");
        }
        out.println(rule.toString().stripTrailing());
        buffered.forEach(row -> print(row, widths));
    }

    private void print(List<String> row, int[] widths)
    {
        StringBuilder line = new StringBuilder();
        for (int index = 0; index < row.size(); index++) {
            String value = row.get(index).replace('\n', ' ');
            if (value.length() > widths[index]) {
                value = value.substring(0, widths[index] - 1) + "…";
            }
            line.append(value).append(" ".repeat(widths[index] - value.length() + 2));
        }
        out.println(line.toString().stripTrailing());
    }

    private static final java.time.format.DateTimeFormatter TIMESTAMP = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    private static String text(Object value)
    {
        if (value == null) {
            return "";
        }
        // Timestamps are UTC (the tables store UTC; the Trino session runs in UTC): one rendering for both engines.
        if (value instanceof java.sql.Timestamp timestamp) {
            return TIMESTAMP.format(timestamp.toLocalDateTime());
        }
        if (value instanceof java.time.Instant instant) {
            return TIMESTAMP.format(instant.atOffset(java.time.ZoneOffset.UTC));
        }
        if (value instanceof java.nio.ByteBuffer buffer) {
            return buffer.remaining() + " bytes";
        }
        if (value instanceof byte[] bytes) {
            return bytes.length + " bytes";
        }
        return value.toString();
    }

    private static String csv(String value)
    {
        return value.contains(",") || value.contains("\"") || value.contains("\n") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    private static String jsonValue(Object value)
    {
        if (value == null) {
            return "null";
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof List<?> list) {
            return "[" + String.join(",", list.stream().map(ResultPrinter::jsonValue).toList()) + "]";
        }
        if (value instanceof Map<?, ?> map) {
            List<String> entries = new ArrayList<>();
            map.forEach((key, entry) -> entries.add(json(key.toString()) + ":" + jsonValue(entry)));
            return "{" + String.join(",", entries) + "}";
        }
        return json(text(value));
    }

    private static String json(String text)
    {
        StringBuilder json = new StringBuilder("\"");
        for (char character : text.toCharArray()) {
            switch (character) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (character < 0x20) {
                        json.append(String.format("\\u%04x", (int) character));
                    }
                    else {
                        json.append(character);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
