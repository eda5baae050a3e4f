package io.wirelake.query;

import io.wirelake.columns.Table;
import io.wirelake.kfl.CompiledFilter;
import io.wirelake.kfl.KflCompiler;
import io.wirelake.kfl.KflEvaluator;
import io.wirelake.kfl.KflException;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Trino selects exactly the rows CEL's own evaluator selects, for more than a thousand filters:
 * hand-written edge cases and random well-typed expressions, over generated rows written as Parquet
 * and read by a real Trino through the Hive connector. The edge cases run as each query's
 * {@code WHERE}, as users' queries have them (and so do the seed filters in the distribution's
 * QueryEnginesTest and these filters on a cluster in TrinoClusterTest); the thousand random ones
 * are evaluated thirty at a time over one read of the table ({@link IdQueries#matching}).
 */
class KflTrinoDifferentialTest
{
    private static final Instant NOW = Instant.parse("2026-03-14T22:30:00Z");
    static final List<String> EDGE_CASES = List.of(
            "",
            "path == \"it's\"",
            "path == \"quote\\\"d\"",
            "path == \"back\\\\slash\"",
            "path.contains(\"%\") || path.contains(\"_\")",
            "path.startsWith(\"%_\")",
            "path.endsWith(\"%\")",
            "path == \"-- comment\" || path == \"/* c */\"",
            "path == \"x'; DROP TABLE t; --\"",
            "path == \"line\\nbreak\"",
            "path == \"\\u00e9\" || path == \"中文\" || path == \"😀emoji\"",
            "size(path) == 6 && path.startsWith(\"😀\")",
            "path.matches(\"^\\\\.\\\\*\")",
            "path < \"a\"",
            "request.headers[\"missing\"] == \"\"",
            "!(request.headers[\"missing\"] == \"\")",
            "request.headers[\"missing\"] == \"\" || http",
            "request.headers[\"missing\"] == \"\" && false",
            "\"app\" in local_labels && local_labels[\"app\"] == \"checkout\"",
            "map_get(local_labels, \"app\", \"none\") == \"none\"",
            "dns_questions[0] == \"a\"",
            "dns_questions[-1] == \"a\"",
            "status_code / 0 == 1 || dns",
            "status_code % 0 == 0",
            "status_code + 9223372036854775807 > 0",
            "-status_code > 0",
            "status_code * 2 > 1000",
            "status_code / -1 > 0",
            "(http ? status_code : elapsed_time) > 404",
            "(request.headers[\"missing\"] == \"x\" ? true : true)",
            "dns_questions.exists(q, q.endsWith(\".com\"))",
            "dns_questions.all(q, q.size() > 1)",
            "dns_questions.exists_one(q, q == \"a\")",
            "size(dns_questions.filter(q, q.contains(\"a\"))) > 0",
            "dns_questions.exists(q, local_labels[q] == \"x\")",
            "dns_questions.all(q, local_labels[q] == \"x\")",
            "\"as\" in dns_questions.map(q, q + \"s\")",
            "local_labels.exists(k, k.startsWith(\"a\"))",
            "timestamp > now() - duration(\"10m\")",
            "timestamp > timestamp(\"2026-03-14T22:00:00.000001Z\")",
            "request_body == b\"abc\"",
            "int(\"x\") == 0 || tcp",
            "string(status_code) == \"200\"",
            "has(local_labels.app)");

    static List<GenericData.Record> rows;
    static String table;
    static int discriminating;

    @BeforeAll
    static void load()
            throws Exception
    {
        rows = GeneratedRows.generate(400, 11);
        Path data = Path.of("target", "differential").toAbsolutePath();
        GeneratedRows.write(rows, data.resolve("api_calls/rows.parquet"));
        GeneratedRows.write(List.of(), data.resolve("flows/empty.parquet"));
        for (String statement : SharedTrino.ddl().createForDirectory(data, SharedTrino.get().locationOf(data))) {
            SharedTrino.executeAsAdmin(statement);
        }
        table = SharedTrino.queries().qualified(LakeTables.schemaForDirectory(data), Table.API_CALLS);
    }

    @Test
    void edgeCasesAgree()
            throws Exception
    {
        List<String> disagreements = compare(EDGE_CASES, true);
        assertThat(disagreements).isEmpty();
    }

    @Test
    void aThousandRandomFiltersAgree()
            throws Exception
    {
        Set<String> filters = new LinkedHashSet<>();
        FilterGenerator generator = new FilterGenerator(2026);
        while (filters.size() < 1000) {
            filters.add(generator.next());
        }
        List<String> disagreements = compare(new ArrayList<>(filters), false);
        assertThat(disagreements).isEmpty();
        // The comparison means something only if filters split the rows: most select some rows, not all.
        assertThat(discriminating).as("filters that select some but not all rows").isGreaterThan(400);
    }

    /**
     * @param asWhere each filter as a query's {@code WHERE}, as users' queries have it; else
     *        evaluated in a batch over one read of the table ({@link IdQueries#matching}), where
     *        true means what {@code WHERE} keeps
     */
    private static List<String> compare(List<String> filters, boolean asWhere)
            throws Exception
    {
        KflCompiler compiler = new KflCompiler();
        List<String> disagreements = new ArrayList<>();
        List<String> compiled = new ArrayList<>();
        List<CompiledFilter> compiledFilters = new ArrayList<>();
        List<List<Long>> expected = new ArrayList<>();
        for (String kfl : filters) {
            CompiledFilter filter;
            try {
                filter = compiler.compile(kfl, java.util.Optional.of(Table.API_CALLS), NOW);
            }
            catch (KflException e) {
                disagreements.add(kfl + "\n    does not compile: " + e.getMessage());
                continue;
            }
            KflEvaluator evaluator = new KflEvaluator(filter);
            List<Long> selected = new ArrayList<>();
            for (GenericData.Record row : rows) {
                Map<String, Object> values = GeneratedRows.asMap(row);
                if (evaluator.matches(values)) {
                    selected.add((Long) row.get("id"));
                }
            }
            if (!selected.isEmpty() && selected.size() < rows.size()) {
                discriminating++;
            }
            compiled.add(kfl);
            compiledFilters.add(filter);
            expected.add(selected);
        }
        List<String> predicates = compiledFilters.stream().map(CompiledFilter::predicate).toList();
        List<IdQueries.Answer> answers = asWhere
                ? IdQueries.run(predicates.stream().map(predicate -> "SELECT id FROM " + table + " WHERE " + predicate).toList(), SharedTrino::ids)
                : IdQueries.matching(table, predicates, SharedTrino::ids);
        for (int index = 0; index < compiled.size(); index++) {
            String kfl = compiled.get(index);
            String predicate = compiledFilters.get(index).predicate();
            IdQueries.Answer answer = answers.get(index);
            if (answer.failed()) {
                disagreements.add(kfl + "\n    SQL: " + predicate + "\n    Trino failed: " + answer.error().getMessage());
            }
            else if (!answer.ids().equals(expected.get(index))) {
                List<Long> onlyTrino = new ArrayList<>(answer.ids());
                onlyTrino.removeAll(expected.get(index));
                List<Long> onlyCel = new ArrayList<>(expected.get(index));
                onlyCel.removeAll(answer.ids());
                disagreements.add(kfl + "\n    SQL: " + predicate + "\n    only Trino: " + head(onlyTrino) + "  only CEL: " + head(onlyCel));
            }
        }
        return disagreements;
    }

    private static List<Long> head(List<Long> ids)
    {
        return ids.subList(0, Math.min(5, ids.size()));
    }
}
