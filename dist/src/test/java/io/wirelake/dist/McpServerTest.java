package io.wirelake.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.wirelake.dist.McpServers.call;
import static io.wirelake.dist.McpServers.ok;
import static io.wirelake.dist.McpServers.refused;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * {@code bin/wirelake mcp} from the unpacked distribution, spoken to by the MCP Java SDK's client over
 * stdio, on the demo's two dissected days: every tool with good and bad arguments, the answers'
 * JSON shapes, their numbers against the generator's ground truth, each input schema against JSON
 * Schema 2020-12's meta-schema, and the prompts.
 */
class McpServerTest
{
    static final List<String> READ_TOOLS = List.of("get_data_boundaries", "list_snapshots", "get_snapshot", "get_cloud_storage_status",
            "get_snapshot_dissection_status", "list_api_calls", "get_api_call", "get_api_stats", "list_l4_flows", "get_l4_flow_summary", "list_workloads",
            "list_ips", "diff_snapshots", "get_service_map", "run_sql", "kfl_check");
    static final List<String> WRITE_TOOLS = List.of("create_snapshot", "start_snapshot_dissection", "export_snapshot_pcap");

    /** The planted 5xx rise (docs/DEMO.md): the orders service's POST /api/v1/orders. */
    static final String ORDERS_5XX = "http && dst.service.name == \"orders\" && method == \"POST\" && path == \"/api/v1/orders\" && status_code >= 500";

    private static DriftLake lake;
    private static McpServers.Server server;

    @BeforeAll
    static void startTheServer()
            throws Exception
    {
        lake = DriftLake.get();
        server = McpServers.readOnly();
    }

    private static JsonNode endpoint(String day, String subject)
    {
        for (JsonNode endpoint : lake.truth().path("days").path(day).path("endpoints")) {
            if (endpoint.path("subject").asText().equals(subject)) {
                return endpoint;
            }
        }
        throw new AssertionError("no endpoint " + subject + " in the truth of " + day);
    }

    private static long millis(String iso)
    {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void aReadOnlyServerListsTheReadToolsOnlyAndSaysSo()
            throws Exception
    {
        List<McpSchema.Tool> tools = server.client().listTools().tools();
        assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyInAnyOrderElementsOf(READ_TOOLS);
        assertThat(tools).allSatisfy(tool -> {
            assertThat(tool.description()).hasSizeGreaterThan(60);
            assertThat(tool.annotations().readOnlyHint()).isTrue();
        });
        assertThat(server.client().getServerInfo().name()).isEqualTo("wirelake");
        assertThat(server.client().getServerInstructions()).contains("read-only").contains("--allow-write");
        // A write tool is not there to call.
        assertThatThrownBy(() -> server.client().callTool(McpServers.request("create_snapshot", Map.of("name", "nope"))))
                .isInstanceOfSatisfying(McpError.class, error -> assertThat(error.getJsonRpcError().message() + " " + error.getJsonRpcError().data())
                        .contains("Unknown tool").contains("create_snapshot"));
        assertThat(String.join("\n", server.stderr())).contains("serving 16 tools over stdio (read-only)");
    }

    @Test
    void everyInputSchemaIsJsonSchema202012AndAcceptsTheArgumentsTheToolsAreCalledWith()
            throws Exception
    {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        Schema metaSchema = registry.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        List<McpSchema.Tool> tools = new ArrayList<>(McpServers.readWrite().client().listTools().tools());
        assertThat(tools).extracting(McpSchema.Tool::name).containsExactlyInAnyOrderElementsOf(concat(READ_TOOLS, WRITE_TOOLS));
        for (McpSchema.Tool tool : tools) {
            JsonNode schema = McpServers.JSON.valueToTree(tool.inputSchema());
            assertThat(metaSchema.validate(schema)).as("%s's input schema against the 2020-12 meta-schema: %s", tool.name(), schema).isEmpty();
            assertThat(schema.path("type").asText()).isEqualTo("object");
            assertThat(schema.path("additionalProperties").asBoolean(true)).as("%s refuses unknown arguments", tool.name()).isFalse();
            Schema compiled = registry.getSchema(schema);
            assertThat(compiled.validate(McpServers.JSON.readTree("{\"no_such_argument\": 1}"))).as(tool.name()).isNotEmpty();
        }
        Map<String, Schema> byName = new HashMap<>();
        tools.forEach(tool -> byName.put(tool.name(), registry.getSchema(McpServers.JSON.valueToTree(tool.inputSchema()))));
        // The schemas and the tools agree: calls the tools answer are valid, calls they refuse for a type or a range are not.
        assertThat(byName.get("list_api_calls").validate(McpServers.JSON.valueToTree(Map.of("snapshot_id", "incident", "kfl", "http", "limit", 5, "format", "full"))))
                .isEmpty();
        assertThat(byName.get("list_api_calls").validate(McpServers.JSON.valueToTree(Map.of("snapshot_id", "incident", "limit", 1001)))).isNotEmpty();
        assertThat(byName.get("list_api_calls").validate(McpServers.JSON.valueToTree(Map.of("kfl", "http")))).as("snapshot_id is required").isNotEmpty();
        assertThat(byName.get("get_api_stats").validate(McpServers.JSON.valueToTree(Map.of("snapshot_id", "incident", "group_by", "planet")))).isNotEmpty();
        assertThat(byName.get("start_snapshot_dissection").validate(McpServers.JSON.valueToTree(Map.of("snapshot_id", "x", "protocols", List.of("http", "dns")))))
                .isEmpty();
        assertThat(byName.get("start_snapshot_dissection").validate(McpServers.JSON.valueToTree(Map.of("snapshot_id", "x", "protocols", List.of("smtp")))))
                .isNotEmpty();
    }

    @Test
    void boundariesSnapshotsAndStorage()
            throws Exception
    {
        JsonNode boundaries = ok(server, "get_data_boundaries", Map.of());
        JsonNode days = lake.truth().path("days");
        // The oldest capture is the baseline day's first packet: inside the day the generator was asked for.
        assertThat(boundaries.path("cluster").path("oldest_ts").asLong()).isBetween(millis(days.path("baseline").path("from").asText()),
                millis(days.path("baseline").path("to").asText()));
        // and the newest, the incident day's last packet (the day's traffic ends before the window asked for does).
        assertThat(boundaries.path("cluster").path("newest_ts").asLong()).isBetween(millis(days.path("incident").path("from").asText()),
                millis(days.path("incident").path("to").asText()));
        assertThat(boundaries.path("nodes")).hasSize(3);
        for (JsonNode node : boundaries.path("nodes")) {
            assertThat(node.fieldNames()).toIterable().contains("name", "oldest_ts", "newest_ts", "oldest", "newest", "segments", "bytes");
        }

        JsonNode snapshots = ok(server, "list_snapshots", Map.of());
        Map<String, JsonNode> byName = new HashMap<>();
        snapshots.path("snapshots").forEach(snapshot -> byName.put(snapshot.path("name").asText(), snapshot));
        assertThat(byName).containsKeys("baseline", "incident");
        for (String day : List.of("baseline", "incident")) {
            JsonNode snapshot = byName.get(day);
            assertThat(snapshot.fieldNames()).toIterable().contains("name", "status", "size_bytes", "created_at", "duration", "start_ts", "end_ts", "node_count",
                    "packet_count", "sealed");
            assertThat(snapshot.path("status").asText()).isEqualTo("dissected");
            assertThat(snapshot.path("sealed").asBoolean()).isTrue();
            assertThat(snapshot.path("node_count").asInt()).isEqualTo(3);
            // The window is the packets' own, inside the window asked for.
            assertThat(snapshot.path("start_ts").asLong()).isGreaterThanOrEqualTo(millis(days.path(day).path("from").asText()));
            assertThat(snapshot.path("end_ts").asLong()).isLessThanOrEqualTo(millis(days.path(day).path("to").asText()));
        }

        JsonNode incident = ok(server, "get_snapshot", Map.of("snapshot_id", "incident"));
        assertThat(incident.path("seal").path("manifest_sha256").asText()).matches("[0-9a-f]{64}");
        assertThat(incident.path("dissection").path("status").asText()).isEqualTo("dissected");
        assertThat(incident.path("dissection").path("stats").path("packets_processed").asLong()).isPositive();
        assertThat(incident.path("dissection").path("stats").path("protocol_counts").path("HTTP").asLong()).isPositive();
        refused(server, "get_snapshot", Map.of("snapshot_id", "no-such-day"), "no snapshot no-such-day");
        refused(server, "get_snapshot", Map.of(), "'snapshot_id' is required");
        refused(server, "get_snapshot", Map.of("snapshot_id", 42), "must be a string");

        JsonNode status = ok(server, "get_snapshot_dissection_status", Map.of("snapshot_id", "incident"));
        assertThat(status.path("status").asText()).isEqualTo("dissected");
        assertThat(status.path("stats").fieldNames()).toIterable().contains("pcap_files", "pcap_bytes", "packets_processed", "entries_created", "protocol_counts");
        assertThat(status.path("protocols_not_detected")).isEmpty();
        refused(server, "get_snapshot_dissection_status", Map.of("snapshot_id", "nope"), "no snapshot nope");

        JsonNode storage = ok(server, "get_cloud_storage_status", Map.of());
        assertThat(storage.path("provider").asText()).isEqualTo("local");
        assertThat(storage.path("enabled").asBoolean()).isFalse();
        assertThat(storage.path("connected").asBoolean()).isTrue();
        assertThat(storage.path("writes_allowed").asBoolean()).isFalse();
        refused(server, "get_cloud_storage_status", Map.of("verbose", true), "unknown argument 'verbose'");
    }

    @Test
    void apiCallsAreFoundAsGeneratedAndReadOneByOne()
            throws Exception
    {
        JsonNode orders = endpoint("incident", "orders POST /api/v1/orders");
        JsonNode errors = ok(server, "list_api_calls", Map.of("snapshot_id", "incident", "kfl", ORDERS_5XX, "limit", 1000));
        assertThat(errors.path("total").asLong()).as("5xx of orders POST /api/v1/orders").isEqualTo(orders.path("errors").asLong());
        assertThat(errors.path("truncated").asBoolean()).isFalse();
        JsonNode first = errors.path("calls").get(0);
        assertThat(first.fieldNames()).toIterable().contains("id", "ts", "src", "dst", "proto", "method", "path", "status", "latency_ms", "operation", "error", "summary");
        assertThat(first.path("src").fieldNames()).toIterable().contains("ip", "port", "pod", "ns", "svc", "workload", "node", "name");
        assertThat(first.path("dst").path("svc").asText()).isEqualTo("orders");
        assertThat(first.path("dst").path("name").asText()).isEqualTo("shop/orders");
        assertThat(first.path("status").asInt()).isGreaterThanOrEqualTo(500);
        assertThat(first.path("error").asBoolean()).isTrue();
        assertThat(first.path("operation").asText()).isEqualTo("POST /api/v1/orders");

        // limit, truncated and total; time order; the window bounds.
        JsonNode all = ok(server, "list_api_calls", Map.of("snapshot_id", "incident", "kfl", "http && dst.service.name == \"orders\"", "limit", 3));
        assertThat(all.path("calls")).hasSize(3);
        assertThat(all.path("truncated").asBoolean()).isTrue();
        assertThat(all.path("total").asLong()).isGreaterThan(orders.path("requests").asLong());
        assertThat(all.path("calls").get(0).path("ts").asLong()).isLessThanOrEqualTo(all.path("calls").get(2).path("ts").asLong());
        long start = first.path("ts").asLong();
        JsonNode later = ok(server, "list_api_calls", Map.of("snapshot_id", "incident", "kfl", ORDERS_5XX, "start", start + 1, "limit", 1000));
        assertThat(later.path("total").asLong()).isLessThan(errors.path("total").asLong());
        JsonNode none = ok(server, "list_api_calls", Map.of("snapshot_id", "incident", "kfl", ORDERS_5XX, "end", start - 1));
        assertThat(none.path("total").asLong()).isZero();
        JsonNode full = ok(server, "list_api_calls", Map.of("snapshot_id", "incident", "kfl", ORDERS_5XX, "limit", 1, "format", "full"));
        assertThat(full.path("calls").get(0).fieldNames()).toIterable().contains("src_pod_name", "request_headers", "response_headers", "tcp", "conn_id")
                .doesNotContain("request_body", "response_body");

        JsonNode call = ok(server, "get_api_call", Map.of("snapshot_id", "incident", "id", first.path("id").asLong()));
        assertThat(call.path("entry").path("id").asLong()).isEqualTo(first.path("id").asLong());
        assertThat(call.path("entry").path("status_code").asInt()).isEqualTo(first.path("status").asInt());
        assertThat(call.path("entry").path("path").asText()).isEqualTo("/api/v1/orders");
        assertThat(call.has("req_body")).isTrue();
        assertThat(call.has("resp_body")).isTrue();
        assertThat(call.path("l4_flow").path("flow_id").asLong()).isEqualTo(call.path("entry").path("flow_id").asLong());
        assertThat(call.path("l4_flow").path("protocol").asText()).isEqualTo("TCP");
        assertThat(call.path("bpf").asText()).isEqualTo("tcp and host " + first.path("src").path("ip").asText() + " and port " + first.path("src").path("port").asInt()
                + " and host " + first.path("dst").path("ip").asText() + " and port " + first.path("dst").path("port").asInt());
        JsonNode bare = ok(server, "get_api_call", Map.of("snapshot_id", "incident", "id", first.path("id").asLong(), "include_payload", false, "include_l4", false));
        assertThat(bare.has("resp_body")).isFalse();
        assertThat(bare.has("l4_flow")).isFalse();

        refused(server, "list_api_calls", Map.of("snapshot_id", "incident", "limit", 1001), "between 1 and 1000");
        refused(server, "list_api_calls", Map.of("snapshot_id", "incident", "format", "raw"), "compact, full");
        refused(server, "list_api_calls", Map.of("snapshot_id", "incident", "start", 2000L, "end", 1000L), "after");
        refused(server, "list_api_calls", Map.of("snapshot_id", "no-such-day"), "no snapshot no-such-day");
        refused(server, "list_api_calls", Map.of("snapshot_id", "incident", "kfl", "conn_state == \"open\""), "does not compile");
        JsonNode bad = refused(server, "list_api_calls", Map.of("snapshot_id", "incident", "kfl", "http && stauts_code >= 500"), "unknown name 'stauts_code'");
        assertThat(bad.path("kfl_error").path("line").asInt()).isEqualTo(1);
        assertThat(bad.path("kfl_error").path("column").asInt()).isEqualTo(9);
        assertThat(bad.path("kfl_error").path("suggestion").asText()).isEqualTo("status_code");
        refused(server, "get_api_call", Map.of("snapshot_id", "incident", "id", 1L << 50), "no call with id");
        refused(server, "get_api_call", Map.of("snapshot_id", "incident", "id", "seven"), "must be an integer");
    }

    @Test
    void statsGiveTheGeneratedNumbersSideBySide()
            throws Exception
    {
        JsonNode stats = ok(server, "get_api_stats", Map.of("snapshot_id", "incident", "compare_snapshot_id", "baseline", "group_by", "endpoint", "kfl", "http",
                "limit", 1000));
        assertThat(stats.path("snapshots")).extracting(JsonNode::asText).containsExactly("incident", "baseline");
        assertThat(stats.path("group_by").asText()).isEqualTo("endpoint");
        Map<String, JsonNode> groups = new HashMap<>();
        stats.path("groups").forEach(group -> groups.put(DriftLake.comparable("new_endpoint", group.path("key").asText()), group.path("snapshots")));
        for (String day : List.of("baseline", "incident")) {
            for (String subject : List.of("orders POST /api/v1/orders", "catalog GET /api/v1/products/{id}")) {
                JsonNode truth = endpoint(day, subject);
                JsonNode numbers = groups.get(subject).path(day);
                assertThat(numbers.path("requests").asLong()).as(day + " " + subject).isEqualTo(truth.path("requests").asLong());
                assertThat(numbers.path("errors").asLong()).as(day + " " + subject).isEqualTo(truth.path("errors").asLong());
                assertThat(numbers.path("p95_ms").asDouble()).as(day + " p95 " + subject).isCloseTo(truth.path("p95_ms").asDouble(), within(0.01));
            }
        }
        JsonNode top = ok(server, "get_api_stats", Map.of("snapshot_id", "incident", "limit", 2));
        assertThat(top.path("groups")).hasSize(2);
        assertThat(top.path("truncated").asBoolean()).isTrue();
        assertThat(top.path("group_by").asText()).isEqualTo("service");
        refused(server, "get_api_stats", Map.of("snapshot_id", "incident", "group_by", "planet"), "must be one of");
        refused(server, "get_api_stats", Map.of("snapshot_id", "incident", "compare_snapshot_id", "incident"), "same snapshot");
        refused(server, "get_api_stats", Map.of("snapshot_id", "incident", "kfl", "tcp_retransmissions > 0"), "does not compile");
    }

    @Test
    void flowsAreTheGeneratedConnections()
            throws Exception
    {
        JsonNode aggregated = ok(server, "list_l4_flows", Map.of("snapshot_id", "incident", "aggregate", "workload", "l4proto", "tcp", "limit", 1000));
        Map<String, JsonNode> edges = new HashMap<>();
        aggregated.path("flows").forEach(flow -> edges.put(flow.path("client").asText() + " -> " + flow.path("server").asText(), flow));
        for (JsonNode edge : lake.truth().path("days").path("incident").path("edges")) {
            if (!edge.path("transport").asText().equals("TCP") || !edge.path("server").asText().contains("/")) {
                continue;
            }
            String pair = edge.path("client").asText() + " -> " + edge.path("server").asText();
            if (!edges.containsKey(pair) || edges.get(pair).path("server_ports").size() != 1) {
                continue;
            }
            JsonNode flow = edges.get(pair);
            assertThat(flow.path("flows").asLong()).as("connections of %s", edge.path("subject").asText()).isEqualTo(edge.path("connections").asLong());
            assertThat(flow.path("totals").path("bytes").asLong()).as("bytes of %s", edge.path("subject").asText()).isEqualTo(edge.path("bytes").asLong());
            assertThat(flow.path("tcp_handshake_us").fieldNames()).toIterable().containsExactly("p50", "p90", "p99");
        }
        JsonNode inventory = edges.get("shop/orders -> shop/inventory");
        assertThat(inventory).as("the orders -> inventory edge").isNotNull();

        JsonNode single = ok(server, "list_l4_flows", Map.of("snapshot_id", "incident", "pod", inventory.path("server").asText().substring(5), "limit", 5));
        JsonNode plain = ok(server, "list_l4_flows", Map.of("snapshot_id", "incident", "ns", "shop", "l4proto", "tcp", "kfl", "tcp_handshake_rtt > 0", "limit", 5));
        assertThat(plain.path("flows")).hasSize(5);
        JsonNode flow = plain.path("flows").get(0);
        assertThat(flow.fieldNames()).toIterable().contains("proto", "client", "server", "client_stats", "server_stats", "totals", "tcp", "state", "l7");
        assertThat(flow.path("tcp").path("handshake_rtt").asLong()).isPositive();
        assertThat(flow.path("client_stats").fieldNames()).toIterable().contains("tx_pkts", "tx_bytes", "pps", "bps");
        assertThat(single.path("flows").size()).isLessThanOrEqualTo(5);

        JsonNode summary = ok(server, "get_l4_flow_summary", Map.of("snapshot_id", "incident"));
        assertThat(summary.fieldNames()).toIterable().contains("total_flows", "tcp_flows", "udp_flows", "total_bytes", "total_pkts", "unique_clients",
                "unique_servers", "top_by_bytes", "top_by_pkts", "by_namespace", "cross_namespace");
        JsonNode count = ok(server, "run_sql", Map.of("sql", "SELECT count(*), count_if(tcp) FROM flows WHERE snapshot_id = 'incident'", "snapshot_ids", List.of("incident")));
        assertThat(summary.path("total_flows").asLong()).isEqualTo(count.path("rows").get(0).get(0).asLong());
        assertThat(summary.path("tcp_flows").asLong()).isEqualTo(count.path("rows").get(0).get(1).asLong());
        assertThat(summary.path("top_by_bytes")).hasSizeLessThanOrEqualTo(10).isNotEmpty();
        assertThat(summary.path("cross_namespace")).anySatisfy(pair -> assertThat(pair.path("server_namespace").asText()).isEqualTo("payments"));

        refused(server, "list_l4_flows", Map.of("snapshot_id", "incident", "kfl", "http"), "does not compile");
        refused(server, "list_l4_flows", Map.of("snapshot_id", "incident", "aggregate", "galaxy"), "must be one of");
        refused(server, "list_l4_flows", Map.of("snapshot_id", "incident", "aggregate", "pod", "format", "full"), "single flows");
        refused(server, "get_l4_flow_summary", Map.of(), "'snapshot_id' is required");
    }

    @Test
    void workloadsAndIpsAreTheSnapshotsMetadata()
            throws Exception
    {
        // The oracle: the metadata the generator wrote for the incident day.
        Set<String> catalogIps = new TreeSet<>();
        for (String line : Files.readAllLines(lake.work().resolve("demo").resolve(lake.truth().path("days").path("incident").path("metadata").asText()))) {
            JsonNode event = McpServers.JSON.readTree(line);
            if (event.path("kind").asText().equals("pod") && event.path("namespace").asText().equals("shop") && event.path("owner").asText().startsWith("ReplicaSet/catalog-")) {
                catalogIps.add(event.path("ip").asText());
            }
        }
        assertThat(catalogIps).isNotEmpty();
        JsonNode workloads = ok(server, "list_workloads", Map.of("snapshot_id", "incident", "name", "catalog", "namespace", "shop", "type", "pod"));
        Set<String> ips = new TreeSet<>();
        for (JsonNode workload : workloads.path("workloads")) {
            assertThat(workload.fieldNames()).toIterable().contains("name", "namespace", "kind", "labels", "ips", "owner", "node");
            assertThat(workload.path("owner").asText()).startsWith("ReplicaSet/catalog-");
            workload.path("ips").forEach(ip -> ips.add(ip.path("ip").asText()));
        }
        assertThat(ips).isEqualTo(catalogIps);
        String ip = catalogIps.iterator().next();
        JsonNode holders = ok(server, "list_ips", Map.of("snapshot_id", "incident", "ip", ip));
        assertThat(holders.path("ips")).hasSize(1);
        assertThat(holders.path("ips").get(0).path("records")).anySatisfy(record -> assertThat(record.path("name").asText()).startsWith("catalog-"));
        JsonNode services = ok(server, "list_workloads", Map.of("snapshot_id", "incident", "type", "service", "namespaces", List.of("payments")));
        assertThat(services.path("workloads")).extracting(node -> node.path("name").asText()).contains("payment-service");
        JsonNode pattern = ok(server, "list_ips", Map.of("snapshot_id", "incident", "name_regex", "^coredns", "namespaces", List.of("kube-system")));
        assertThat(pattern.path("total").asInt()).isGreaterThanOrEqualTo(2);
        refused(server, "list_workloads", Map.of("snapshot_id", "incident", "name_regex", "(unclosed"), "not an RE2 pattern");
        refused(server, "list_workloads", Map.of("snapshot_id", "incident", "labels", Map.of("app", 3)), "must map names to strings");
        refused(server, "list_ips", Map.of("snapshot_id", "no-such-day"), "no snapshot");
    }

    @Test
    void theDriftReportFindsWhatWasPlantedAndTheServiceMapShowsTheNewEdge()
            throws Exception
    {
        JsonNode report = ok(server, "diff_snapshots", Map.of("baseline_snapshot_id", "baseline", "snapshot_id", "incident"));
        Set<String> found = new TreeSet<>();
        report.path("findings").forEach(finding -> found.add(finding.path("check").asText() + " | "
                + DriftLake.comparable(finding.path("check").asText(), finding.path("subject").asText())));
        Set<String> planted = new TreeSet<>();
        lake.truth().path("findings").forEach(finding -> planted.add(finding.path("check").asText() + " | " + finding.path("subject").asText()));
        assertThat(found).isEqualTo(planted);
        JsonNode markdown = ok(server, "diff_snapshots", Map.of("baseline_snapshot_id", "baseline", "snapshot_id", "incident", "format", "markdown"));
        assertThat(markdown.path("markdown").asText()).contains("## Traffic drift: `incident` against `baseline`");
        JsonNode quieter = ok(server, "diff_snapshots", Map.of("baseline_snapshot_id", "baseline", "snapshot_id", "incident", "kfl", "dst.service.name == \"catalog\""));
        assertThat(quieter.path("findings").size()).isLessThan(report.path("findings").size());
        refused(server, "diff_snapshots", Map.of("baseline_snapshot_id", "incident", "snapshot_id", "incident"), "two different snapshots");
        refused(server, "diff_snapshots", Map.of("baseline_snapshot_id", "baseline", "snapshot_id", "incident", "latency_ratio", 0.5), "above 1");
        refused(server, "diff_snapshots", Map.of("baseline_snapshot_id", "nope", "snapshot_id", "incident"), "no snapshot nope");

        Set<String> incidentEdges = new HashSet<>();
        ok(server, "get_service_map", Map.of("snapshot_id", "incident")).path("edges")
                .forEach(edge -> incidentEdges.add(edge.path("source").asText() + " -> " + edge.path("target").asText() + " " + edge.path("port").asInt()));
        Set<String> baselineEdges = new HashSet<>();
        ok(server, "get_service_map", Map.of("snapshot_id", "baseline")).path("edges")
                .forEach(edge -> baselineEdges.add(edge.path("source").asText() + " -> " + edge.path("target").asText() + " " + edge.path("port").asInt()));
        assertThat(incidentEdges).contains("shop/orders -> shop/recommendations 50051").doesNotContain("shop/catalog -> shop/redis 6379");
        assertThat(baselineEdges).contains("shop/catalog -> shop/redis 6379").doesNotContain("shop/orders -> shop/recommendations 50051");
        JsonNode dot = ok(server, "get_service_map", Map.of("snapshot_id", "incident", "format", "dot"));
        assertThat(dot.path("dot").asText()).startsWith("digraph");
        refused(server, "get_service_map", Map.of("snapshot_id", "incident", "format", "svg"), "must be one of");
    }

    @Test
    void sqlIsReadOnlyAndBounded()
            throws Exception
    {
        JsonNode orders = endpoint("incident", "orders POST /api/v1/orders");
        JsonNode count = ok(server, "run_sql", Map.of("sql", "SELECT count(*) AS calls FROM api_calls WHERE snapshot_id = 'incident' AND http "
                + "AND dst_service_name = 'orders' AND method = 'POST' AND path = '/api/v1/orders'"));
        assertThat(count.path("columns").get(0).path("name").asText()).isEqualTo("calls");
        assertThat(count.path("rows").get(0).get(0).asLong()).isEqualTo(orders.path("requests").asLong());
        assertThat(count.path("snapshot_ids")).extracting(JsonNode::asText).contains("baseline", "incident");
        JsonNode limited = ok(server, "run_sql", Map.of("sql", "SELECT id, response_body FROM api_calls WHERE snapshot_id = 'incident' ORDER BY id", "limit", 5));
        assertThat(limited.path("rows")).hasSize(5);
        assertThat(limited.path("row_count").asInt()).isEqualTo(5);
        assertThat(limited.path("truncated").asBoolean()).isTrue();

        refused(server, "run_sql", Map.of("sql", "DELETE FROM api_calls WHERE true"), "only queries");
        refused(server, "run_sql", Map.of("sql", "DROP TABLE flows"), "only queries");
        refused(server, "run_sql", Map.of("sql", "SELECT 1; DROP TABLE flows"), "does not parse");
        refused(server, "run_sql", Map.of("sql", "SELECT * FROM TABLE(system.unload(input => TABLE(flows), location => '/tmp/x', format => 'ORC'))"),
                "table functions");
        refused(server, "run_sql", Map.of("sql", "SELECT no_such_column FROM flows"), "Trino");
        refused(server, "run_sql", Map.of("sql", "SELECT 1", "limit", 1001), "between 1 and 1000");
        // 10^8 rows of hashing take far longer than a second on any machine: the server stops it at the limit.
        refused(server, "run_sql", Map.of("sql", "SELECT sum(length(to_hex(sha256(to_utf8(CAST(a.x * b.y AS varchar)))))) FROM UNNEST(sequence(1, 10000)) a(x) "
                + "CROSS JOIN UNNEST(sequence(1, 10000)) b(y)", "timeout_seconds", 1), "longer than 1 s");
        // The tables are intact after all that.
        JsonNode again = ok(server, "run_sql", Map.of("sql", "SELECT count(*) FROM flows WHERE snapshot_id = 'incident'"));
        assertThat(again.path("rows").get(0).get(0).asLong()).isPositive();
    }

    @Test
    void kflCheckShowsTheTableTheSqlAndThePositionOfAnError()
            throws Exception
    {
        JsonNode good = ok(server, "kfl_check", Map.of("kfl", "http && status_code >= 500 && dst.service.name == \"orders\""));
        assertThat(good.path("valid").asBoolean()).isTrue();
        assertThat(good.path("table").asText()).isEqualTo("api_calls");
        assertThat(good.path("columns")).extracting(JsonNode::asText).containsExactly("dst.service.name", "http", "status_code");
        assertThat(good.path("sql").asText()).startsWith("SELECT * FROM api_calls WHERE").contains("\"status_code\" >= 500");
        assertThat(ok(server, "kfl_check", Map.of("kfl", "tcp && tcp_retransmissions > 0")).path("table").asText()).isEqualTo("flows");
        JsonNode bad = refused(server, "kfl_check", Map.of("kfl", "htpp && status_code >= 500"), "unknown name 'htpp'");
        assertThat(bad.path("valid").asBoolean()).isFalse();
        assertThat(bad.path("kfl_error").path("suggestion").asText()).isEqualTo("http");
        JsonNode syntax = refused(server, "kfl_check", Map.of("kfl", "http &&\n  (status_code >= "), "syntax error");
        assertThat(syntax.path("kfl_error").path("line").asInt()).isEqualTo(2);
        refused(server, "kfl_check", Map.of("kfl", "conn_state == \"open\"", "table", "api_calls"), "api_calls does not have");
        refused(server, "kfl_check", Map.of("kfl", "x".repeat(9000)), "at most");
    }

    @Test
    void promptsMirrorKubesharks()
            throws Exception
    {
        List<McpSchema.Prompt> prompts = server.client().listPrompts().prompts();
        assertThat(prompts).extracting(McpSchema.Prompt::name).contains("analyze_traffic", "find_errors", "trace_request", "latency_analysis", "compare_traffic");
        McpSchema.GetPromptResult prompt = server.client().getPrompt(McpServers.prompt("compare_traffic",
                Map.of("baseline_snapshot_id", "baseline", "snapshot_id", "incident")));
        String text = ((McpSchema.TextContent) prompt.messages().get(0).content()).text();
        assertThat(text).contains("'incident'").contains("'baseline'").contains("diff_snapshots");
        // Every tool a prompt names is one of the server's.
        for (McpSchema.Prompt each : prompts) {
            Map<String, Object> arguments = new HashMap<>();
            each.arguments().forEach(argument -> arguments.put(argument.name(), switch (argument.name()) {
                case "kfl" -> "http";
                case "threshold_ms" -> "1500";
                default -> "x";
            }));
            String body = ((McpSchema.TextContent) server.client().getPrompt(McpServers.prompt(each.name(), arguments)).messages().get(0).content()).text();
            java.util.regex.Matcher tools = java.util.regex.Pattern.compile("\\b((?:get|list|create|start|export|diff|run)_[a-z0-9_]+|kfl_check)\\b").matcher(body);
            while (tools.find()) {
                assertThat(concat(READ_TOOLS, WRITE_TOOLS)).as("%s names %s", each.name(), tools.group(1)).contains(tools.group(1));
            }
        }
        assertThatThrownBy(() -> server.client().getPrompt(McpServers.prompt("find_errors", Map.of()))).isInstanceOf(McpError.class)
                .hasMessageContaining("snapshot_id");
        assertThatThrownBy(() -> server.client().getPrompt(McpServers.prompt("latency_analysis", Map.of("snapshot_id", "incident", "threshold_ms", "soon"))))
                .isInstanceOf(McpError.class).hasMessageContaining("threshold_ms must be a whole number of milliseconds, not soon");
    }

    static List<String> concat(List<String> first, List<String> second)
    {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }
}
