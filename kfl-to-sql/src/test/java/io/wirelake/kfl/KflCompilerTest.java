package io.wirelake.kfl;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KflCompilerTest
{
    private static final Instant NOW = Instant.parse("2026-03-14T23:00:00Z");
    private final KflCompiler compiler = new KflCompiler();

    @Test
    void unknownNamesGetPositionAndTheNearestKnownName()
    {
        assertThatThrownBy(() -> compiler.compile("htpp && status_code >= 500", NOW))
                .isInstanceOf(KflException.class)
                .hasMessageStartingWith("line 1, column 1: unknown name 'htpp' (did you mean 'http'?)");
        assertThatThrownBy(() -> compiler.compile("http &&\n  dst.pod.namespce == \"prod\"", NOW))
                .hasMessageContaining("line 2, column")
                .hasMessageContaining("did you mean 'dst.pod.namespace'?");
        assertThatThrownBy(() -> compiler.compile("http && satus_code == 500", NOW)).hasMessageContaining("did you mean 'status_code'?");
        // Up to three edits on a long name, counted as Damerau-Levenshtein: two letters added, one transposed.
        assertThatThrownBy(() -> compiler.compile("stauts_codexx == 500", NOW)).hasMessageContaining("did you mean 'status_code'?");
        // Too far from every known name: no suggestion, for a name of any length.
        assertThatThrownBy(() -> compiler.compile("status_code_of_the_reply == 500", NOW))
                .hasMessageStartingWith("line 1, column 1: unknown name 'status_code_of_the_reply'\n");
        String longName = "a".repeat(50_000);
        assertThatThrownBy(() -> compiler.compile(longName + " == 1", NOW))
                .hasMessageStartingWith("line 1, column 1: unknown name '" + longName + "'\n");
    }

    @Test
    void syntaxAndTypeErrorsArePositionedNotStackTraces()
    {
        assertThatThrownBy(() -> compiler.compile("http && (status_code >= 500", NOW))
                .isInstanceOf(KflException.class)
                .hasMessageStartingWith("line 1, column")
                .hasMessageContaining("syntax error");
        assertThatThrownBy(() -> compiler.compile("status_code == \"200\"", NOW))
                .isInstanceOf(KflException.class)
                .hasMessageContaining("found no matching overload for '_==_'");
        assertThatThrownBy(() -> compiler.compile("status_code + 1", NOW))
                .hasMessageContaining("must be a boolean expression");
        assertThatThrownBy(() -> compiler.compile("url.matches(\"(unclosed\")", NOW))
                .hasMessageStartingWith("line 1, column 13: invalid regular expression");
        assertThatThrownBy(() -> compiler.compile("timestamp > timestamp(\"yesterday\")", NOW))
                .hasMessageContaining("not an RFC 3339 timestamp");
        assertThatThrownBy(() -> compiler.compile("conn && http", NOW))
                .hasMessageContaining("mixes flow variables (conn) with API-call variables (http)");
    }

    @Test
    void literalsCannotChangeTheShapeOfTheQuery()
            throws KflException
    {
        String hostile = "x' OR '1'='1'; DROP TABLE api_calls; -- \\ % _ /* */ \u00e9\u4e2d\ud83d\ude00";
        String predicate = compiler.compile("path == \"" + hostile.replace("\\", "\\\\") + "\"", NOW).predicate();
        assertThat(predicate).isEqualTo("(\"path\" = 'x'' OR ''1''=''1''; DROP TABLE api_calls; -- \\ % _ /* */ \u00e9\u4e2d\ud83d\ude00')");
        String control = compiler.compile("path == \"a\\nb\\u0000c'\"", NOW).predicate();
        assertThat(control).isEqualTo("(\"path\" = U&'a\\000Ab\\0000c''')");
    }

    @Test
    void theEvaluatorHasCelSemantics()
            throws KflException
    {
        Map<String, Object> row = new HashMap<>();
        row.put("http", true);
        row.put("status_code", 503L);
        row.put("request.headers", Map.of("content-type", "application/json"));
        row.put("dns_questions", List.of("a.example.com", "b.example.com"));
        row.put("timestamp", Instant.parse("2026-03-14T22:58:00Z"));
        assertThat(matches("http && status_code >= 500", row)).isTrue();
        // A missing map key is an error: the row does not match, unless && or || decide without it.
        assertThat(matches("request.headers[\"x-missing\"] == \"1\"", row)).isFalse();
        assertThat(matches("!(request.headers[\"x-missing\"] == \"1\")", row)).isFalse();
        assertThat(matches("request.headers[\"x-missing\"] == \"1\" || http", row)).isTrue();
        assertThat(matches("false && request.headers[\"x-missing\"] == \"1\"", row)).isFalse();
        assertThat(matches("map_get(request.headers, \"x-missing\", \"none\") == \"none\"", row)).isTrue();
        assertThat(matches("dns_questions.exists(q, q.endsWith(\".example.com\"))", row)).isTrue();
        assertThat(matches("dns_questions.exists_one(q, q.startsWith(\"a.\"))", row)).isTrue();
        assertThat(matches("size(dns_questions.filter(q, q.contains(\"b\"))) == 1", row)).isTrue();
        assertThat(matches("timestamp > now() - duration(\"5m\")", row)).isTrue();
        assertThat(matches("timestamp > now() - duration(\"1m\")", row)).isFalse();
        assertThat(matches("status_code / 0 == 1", row)).isFalse();
        assertThat(matches("dns_questions[5] == \"x\"", row)).isFalse();
        assertThat(matches("", row)).isTrue();
    }

    private boolean matches(String kfl, Map<String, Object> row)
            throws KflException
    {
        return new KflEvaluator(compiler.compile(kfl, NOW)).matches(row);
    }
}
