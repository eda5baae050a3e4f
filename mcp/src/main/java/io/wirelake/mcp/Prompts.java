package io.wirelake.mcp;

import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The prompts, after Kubeshark's (analyze_traffic, find_errors, trace_request, latency_analysis,
 * compare_traffic, show_topology, debug_connection, security_audit): each a short plan naming the
 * tools to call in order, for a snapshot the user names. The skills in {@code skills/} say the same
 * at length.
 */
final class Prompts
{
    private record Prompt(String name, String description, List<McpSchema.PromptArgument> arguments, Function<Map<String, String>, String> text) {}

    private static McpSchema.PromptArgument required(String name, String description)
    {
        return McpSchema.PromptArgument.builder(name).description(description).required(true).build();
    }

    private static McpSchema.PromptArgument optional(String name, String description)
    {
        return McpSchema.PromptArgument.builder(name).description(description).required(false).build();
    }

    private static final McpSchema.PromptArgument SNAPSHOT = required("snapshot_id", "The dissected snapshot to look at (list_snapshots names them).");

    private static final List<Prompt> PROMPTS = List.of(
            new Prompt("analyze_traffic", "An overview of a snapshot's traffic: who talks to whom, the busiest and failing services, anything odd.",
                    List.of(SNAPSHOT),
                    arguments -> "Give me an overview of the traffic in the wirelake snapshot '" + arguments.get("snapshot_id") + "'.\n"
                            + "1. get_snapshot: its window, nodes, and dissection report (calls per protocol, anomalies).\n"
                            + "2. get_api_stats with group_by service, then group_by endpoint: the busiest services, error rates, p95/p99 latency.\n"
                            + "3. get_l4_flow_summary: flows, bytes, top conversations, cross-namespace traffic.\n"
                            + "4. get_service_map: the dependencies; point out external destinations.\n"
                            + "Summarise in a short report: volumes, the services with errors or slow tails (numbers and the KFL filter that shows them), "
                            + "and anything unexpected (clear text, resets, retransmissions)."),
            new Prompt("find_errors", "Find the failing calls of a snapshot and where they come from.",
                    List.of(SNAPSHOT, optional("namespace", "Only calls into this namespace.")),
                    arguments -> "Find the errors in the wirelake snapshot '" + arguments.get("snapshot_id") + "'"
                            + (arguments.containsKey("namespace") ? " for calls into namespace '" + arguments.get("namespace") + "'" : "") + ".\n"
                            + "1. get_api_stats with group_by endpoint" + namespaceFilter(arguments) + ": rank endpoints by error_rate (with their requests).\n"
                            + "2. For the worst endpoints, list_api_calls with a KFL filter such as 'http && status_code >= 500 && dst.service.name == \"...\"' "
                            + "(DNS: 'dns && dns_response && status_code != 0'; gRPC: 'grpc && grpc_status != 0').\n"
                            + "3. get_api_call on a few of them: status, headers, bodies, and the L4 flow (resets, retransmissions).\n"
                            + "4. get_api_stats with group_by edge and the same filter: which clients see the errors.\n"
                            + "Report each failing endpoint with its error rate, the first failing call's time, the likely cause, and the filters used."),
            new Prompt("trace_request", "Follow one request through the services it touched.",
                    List.of(SNAPSHOT, required("kfl", "A KFL2 filter that finds the request, e.g. 'http && path.contains(\"/api/v1/orders\")'.")),
                    arguments -> "Trace a request in the wirelake snapshot '" + arguments.get("snapshot_id") + "' found by the KFL filter: "
                            + arguments.get("kfl") + "\n"
                            + "1. kfl_check the filter; list_api_calls with it (limit 20) and pick the call of interest.\n"
                            + "2. get_api_call on it: headers (trace ids such as traceparent or x-request-id), bodies, timing, the L4 flow.\n"
                            + "3. Find the downstream calls the server made while handling it: list_api_calls with 'src.pod.name == \"<server pod>\"' and "
                            + "start/end around the request's time (the call's ts to ts + latency_ms), or with the trace id in request.headers.\n"
                            + "4. Repeat down the chain; show the path as a timeline with each hop's latency and status."),
            new Prompt("latency_analysis", "Where time goes in a snapshot: slow endpoints, their tails, and whether the network is to blame.",
                    List.of(SNAPSHOT, optional("threshold_ms", "What counts as slow, in milliseconds (default 1000).")),
                    arguments -> "Analyse latency in the wirelake snapshot '" + arguments.get("snapshot_id") + "'.\n"
                            + "1. get_api_stats with group_by endpoint: rank by p95_ms and p99_ms (ignore groups with few requests).\n"
                            + "2. list_api_calls with 'elapsed_time > " + thresholdMicros(arguments) + "' (elapsed_time is in microseconds) to see the slow calls "
                            + "and who made them.\n"
                            + "3. list_l4_flows with aggregate workload for the slow servers: handshake RTT percentiles and retransmissions tell a network "
                            + "delay from a slow application (a fast handshake with a slow response is the application).\n"
                            + "Report the slowest endpoints with p50/p95/p99, the filters used, and whether the time is spent in the network or the server."),
            new Prompt("compare_traffic", "What changed between a baseline snapshot and a current one.",
                    List.of(required("baseline_snapshot_id", "The known-good snapshot."), SNAPSHOT),
                    arguments -> "Compare the wirelake snapshot '" + arguments.get("snapshot_id") + "' with the baseline '" + arguments.get("baseline_snapshot_id") + "'.\n"
                            + "1. diff_snapshots: the drift findings, most severe first.\n"
                            + "2. For each critical or warning finding, confirm it: get_api_stats with compare_snapshot_id (group_by endpoint or edge) and "
                            + "list_api_calls with a filter for the subject in the current snapshot.\n"
                            + "3. Say which findings explain each other (a removed dependency and a latency regression of its caller) and which need action."),
            new Prompt("show_topology", "The service map of a snapshot.",
                    List.of(SNAPSHOT),
                    arguments -> "Show the topology of the wirelake snapshot '" + arguments.get("snapshot_id") + "': get_service_map, then describe the "
                            + "workloads by namespace, their dependencies with protocols and ports, the busiest edges, edges with errors, and every "
                            + "destination outside the cluster."),
            new Prompt("debug_connection", "Why connections between two workloads misbehave (resets, retransmissions, slow handshakes).",
                    List.of(SNAPSHOT, required("client", "The client's pod, service or IP."), required("server", "The server's pod, service or IP.")),
                    arguments -> "Debug the connections from '" + arguments.get("client") + "' to '" + arguments.get("server") + "' in the wirelake snapshot '"
                            + arguments.get("snapshot_id") + "'.\n"
                            + "1. list_workloads (or list_ips) to find both sides' IPs in the snapshot.\n"
                            + "2. list_l4_flows with ip set to each and aggregate none: state, handshake RTT, retransmissions, resets, zero windows.\n"
                            + "3. list_api_calls over those flows for what the application said.\n"
                            + "4. With --allow-write, export_snapshot_pcap with a BPF filter for the pair for Wireshark."),
            new Prompt("security_audit", "An OWASP API Security Top 10 pass over a snapshot's traffic.",
                    List.of(SNAPSHOT),
                    arguments -> "Audit the API traffic in the wirelake snapshot '" + arguments.get("snapshot_id") + "' against the OWASP API Security Top 10 "
                            + "(the api-security skill has each check as a KFL filter or SQL query): object-id enumeration (many distinct ids per client), "
                            + "authentication failures (401/403 per client and endpoint), tokens and keys in URLs (query_string), excessive data exposure "
                            + "(large responses), missing rate limits (request rates without 429), clear-text HTTP between services, and weak TLS "
                            + "(tls_version below TLSv1.2, CBC or RSA key exchange). Use list_api_calls, get_api_stats and run_sql; report each finding with "
                            + "its evidence and the filter that shows it."));

    private Prompts() {}

    private static String namespaceFilter(Map<String, String> arguments)
    {
        String namespace = arguments.get("namespace");
        return namespace == null ? "" : " and kfl 'dst.pod.namespace == \"" + namespace.replace("\\", "\\\\").replace("\"", "\\\"") + "\"'";
    }

    private static long thresholdMicros(Map<String, String> arguments)
    {
        try {
            return Math.max(1, Long.parseLong(arguments.getOrDefault("threshold_ms", "1000").strip())) * 1000;
        }
        catch (NumberFormatException e) {
            throw new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INVALID_PARAMS,
                    "threshold_ms must be a whole number of milliseconds, not " + arguments.get("threshold_ms"), null));
        }
    }

    static List<McpServerFeatures.SyncPromptSpecification> specifications()
    {
        List<McpServerFeatures.SyncPromptSpecification> specifications = new ArrayList<>();
        for (Prompt prompt : PROMPTS) {
            specifications.add(new McpServerFeatures.SyncPromptSpecification(McpSchema.Prompt.builder(prompt.name()).description(prompt.description()).arguments(prompt.arguments()).build(),
                    (exchange, request) -> {
                        Map<String, String> arguments = new java.util.LinkedHashMap<>();
                        if (request.arguments() != null) {
                            request.arguments().forEach((name, value) -> {
                                if (value != null) {
                                    arguments.put(name, String.valueOf(value));
                                }
                            });
                        }
                        for (McpSchema.PromptArgument argument : prompt.arguments()) {
                            if (Boolean.TRUE.equals(argument.required()) && (arguments.get(argument.name()) == null || arguments.get(argument.name()).isBlank())) {
                                throw new McpError(new McpSchema.JSONRPCResponse.JSONRPCError(McpSchema.ErrorCodes.INVALID_PARAMS,
                                        "the prompt " + prompt.name() + " needs the argument '" + argument.name() + "'", null));
                            }
                        }
                        return McpSchema.GetPromptResult.builder(List.of(new McpSchema.PromptMessage(McpSchema.Role.USER,
                                McpSchema.TextContent.builder(prompt.text().apply(arguments)).build()))).description(prompt.description()).build();
                    }));
        }
        return specifications;
    }

    static List<String> names()
    {
        return PROMPTS.stream().map(Prompt::name).toList();
    }
}
