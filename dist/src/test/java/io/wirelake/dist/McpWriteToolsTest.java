package io.wirelake.dist;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.wirelake.dist.McpServers.ok;
import static io.wirelake.dist.McpServers.refused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tools {@code --allow-write} adds, through the packaged server: a sealed snapshot of part of
 * the incident day, its dissection in the background limited to HTTP (Kubeshark's
 * {@code tap.enabledDissectors}: DNS is then not detected, its packets stay UDP flows and rows, and
 * the status says so), and a PCAP export that tcpdump reads back filtered exactly as asked.
 */
class McpWriteToolsTest
{
    private static DriftLake lake;
    private static McpServers.Server server;
    private static long sliceStart;
    private static long sliceEnd;

    @BeforeAll
    static void startTheServer()
            throws Exception
    {
        lake = DriftLake.get();
        server = McpServers.readWrite();
        JsonNode incident = lake.truth().path("days").path("incident");
        long from = Instant.parse(incident.path("from").asText()).toEpochMilli();
        long to = Instant.parse(incident.path("to").asText()).toEpochMilli();
        sliceStart = from + (to - from) / 3;
        sliceEnd = from + 2 * (to - from) / 3;
    }

    @Test
    void aSnapshotMadeDissectedForHttpOnlyAndQueried()
            throws Exception
    {
        JsonNode created = ok(server, "create_snapshot", Map.of("name", "mcp-slice", "start_time", sliceStart, "end_time", sliceEnd));
        assertThat(created.path("success").asBoolean()).isTrue();
        assertThat(created.path("status").asText()).isEqualTo("created");
        assertThat(created.path("sealed").asBoolean()).isTrue();
        assertThat(created.path("node_count").asInt()).isEqualTo(3);
        assertThat(created.path("start_ts").asLong()).isGreaterThanOrEqualTo(sliceStart);
        assertThat(created.path("end_ts").asLong()).isLessThanOrEqualTo(sliceEnd);
        refused(server, "create_snapshot", Map.of("name", "mcp-slice", "start_time", sliceStart, "end_time", sliceEnd), "already exists");
        refused(server, "create_snapshot", Map.of("name", "mcp-other", "start_time", sliceStart, "duration", "1m"), "not both");
        refused(server, "create_snapshot", Map.of("name", "mcp-other", "duration", "5 parsecs"), "duration must be like");
        refused(server, "create_snapshot", Map.of("name", "mcp-other", "nodes", List.of("no-such-node")), "no captures of node no-such-node");
        refused(server, "create_snapshot", Map.of("name", "mcp-other", "start_time", 1000L, "end_time", 2000L), "no capture of");
        refused(server, "create_snapshot", Map.of("name", "../escape"), "invalid snapshot name");

        refused(server, "start_snapshot_dissection", Map.of("snapshot_id", "mcp-slice", "protocols", List.of("smtp")), "no protocol 'smtp'");
        refused(server, "start_snapshot_dissection", Map.of("snapshot_id", "incident"), "already dissected");
        JsonNode started = ok(server, "start_snapshot_dissection", Map.of("snapshot_id", "mcp-slice", "protocols", List.of("http")));
        assertThat(started.path("status").asText()).isIn("queued", "dissecting");
        assertThat(started.path("protocols")).extracting(JsonNode::asText).containsExactly("http");
        assertThat(started.path("protocols_not_detected")).extracting(JsonNode::asText).contains("dns", "tls", "redis").doesNotContain("http");
        refused(server, "start_snapshot_dissection", Map.of("snapshot_id", "mcp-slice"), "already being dissected");

        // Follow it as an agent would, until it ends (the job takes seconds to a minute here).
        JsonNode status = ok(server, "get_snapshot_dissection_status", Map.of("snapshot_id", "mcp-slice"));
        Instant deadline = Instant.now().plus(Duration.ofMinutes(8));
        while (!List.of("dissected", "failed").contains(status.path("status").asText())) {
            assertThat(status.path("status").asText()).isIn("queued", "dissecting");
            assertThat(status.path("progress").path("capture_bytes").asLong()).isPositive();
            assertThat(Instant.now()).as("the dissection ends").isBefore(deadline);
            Thread.sleep(250);
            status = ok(server, "get_snapshot_dissection_status", Map.of("snapshot_id", "mcp-slice"));
        }
        assertThat(status.path("status").asText()).as(status.toString()).isEqualTo("dissected");
        assertThat(status.path("protocols")).extracting(JsonNode::asText).containsExactly("http");
        assertThat(status.path("protocols_not_detected")).extracting(JsonNode::asText).contains("dns");
        assertThat(status.path("limited_to_protocols")).extracting(JsonNode::asText).containsExactly("http");
        JsonNode counts = status.path("stats").path("protocol_counts");
        assertThat(counts.path("HTTP").asLong()).isPositive();
        assertThat(counts.has("DNS")).as("DNS is not detected: %s", counts).isFalse();
        refused(server, "start_snapshot_dissection", Map.of("snapshot_id", "mcp-slice"), "already dissected");

        // The same minutes of the incident snapshot (all protocols) have DNS; the HTTP-only one has its packets as UDP rows and flows.
        assertThat(ok(server, "list_api_calls", Map.of("snapshot_id", "incident", "kfl", "dns", "start", sliceStart, "end", sliceEnd)).path("total").asLong())
                .isPositive();
        assertThat(ok(server, "list_api_calls", Map.of("snapshot_id", "mcp-slice", "kfl", "dns")).path("total").asLong()).isZero();
        assertThat(ok(server, "list_api_calls", Map.of("snapshot_id", "mcp-slice", "kfl", "udp && dst.port == 53")).path("total").asLong()).isPositive();
        assertThat(ok(server, "list_l4_flows", Map.of("snapshot_id", "mcp-slice", "l4proto", "udp", "kfl", "dst.port == 53")).path("total").asLong()).isPositive();
        long sliceHttp = ok(server, "list_api_calls", Map.of("snapshot_id", "mcp-slice", "kfl", "http && dst.service.name == \"orders\"")).path("total").asLong();
        assertThat(sliceHttp).isPositive();

        JsonNode snapshot = ok(server, "get_snapshot", Map.of("snapshot_id", "mcp-slice"));
        assertThat(snapshot.path("seal").path("custody_entries").asInt()).as("sealed, timestamp missing, dissected").isGreaterThanOrEqualTo(3);
    }

    @Test
    void aPcapExportHoldsExactlyWhatItsBpfFilterSelects()
            throws Exception
    {
        JsonNode call = ok(server, "list_api_calls", Map.of("snapshot_id", "incident", "kfl", McpServerTest.ORDERS_5XX, "limit", 1)).path("calls").get(0);
        String bpf = ok(server, "get_api_call", Map.of("snapshot_id", "incident", "id", call.path("id").asLong(), "include_payload", false)).path("bpf").asText();
        int before = ok(server, "get_snapshot", Map.of("snapshot_id", "incident")).path("seal").path("custody_entries").asInt();
        JsonNode exported = ok(server, "export_snapshot_pcap", Map.of("snapshot_id", "incident", "bpf_filter", bpf, "file_name", "failed-order.pcap"));
        Path file = Path.of(exported.path("path").asText());
        assertThat(file).isEqualTo(server.exports().resolve("failed-order.pcap"));
        assertThat(exported.path("packets_written").asLong()).isPositive().isLessThan(exported.path("packets_read").asLong());
        // tcpdump, the reference reader: the packets written, and none outside the filter.
        assertThat(tcpdump(file, List.of())).hasSize((int) exported.path("packets_written").asLong());
        assertThat(tcpdump(file, List.of("not", "(" + bpf + ")"))).isEmpty();
        assertThat(ok(server, "get_snapshot", Map.of("snapshot_id", "incident")).path("seal").path("custody_entries").asInt()).isEqualTo(before + 1);

        refused(server, "export_snapshot_pcap", Map.of("snapshot_id", "incident", "bpf_filter", bpf, "file_name", "failed-order.pcap"), "already exists");
        refused(server, "export_snapshot_pcap", Map.of("snapshot_id", "incident", "file_name", "../../etc/passwd"), "plain file name");
        refused(server, "export_snapshot_pcap", Map.of("snapshot_id", "incident", "bpf_filter", "host and and"), "invalid BPF filter");
        refused(server, "export_snapshot_pcap", Map.of("snapshot_id", "incident", "start_time", 2000L, "end_time", 1000L), "after");
        refused(server, "export_snapshot_pcap", Map.of("snapshot_id", "nope"), "no snapshot nope");
    }

    private static List<String> tcpdump(Path file, List<String> filter)
            throws Exception
    {
        List<String> command = new java.util.ArrayList<>(List.of("tcpdump", "-nn", "-r", file.toString()));
        command.addAll(filter);
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new String(process.getInputStream().readAllBytes()).lines().toList();
        assertThat(process.waitFor()).as("tcpdump %s", command).isZero();
        assertThat(Files.size(file)).isPositive();
        return lines;
    }
}
