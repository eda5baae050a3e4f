package io.wirelake.dissect.flow;

import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.dissect.enrich.Enrichment;
import io.wirelake.dissect.protocol.Protocol;
import io.wirelake.dissect.protocol.Transport;
import io.wirelake.dissect.rows.Rows;
import io.wirelake.dissect.scan.ScanReport;
import org.apache.avro.generic.GenericData;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Makes the rows of a scan's flows: a new {@code api_calls} row with the flow's columns for a
 * dissector to fill, and the {@code flows} row when a flow ends. Both share the columns of the
 * flow's endpoints, node, ids, capture source, Kubernetes context and DNS names.
 */
final class FlowRows
{
    /** Address-to-name resolutions remembered per scan. */
    static final int MAX_RESOLUTIONS = 1_000_000;
    private static final Map<String, Integer> CAPTURE_SOURCE_CODES = Map.of("unspecified", 0, "af_packet", 1, "ebpf", 2, "ebpf_tls", 3);

    private final FlowTracker.Settings settings;
    private final ScanReport report;
    private final TableSchema calls = TableSchema.of(Table.API_CALLS);
    private final TableSchema flows = TableSchema.of(Table.FLOWS);
    /** Names DNS answers gave addresses, for {@code src.dns} and {@code dst.dns}. */
    private final Map<String, String> resolutions = new HashMap<>();
    private Enrichment enrichment = Enrichment.none();
    private long nextCallId;

    FlowRows(FlowTracker.Settings settings, ScanReport report)
    {
        this.settings = requireNonNull(settings, "settings is null");
        this.report = requireNonNull(report, "report is null");
    }

    void enrich(Enrichment enrichment)
    {
        this.enrichment = requireNonNull(enrichment, "enrichment is null");
    }

    void resolved(String address, String name)
    {
        if (resolutions.size() < MAX_RESOLUTIONS || resolutions.containsKey(address)) {
            resolutions.put(address, name);
        }
    }

    /** Typed access to a flows row. */
    Rows flow(GenericData.Record row)
    {
        return new Rows(flows, row);
    }

    /** Typed access to an api_calls row. */
    Rows apiCall(GenericData.Record row)
    {
        return new Rows(calls, row);
    }

    /** A new api_calls row of the flow: its columns, a scan-wide id, its index in the flow, the protocol and the time. */
    GenericData.Record newCall(Flow flow, Protocol protocol, long timestampMicros)
    {
        GenericData.Record row = calls.newRow();
        Rows rows = new Rows(calls, row);
        common(rows, flow);
        rows.set(Columns.ID, settings.idBase() + ++nextCallId);
        rows.set(Columns.INDEX, flow.callIndex++);
        rows.set(Columns.PROTOCOL, protocol.displayName());
        rows.set(protocol.flag(), true);
        rows.set(Columns.TIMESTAMP_COLUMN, timestampMicros);
        return row;
    }

    /** The flows row of an ended flow; {@code captureEnd} is the last packet time of the scan so far. */
    GenericData.Record flowRow(Flow flow, long captureEnd)
    {
        GenericData.Record row = flows.newRow();
        Rows rows = new Rows(flows, row);
        common(rows, flow);
        rows.set(Columns.PROTOCOL, flow.transport.displayName());
        rows.set(Columns.ID, flow.id);
        rows.set(Columns.TIMESTAMP_COLUMN, flow.firstSeen);
        long duration = flow.lastSeen - flow.firstSeen;
        rows.set(Columns.ELAPSED_TIME, duration);
        rows.set(Columns.FLOW_END, flow.lastSeen);
        rows.set(Columns.CONN, true);
        rows.set(Columns.FLOW, true);
        boolean tcp = flow.transport == Transport.TCP;
        boolean udp = flow.transport == Transport.UDP;
        rows.set(Columns.TCP_CONN, tcp);
        rows.set(Columns.TCP_FLOW, tcp);
        rows.set(Columns.UDP_CONN, udp);
        rows.set(Columns.UDP_FLOW, udp);
        String state = flow.state(captureEnd, settings.idleMicros(flow.transport));
        rows.set(Columns.CONN_STATE, state);
        rows.set(Columns.FLOW_STATE, state);
        rows.set(Columns.CONN_LOCAL_PKTS, flow.clientPackets);
        rows.set(Columns.CONN_LOCAL_BYTES, flow.clientBytes);
        rows.set(Columns.CONN_REMOTE_PKTS, flow.serverPackets);
        rows.set(Columns.CONN_REMOTE_BYTES, flow.serverBytes);
        rows.set(Columns.FLOW_LOCAL_PKTS, flow.clientPackets);
        rows.set(Columns.FLOW_LOCAL_BYTES, flow.clientBytes);
        rows.set(Columns.FLOW_REMOTE_PKTS, flow.serverPackets);
        rows.set(Columns.FLOW_REMOTE_BYTES, flow.serverBytes);
        // Rates over the flow's duration, at least one second so a short flow's rate is its count.
        long seconds = Math.max(duration, 1_000_000L);
        rows.set(Columns.FLOW_LOCAL_PPS, flow.clientPackets * 1_000_000L / seconds);
        rows.set(Columns.FLOW_LOCAL_BPS, flow.clientBytes * 1_000_000L / seconds);
        rows.set(Columns.FLOW_REMOTE_PPS, flow.serverPackets * 1_000_000L / seconds);
        rows.set(Columns.FLOW_REMOTE_BPS, flow.serverBytes * 1_000_000L / seconds);
        rows.set(Columns.CONN_L7_DETECTED, new ArrayList<>(flow.protocols.protocols()));
        rows.set(Columns.FLOW_L7_DETECTED, new ArrayList<>(flow.protocols.protocols()));
        rows.set(Columns.CONN_GROUP_ID, flow.groupId);
        rows.set(Columns.FLOW_GROUP_ID, flow.groupId);
        TcpConnection connection = flow.tcp;
        long clientDelivered = connection != null ? connection.client.delivered() : flow.clientPayloadBytes;
        long serverDelivered = connection != null ? connection.server.delivered() : flow.serverPayloadBytes;
        rows.set(Columns.FLOW_LOCAL_PAYLOAD_BYTES, clientDelivered);
        rows.set(Columns.FLOW_REMOTE_PAYLOAD_BYTES, serverDelivered);
        if (tcp) {
            rows.set(Columns.TCP_MIDSTREAM, flow.midstream);
        }
        if (connection != null) {
            tcpColumns(rows, flow, connection, clientDelivered, serverDelivered);
        }
        rows.set(Columns.ICMP_ERRORS, flow.icmpErrors);
        if (!flow.icmpErrorTypes().isEmpty()) {
            rows.set(Columns.ICMP_ERROR_TYPES, new ArrayList<>(flow.icmpErrorTypes()));
        }
        if (!flow.anomalies().isEmpty()) {
            rows.set(Columns.ANOMALIES, new ArrayList<>(flow.anomalies()));
        }
        return row;
    }

    /** The TCP connection's columns of the flows row: handshake, reassembly and the insights. */
    private void tcpColumns(Rows rows, Flow flow, TcpConnection connection, long clientDelivered, long serverDelivered)
    {
        rows.set(Columns.TCP_HANDSHAKE_RTT, connection.handshakeRtt());
        TcpInsights insights = connection.insights;
        long retransmissions = insights.client.retransmissions + insights.server.retransmissions;
        rows.set(Columns.TCP_RETRANSMISSIONS, retransmissions);
        rows.set(Columns.TCP_OUT_OF_ORDER, insights.client.outOfOrder + insights.server.outOfOrder);
        rows.set(Columns.TCP_SPURIOUS_RETRANSMISSIONS, insights.client.spuriousRetransmissions + insights.server.spuriousRetransmissions);
        rows.set(Columns.TCP_LOST_SEGMENTS, insights.client.lostSegments + insights.server.lostSegments);
        rows.set(Columns.TCP_ACKED_UNSEEN, insights.client.ackedUnseen + insights.server.ackedUnseen);
        rows.set(Columns.TCP_WINDOW_UPDATES, insights.client.windowUpdates + insights.server.windowUpdates);
        rows.set(Columns.TCP_MISSING_BYTES, connection.missingBytes());
        report.add("tcp.retransmissions", retransmissions);
        rows.set(Columns.TCP_RST_COUNT, connection.resetCount());
        rows.set(Columns.TCP_FIN_COUNT, connection.finCount());
        rows.set(Columns.TCP_SYN_ACK_TIME, connection.synAckTime());
        rows.set(Columns.TCP_RTT_SAMPLES, insights.rttSamples);
        rows.set(Columns.TCP_RTT_MIN, insights.rttSamples == 0 ? 0L : insights.rttMin);
        rows.set(Columns.TCP_RTT_AVG, insights.rttSamples == 0 ? 0L : insights.rttSum / insights.rttSamples);
        rows.set(Columns.TCP_RTT_MAX, insights.rttMax);
        rows.set(Columns.TCP_RTT_JITTER, insights.jitterSamples == 0 ? 0L : insights.jitterSum / insights.jitterSamples);
        rows.set(Columns.TCP_FAST_RETRANSMISSIONS, insights.client.fastRetransmissions + insights.server.fastRetransmissions);
        rows.set(Columns.TCP_DUP_ACKS, insights.client.duplicateAcks + insights.server.duplicateAcks);
        rows.set(Columns.TCP_ZERO_WINDOWS, insights.client.zeroWindows + insights.server.zeroWindows);
        rows.set(Columns.TCP_WINDOW_FULL, insights.client.windowFull + insights.server.windowFull);
        rows.set(Columns.TCP_KEEPALIVES, insights.client.keepAlives + insights.server.keepAlives);
        rows.set(Columns.TCP_LOCAL_WINDOW_SCALE, (long) insights.windowScale(insights.client));
        rows.set(Columns.TCP_REMOTE_WINDOW_SCALE, (long) insights.windowScale(insights.server));
        rows.set(Columns.TCP_LOCAL_AVG_WINDOW, insights.averageWindow(insights.client));
        rows.set(Columns.TCP_REMOTE_AVG_WINDOW, insights.averageWindow(insights.server));
        rows.set(Columns.TCP_COMPLETENESS, (long) insights.completeness);
        rows.set(Columns.TCP_TIME_TO_FIRST_BYTE, insights.client.firstDataTime >= 0 && insights.server.firstDataTime >= insights.client.firstDataTime
                ? insights.server.firstDataTime - insights.client.firstDataTime : 0L);
        long goodputSeconds = Math.max(1, flow.lastSeen - flow.firstSeen);
        rows.set(Columns.TCP_LOCAL_GOODPUT, clientDelivered * 1_000_000L / goodputSeconds);
        rows.set(Columns.TCP_REMOTE_GOODPUT, serverDelivered * 1_000_000L / goodputSeconds);
        report.add("tcp.dup_acks", insights.client.duplicateAcks + insights.server.duplicateAcks);
        report.add("tcp.zero_windows", insights.client.zeroWindows + insights.server.zeroWindows);
    }

    /** The columns api_calls and flows rows share: endpoints, node, stream, capture source, Kubernetes context, DNS names. */
    private void common(Rows rows, Flow flow)
    {
        rows.set(Columns.SRC_IP, flow.clientAddress());
        rows.set(Columns.DST_IP, flow.serverAddress());
        rows.set(Columns.SRC_PORT, (long) flow.clientPort);
        rows.set(Columns.DST_PORT, (long) flow.serverPort);
        rows.set(Columns.IP_VERSION, (long) flow.ipVersion);
        rows.set(Columns.TCP, flow.transport == Transport.TCP);
        rows.set(Columns.UDP, flow.transport == Transport.UDP);
        rows.set(Columns.SCTP, flow.transport == Transport.SCTP);
        rows.set(Columns.ICMP, flow.transport == Transport.ICMP || flow.transport == Transport.ICMPV6);
        rows.set(Columns.NODE_ID, settings.nodeName());
        rows.set(Columns.NODE_NAME, settings.nodeName());
        rows.set(Columns.NODE_IP, settings.nodeIp());
        rows.set(Columns.NODE, Map.of("name", settings.nodeName(), "ip", settings.nodeIp()));
        rows.set(Columns.WORKER, settings.worker());
        rows.set(Columns.STREAM, Long.toHexString(flow.id));
        rows.set(Columns.CONN_ID, flow.id);
        rows.set(Columns.FLOW_ID, flow.id);
        rows.set(Columns.HAS_PCAP, true);
        String source = settings.captureSource();
        String backend = source.startsWith("ebpf") ? "ebpf" : source.equals("af_packet") ? "af_packet" : "";
        rows.set(Columns.CAPTURE_SOURCE, source);
        rows.set(Columns.CAPTURE_BACKEND, backend);
        rows.set(Columns.CAPTURE_SOURCE_CODE, (long) CAPTURE_SOURCE_CODES.getOrDefault(source, 0));
        rows.set(Columns.CAPTURE, Map.of("source", source, "backend", backend));
        // Without Kubernetes metadata (plain dissect) no peer resolves: no_node_mapping.
        enrichment.fill(rows, flow.clientAddress(), flow.serverAddress(), flow.firstSeen);
        String sourceName = resolutions.get(flow.clientAddress());
        String destinationName = resolutions.get(flow.serverAddress());
        List<String> names = new ArrayList<>(2);
        if (sourceName != null) {
            rows.set(Columns.SRC_DNS, sourceName);
            names.add(sourceName);
        }
        if (destinationName != null) {
            rows.set(Columns.DST_DNS, destinationName);
            if (!names.contains(destinationName)) {
                names.add(destinationName);
            }
        }
        if (!names.isEmpty()) {
            rows.set(Columns.DNS_RESOLUTIONS, names);
        }
    }
}
