package io.wirelake.dissect.testing;

import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TCP analysis counters of each {@code flows} row beside tshark's {@code tcp.analysis.*}
 * flags for the same connection (tshark's {@code tcp.stream}), matched by their endpoints (and,
 * for a reused port pair, by their order in the capture).
 */
public final class TcpAnalysisComparison
{
    /** tshark's analysis flag and the flows column that counts it, in the order they are reported. */
    public static final Map<String, String> COUNTERS = counters();

    private TcpAnalysisComparison() {}

    private static Map<String, String> counters()
    {
        Map<String, String> counters = new LinkedHashMap<>();
        counters.put("retransmission", "tcp_retransmissions");
        counters.put("fast_retransmission", "tcp_fast_retransmissions");
        counters.put("spurious_retransmission", "tcp_spurious_retransmissions");
        counters.put("out_of_order", "tcp_out_of_order");
        counters.put("lost_segment", "tcp_lost_segments");
        counters.put("ack_lost_segment", "tcp_acked_unseen");
        counters.put("duplicate_ack", "tcp_dup_acks");
        counters.put("window_update", "tcp_window_updates");
        counters.put("window_full", "tcp_window_full");
        counters.put("zero_window", "tcp_zero_windows");
        counters.put("keep_alive", "tcp_keepalives");
        counters.put("ack_rtt", "tcp_rtt_samples");
        return java.util.Collections.unmodifiableMap(counters);
    }

    /** One connection's counters, ours and tshark's, by flag name. */
    public record Connection(String endpoints, Map<String, Long> ours, Map<String, Long> theirs) {}

    /** Every TCP connection with both sides' counters, and tshark's ACK RTT samples in microseconds, sorted. */
    public record Analysis(List<Connection> connections, List<Long> ackRttMicros) {}

    /**
     * Every TCP connection of the capture with both sides' counters; fails when the dissection
     * and tshark do not find the same connections.
     */
    public static List<Connection> connections(Path capture, List<String> tsharkOptions, List<GenericData.Record> flows)
            throws Exception
    {
        return analysis(capture, tsharkOptions, flows).connections();
    }

    /** As {@link #connections}, with tshark's ACK RTT samples from the same run of tshark. */
    public static Analysis analysis(Path capture, List<String> tsharkOptions, List<GenericData.Record> flows)
            throws Exception
    {
        List<String> fields = new ArrayList<>(List.of("tcp.stream", "ip.src", "ipv6.src", "tcp.srcport", "ip.dst", "ipv6.dst", "tcp.dstport"));
        for (String flag : COUNTERS.keySet()) {
            fields.add("tcp.analysis." + flag);
        }
        Map<Long, String> endpoints = new LinkedHashMap<>();
        Map<Long, Map<String, Long>> counts = new LinkedHashMap<>();
        List<Long> ackRtts = new ArrayList<>();
        List<String> options = new ArrayList<>(tsharkOptions);
        options.addAll(List.of("-Y", "tcp"));
        for (String[] row : Tshark.fields(capture, options, fields.toArray(String[]::new))) {
            long stream = Long.parseLong(row[0]);
            String source = (row[1].isEmpty() ? row[2] : row[1]).split(",")[0] + ":" + row[3];
            String destination = (row[4].isEmpty() ? row[5] : row[4]).split(",")[0] + ":" + row[6];
            endpoints.putIfAbsent(stream, key(source, destination));
            Map<String, Long> connection = counts.computeIfAbsent(stream, id -> zeros());
            int index = 7;
            for (String flag : COUNTERS.keySet()) {
                String value = row[index++];
                if (!value.isEmpty()) {
                    connection.merge(flag, 1L, Long::sum);
                    if (flag.equals("ack_rtt")) {
                        ackRtts.add(Math.round(Double.parseDouble(value) * 1e6));
                    }
                }
            }
        }
        // ours, by the same key, in capture order
        Map<String, List<Map<String, Long>>> ours = new LinkedHashMap<>();
        flows.stream().filter(flow -> (Boolean) flow.get("tcp")).sorted(java.util.Comparator.comparingLong(flow -> (Long) flow.get("timestamp"))).forEach(flow -> {
            Map<String, Long> values = new LinkedHashMap<>();
            COUNTERS.forEach((flag, column) -> values.put(flag, (Long) flow.get(column)));
            ours.computeIfAbsent(key(flow.get("src_ip") + ":" + flow.get("src_port"), flow.get("dst_ip") + ":" + flow.get("dst_port")), id -> new ArrayList<>())
                    .add(values);
        });
        List<Connection> connections = new ArrayList<>();
        Map<String, Integer> used = new LinkedHashMap<>();
        for (Map.Entry<Long, String> stream : endpoints.entrySet()) {
            int occurrence = used.merge(stream.getValue(), 1, Integer::sum) - 1;
            List<Map<String, Long>> candidates = ours.getOrDefault(stream.getValue(), List.of());
            if (occurrence >= candidates.size()) {
                throw new AssertionError("tshark's TCP stream " + stream.getKey() + " (" + stream.getValue() + ") is no flows row of " + capture);
            }
            connections.add(new Connection(stream.getValue(), candidates.get(occurrence), counts.get(stream.getKey())));
        }
        int flowsRows = ours.values().stream().mapToInt(List::size).sum();
        if (flowsRows != connections.size()) {
            throw new AssertionError(flowsRows + " TCP flows rows but " + connections.size() + " tshark streams in " + capture);
        }
        ackRtts.sort(Long::compare);
        return new Analysis(connections, ackRtts);
    }

    private static Map<String, Long> zeros()
    {
        Map<String, Long> zeros = new LinkedHashMap<>();
        COUNTERS.keySet().forEach(flag -> zeros.put(flag, 0L));
        return zeros;
    }

    /** Two endpoints, whichever way round. */
    private static String key(String one, String other)
    {
        return one.compareTo(other) < 0 ? one + " " + other : other + " " + one;
    }
}
