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
import io.wirelake.query.report.Subjects;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** The L4 tools: {@code list_l4_flows} and {@code get_l4_flow_summary}, over the {@code flows} table. */
final class FlowTools
{
    static final int MAXIMUM_FLOWS = 1000;
    private static final List<String> AGGREGATES = List.of("none", "pod", "workload", "service", "namespace", "node");
    private static final int TOP = 10;

    private final Tables tables;

    FlowTools(Tables tables)
    {
        this.tables = requireNonNull(tables, "tables is null");
    }

    List<ToolDefinition> definitions()
    {
        return List.of(
                new ToolDefinition("list_l4_flows",
                        "The L4 connections and flows (TCP, UDP, SCTP, ICMP) of a dissected snapshot: client and server, packets and bytes each way, rates, "
                                + "state, the L7 protocols seen, and TCP health (handshake RTT, retransmissions, resets, zero windows, duplicate ACKs). "
                                + "With aggregate, flows are summed per client and server pod, workload, service, namespace or node, with handshake RTT "
                                + "percentiles. Filters: a KFL2 filter over flows (conn_*/flow_*/tcp_* variables), l4proto, and ip, ns, pod, svc matching "
                                + "either side.",
                        Schema.object()
                                .string("snapshot_id", "The dissected snapshot.", true)
                                .string("kfl", "KFL2 filter over flows, e.g. 'tcp && tcp_retransmissions > 0'.", 8192, false)
                                .choice("l4proto", "Only this transport.", List.of("any", "tcp", "udp", "sctp", "icmp"), "any")
                                .string("ip", "Only flows with this IP on either side.", 64, false)
                                .string("ns", "Only flows with this namespace on either side.", 253, false)
                                .string("pod", "Only flows with this pod name on either side.", 253, false)
                                .string("svc", "Only flows with this service name on either side.", 253, false)
                                .choice("aggregate", "Sum flows per client and server at this level (none: every flow).", AGGREGATES, "none")
                                .choice("format", "compact (default) or full (every column of each flow; not with aggregate).", List.of("compact", "full"), "compact")
                                .integer("limit", "Flows (or aggregated rows, largest first) to return, at most 1000.", 1, MAXIMUM_FLOWS, 100L, false)
                                .time("start", "Only flows that began at or after this time")
                                .time("end", "Only flows that began at or before this time")
                                .build(),
                        ToolDefinition.Access.READ, this::listFlows),
                new ToolDefinition("get_l4_flow_summary",
                        "An overview of a dissected snapshot's L4 traffic: flows by transport, bytes, packets, distinct clients and servers, the top "
                                + "conversations by bytes and by packets, traffic per namespace, and the conversations that cross namespaces.",
                        Schema.object()
                                .string("snapshot_id", "The dissected snapshot.", true)
                                .build(),
                        ToolDefinition.Access.READ, this::summary));
    }

    private JsonNode listFlows(Arguments arguments)
            throws Exception
    {
        String snapshot = arguments.requiredString("snapshot_id");
        Optional<CompiledFilter> filter = Tables.filter(arguments.optionalString("kfl"), Table.FLOWS);
        String aggregate = arguments.choice("aggregate", AGGREGATES, "none");
        String format = arguments.choice("format", List.of("compact", "full"), "compact");
        if (!aggregate.equals("none") && format.equals("full")) {
            throw new ToolException("format 'full' lists single flows; leave it out (or aggregate 'none') to aggregate");
        }
        int limit = arguments.boundedInt("limit", 100, 1, MAXIMUM_FLOWS);
        List<String> conditions = new ArrayList<>();
        conditions.add(Tables.timeBounds(arguments.optionalLong("start"), arguments.optionalLong("end")));
        String transport = arguments.choice("l4proto", List.of("any", "tcp", "udp", "sctp", "icmp"), "any");
        if (!transport.equals("any")) {
            conditions.add(SqlText.identifier(transport));
        }
        either(conditions, arguments.optionalString("ip"), "_ip");
        either(conditions, arguments.optionalString("ns"), "_pod_namespace");
        either(conditions, arguments.optionalString("pod"), "_pod_name");
        either(conditions, arguments.optionalString("svc"), "_service_name");
        filter.ifPresent(compiled -> conditions.add("(" + compiled.predicate() + ")"));
        try (LakeSession session = tables.open(snapshot)) {
            String where = session.scope() + " AND " + String.join(" AND ", conditions);
            ObjectNode answer = Json.object();
            answer.put("snapshot_id", snapshot);
            answer.put("kfl", filter.map(CompiledFilter::kfl).orElse(""));
            answer.put("aggregate", aggregate);
            ArrayNode flows = answer.putArray("flows");
            long total;
            if (aggregate.equals("none")) {
                List<String> columns = Columns.of(Table.FLOWS).stream().map(Column::sqlName).toList();
                List<Map<String, Object>> rows = Tables.rows(session, "SELECT *, count(*) OVER () AS \"__total\" FROM " + session.table(Table.FLOWS) + " WHERE " + where
                        + " ORDER BY \"timestamp\", \"id\" LIMIT " + limit);
                for (Map<String, Object> row : rows) {
                    if (format.equals("full")) {
                        ObjectNode flow = flows.addObject();
                        columns.forEach(column -> flow.set(column, Json.value(row.get(column))));
                    }
                    else {
                        flows.add(compact(row));
                    }
                }
                total = rows.isEmpty() ? 0 : Peers.number(rows.get(0), "__total");
                answer.put("returned", rows.size());
            }
            else {
                String client = level(aggregate, "src");
                String server = level(aggregate, "dst");
                List<Map<String, Object>> rows = Tables.rows(session, "SELECT " + client + " AS client, " + server + " AS server, \"protocol\" AS proto, "
                        + "count(*) AS flows, sum(\"flow_local_pkts\") AS client_pkts, sum(\"flow_local_bytes\") AS client_bytes, sum(\"flow_remote_pkts\") AS server_pkts, "
                        + "sum(\"flow_remote_bytes\") AS server_bytes, array_agg(DISTINCT \"dst_port\") AS ports, "
                        + "approx_percentile(CASE WHEN \"tcp_handshake_rtt\" > 0 THEN \"tcp_handshake_rtt\" END, ARRAY[0.5, 0.9, 0.99]) AS handshake, "
                        + "sum(\"tcp_retransmissions\") AS retransmissions, sum(\"tcp_rst_count\") AS resets, count(*) OVER () AS \"__total\" FROM "
                        + session.table(Table.FLOWS) + " WHERE " + where + " GROUP BY 1, 2, 3 ORDER BY sum(\"flow_local_bytes\" + \"flow_remote_bytes\") DESC, 1, 2, 3 LIMIT " + limit);
                for (Map<String, Object> row : rows) {
                    ObjectNode flow = flows.addObject();
                    flow.put("proto", Peers.text(row, "proto"));
                    flow.put("client", Peers.text(row, "client"));
                    flow.put("server", Peers.text(row, "server"));
                    flow.set("server_ports", Json.value(sortedPorts(row.get("ports"))));
                    flow.put("flows", Peers.number(row, "flows"));
                    flow.putObject("client_stats").put("tx_pkts", Peers.number(row, "client_pkts")).put("tx_bytes", Peers.number(row, "client_bytes"));
                    flow.putObject("server_stats").put("tx_pkts", Peers.number(row, "server_pkts")).put("tx_bytes", Peers.number(row, "server_bytes"));
                    flow.putObject("totals").put("pkts", Peers.number(row, "client_pkts") + Peers.number(row, "server_pkts"))
                            .put("bytes", Peers.number(row, "client_bytes") + Peers.number(row, "server_bytes"));
                    ObjectNode handshake = flow.putObject("tcp_handshake_us");
                    List<?> percentiles = row.get("handshake") instanceof List<?> list ? list : List.of();
                    String[] names = {"p50", "p90", "p99"};
                    for (int index = 0; index < names.length; index++) {
                        Object value = index < percentiles.size() ? percentiles.get(index) : null;
                        handshake.set(names[index], Json.value(value));
                    }
                    flow.put("tcp_retransmissions", Peers.number(row, "retransmissions"));
                    flow.put("tcp_resets", Peers.number(row, "resets"));
                }
                total = rows.isEmpty() ? 0 : Peers.number(rows.get(0), "__total");
                answer.put("returned", rows.size());
            }
            answer.put("total", total);
            answer.put("truncated", total > flows.size());
            return answer;
        }
    }

    /** A condition that a side's column holds the value, on either side. */
    private static void either(List<String> conditions, Optional<String> value, String suffix)
    {
        value.filter(text -> !text.isBlank()).ifPresent(text -> conditions.add("(" + SqlText.identifier("src" + suffix) + " = " + SqlText.string(text) + " OR "
                + SqlText.identifier("dst" + suffix) + " = " + SqlText.string(text) + ")"));
    }

    /** One side of a flow at an aggregation level, falling back to the IP outside the cluster. */
    private static String level(String aggregate, String side)
    {
        String ip = SqlText.identifier(side + "_ip");
        return switch (aggregate) {
            case "pod" -> "(CASE WHEN " + SqlText.identifier(side + "_pod_name") + " <> '' THEN " + SqlText.identifier(side + "_pod_namespace") + " || '/' || "
                    + SqlText.identifier(side + "_pod_name") + " ELSE " + ip + " END)";
            case "workload" -> Subjects.workload(side);
            case "service" -> "(CASE WHEN " + SqlText.identifier(side + "_service_name") + " <> '' THEN " + SqlText.identifier(side + "_service_namespace") + " || '/' || "
                    + SqlText.identifier(side + "_service_name") + " ELSE " + Subjects.workload(side) + " END)";
            case "namespace" -> "(CASE WHEN " + SqlText.identifier(side + "_pod_namespace") + " <> '' THEN " + SqlText.identifier(side + "_pod_namespace") + " ELSE " + ip + " END)";
            case "node" -> {
                String node = SqlText.identifier(side.equals("src") ? "local_node_name" : "remote_node_name");
                yield "(CASE WHEN " + node + " <> '' THEN " + node + " ELSE " + ip + " END)";
            }
            default -> throw new IllegalArgumentException("no aggregation level " + aggregate);
        };
    }

    private static List<Long> sortedPorts(Object ports)
    {
        if (!(ports instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().filter(Number.class::isInstance).map(port -> ((Number) port).longValue()).sorted().limit(20).toList();
    }

    /** Kubeshark's flow: protocol, both sides, each side's packets and bytes, totals with rates, TCP health. */
    private static ObjectNode compact(Map<String, Object> row)
    {
        ObjectNode flow = Json.object();
        flow.put("id", Peers.number(row, "id"));
        flow.put("flow_id", Peers.number(row, "flow_id"));
        Instant start = (Instant) row.get("timestamp");
        Instant end = (Instant) row.get("flow_end");
        flow.put("ts", start == null ? 0 : start.toEpochMilli());
        flow.put("time", start == null ? "" : start.toString());
        flow.put("end", end == null ? "" : end.toString());
        flow.put("duration_ms", Peers.number(row, "elapsed_time") / 1000.0);
        flow.put("proto", Peers.text(row, "protocol"));
        flow.put("node", Peers.text(row, "node_name"));
        flow.set("client", Peers.side(row, "src"));
        flow.set("server", Peers.side(row, "dst"));
        flow.put("state", Peers.text(row, "flow_state"));
        flow.set("l7", Json.value(row.get("flow_l7_detected")));
        flow.putObject("client_stats").put("tx_pkts", Peers.number(row, "flow_local_pkts")).put("tx_bytes", Peers.number(row, "flow_local_bytes"))
                .put("pps", Peers.number(row, "flow_local_pps")).put("bps", Peers.number(row, "flow_local_bps"));
        flow.putObject("server_stats").put("tx_pkts", Peers.number(row, "flow_remote_pkts")).put("tx_bytes", Peers.number(row, "flow_remote_bytes"))
                .put("pps", Peers.number(row, "flow_remote_pps")).put("bps", Peers.number(row, "flow_remote_bps"));
        flow.putObject("totals").put("pkts", Peers.number(row, "flow_local_pkts") + Peers.number(row, "flow_remote_pkts"))
                .put("bytes", Peers.number(row, "flow_local_bytes") + Peers.number(row, "flow_remote_bytes"))
                .put("pps", Peers.number(row, "flow_local_pps") + Peers.number(row, "flow_remote_pps"))
                .put("bps", Peers.number(row, "flow_local_bps") + Peers.number(row, "flow_remote_bps"));
        if (Peers.flag(row, "tcp")) {
            ObjectNode tcp = flow.putObject("tcp");
            for (String metric : List.of("tcp_handshake_rtt", "tcp_syn_ack_time", "tcp_rtt_avg", "tcp_rtt_max", "tcp_retransmissions", "tcp_fast_retransmissions",
                    "tcp_out_of_order", "tcp_missing_bytes", "tcp_dup_acks", "tcp_zero_windows", "tcp_window_full", "tcp_rst_count", "tcp_completeness",
                    "tcp_time_to_first_byte")) {
                tcp.put(metric.substring("tcp_".length()), Peers.number(row, metric));
            }
            tcp.put("midstream", Peers.flag(row, "tcp_midstream"));
        }
        flow.set("anomalies", Json.value(row.get("anomalies")));
        return flow;
    }

    private JsonNode summary(Arguments arguments)
            throws Exception
    {
        String snapshot = arguments.requiredString("snapshot_id");
        try (LakeSession session = tables.open(snapshot)) {
            String flows = session.table(Table.FLOWS);
            String scope = session.scope();
            ObjectNode answer = Json.object();
            answer.put("snapshot_id", snapshot);
            Map<String, Object> totals = Tables.rows(session, "SELECT count(*) AS total, count_if(\"tcp\") AS tcp, count_if(\"udp\") AS udp, count_if(\"sctp\") AS sctp, "
                    + "count_if(\"icmp\") AS icmp, coalesce(sum(\"flow_local_bytes\" + \"flow_remote_bytes\"), 0) AS bytes, "
                    + "coalesce(sum(\"flow_local_pkts\" + \"flow_remote_pkts\"), 0) AS pkts, count(DISTINCT \"src_ip\") AS clients, count(DISTINCT \"dst_ip\") AS servers, "
                    + "count_if(\"tcp_retransmissions\" > 0) AS with_retransmissions, count_if(\"tcp_rst_count\" > 0) AS with_resets FROM " + flows + " WHERE " + scope).get(0);
            answer.put("total_flows", Peers.number(totals, "total"));
            answer.put("tcp_flows", Peers.number(totals, "tcp"));
            answer.put("udp_flows", Peers.number(totals, "udp"));
            answer.put("sctp_flows", Peers.number(totals, "sctp"));
            answer.put("icmp_flows", Peers.number(totals, "icmp"));
            answer.put("total_bytes", Peers.number(totals, "bytes"));
            answer.put("total_pkts", Peers.number(totals, "pkts"));
            answer.put("unique_clients", Peers.number(totals, "clients"));
            answer.put("unique_servers", Peers.number(totals, "servers"));
            answer.put("flows_with_retransmissions", Peers.number(totals, "with_retransmissions"));
            answer.put("flows_with_resets", Peers.number(totals, "with_resets"));
            String conversation = "SELECT " + Subjects.workload("src") + " AS client, " + Subjects.server() + " AS server, \"protocol\" AS proto, \"dst_port\" AS port, "
                    + "count(*) AS flows, sum(\"flow_local_bytes\" + \"flow_remote_bytes\") AS bytes, sum(\"flow_local_pkts\" + \"flow_remote_pkts\") AS pkts FROM "
                    + flows + " WHERE " + scope + " GROUP BY 1, 2, 3, 4 ORDER BY ";
            answer.set("top_by_bytes", conversations(Tables.rows(session, conversation + "bytes DESC, 1, 2, 3, 4 LIMIT " + TOP)));
            answer.set("top_by_pkts", conversations(Tables.rows(session, conversation + "pkts DESC, 1, 2, 3, 4 LIMIT " + TOP)));
            ArrayNode namespaces = answer.putArray("by_namespace");
            for (Map<String, Object> row : Tables.rows(session, "SELECT namespace, sum(as_client) AS as_client, sum(as_server) AS as_server, sum(bytes) AS bytes FROM ("
                    + "SELECT \"src_pod_namespace\" AS namespace, 1 AS as_client, 0 AS as_server, \"flow_local_bytes\" + \"flow_remote_bytes\" AS bytes FROM " + flows
                    + " WHERE " + scope + " AND \"src_pod_namespace\" <> '' UNION ALL SELECT \"dst_pod_namespace\", 0, 1, \"flow_local_bytes\" + \"flow_remote_bytes\" FROM "
                    + flows + " WHERE " + scope + " AND \"dst_pod_namespace\" <> '' AND \"dst_pod_namespace\" <> \"src_pod_namespace\") GROUP BY 1 ORDER BY bytes DESC, 1")) {
                namespaces.addObject().put("namespace", Peers.text(row, "namespace")).put("flows_as_client", Peers.number(row, "as_client"))
                        .put("flows_as_server", Peers.number(row, "as_server")).put("bytes", Peers.number(row, "bytes"));
            }
            ArrayNode crossing = answer.putArray("cross_namespace");
            for (Map<String, Object> row : Tables.rows(session, "SELECT \"src_pod_namespace\" AS client_ns, \"dst_pod_namespace\" AS server_ns, count(*) AS flows, "
                    + "sum(\"flow_local_bytes\" + \"flow_remote_bytes\") AS bytes FROM " + flows + " WHERE " + scope
                    + " AND \"src_pod_namespace\" <> '' AND \"dst_pod_namespace\" <> '' AND \"src_pod_namespace\" <> \"dst_pod_namespace\" GROUP BY 1, 2 ORDER BY bytes DESC, 1, 2")) {
                crossing.addObject().put("client_namespace", Peers.text(row, "client_ns")).put("server_namespace", Peers.text(row, "server_ns"))
                        .put("flows", Peers.number(row, "flows")).put("bytes", Peers.number(row, "bytes"));
            }
            return answer;
        }
    }

    private static ArrayNode conversations(List<Map<String, Object>> rows)
    {
        ArrayNode array = Json.array();
        for (Map<String, Object> row : rows) {
            array.addObject().put("client", Peers.text(row, "client")).put("server", Peers.text(row, "server")).put("proto", Peers.text(row, "proto"))
                    .put("port", Peers.number(row, "port")).put("flows", Peers.number(row, "flows")).put("bytes", Peers.number(row, "bytes"))
                    .put("pkts", Peers.number(row, "pkts"));
        }
        return array;
    }
}
