package io.wirelake.dissect;

import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.demo.GeneratorOptions;
import io.wirelake.demo.GeneratorSummary;
import io.wirelake.dissect.enrich.Enrichment;
import io.wirelake.dissect.flow.FlowTracker;
import io.wirelake.dissect.protocol.ProtocolRegistry;
import io.wirelake.dissect.testing.Dissection;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A dissection limited to some protocols (Kubeshark's {@code tap.enabledDissectors}): the demo's
 * traffic, all of it dissected and then only HTTP and DNS. The HTTP and DNS rows are the same; the
 * other protocols are not detected, so their connections become the rows of unclaimed TCP and UDP
 * traffic; the flows are the same flows.
 */
class EnabledProtocolsTest
{
    @TempDir
    static Path directory;
    static Dissection all;
    static Dissection limited;

    @BeforeAll
    static void dissectTwice()
            throws Exception
    {
        GeneratorSummary summary = DemoTrafficGenerator.generate(GeneratorOptions.defaults(2_000_000), directory, null);
        Path[] captures = summary.captures().toArray(Path[]::new);
        all = Dissection.of(captures);
        FlowTracker.Settings settings = FlowTracker.Settings.defaults("test-node", 0).withProtocols(List.of("http", "dns"));
        limited = Dissection.of(ProtocolRegistry.standard().only(settings.protocols()), settings, Enrichment.none(), captures);
    }

    private static Map<String, Long> byProtocol(Dissection dissection)
    {
        Map<String, Long> counts = new TreeMap<>();
        dissection.calls().forEach(row -> counts.merge((String) row.get("protocol"), 1L, Long::sum));
        return counts;
    }

    @Test
    void theEnabledProtocolsAreDissectedAsBeforeAndTheOthersNotAtAll()
    {
        Map<String, Long> before = byProtocol(all);
        Map<String, Long> after = byProtocol(limited);
        assertThat(before).containsKeys("HTTP", "DNS", "Redis", "Kafka", "AMQP", "LDAP", "RADIUS", "gRPC", "GraphQL", "WebSocket");
        for (String kept : List.of("HTTP", "DNS", "gRPC", "GraphQL")) {
            assertThat(after.get(kept)).as(kept).isEqualTo(before.get(kept));
        }
        assertThat(after).doesNotContainKeys("Redis", "Kafka", "AMQP", "LDAP", "RADIUS", "WebSocket", "TLS");
        // Their connections are still there, as the rows of traffic no dissector claimed.
        assertThat(after.get("TCP")).isGreaterThan(before.getOrDefault("TCP", 0L));
        assertThat(after.get("UDP")).isGreaterThan(before.getOrDefault("UDP", 0L));
        assertThat(limited.flows()).hasSameSizeAs(all.flows());
        assertThat(limited.report().get("packets")).isEqualTo(all.report().get("packets"));
        List<GenericData.Record> redisFlows = limited.flows().stream().filter(flow -> (Long) flow.get("dst_port") == 6379).toList();
        assertThat(redisFlows).isNotEmpty().allSatisfy(flow -> assertThat(((List<?>) flow.get("conn_l7_detected")).stream().map(String::valueOf)).doesNotContain("Redis"));
    }

    @Test
    void anUnknownProtocolIsRefusedBeforeAnythingRuns()
    {
        assertThatThrownBy(() -> FlowTracker.Settings.defaults("n", 0).withProtocols(List.of("http", "mqtt"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no protocol 'mqtt'");
    }
}
