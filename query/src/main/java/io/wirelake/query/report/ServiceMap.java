package io.wirelake.query.report;

import io.wirelake.columns.Table;
import io.wirelake.kfl.CompiledFilter;
import io.wirelake.query.LakeSession;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Who talks to whom in a snapshot: workloads (and the IPs outside the cluster, named by the DNS
 * answers and TLS server names seen) as nodes; as edges, the connections between them per server
 * port with their L4 numbers (flows, bytes, handshake RTT, from {@code flows}) and L7 numbers
 * (protocols, requests, errors, p95 latency, from {@code api_calls}).
 */
public final class ServiceMap
{
    public enum Kind
    {
        /** A workload of the cluster (a pod's owner, or a service). */
        WORKLOAD,
        /** An address without Kubernetes metadata. */
        EXTERNAL
    }

    public record Node(String id, String label, Kind kind, String namespace)
    {
        public Node
        {
            requireNonNull(id, "id is null");
            requireNonNull(label, "label is null");
            requireNonNull(kind, "kind is null");
            requireNonNull(namespace, "namespace is null");
        }
    }

    /**
     * @param transport TCP, UDP, SCTP or ICMP ('' when only calls were seen)
     * @param protocols the L7 protocols of the calls on this edge
     * @param handshakeRttP95Micros p95 of the TCP handshake RTT, NaN without one
     * @param latencyP95Millis p95 of the calls' latency, NaN without one
     */
    public record Edge(String source, String target, String transport, long port, List<String> protocols, long flows, long bytes,
                       double handshakeRttP95Micros, long requests, long errors, double latencyP95Millis)
    {
        public Edge
        {
            requireNonNull(source, "source is null");
            requireNonNull(target, "target is null");
            requireNonNull(transport, "transport is null");
            protocols = List.copyOf(protocols);
        }
    }

    public record Graph(String snapshot, Optional<String> kfl, List<Node> nodes, List<Edge> edges)
    {
        public Graph
        {
            requireNonNull(snapshot, "snapshot is null");
            nodes = List.copyOf(nodes);
            edges = List.copyOf(edges);
        }
    }

    /** The transport of a call, named as {@code flows.protocol} names it. */
    private static final String TRANSPORT = "(CASE WHEN \"tcp\" THEN 'TCP' WHEN \"udp\" THEN 'UDP' WHEN \"sctp\" THEN 'SCTP' WHEN \"icmp\" THEN 'ICMP' ELSE '' END)";

    private ServiceMap() {}

    /**
     * @param filter an optional KFL filter: on api_calls it keeps the calls (and the flows of the
     *        edges they are on); on flows it keeps the flows
     */
    public static Graph build(LakeSession session, String snapshot, Optional<CompiledFilter> filter)
            throws Exception
    {
        Optional<String> callsFilter = filter.filter(compiled -> compiled.table() == Table.API_CALLS).map(CompiledFilter::predicate);
        Optional<String> flowsFilter = filter.filter(compiled -> compiled.table() == Table.FLOWS).map(CompiledFilter::predicate);
        String scope = session.scope();
        Map<String, Node> nodes = new TreeMap<>();
        Map<String, String> names = externalNames(session, scope);

        Map<List<Object>, EdgeBuilder> edges = new LinkedHashMap<>();
        String flowsSql = "SELECT " + node("src") + ", " + node("dst") + ", \"protocol\", \"dst_port\", count(*), sum(\"flow_local_bytes\" + \"flow_remote_bytes\"), "
                + "approx_percentile(CASE WHEN \"tcp_handshake_rtt\" > 0 THEN \"tcp_handshake_rtt\" END, 0.95) FROM " + session.table(Table.FLOWS)
                + " WHERE " + scope + flowsFilter.map(predicate -> " AND (" + predicate + ")").orElse("") + " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8";
        for (List<Object> row : session.rows(flowsSql)) {
            // (source id, kind, namespace, target id, kind, namespace, transport, port, flows, bytes, handshake RTT p95)
            EdgeBuilder edge = edges.computeIfAbsent(List.of(row.get(0), row.get(3), number(row.get(7)), row.get(6)), key -> new EdgeBuilder());
            edge.flows += number(row.get(8));
            edge.bytes += number(row.get(9));
            edge.handshakeRtt = row.get(10) == null ? Double.NaN : ((Number) row.get(10)).doubleValue();
            addNodes(nodes, names, row);
        }
        String callsSql = "SELECT " + node("src") + ", " + node("dst") + ", \"protocol\", \"dst_port\", count(*), count_if(" + Subjects.error() + "), "
                + "approx_percentile(" + Subjects.latencyMillis() + ", 0.95), " + TRANSPORT + " FROM " + session.table(Table.API_CALLS) + " WHERE " + scope
                + callsFilter.map(predicate -> " AND (" + predicate + ")").orElse("") + " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 12";
        Map<List<Object>, List<Double>> latencies = new HashMap<>();
        for (List<Object> row : session.rows(callsSql)) {
            // (source id, kind, namespace, target id, kind, namespace, protocol, port, calls, errors, latency p95, transport)
            List<Object> key = List.of(row.get(0), row.get(3), number(row.get(7)), row.get(11));
            EdgeBuilder edge = edges.computeIfAbsent(key, ignored -> new EdgeBuilder());
            edge.protocols.add((String) row.get(6));
            edge.requests += number(row.get(8));
            edge.errors += number(row.get(9));
            if (row.get(10) != null) {
                // Several protocols on one port: the edge shows the slowest p95.
                latencies.computeIfAbsent(key, ignored -> new ArrayList<>()).add(((Number) row.get(10)).doubleValue());
            }
            addNodes(nodes, names, row);
        }
        if (callsFilter.isPresent()) {
            // A filter on calls keeps the edges its calls are on.
            edges.values().removeIf(edge -> edge.requests == 0);
        }
        List<Edge> built = new ArrayList<>();
        edges.forEach((key, edge) -> built.add(new Edge((String) key.get(0), (String) key.get(1), (String) key.get(3), (Long) key.get(2), List.copyOf(edge.protocols),
                edge.flows, edge.bytes, edge.handshakeRtt, edge.requests, edge.errors,
                latencies.getOrDefault(key, List.of()).stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN))));
        built.sort(Comparator.comparing(Edge::source).thenComparing(Edge::target).thenComparingLong(Edge::port).thenComparing(Edge::transport));
        TreeSet<String> used = new TreeSet<>();
        built.forEach(edge -> {
            used.add(edge.source());
            used.add(edge.target());
        });
        List<Node> shown = nodes.values().stream().filter(node -> used.contains(node.id())).toList();
        return new Graph(snapshot, filter.map(CompiledFilter::kfl), shown, built);
    }

    /** A side as a map node: its workload, or its IP; with its namespace and whether it is in the cluster. */
    private static String node(String side)
    {
        return Subjects.workload(side) + ", (CASE WHEN " + Subjects.inCluster(side) + " THEN 'WORKLOAD' ELSE 'EXTERNAL' END), \"" + side + "_pod_namespace\"";
    }

    /** Names for addresses outside the cluster: the DNS name the capture resolved them by, else a TLS server name. */
    private static Map<String, String> externalNames(LakeSession session, String scope)
            throws Exception
    {
        Map<String, String> names = new HashMap<>();
        for (List<Object> row : session.rows("SELECT \"dst_ip\", max(\"tls_sni\") FROM " + session.table(Table.API_CALLS) + " WHERE " + scope
                + " AND \"tls_sni\" <> '' GROUP BY 1")) {
            names.put((String) row.get(0), (String) row.get(1));
        }
        for (List<Object> row : session.rows("SELECT \"dst_ip\", max(\"dst_dns\") FROM " + session.table(Table.FLOWS) + " WHERE " + scope
                + " AND \"dst_dns\" <> '' GROUP BY 1")) {
            names.put((String) row.get(0), (String) row.get(1));
        }
        return names;
    }

    private static void addNodes(Map<String, Node> nodes, Map<String, String> names, List<Object> row)
    {
        // The row holds (id, kind, namespace) for the source, then the same for the destination.
        for (int offset : new int[] {0, 3}) {
            String id = (String) row.get(offset);
            Kind kind = Kind.valueOf((String) row.get(offset + 1));
            nodes.computeIfAbsent(id, key -> new Node(id, kind == Kind.EXTERNAL ? names.getOrDefault(id, id) : id, kind, (String) row.get(offset + 2)));
        }
    }

    private static long number(Object value)
    {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static final class EdgeBuilder
    {
        final TreeSet<String> protocols = new TreeSet<>();
        long flows;
        long bytes;
        double handshakeRtt = Double.NaN;
        long requests;
        long errors;
    }
}
