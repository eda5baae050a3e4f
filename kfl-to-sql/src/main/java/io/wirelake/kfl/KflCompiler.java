package io.wirelake.kfl;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import io.wirelake.columns.Column;
import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;

import java.time.Instant;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Compiles KFL2 filters: parsed and type-checked by CEL against the column declarations, then
 * translated to a Trino predicate over {@code api_calls} or {@code flows}. Filters that use
 * {@code conn_*}/{@code flow_*} variables address {@code flows}.
 */
public final class KflCompiler
{
    private static final Pattern UNDECLARED = Pattern.compile("undeclared reference to '([^']+)'");
    private static final CelCompiler CEL = KflEnvironment.compiler();
    /** What a filter may name: every column's KFL name and the functions a suggestion may point to. */
    private static final Set<String> KNOWN_NAMES = Stream.concat(Columns.all().stream().map(Column::kflName),
                    Stream.of("map_get", "now", "timestamp", "duration", "size", "matches", "contains", "startsWith", "endsWith"))
            .collect(Collectors.toUnmodifiableSet());

    /** Compiles for the table the filter's variables call for (api_calls when they fit both). */
    public CompiledFilter compile(String kfl, Instant now)
            throws KflException
    {
        return compile(kfl, Optional.empty(), now);
    }

    public CompiledFilter compile(String kfl, Optional<Table> requestedTable, Instant now)
            throws KflException
    {
        String text = kfl.isBlank() ? "true" : kfl;
        // The results' errors, not getAst()'s exception: that one formats every error of the text
        // with its snippet, where the message names only the first (a third of the time a garbled
        // filter takes).
        CelValidationResult parsed = CEL.parse(text);
        if (parsed.hasError()) {
            throw describe(parsed, "syntax error: ");
        }
        CelValidationResult checked = CEL.check(ast(parsed));
        if (checked.hasError()) {
            throw describe(checked, "");
        }
        CelAbstractSyntaxTree ast = ast(checked);
        if (!ast.getResultType().equals(SimpleType.BOOL)) {
            throw new KflException("line 1, column 1: a filter must be a boolean expression, but this one is " + ast.getResultType().name(), 1, 1);
        }
        SqlTranslator translator = new SqlTranslator(ast, now);
        String predicate = translator.translate();
        Table table = table(translator.columns(), requestedTable);
        return new CompiledFilter(kfl, table, predicate, translator.columns(), now, ast);
    }

    private static Table table(Set<Column> columns, Optional<Table> requested)
            throws KflException
    {
        Set<Table> possible = EnumSet.allOf(Table.class);
        for (Column column : columns) {
            possible.retainAll(column.tables());
        }
        if (possible.isEmpty()) {
            String flowsOnly = columns.stream().filter(column -> !column.in(Table.API_CALLS)).map(Column::kflName).collect(Collectors.joining(", "));
            String callsOnly = columns.stream().filter(column -> !column.in(Table.FLOWS)).map(Column::kflName).collect(Collectors.joining(", "));
            throw new KflException("line 1, column 1: the filter mixes flow variables (" + flowsOnly + ") with API-call variables (" + callsOnly
                    + "); they live in different tables", 1, 1);
        }
        if (requested.isPresent()) {
            if (!possible.contains(requested.get())) {
                throw new KflException("line 1, column 1: the filter uses variables that " + requested.get().sqlName() + " does not have: "
                        + columns.stream().filter(column -> !column.in(requested.get())).map(Column::kflName).collect(Collectors.joining(", ")), 1, 1);
            }
            return requested.get();
        }
        return possible.contains(Table.API_CALLS) ? Table.API_CALLS : Table.FLOWS;
    }

    /** The tree of a result without errors. */
    private static CelAbstractSyntaxTree ast(CelValidationResult result)
    {
        try {
            return result.getAst();
        }
        catch (CelValidationException e) {
            throw new IllegalStateException("CEL gave no tree for a result without errors", e);
        }
    }

    private static KflException describe(CelValidationResult result, String prefix)
    {
        CelIssue issue = result.getErrors().get(0);
        int line = Math.max(1, issue.getSourceLocation().getLine());
        int column = issue.getSourceLocation().getColumn() + 1;
        String message = prefix + issue.getMessage().replaceFirst("^Syntax error: ", "");
        Matcher undeclared = UNDECLARED.matcher(message);
        Optional<String> suggestion = Optional.empty();
        if (undeclared.find()) {
            // CEL names the first segment of a dotted name: take the whole name from the source.
            String name = result.getSource().getSnippet(line)
                    .map(text -> dottedNameAt(text, column - 1))
                    .filter(dotted -> dotted.startsWith(undeclared.group(1)))
                    .orElse(undeclared.group(1));
            suggestion = nearest(name);
            message = "unknown name '" + name + "'" + suggestion.map(known -> " (did you mean '" + known + "'?)").orElse("");
        }
        String snippet = result.getSource().getSnippet(line).map(text -> "\n  | " + text + "\n  | " + " ".repeat(Math.max(0, column - 1)) + "^").orElse("");
        return new KflException("line " + line + ", column " + column + ": " + message + snippet, line, column, suggestion);
    }

    private static String dottedNameAt(String text, int start)
    {
        int end = Math.max(0, Math.min(start, text.length()));
        while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_' || text.charAt(end) == '.')) {
            end++;
        }
        String name = text.substring(Math.max(0, Math.min(start, text.length())), end);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** The known variable or function closest to a misspelt name, if any is close. */
    static Optional<String> nearest(String name)
    {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        int limit = Math.max(1, Math.min(3, name.length() / 3));
        // Lengths further apart than the limit cannot be within it: a long name (a hostile filter's
        // megabyte of letters) costs a comparison of lengths per candidate, not a distance table.
        return KNOWN_NAMES.stream()
                .filter(candidate -> Math.abs(candidate.length() - lower.length()) <= limit)
                .map(candidate -> new Object[] {candidate, distance(lower, candidate.toLowerCase(java.util.Locale.ROOT))})
                .filter(pair -> (int) pair[1] <= limit)
                .min(Comparator.comparingInt((Object[] pair) -> (int) pair[1]).thenComparing(pair -> (String) pair[0]))
                .map(pair -> (String) pair[0]);
    }

    /** Damerau-Levenshtein distance (optimal string alignment), so transpositions cost one. */
    static int distance(String left, String right)
    {
        int[][] cost = new int[left.length() + 1][right.length() + 1];
        for (int i = 0; i <= left.length(); i++) {
            cost[i][0] = i;
        }
        for (int j = 0; j <= right.length(); j++) {
            cost[0][j] = j;
        }
        for (int i = 1; i <= left.length(); i++) {
            for (int j = 1; j <= right.length(); j++) {
                int substitution = left.charAt(i - 1) == right.charAt(j - 1) ? 0 : 1;
                cost[i][j] = Math.min(Math.min(cost[i - 1][j] + 1, cost[i][j - 1] + 1), cost[i - 1][j - 1] + substitution);
                if (i > 1 && j > 1 && left.charAt(i - 1) == right.charAt(j - 2) && left.charAt(i - 2) == right.charAt(j - 1)) {
                    cost[i][j] = Math.min(cost[i][j], cost[i - 2][j - 2] + 1);
                }
            }
        }
        return cost[left.length()][right.length()];
    }
}
