package io.wirelake.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The daily-drift path as a user runs it, against the generator's ground truth: two days of one
 * cluster ({@code generate --scenario drift}, docs/DEMO.md) imported as the collectors would write
 * them, a snapshot of each day's window (created and dissected by {@code snapshot create}), then
 * {@code diff} must find exactly the planted changes (precision and recall 100%), and {@code stats}
 * must give each endpoint's numbers as generated.
 */
class DriftReportTest
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path work;
    private static JsonNode truth;
    private static Map<String, String> environment;

    @BeforeAll
    static void twoDaysInTheLake()
            throws Exception
    {
        // Shared with the MCP server's tests: one lake per test JVM.
        DriftLake lake = DriftLake.get();
        work = lake.work();
        truth = lake.truth();
        environment = lake.environment();
    }

    @Test
    void diffFindsExactlyWhatWasPlanted()
            throws Exception
    {
        Distribution.Run diff = Distribution.run(work, environment, "diff", "baseline", "incident", "--format", "json", "--out", "drift.json");
        assertThat(diff.exit()).as(diff.both()).isZero();
        JsonNode report = JSON.readTree(work.resolve("drift.json").toFile());
        assertThat(report.path("baseline").asText()).isEqualTo("baseline");
        assertThat(report.path("current").asText()).isEqualTo("incident");
        TreeSet<String> found = new TreeSet<>();
        for (JsonNode finding : report.path("findings")) {
            assertThat(finding.fieldNames()).toIterable().containsExactly("check", "severity", "subject", "baseline", "current", "detail");
            found.add(finding.path("check").asText() + " | " + comparable(finding.path("check").asText(), finding.path("subject").asText()));
        }
        TreeSet<String> planted = new TreeSet<>();
        truth.path("findings").forEach(finding -> planted.add(finding.path("check").asText() + " | " + finding.path("subject").asText()));
        assertThat(found).as("findings of wirelake diff (%s)", diff.out()).isEqualTo(planted);
        // The Markdown summary went to the terminal with the report written to a file.
        assertThat(diff.out()).contains("## Traffic drift: `incident` against `baseline`").contains("`tls_downgrade`");

        Distribution.Run gate = Distribution.run(work, environment, "diff", "baseline", "incident", "--fail-on", "critical");
        assertThat(gate.exit()).as("--fail-on critical with critical findings").isEqualTo(3);
        Distribution.Run same = Distribution.run(work, environment, "diff", "baseline", "baseline", "--fail-on", "info");
        assertThat(same.exit()).as("a snapshot against itself is refused").isEqualTo(1);
        assertThat(same.err()).contains("compare two different snapshots");
    }

    @Test
    void statsGiveEachEndpointAsGenerated()
            throws Exception
    {
        Distribution.Run stats = Distribution.run(work, environment, "stats", "baseline", "incident", "--group-by", "endpoint", "--format", "json",
                "--kfl", "http");
        assertThat(stats.exit()).as(stats.both()).isZero();
        JsonNode result = JSON.readTree(stats.out());
        Map<String, JsonNode> groups = new HashMap<>();
        for (JsonNode group : result.path("groups")) {
            groups.put(comparable("new_endpoint", group.path("key").asText()), group.path("snapshots"));
        }
        List<String> checked = new ArrayList<>();
        for (String day : List.of("baseline", "incident")) {
            JsonNode facts = truth.path("days").path(day);
            double seconds = result.path("windows").path(day).path("seconds").asDouble();
            for (JsonNode endpoint : facts.path("endpoints")) {
                String subject = endpoint.path("subject").asText();
                assertThat(groups).as("stats has endpoint %s", subject).containsKey(subject);
                JsonNode numbers = groups.get(subject).path(day);
                assertThat(numbers.path("requests").asLong()).as(day + " requests of " + subject).isEqualTo(endpoint.path("requests").asLong());
                assertThat(numbers.path("errors").asLong()).as(day + " errors of " + subject).isEqualTo(endpoint.path("errors").asLong());
                long bytes = endpoint.path("request_headers_bytes").asLong() + endpoint.path("request_body_bytes").asLong()
                        + endpoint.path("response_headers_bytes").asLong() + endpoint.path("response_body_bytes").asLong();
                assertThat(numbers.path("bytes").asLong()).as(day + " bytes of " + subject).isEqualTo(bytes);
                // Trino's approx_percentile against the generator's nearest-rank percentiles.
                for (String percentile : List.of("p50_ms", "p95_ms", "p99_ms")) {
                    double expected = endpoint.path(percentile).asDouble();
                    assertThat(numbers.path(percentile).asDouble()).as(day + " " + percentile + " of " + subject).isCloseTo(expected, within(0.1 * expected + 0.5));
                }
                assertThat(numbers.path("rate_per_s").asDouble()).as(day + " rate of " + subject)
                        .isCloseTo(endpoint.path("requests").asLong() / seconds, within(1e-3));
                checked.add(day + " " + subject);
            }
        }
        assertThat(checked).hasSizeGreaterThan(40);
    }

    private static String comparable(String check, String subject)
    {
        return DriftLake.comparable(check, subject);
    }
}
