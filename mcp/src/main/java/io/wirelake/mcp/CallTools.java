package io.wirelake.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wirelake.columns.Column;
import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.kfl.CompiledFilter;
import io.wirelake.kfl.SqlText;
import io.wirelake.query.LakeSession;
import io.wirelake.query.report.SnapshotWindows;
import io.wirelake.query.report.Stats;
import io.wirelake.query.report.StatsJson;
import io.wirelake.query.report.Subjects;
import io.wirelake.query.report.Window;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/** The L7 tools: {@code list_api_calls}, {@code get_api_call}, {@code get_api_stats}. */
final class CallTools
{
    static final int MAXIMUM_CALLS = 1000;
    static final int MAXIMUM_PAYLOAD = 1 << 20;

    /** Columns carrying raw payloads: only {@code get_api_call} returns them, cut to its limit. */
    private static final Set<String> PAYLOADS = Set.of("request_body", "response_body", "tcp_payload", "udp_payload");

    private static final List<String> COMPACT_COLUMNS;

    static {
        List<String> columns = new ArrayList<>(List.of("id", "timestamp", "node_name", "protocol", "method", "path", "status_code", "elapsed_time", "flow_id",
                "grpc", "grpc_service", "grpc_method", "grpc_status", "dns", "dns_questions", "dns_rcode_name", "gql", "gql_operation_type", "gql_operation_name",
                "tls", "tls_sni", "tls_version", "redis", "redis_command", "redis_error", "kafka", "kafka_api_key_name", "kafka_request_summary", "amqp", "amqp_summary",
                "ldap", "ldap_type", "ldap_dn", "ldap_result", "radius", "radius_code_name", "radius_response_code_name", "radius_user", "diameter",
                "diameter_method", "diameter_result_code", "ws", "ws_opcode"));
        columns.addAll(Peers.columns("src"));
        columns.addAll(Peers.columns("dst"));
        COMPACT_COLUMNS = List.copyOf(columns);
    }

    private final Tables tables;

    CallTools(Tables tables)
    {
        this.tables = requireNonNull(tables, "tables is null");
    }

    List<ToolDefinition> definitions()
    {
        return List.of(
                new ToolDefinition("list_api_calls",
                        "Search the API calls (L7: HTTP, gRPC, GraphQL, DNS, Redis, Kafka, AMQP, LDAP, RADIUS, Diameter, WebSocket, TLS handshakes) of a dissected "
                                + "snapshot with a KFL2 filter, in time order. 'compact' gives who called whom, what and how it went; 'full' gives every column "
                                + "(bodies: get_api_call). total counts every matching call; truncated says the list stops at limit.",
                        Schema.object()
                                .string("snapshot_id", "The dissected snapshot to search (list_snapshots names them).", true)
                                .string("kfl", "KFL2 filter over api_calls, e.g. 'http && status_code >= 500' (empty: every call). kfl_check validates one.", 8192, false)
                                .integer("limit", "Calls to return, at most 1000.", 1, MAXIMUM_CALLS, 100L, false)
                                .choice("format", "compact (default) or full (every column but the payloads).", List.of("compact", "full"), "compact")
                                .time("start", "Only calls at or after this time")
                                .time("end", "Only calls at or before this time")
                                .build(),
                        ToolDefinition.Access.READ, this::listApiCalls),
                new ToolDefinition("get_api_call",
                        "One API call of a snapshot by id (from list_api_calls): every column, the request and response bodies (content-decoded, "
                                + "cut at the dissection's body cap and at max_payload_size), its L4 flow with the TCP metrics, and a BPF filter that "
                                + "export_snapshot_pcap can use to extract its packets.",
                        Schema.object()
                                .string("snapshot_id", "The snapshot the call is in.", true)
                                .integer("id", "The call's id.", 0, Long.MAX_VALUE, null, true)
                                .flag("include_payload", "Include the request and response bodies.", true)
                                .flag("include_l4", "Include the call's flow (connection) from the flows table.", true)
                                .integer("max_payload_size", "Bytes of each body to return at most.", 0, MAXIMUM_PAYLOAD, 65536L, false)
                                .build(),
                        ToolDefinition.Access.READ, this::getApiCall),
                new ToolDefinition("get_api_stats",
                        "Requests, errors, error rate, latency percentiles (p50/p95/p99 in ms, nearest rank), bytes and rate per service, endpoint "
                                + "(service + method + path template), namespace, edge, protocol or status of a dissected snapshot; with compare_snapshot_id "
                                + "the same groups of a second snapshot side by side. Busiest groups first. Errors: HTTP 5xx, gRPC status != 0, DNS rcode != 0, "
                                + "Redis errors, LDAP failures, RADIUS Access-Reject, Diameter result >= 3000.",
                        Schema.object()
                                .string("snapshot_id", "The dissected snapshot.", true)
                                .string("compare_snapshot_id", "A second dissected snapshot to show beside it (e.g. a baseline).", false)
                                .string("kfl", "Only calls this KFL2 filter over api_calls selects.", 8192, false)
                                .choice("group_by", "How to group calls.", List.of("service", "endpoint", "namespace", "edge", "protocol", "status"), "service")
                                .integer("limit", "Groups to return (busiest first), at most 1000.", 1, 1000, 50L, false)
                                .build(),
                        ToolDefinition.Access.READ, this::getApiStats));
    }

    private JsonNode listApiCalls(Arguments arguments)
            throws Exception
    {
        String snapshot = arguments.requiredString("snapshot_id");
        Optional<CompiledFilter> filter = Tables.filter(arguments.optionalString("kfl"), Table.API_CALLS);
        int limit = arguments.boundedInt("limit", 100, 1, MAXIMUM_CALLS);
        String format = arguments.choice("format", List.of("compact", "full"), "compact");
        String bounds = Tables.timeBounds(arguments.optionalLong("start"), arguments.optionalLong("end"));
        List<String> columns = format.equals("full")
                ? Columns.of(Table.API_CALLS).stream().map(Column::sqlName).filter(name -> !PAYLOADS.contains(name)).toList()
                : COMPACT_COLUMNS;
        try (LakeSession session = tables.open(snapshot)) {
            String select = columns.stream().map(SqlText::identifier).collect(Collectors.joining(", "));
            String sql = "SELECT " + select + ", " + Subjects.operation() + " AS \"__operation\", " + Subjects.error() + " AS \"__error\", count(*) OVER () AS \"__total\" FROM "
                    + session.table(Table.API_CALLS) + " WHERE " + session.scope() + " AND " + bounds
                    + filter.map(compiled -> " AND (" + compiled.predicate() + ")").orElse("") + " ORDER BY \"timestamp\", \"id\" LIMIT " + limit;
            List<Map<String, Object>> rows = Tables.rows(session, sql);
            ObjectNode answer = Json.object();
            answer.put("snapshot_id", snapshot);
            answer.put("kfl", filter.map(CompiledFilter::kfl).orElse(""));
            ArrayNode calls = answer.putArray("calls");
            for (Map<String, Object> row : rows) {
                calls.add(format.equals("full") ? full(row, columns) : compact(row));
            }
            long total = rows.isEmpty() ? 0 : Peers.number(rows.get(0), "__total");
            answer.put("total", total);
            answer.put("returned", rows.size());
            answer.put("truncated", total > rows.size());
            return answer;
        }
    }

    /** Kubeshark's compact call: id, time, both sides, protocol, method, path, status and latency, and a one-line summary. */
    static ObjectNode compact(Map<String, Object> row)
    {
        ObjectNode call = Json.object();
        call.put("id", Peers.number(row, "id"));
        Instant time = (Instant) row.get("timestamp");
        call.put("ts", time == null ? 0 : time.toEpochMilli());
        call.put("time", time == null ? "" : time.toString());
        call.put("node", Peers.text(row, "node_name"));
        call.set("src", Peers.side(row, "src"));
        call.set("dst", Peers.side(row, "dst"));
        call.put("proto", Peers.text(row, "protocol"));
        call.put("method", Peers.text(row, "method"));
        call.put("path", Peers.text(row, "path"));
        call.put("status", Peers.number(row, "status_code"));
        long elapsed = Peers.number(row, "elapsed_time");
        if (elapsed > 0) {
            call.put("latency_ms", elapsed / 1000.0);
        }
        else {
            // No response seen: no latency, rather than a latency of zero.
            call.putNull("latency_ms");
        }
        call.put("operation", Peers.text(row, "__operation"));
        call.put("error", Peers.flag(row, "__error"));
        call.put("summary", summary(row));
        call.put("flow_id", Peers.number(row, "flow_id"));
        return call;
    }

    private static ObjectNode full(Map<String, Object> row, List<String> columns)
    {
        ObjectNode call = Json.object();
        for (String column : columns) {
            call.set(column, Json.value(row.get(column)));
        }
        Instant time = (Instant) row.get("timestamp");
        call.put("ts", time == null ? 0 : time.toEpochMilli());
        call.put("operation", Peers.text(row, "__operation"));
        call.put("error", Peers.flag(row, "__error"));
        return call;
    }

    /** What a call was about, in a line, by protocol (the HTTP method and path are fields of their own). */
    static String summary(Map<String, Object> row)
    {
        if (Peers.flag(row, "grpc")) {
            return Peers.text(row, "grpc_service") + "/" + Peers.text(row, "grpc_method") + " grpc-status " + Peers.number(row, "grpc_status");
        }
        if (Peers.flag(row, "gql")) {
            return "GraphQL " + Peers.text(row, "gql_operation_type") + " " + Peers.text(row, "gql_operation_name");
        }
        if (Peers.flag(row, "dns")) {
            Object questions = row.get("dns_questions");
            String names = questions instanceof List<?> list ? list.stream().map(String::valueOf).collect(Collectors.joining(", ")) : "";
            String rcode = Peers.text(row, "dns_rcode_name");
            return names + " " + (rcode.isEmpty() ? "(no response)" : rcode);
        }
        if (Peers.flag(row, "redis")) {
            String error = Peers.text(row, "redis_error");
            return cut(Peers.text(row, "redis_command"), 200) + (error.isEmpty() ? "" : " -> " + cut(error, 200));
        }
        if (Peers.flag(row, "kafka")) {
            return Peers.text(row, "kafka_api_key_name") + " " + cut(Peers.text(row, "kafka_request_summary"), 200);
        }
        if (Peers.flag(row, "amqp")) {
            return cut(Peers.text(row, "amqp_summary"), 200);
        }
        if (Peers.flag(row, "ldap")) {
            return Peers.text(row, "ldap_type") + " " + Peers.text(row, "ldap_dn") + " " + Peers.text(row, "ldap_result");
        }
        if (Peers.flag(row, "radius")) {
            return Peers.text(row, "radius_code_name") + " " + Peers.text(row, "radius_user") + " -> " + Peers.text(row, "radius_response_code_name");
        }
        if (Peers.flag(row, "diameter")) {
            return Peers.text(row, "diameter_method") + " result " + Peers.number(row, "diameter_result_code");
        }
        if (Peers.flag(row, "ws")) {
            return "WebSocket " + Peers.text(row, "ws_opcode");
        }
        if (Peers.flag(row, "tls")) {
            return "TLS " + Peers.text(row, "tls_version") + " " + Peers.text(row, "tls_sni");
        }
        return "";
    }

    private static String cut(String text, int length)
    {
        return text.length() <= length ? text : text.substring(0, length) + "...";
    }

    private JsonNode getApiCall(Arguments arguments)
            throws Exception
    {
        String snapshot = arguments.requiredString("snapshot_id");
        long id = arguments.requiredLong("id");
        boolean payload = arguments.flag("include_payload", true);
        boolean l4 = arguments.flag("include_l4", true);
        int maximum = arguments.boundedInt("max_payload_size", 65536, 0, MAXIMUM_PAYLOAD);
        try (LakeSession session = tables.open(snapshot)) {
            List<Map<String, Object>> rows = Tables.rows(session, "SELECT *, " + Subjects.operation() + " AS \"__operation\", " + Subjects.error()
                    + " AS \"__error\" FROM " + session.table(Table.API_CALLS) + " WHERE " + session.scope() + " AND \"id\" = " + SqlText.integer(id));
            if (rows.isEmpty()) {
                throw new ToolException("no call with id " + id + " in snapshot " + snapshot + " (list_api_calls gives the ids)");
            }
            Map<String, Object> row = rows.get(0);
            ObjectNode answer = Json.object();
            answer.put("snapshot_id", snapshot);
            ObjectNode entry = answer.putObject("entry");
            for (Column column : Columns.of(Table.API_CALLS)) {
                if (!PAYLOADS.contains(column.sqlName())) {
                    entry.set(column.sqlName(), Json.value(row.get(column.sqlName())));
                }
            }
            entry.put("operation", Peers.text(row, "__operation"));
            entry.put("error", Peers.flag(row, "__error"));
            entry.set("src", Peers.side(row, "src"));
            entry.set("dst", Peers.side(row, "dst"));
            boolean truncated = false;
            if (payload) {
                truncated |= body(answer, "req_body", row.get("request_body"), Peers.number(row, "request_body_size"), maximum);
                truncated |= body(answer, "resp_body", row.get("response_body"), Peers.number(row, "response_body_decoded_size"), maximum);
                byte[] raw = row.get("tcp_payload") instanceof byte[] tcp && tcp.length > 0 ? tcp : row.get("udp_payload") instanceof byte[] udp ? udp : new byte[0];
                if (raw.length > 0) {
                    truncated |= body(answer, "payload", raw, raw.length, maximum);
                }
            }
            answer.put("truncated", truncated);
            answer.put("bpf", bpf(row));
            if (l4) {
                List<Map<String, Object>> flows = Tables.rows(session, "SELECT * FROM " + session.table(Table.FLOWS) + " WHERE " + session.scope()
                        + " AND \"flow_id\" = " + SqlText.integer(Peers.number(row, "flow_id")) + " AND \"node_id\" = " + SqlText.string(Peers.text(row, "node_id")));
                if (flows.isEmpty()) {
                    answer.putNull("l4_flow");
                }
                else {
                    ObjectNode flow = answer.putObject("l4_flow");
                    for (Column column : Columns.of(Table.FLOWS)) {
                        flow.set(column.sqlName(), Json.value(flows.get(0).get(column.sqlName())));
                    }
                }
            }
            return answer;
        }
    }

    /** A body as text (base64 when it is not UTF-8), cut at the maximum; true when the stored or returned body is not the whole one. */
    private static boolean body(ObjectNode answer, String name, Object value, long sizeOnWire, int maximum)
    {
        byte[] bytes = value instanceof byte[] stored ? stored : new byte[0];
        byte[] shown = bytes.length > maximum ? java.util.Arrays.copyOf(bytes, maximum) : bytes;
        answer.set(name, Json.value(shown));
        answer.put(name + "_bytes", bytes.length);
        return bytes.length > maximum || sizeOnWire > bytes.length;
    }

    /** A BPF filter selecting the call's connection, for export_snapshot_pcap. */
    private static String bpf(Map<String, Object> row)
    {
        String transport = Peers.flag(row, "udp") ? "udp" : Peers.flag(row, "sctp") ? "sctp" : "tcp";
        return transport + " and host " + Peers.text(row, "src_ip") + " and port " + Peers.number(row, "src_port") + " and host " + Peers.text(row, "dst_ip")
                + " and port " + Peers.number(row, "dst_port");
    }

    private JsonNode getApiStats(Arguments arguments)
            throws Exception
    {
        String snapshot = arguments.requiredString("snapshot_id");
        Optional<String> other = arguments.optionalString("compare_snapshot_id").filter(name -> !name.isBlank());
        Optional<CompiledFilter> filter = Tables.filter(arguments.optionalString("kfl"), Table.API_CALLS);
        Stats.GroupBy groupBy = Stats.GroupBy.of(arguments.choice("group_by", List.of("service", "endpoint", "namespace", "edge", "protocol", "status"), "service"));
        int limit = arguments.boundedInt("limit", 50, 1, 1000);
        List<String> snapshots = other.isPresent() ? List.of(snapshot, other.get()) : List.of(snapshot);
        if (other.isPresent() && other.get().equals(snapshot)) {
            throw new ToolException("compare_snapshot_id names the same snapshot as snapshot_id");
        }
        Map<String, Window> windows = SnapshotWindows.of(tables.lake().snapshots(), snapshots);
        try (LakeSession session = tables.open(snapshots)) {
            Stats.Result result = Stats.compute(session, windows, groupBy, filter);
            List<Stats.Group> groups = result.groups().subList(0, Math.min(limit, result.groups().size()));
            ObjectNode answer = StatsJson.of(result.withGroups(groups));
            answer.put("total_groups", result.groups().size());
            answer.put("truncated", groups.size() < result.groups().size());
            return answer;
        }
    }
}
