package io.wirelake.query;

import java.util.List;
import java.util.Random;

/**
 * Random well-typed KFL2 filters over the columns {@link GeneratedRows} fills: every operator,
 * the string functions, regular expressions, membership in lists and maps, index access that
 * may fail, arithmetic that may overflow or divide by zero, ternaries, timestamps and durations,
 * and the macros. Failing subexpressions are wanted: they test CEL's error semantics.
 */
final class FilterGenerator
{
    private static final List<String> STRING_VARIABLES = List.of("method", "path", "url", "src.ip", "dst.pod.namespace", "protocol", "host", "redis_key",
            "tls_info", "node_name");
    private static final List<String> INT_VARIABLES = List.of("status_code", "elapsed_time", "src.port", "dst.port", "request_body_size", "id");
    private static final List<String> BOOL_VARIABLES = List.of("http", "dns", "tcp", "redis", "tls");
    private static final List<String> LIST_VARIABLES = List.of("dns_questions", "namespaces", "pods");
    private static final List<String> MAP_VARIABLES = List.of("request.headers", "local_labels", "query_string");
    private static final List<String> KEYS = List.of("app", "env", "content-type", "k'", "id", "", "tier", "missing");
    private static final List<String> REGEXES = List.of("^a", "b$", "a.b", "[0-9]+", "^/api/v[0-9]+/", "(?i)get", "é", "\\\\.", "^$", "x|y", "\\\\d{3}",
            "中", "^.*$", "[^a-z]");
    private static final List<String> INT_OPERATORS = List.of("+", "-", "*", "/", "%");
    private static final List<String> COMPARISONS = List.of("==", "!=", "<", "<=", ">", ">=");

    private final Random random;
    private int lambdas;

    FilterGenerator(long seed)
    {
        this.random = new Random(seed);
    }

    String next()
    {
        lambdas = 0;
        return bool(3, null);
    }

    private String bool(int depth, String element)
    {
        int choice = random.nextInt(depth <= 0 ? 4 : 17);
        return switch (choice) {
            case 0 -> pick(BOOL_VARIABLES);
            case 1 -> integer(depth - 1, element) + " " + pick(COMPARISONS) + " " + integer(depth - 1, element);
            case 2 -> string(depth - 1, element) + "." + pick(List.of("contains", "startsWith", "endsWith")) + "(" + literal() + ")";
            case 3 -> string(depth - 1, element) + " " + pick(List.of("==", "!=", "<", ">=")) + " " + string(depth - 1, element);
            case 4 -> "(" + bool(depth - 1, element) + " && " + bool(depth - 1, element) + ")";
            case 5 -> "(" + bool(depth - 1, element) + " || " + bool(depth - 1, element) + ")";
            case 6 -> "!(" + bool(depth - 1, element) + ")";
            case 7 -> "(" + bool(depth - 1, element) + " ? " + bool(depth - 1, element) + " : " + bool(depth - 1, element) + ")";
            case 8 -> string(depth - 1, element) + ".matches(\"" + pick(REGEXES) + "\")";
            case 9 -> string(depth - 1, element) + " in " + (random.nextBoolean() ? pick(LIST_VARIABLES) : "[" + literal() + ", " + literal() + "]");
            case 10 -> quote(pick(KEYS)) + " in " + pick(MAP_VARIABLES);
            case 11 -> macro(depth);
            case 12 -> pick(List.of("timestamp > timestamp(\"2026-03-14T22:00:00Z\")", "timestamp <= timestamp(\"2026-03-14T21:30:00.5Z\")",
                    "timestamp > now() - duration(\"30m\")", "timestamp < now() - duration(\"1h30m\")", "now() - timestamp > duration(\"45m\")",
                    "timestamp.getHours() == 22", "timestamp.getMinutes() < 30", "timestamp.getDayOfWeek() == 6"));
            case 13 -> pick(List.of("size(request_body) > 2", "request_body == b\"abc\"", "size(request_body) == 0", "request_body.size() < 4"));
            case 14 -> "has(local_labels." + pick(List.of("app", "env", "tier")) + ")";
            // Relations share one precedence level in CEL: parenthesise booleans compared with ==.
            case 15 -> "(" + bool(depth - 1, element) + ") == (" + bool(depth - 1, element) + ")";
            default -> "size(" + pick(LIST_VARIABLES) + ") " + pick(COMPARISONS) + " " + random.nextInt(4);
        };
    }

    private String macro(int depth)
    {
        String variable = "e" + (++lambdas);
        String list = pick(LIST_VARIABLES);
        String predicate = bool(Math.min(depth - 1, 1), variable);
        return switch (random.nextInt(5)) {
            case 0 -> list + ".exists(" + variable + ", " + predicate + ")";
            case 1 -> list + ".all(" + variable + ", " + predicate + ")";
            case 2 -> list + ".exists_one(" + variable + ", " + predicate + ")";
            case 3 -> "size(" + list + ".filter(" + variable + ", " + predicate + ")) " + pick(COMPARISONS) + " " + random.nextInt(3);
            default -> literal() + " in " + list + ".map(" + variable + ", " + variable + " + " + literal() + ")";
        };
    }

    private String integer(int depth, String element)
    {
        int choice = random.nextInt(depth <= 0 ? 3 : 9);
        return switch (choice) {
            case 0 -> pick(INT_VARIABLES);
            case 1 -> String.valueOf(pick(GeneratedRows.INTEGERS)).replace("-9223372036854775808", "(-9223372036854775807 - 1)");
            case 2 -> "size(" + string(0, element) + ")";
            case 3, 4 -> "(" + integer(depth - 1, element) + " " + pick(INT_OPERATORS) + " " + integer(depth - 1, element) + ")";
            case 5 -> "-" + integer(depth - 1, element);
            case 6 -> "(" + bool(depth - 1, element) + " ? " + integer(depth - 1, element) + " : " + integer(depth - 1, element) + ")";
            case 7 -> "size(" + pick(MAP_VARIABLES) + ")";
            default -> "int(" + pick(List.of("\"12\"", "\"-3\"", "\"x\"", "\"9223372036854775808\"")) + ")";
        };
    }

    private String string(int depth, String element)
    {
        if (element != null && random.nextInt(3) == 0) {
            return element;
        }
        int choice = random.nextInt(depth <= 0 ? 2 : 8);
        return switch (choice) {
            case 0 -> pick(STRING_VARIABLES);
            case 1 -> literal();
            case 2 -> "(" + string(depth - 1, element) + " + " + string(depth - 1, element) + ")";
            case 3 -> pick(MAP_VARIABLES) + "[" + quote(pick(KEYS)) + "]";
            case 4 -> "map_get(" + pick(MAP_VARIABLES) + ", " + quote(pick(KEYS)) + ", " + literal() + ")";
            case 5 -> pick(LIST_VARIABLES) + "[" + pick(List.of("0", "1", "2", "-1", "5")) + "]";
            case 6 -> "(" + bool(depth - 1, element) + " ? " + string(depth - 1, element) + " : " + string(depth - 1, element) + ")";
            default -> "string(" + integer(depth - 1, element) + ")";
        };
    }

    private String literal()
    {
        return quote(pick(GeneratedRows.STRINGS));
    }

    /** A KFL (CEL) string literal. */
    static String quote(String value)
    {
        StringBuilder text = new StringBuilder("\"");
        for (int index = 0; index < value.length(); index++) {
            char character = value.charAt(index);
            switch (character) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '\t' -> text.append("\\t");
                default -> text.append(character);
            }
        }
        return text.append('"').toString();
    }

    private <T> T pick(List<T> values)
    {
        return values.get(random.nextInt(values.size()));
    }
}
