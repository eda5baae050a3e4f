package io.wirelake.dist;

import com.fasterxml.jackson.databind.JsonNode;
import io.wirelake.mcp.Skills;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.wirelake.dist.McpServers.call;
import static io.wirelake.dist.McpServers.ok;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The skills against the packaged server on the demo's two days: every SQL query a skill shows runs
 * on Trino through run_sql, and the network-rca skill's steps, followed literally through the MCP
 * client on the incident day, reach the root causes the generator planted (docs/DEMO.md): the 5xx
 * rise of {@code orders POST /api/v1/orders}, and the catalog's latency regression with its cause,
 * the catalog's lost Redis cache.
 */
class McpSkillsTest
{
    private static DriftLake lake;
    private static McpServers.Server server;
    private static Skills skills;

    @BeforeAll
    static void startTheServer()
            throws Exception
    {
        lake = DriftLake.get();
        server = McpServers.readOnly();
        skills = Skills.read(Skills.directory());
    }

    @Test
    void everySqlQueryOfEverySkillRunsOnTrino()
            throws Exception
    {
        List<String> failures = new ArrayList<>();
        int queries = 0;
        for (Skills.Skill skill : skills.skills()) {
            for (String sql : skill.sqlExamples()) {
                queries++;
                McpServers.Answer answer = call(server, "run_sql", Map.of("sql", sql, "limit", 50));
                if (answer.error()) {
                    failures.add(skill.directory() + ": " + answer.path("error").asText() + "\n" + sql);
                }
                else {
                    assertThat(answer.path("columns").size()).as(sql).isPositive();
                }
            }
        }
        assertThat(failures).as("skill queries Trino refused").isEmpty();
        assertThat(queries).isGreaterThan(10);
    }

    @Test
    void everyKflFilterOfEverySkillRunsThroughTheTools()
            throws Exception
    {
        // Compiling is tested in the mcp module; here each filter goes through the packaged server to Trino.
        List<String> failures = new ArrayList<>();
        for (Skills.Skill skill : skills.skills()) {
            for (String kfl : skill.kflExamples()) {
                String table = ok(server, "kfl_check", Map.of("kfl", kfl)).path("table").asText();
                McpServers.Answer answer = call(server, table.equals("flows") ? "list_l4_flows" : "list_api_calls", Map.of("snapshot_id", "incident", "kfl", kfl, "limit", 1));
                if (answer.error()) {
                    failures.add(skill.directory() + ": " + kfl + " -> " + answer.path("error").asText());
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    /** The network-rca skill's workflow, steps 2 to 8, as written. */
    @Test
    void theNetworkRcaSkillReachesThePlantedRootCauses()
            throws Exception
    {
        String steps = skills.skills().stream().filter(skill -> skill.directory().equals("network-rca")).findFirst().orElseThrow().text().replaceAll("\\s+", " ");
        assertThat(steps).contains("at least 50 requests, the one with the highest error rate is the first error suspect")
                .contains("`compare_snapshot_id`").contains("`diff_snapshots`").contains("`get_service_map` on both snapshots shows edges that vanished");

        // Step 2: find a dissected snapshot of the incident, and a known-good one.
        Map<String, String> status = new HashMap<>();
        ok(server, "list_snapshots", Map.of()).path("snapshots").forEach(snapshot -> status.put(snapshot.path("name").asText(), snapshot.path("status").asText()));
        assertThat(status).containsEntry("incident", "dissected").containsEntry("baseline", "dissected");
        // Step 3: the dissection's report.
        assertThat(ok(server, "get_snapshot_dissection_status", Map.of("snapshot_id", "incident")).path("stats").path("entries_created").asLong()).isPositive();

        // Steps 4 and 5: the picture by endpoint, the incident beside the good day; rank the suspects.
        JsonNode stats = ok(server, "get_api_stats", Map.of("snapshot_id", "incident", "compare_snapshot_id", "baseline", "group_by", "endpoint", "limit", 1000));
        String errorSuspect = null;
        double worstErrorRate = -1;
        String latencySuspect = null;
        double worstSlowdown = -1;
        for (JsonNode group : stats.path("groups")) {
            JsonNode now = group.path("snapshots").path("incident");
            JsonNode before = group.path("snapshots").path("baseline");
            if (now.path("requests").asLong() < 50) {
                continue;
            }
            if (now.path("error_rate").asDouble() > worstErrorRate) {
                worstErrorRate = now.path("error_rate").asDouble();
                errorSuspect = group.path("key").asText();
            }
            if (before.path("requests").asLong() >= 50 && now.path("p95_ms").isNumber() && before.path("p95_ms").isNumber()) {
                double slowdown = now.path("p95_ms").asDouble() / Math.max(before.path("p95_ms").asDouble(), 0.001);
                if (slowdown > worstSlowdown) {
                    worstSlowdown = slowdown;
                    latencySuspect = group.path("key").asText();
                }
            }
        }
        // The oracle: the generator's own numbers for the incident day.
        String plantedErrors = null;
        double plantedRate = -1;
        for (JsonNode endpoint : lake.truth().path("days").path("incident").path("endpoints")) {
            double rate = endpoint.path("errors").asDouble() / endpoint.path("requests").asDouble();
            if (endpoint.path("requests").asLong() >= 50 && rate > plantedRate) {
                plantedRate = rate;
                plantedErrors = endpoint.path("subject").asText();
            }
        }
        assertThat(DriftLake.comparable("error_rate_increase", errorSuspect)).isEqualTo(plantedErrors).isEqualTo("orders POST /api/v1/orders");
        assertThat(DriftLake.comparable("latency_regression", latencySuspect)).isEqualTo(planted("latency_regression")).isEqualTo("catalog GET /api/v1/products/{id}");

        // Step 6: the calls, narrowed step by step as the skill shows.
        long previous = Long.MAX_VALUE;
        for (String kfl : List.of("http && dst.service.name == \"orders\"", "http && dst.service.name == \"orders\" && status_code >= 500",
                "http && dst.service.name == \"orders\" && method == \"POST\" && path.startsWith(\"/api/v1/orders\") && status_code >= 500")) {
            assertThat(steps).contains(kfl);
            long total = ok(server, "list_api_calls", Map.of("snapshot_id", "incident", "kfl", kfl)).path("total").asLong();
            assertThat(total).as(kfl).isPositive().isLessThanOrEqualTo(previous);
            previous = total;
        }
        JsonNode failing = ok(server, "list_api_calls", Map.of("snapshot_id", "incident", "kfl",
                "http && dst.service.name == \"orders\" && method == \"POST\" && path.startsWith(\"/api/v1/orders\") && status_code >= 500", "limit", 1));
        // Step 7: one failing call, in full.
        JsonNode call = ok(server, "get_api_call", Map.of("snapshot_id", "incident", "id", failing.path("calls").get(0).path("id").asLong()));
        assertThat(call.path("entry").path("status_code").asInt()).isGreaterThanOrEqualTo(500);
        assertThat(call.path("l4_flow").isObject()).isTrue();

        // Step 8: follow the chain for the latency suspect: the catalog's dependencies, before and during.
        Set<String> before = edges("baseline", "shop/catalog");
        Set<String> during = edges("incident", "shop/catalog");
        Set<String> vanished = new HashSet<>(before);
        vanished.removeAll(during);
        assertThat(vanished).as("edges of the catalog that vanished").containsExactly("shop/catalog -> shop/redis 6379");
        // ... which diff_snapshots reports too, with the regression it explains.
        Set<String> findings = new HashSet<>();
        ok(server, "diff_snapshots", Map.of("baseline_snapshot_id", "baseline", "snapshot_id", "incident")).path("findings")
                .forEach(finding -> findings.add(finding.path("check").asText() + " " + finding.path("subject").asText()));
        assertThat(findings).contains("removed_edge shop/catalog -> shop/redis TCP 6379", "latency_regression " + latencySuspect, "error_rate_increase " + errorSuspect);
    }

    private static String planted(String check)
    {
        for (JsonNode finding : lake.truth().path("findings")) {
            if (finding.path("check").asText().equals(check)) {
                return finding.path("subject").asText();
            }
        }
        throw new AssertionError("nothing planted for " + check);
    }

    private static Set<String> edges(String snapshot, String source)
            throws Exception
    {
        Set<String> edges = new HashSet<>();
        ok(server, "get_service_map", Map.of("snapshot_id", snapshot)).path("edges").forEach(edge -> {
            if (edge.path("source").asText().equals(source)) {
                edges.add(edge.path("source").asText() + " -> " + edge.path("target").asText() + " " + edge.path("port").asInt());
            }
        });
        return edges;
    }
}
