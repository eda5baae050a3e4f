package io.wirelake.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints result rows as an aligned table, CSV (RFC 4180) or JSON lines. Values are captured
 * traffic, so they are hostile: the table shows control characters as escapes (a captured
 * {@code ESC ]} sequence must not reach the terminal), and CSV guards cells that spreadsheets
 * would run as formulas. JSON lines keep every value exactly (JSON escapes control characters).
 */
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
            out.println(String.join(",", columns.stream().map(ResultPrinter::csvCell).toList()));
        }
    }

    void row(List<Object> values)
    {
        switch (format) {
            case "csv" -> out.println(String.join(",", values.stream().map(ResultPrinter::csvCell).toList()));
            case "jsonl" -> {
                StringBuilder line = new StringBuilder("{");
                for (int index = 0; index < columns.size(); index++) {
                    line.append(index == 0 ? "" : ",").append(json(columns.get(index))).append(':').append(jsonValue(values.get(index)));
                }
                out.println(line.append('}'));
            }
            default -> buffered.add(values.stream().map(value -> terminalSafe(text(value))).toList());
        }
    }

    void finish()
    {
        if (!format.equals("table")) {
            return;
        }
        int[] widths = new int[columns.size()];
        for (int index = 0; index < columns.size(); index++) {
            widths[index] = terminalSafe(columns.get(index)).length();
            for (List<String> row : buffered) {
                widths[index] = Math.min(60, Math.max(widths[index], row.get(index).length()));
            }
        }
        print(columns.stream().map(ResultPrinter::terminalSafe).toList(), widths);
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
            String value = row.get(index);
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

    /**
     * A value as the table shows it: C0 and C1 control characters, DEL and the Unicode
     * bidirectional overrides (which reorder what the terminal shows) become escapes such as
     * {@code \x1b} and {@code \u202e}; newlines and tabs become {@code \n} and {@code \t}, so a
     * row stays one line. Backslashes are left as they are: the table is for reading; the exact
     * values are in {@code --format jsonl}.
     */
    static String terminalSafe(String value)
    {
        StringBuilder safe = null;
        for (int index = 0; index < value.length(); index++) {
            char character = value.charAt(index);
            String escape = switch (character) {
                case '\n' -> "\\n";
                case '\r' -> "\\r";
                case '\t' -> "\\t";
                default -> character < 0x20 || character >= 0x7f && character < 0xa0 ? String.format("\\x%02x", (int) character)
                        : character >= 0x202a && character <= 0x202e || character >= 0x2066 && character <= 0x2069 ? String.format("\\u%04x", (int) character)
                        : null;
            };
            if (escape != null && safe == null) {
                safe = new StringBuilder(value.length() + 16).append(value, 0, index);
            }
            if (safe != null) {
                if (escape != null) {
                    safe.append(escape);
                }
                else {
                    safe.append(character);
                }
            }
        }
        return safe == null ? value : safe.toString();
    }

    /**
     * A CSV cell. A text starting with {@code = + - @}, a tab or a carriage return is a formula to
     * Excel, LibreOffice and Google Sheets (OWASP's "CSV injection"): it gets a leading {@code '},
     * which they show as text. Numbers are left alone (they cannot be formulas, and {@code -5}
     * must stay a number).
     */
    private static String csvCell(Object value)
    {
        String text = text(value);
        if (!(value instanceof Number) && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        return csvText(text);
    }

    /** RFC 4180 quoting: a field with a comma, a quote or a line break is quoted, quotes doubled. */
    private static String csvText(String value)
    {
        boolean quote = value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r");
        return quote ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
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
                    // Also DEL, C1 controls and bidirectional overrides: still exact JSON, and safe to cat to a terminal.
                    if (character < 0x20 || character >= 0x7f && character < 0xa0 || character >= 0x202a && character <= 0x202e
                            || character >= 0x2066 && character <= 0x2069) {
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
