package io.wirelake.kfl;

import com.google.re2j.PatternSyntaxException;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.CelType;
import io.wirelake.columns.Column;
import io.wirelake.columns.ColumnType;
import io.wirelake.columns.Columns;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates a type-checked KFL2 (CEL) expression into a Trino predicate. Every fragment is
 * parenthesised; every identifier and literal goes through {@link SqlText}.
 *
 * <p>CEL semantics are kept by one rule: an evaluation error is SQL NULL. Trino's three-valued
 * AND/OR then absorb errors exactly as CEL's commutative {@code &&}/{@code ||} do, comparisons
 * and functions propagate them, and WHERE drops the row, as KFL does when evaluation fails.
 * What would raise in Trino but is an error value in CEL (integer overflow, division by zero,
 * bad conversions) is wrapped in {@code TRY}; missing map keys and out-of-range indexes use
 * {@code element_at} and bounds checks, which give NULL.
 */
final class SqlTranslator
{
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

    private final CelAbstractSyntaxTree ast;
    private final Instant now;
    private final Map<String, String> lambdaVariables = new HashMap<>();
    private final Set<Column> columns = new LinkedHashSet<>();
    /** Every expression of the expanded tree by id: macro calls refer to nested macros by id only. */
    private final Map<Long, CelExpr> expressions = new HashMap<>();
    private int lambdaCounter;

    SqlTranslator(CelAbstractSyntaxTree ast, Instant now)
    {
        this.ast = ast;
        this.now = now;
        index(ast.getExpr());
    }

    private void index(CelExpr expr)
    {
        expressions.put(expr.id(), expr);
        switch (expr.getKind()) {
            case SELECT -> index(expr.select().operand());
            case CALL -> {
                expr.call().target().ifPresent(this::index);
                expr.call().args().forEach(this::index);
            }
            case LIST -> expr.list().elements().forEach(this::index);
            case MAP -> expr.map().entries().forEach(entry -> {
                index(entry.key());
                index(entry.value());
            });
            case COMPREHENSION -> {
                index(expr.comprehension().iterRange());
                index(expr.comprehension().accuInit());
                index(expr.comprehension().loopCondition());
                index(expr.comprehension().loopStep());
                index(expr.comprehension().result());
            }
            default -> {
            }
        }
    }

    Set<Column> columns()
    {
        return columns;
    }

    String translate()
            throws KflException
    {
        return sql(ast.getExpr());
    }

    private String sql(CelExpr expr)
            throws KflException
    {
        return switch (expr.getKind()) {
            case CONSTANT -> constant(expr, expr.constant());
            case IDENT -> identifier(expr, expr.ident().name());
            case SELECT -> select(expr);
            case CALL -> call(expr);
            case LIST -> list(expr);
            case MAP -> map(expr);
            case COMPREHENSION -> comprehension(expr);
            case NOT_SET -> {
                // A nested macro inside a recorded macro call: the placeholder carries the id of its expansion.
                CelExpr expanded = expressions.get(expr.id());
                if (expanded == null || expanded.getKind() == CelExpr.ExprKind.Kind.NOT_SET) {
                    throw unsupported(expr, "unsupported expression");
                }
                yield sql(expanded);
            }
            case STRUCT -> throw unsupported(expr, "message construction is not part of KFL");
        };
    }

    private String constant(CelExpr expr, CelConstant constant)
            throws KflException
    {
        return switch (constant.getKind()) {
            case BOOLEAN_VALUE -> constant.booleanValue() ? "TRUE" : "FALSE";
            case INT64_VALUE -> SqlText.integer(constant.int64Value());
            case DOUBLE_VALUE -> "DOUBLE " + SqlText.string(Double.toString(constant.doubleValue()));
            case STRING_VALUE -> SqlText.string(constant.stringValue());
            case BYTES_VALUE -> SqlText.bytes(constant.bytesValue().toByteArray());
            case NULL_VALUE -> throw unsupported(expr, "null is not a KFL value: every field has a default instead");
            case UINT64_VALUE -> throw unsupported(expr, "unsigned integers are not used by any KFL field; write the number without 'u'");
            case TIMESTAMP_VALUE, DURATION_VALUE, NOT_SET -> throw unsupported(expr, "unsupported constant");
        };
    }

    private String identifier(CelExpr expr, String name)
            throws KflException
    {
        String lambda = lambdaVariables.get(name);
        if (lambda != null) {
            return lambda;
        }
        String resolved = ast.getReference(expr.id()).map(reference -> reference.name()).orElse(name);
        Column column = Columns.byKflName(resolved).orElseThrow(() -> unsupported(expr, "unknown name " + resolved));
        columns.add(column);
        return SqlText.identifier(column.sqlName());
    }

    private String select(CelExpr expr)
            throws KflException
    {
        // A qualified variable (dst.pod.namespace) is one reference after checking.
        var reference = ast.getReference(expr.id());
        if (reference.isPresent() && Columns.byKflName(reference.get().name()).isPresent() && !expr.select().testOnly()) {
            return identifier(expr, reference.get().name());
        }
        CelExpr operand = expr.select().operand();
        CelKind operandKind = type(operand).kind();
        if (operandKind != CelKind.MAP) {
            throw unsupported(expr, "field selection works on maps only here");
        }
        String key = SqlText.string(expr.select().field());
        if (expr.select().testOnly()) {
            // has(m.key): the key is present.
            return "(contains(map_keys(" + sql(operand) + "), " + key + "))";
        }
        return "(element_at(" + sql(operand) + ", " + key + "))";
    }

    private String call(CelExpr expr)
            throws KflException
    {
        var call = expr.call();
        String function = call.function();
        List<CelExpr> arguments = new ArrayList<>();
        call.target().ifPresent(arguments::add);
        arguments.addAll(call.args());
        List<String> overloads = ast.getReference(expr.id()).map(reference -> reference.overloadIds()).map(List::copyOf).orElse(List.of());
        switch (function) {
            case "_&&_":
                return "(" + sql(arguments.get(0)) + " AND " + sql(arguments.get(1)) + ")";
            case "_||_":
                return "(" + sql(arguments.get(0)) + " OR " + sql(arguments.get(1)) + ")";
            case "!_":
                return "(NOT " + sql(arguments.get(0)) + ")";
            case "_?_:_": {
                String condition = sql(arguments.get(0));
                return "(CASE WHEN " + condition + " IS NULL THEN NULL WHEN " + condition + " THEN " + sql(arguments.get(1)) + " ELSE "
                        + sql(arguments.get(2)) + " END)";
            }
            case "_==_":
                return comparison(arguments, "=");
            case "_!=_":
                return comparison(arguments, "<>");
            case "_<_":
                return comparison(arguments, "<");
            case "_<=_":
                return comparison(arguments, "<=");
            case "_>_":
                return comparison(arguments, ">");
            case "_>=_":
                return comparison(arguments, ">=");
            case "_+_":
                return plus(expr, arguments);
            case "_-_":
                return minus(expr, arguments);
            case "_*_":
                return arithmetic(arguments, "*");
            case "_/_":
                return arithmetic(arguments, "/");
            case "_%_":
                return arithmetic(arguments, "%");
            case "-_":
                return isInteger(arguments.get(0)) ? "(TRY(- " + sql(arguments.get(0)) + "))" : "(- " + sql(arguments.get(0)) + ")";
            case "@in":
                return in(arguments);
            case "_[_]":
                return index(arguments);
            case "size":
                return size(expr, arguments.get(0));
            case "contains":
                return "(strpos(" + sql(arguments.get(0)) + ", " + sql(arguments.get(1)) + ") > 0)";
            case "startsWith":
                return "(starts_with(" + sql(arguments.get(0)) + ", " + sql(arguments.get(1)) + "))";
            case "endsWith": {
                String text = sql(arguments.get(0));
                String suffix = sql(arguments.get(1));
                return "(length(" + suffix + ") <= length(" + text + ") AND substr(" + text + ", length(" + text + ") - length(" + suffix + ") + 1) = "
                        + suffix + ")";
            }
            case "matches":
                return matches(arguments.get(0), arguments.get(1));
            case KflEnvironment.MAP_GET:
                return "(coalesce(element_at(" + sql(arguments.get(0)) + ", " + sql(arguments.get(1)) + "), " + sql(arguments.get(2)) + "))";
            case KflEnvironment.NOW:
                return timestampLiteral(now);
            case "timestamp":
                return timestamp(expr, arguments.get(0));
            case "duration":
                return duration(expr, arguments.get(0));
            case "string":
                return conversionToString(expr, arguments.get(0));
            case "int":
                return conversionToInt(expr, arguments.get(0));
            case "getFullYear":
                return timestampPart(expr, arguments, "year(%s)");
            case "getMonth":
                return timestampPart(expr, arguments, "(month(%s) - 1)");
            case "getDayOfYear":
                return timestampPart(expr, arguments, "(day_of_year(%s) - 1)");
            case "getDayOfMonth":
                return timestampPart(expr, arguments, "(day(%s) - 1)");
            case "getDate":
                return timestampPart(expr, arguments, "day(%s)");
            case "getDayOfWeek":
                return timestampPart(expr, arguments, "(day_of_week(%s) % 7)");
            case "getHours":
                return timestampPart(expr, arguments, "hour(%s)");
            case "getMinutes":
                return timestampPart(expr, arguments, "minute(%s)");
            case "getSeconds":
                return timestampPart(expr, arguments, "second(%s)");
            case "getMilliseconds":
                return timestampPart(expr, arguments, "millisecond(%s)");
            default:
                throw unsupported(expr, "function " + displayName(function) + (overloads.isEmpty() ? "" : " " + overloads) + " has no SQL translation");
        }
    }

    private String comparison(List<CelExpr> arguments, String operator)
            throws KflException
    {
        return "(" + sql(arguments.get(0)) + " " + operator + " " + sql(arguments.get(1)) + ")";
    }

    private String plus(CelExpr expr, List<CelExpr> arguments)
            throws KflException
    {
        CelKind kind = type(expr).kind();
        return switch (kind) {
            case INT -> arithmetic(arguments, "+");
            case STRING, LIST, BYTES -> "(" + sql(arguments.get(0)) + " || " + sql(arguments.get(1)) + ")";
            case TIMESTAMP, DURATION, DOUBLE -> "(" + sql(arguments.get(0)) + " + " + sql(arguments.get(1)) + ")";
            default -> throw unsupported(expr, "+ on " + kind);
        };
    }

    private String minus(CelExpr expr, List<CelExpr> arguments)
            throws KflException
    {
        CelKind kind = type(expr).kind();
        return switch (kind) {
            case INT -> arithmetic(arguments, "-");
            case TIMESTAMP, DURATION, DOUBLE -> "(" + sql(arguments.get(0)) + " - " + sql(arguments.get(1)) + ")";
            default -> throw unsupported(expr, "- on " + kind);
        };
    }

    /** Integer arithmetic raises in Trino on overflow and division by zero; CEL makes those errors: TRY turns them into NULL. */
    private String arithmetic(List<CelExpr> arguments, String operator)
            throws KflException
    {
        String operation = sql(arguments.get(0)) + " " + operator + " " + sql(arguments.get(1));
        return isInteger(arguments.get(0)) ? "(TRY(" + operation + "))" : "(" + operation + ")";
    }

    private String in(List<CelExpr> arguments)
            throws KflException
    {
        CelExpr element = arguments.get(0);
        CelExpr collection = arguments.get(1);
        if (type(collection).kind() == CelKind.MAP) {
            return "(contains(map_keys(" + sql(collection) + "), " + sql(element) + "))";
        }
        return "(contains(" + sql(collection) + ", " + sql(element) + "))";
    }

    private String index(List<CelExpr> arguments)
            throws KflException
    {
        CelExpr collection = arguments.get(0);
        String container = sql(collection);
        String key = sql(arguments.get(1));
        if (type(collection).kind() == CelKind.MAP) {
            return "(element_at(" + container + ", " + key + "))";
        }
        // CEL lists are 0-based and out-of-range is an error (NULL); Trino arrays are 1-based.
        return "(CASE WHEN " + key + " >= 0 AND " + key + " < cardinality(" + container + ") THEN element_at(" + container + ", " + key
                + " + 1) END)";
    }

    private String size(CelExpr expr, CelExpr argument)
            throws KflException
    {
        CelKind kind = type(argument).kind();
        return switch (kind) {
            case STRING, BYTES -> "(length(" + sql(argument) + "))";
            case LIST, MAP -> "(cardinality(" + sql(argument) + "))";
            default -> throw unsupported(expr, "size of " + kind);
        };
    }

    private String matches(CelExpr text, CelExpr pattern)
            throws KflException
    {
        if (pattern.getKind() == CelExpr.ExprKind.Kind.CONSTANT) {
            String regex = pattern.constant().stringValue();
            try {
                com.google.re2j.Pattern.compile(regex);
            }
            catch (PatternSyntaxException e) {
                throw positioned(pattern, "invalid regular expression (RE2 syntax): " + e.getDescription());
            }
            return "(regexp_like(" + sql(text) + ", " + sql(pattern) + "))";
        }
        // A pattern that is not a literal may be invalid at run time: an error, so TRY.
        return "(TRY(regexp_like(" + sql(text) + ", " + sql(pattern) + ")))";
    }

    private String timestamp(CelExpr expr, CelExpr argument)
            throws KflException
    {
        if (argument.getKind() != CelExpr.ExprKind.Kind.CONSTANT) {
            throw unsupported(expr, "timestamp() takes a literal, like timestamp(\"2026-03-14T22:00:00Z\")");
        }
        if (argument.constant().getKind() == CelConstant.Kind.INT64_VALUE) {
            return timestampLiteral(Instant.ofEpochSecond(argument.constant().int64Value()));
        }
        String text = argument.constant().stringValue();
        try {
            Instant instant = java.time.OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            if (instant.isBefore(Instant.parse("0001-01-01T00:00:00Z")) || instant.isAfter(Instant.parse("9999-12-31T23:59:59.999999999Z"))) {
                throw new java.time.format.DateTimeParseException("out of range", text, 0);
            }
            return timestampLiteral(instant);
        }
        catch (java.time.format.DateTimeParseException e) {
            throw positioned(argument, "not an RFC 3339 timestamp: " + text + " (write like 2026-03-14T22:00:00Z)");
        }
    }

    private String timestampLiteral(Instant instant)
    {
        // Microseconds: the precision of the tables (and of Trino's timestamp(6)).
        Instant micros = instant.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        return "(TIMESTAMP " + SqlText.string(TIMESTAMP.format(micros)) + ")";
    }

    private String duration(CelExpr expr, CelExpr argument)
            throws KflException
    {
        if (argument.getKind() != CelExpr.ExprKind.Kind.CONSTANT) {
            throw unsupported(expr, "duration() takes a literal, like duration(\"5m\")");
        }
        String text = argument.constant().stringValue();
        java.time.Duration duration = Durations.parse(text).orElseThrow(() -> positioned(argument,
                "not a duration: " + text + " (write like 5m, 1h30m, 250ms)"));
        if (duration.getNano() % 1_000_000 != 0) {
            throw positioned(argument, "durations are supported to the millisecond: " + text);
        }
        long millis = duration.abs().toMillis();
        String interval = "parse_duration(" + SqlText.string(millis + "ms") + ")";
        return duration.isNegative() ? "(INTERVAL '0' SECOND - " + interval + ")" : "(" + interval + ")";
    }

    private String conversionToString(CelExpr expr, CelExpr argument)
            throws KflException
    {
        CelKind kind = type(argument).kind();
        return switch (kind) {
            case STRING -> sql(argument);
            case INT -> "(CAST(" + sql(argument) + " AS varchar))";
            case BOOL -> "(CASE WHEN " + sql(argument) + " THEN 'true' ELSE 'false' END)";
            default -> throw unsupported(expr, "string() of " + kind);
        };
    }

    private String conversionToInt(CelExpr expr, CelExpr argument)
            throws KflException
    {
        CelKind kind = type(argument).kind();
        return switch (kind) {
            case INT -> sql(argument);
            case STRING -> "(TRY(CAST(" + sql(argument) + " AS bigint)))";
            case TIMESTAMP -> "(CAST(floor(to_unixtime(" + sql(argument) + ")) AS bigint))";
            default -> throw unsupported(expr, "int() of " + kind);
        };
    }

    private String timestampPart(CelExpr expr, List<CelExpr> arguments, String template)
            throws KflException
    {
        if (arguments.size() != 1) {
            throw unsupported(expr, "time zone arguments are not supported: times are UTC");
        }
        return "(" + template.replace("%s", sql(arguments.get(0))) + ")";
    }

    private String list(CelExpr expr)
            throws KflException
    {
        List<String> elements = new ArrayList<>();
        for (CelExpr element : expr.list().elements()) {
            elements.add(sql(element));
        }
        if (elements.isEmpty()) {
            return "(CAST(ARRAY[] AS " + trinoType(expr, type(expr)) + "))";
        }
        return "(ARRAY[" + String.join(", ", elements) + "])";
    }

    private String map(CelExpr expr)
            throws KflException
    {
        List<String> keys = new ArrayList<>();
        List<String> values = new ArrayList<>();
        for (var entry : expr.map().entries()) {
            keys.add(sql(entry.key()));
            values.add(sql(entry.value()));
        }
        if (keys.isEmpty()) {
            return "(CAST(MAP() AS " + trinoType(expr, type(expr)) + "))";
        }
        // Duplicate keys are an error in CEL and in Trino's map(): TRY makes both NULL.
        return "(TRY(map(ARRAY[" + String.join(", ", keys) + "], ARRAY[" + String.join(", ", values) + "])))";
    }

    /** The standard macros, recognised from the parser's record of macro calls, become Trino lambdas. */
    private String comprehension(CelExpr expr)
            throws KflException
    {
        CelExpr macro = ast.getSource().getMacroCalls().get(expr.id());
        if (macro == null || macro.getKind() != CelExpr.ExprKind.Kind.CALL || macro.call().target().isEmpty()) {
            throw unsupported(expr, "only the standard macros (exists, all, exists_one, filter, map) are supported");
        }
        var call = macro.call();
        CelExpr range = call.target().get();
        String iterationVariable = call.args().get(0).ident().name();
        String source = sql(expr.comprehension().iterRange());
        if (type(range).kind() == CelKind.MAP) {
            source = "map_keys(" + source + ")";
        }
        String parameter = "v" + (++lambdaCounter);
        String previous = lambdaVariables.put(iterationVariable, parameter);
        try {
            String body = sql(call.args().get(call.args().size() - 1));
            String lambda = parameter + " -> " + body;
            String anyError = "any_match(" + source + ", " + parameter + " -> (" + body + ") IS NULL)";
            return switch (call.function()) {
                // any_match/all_match absorb NULL (error) exactly as CEL's exists/all do.
                case "exists" -> "(any_match(" + source + ", " + lambda + "))";
                case "all" -> "(all_match(" + source + ", " + lambda + "))";
                case "exists_one" -> "(CASE WHEN " + anyError + " THEN NULL ELSE cardinality(filter(" + source + ", " + lambda + ")) = 1 END)";
                case "filter" -> "(CASE WHEN " + anyError + " THEN NULL ELSE filter(" + source + ", " + lambda + ") END)";
                case "map" -> {
                    if (call.args().size() != 2) {
                        throw unsupported(expr, "map() with a filter argument is not supported; use filter() then map()");
                    }
                    yield "(CASE WHEN " + anyError + " THEN NULL ELSE transform(" + source + ", " + lambda + ") END)";
                }
                default -> throw unsupported(expr, "macro " + call.function() + " is not supported");
            };
        }
        finally {
            if (previous == null) {
                lambdaVariables.remove(iterationVariable);
            }
            else {
                lambdaVariables.put(iterationVariable, previous);
            }
        }
    }

    private String trinoType(CelExpr expr, CelType type)
            throws KflException
    {
        return switch (type.kind()) {
            case STRING -> "varchar";
            case INT -> "bigint";
            case BOOL -> "boolean";
            case DOUBLE -> "double";
            case BYTES -> "varbinary";
            case TIMESTAMP -> "timestamp(6)";
            case LIST -> "array(" + trinoType(expr, type.parameters().get(0)) + ")";
            case MAP -> "map(" + trinoType(expr, type.parameters().get(0)) + ", " + trinoType(expr, type.parameters().get(1)) + ")";
            default -> throw unsupported(expr, "values of type " + type.name() + " (give empty lists and maps a typed context)");
        };
    }

    private boolean isInteger(CelExpr expr)
    {
        return type(expr).kind() == CelKind.INT;
    }

    private CelType type(CelExpr expr)
    {
        return ast.getTypeOrThrow(expr.id());
    }

    private static String displayName(String function)
    {
        return function.replace("_", "");
    }

    private KflException unsupported(CelExpr expr, String message)
    {
        return positioned(expr, message);
    }

    private KflException positioned(CelExpr expr, String message)
    {
        Integer offset = ast.getSource().getPositionsMap().get(expr.id());
        var location = offset == null ? java.util.Optional.<dev.cel.common.CelSourceLocation>empty() : ast.getSource().getOffsetLocation(offset);
        int line = location.map(value -> value.getLine()).orElse(1);
        int column = location.map(value -> value.getColumn() + 1).orElse(1);
        return new KflException("line " + line + ", column " + column + ": " + message, line, column);
    }

    /** For callers that need a column's type (the evaluator's activation). */
    static ColumnType columnType(String kflName)
    {
        return Columns.byKflName(kflName).map(Column::type).orElseThrow();
    }
}
