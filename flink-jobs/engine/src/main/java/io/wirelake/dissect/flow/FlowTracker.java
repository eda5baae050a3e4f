package io.wirelake.dissect.flow;

import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.dissect.enrich.Enrichment;
import io.wirelake.dissect.protocol.Detection;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.Protocol;
import io.wirelake.dissect.protocol.ProtocolDetector;
import io.wirelake.dissect.protocol.ProtocolRegistry;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.rows.Rows;
import io.wirelake.dissect.scan.ScanReport;
import io.wirelake.packets.decode.DecodedPacket;
import org.apache.avro.generic.GenericData;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.wirelake.packets.decode.DecodedPacket.ACK;
import static io.wirelake.packets.decode.DecodedPacket.FIN;
import static io.wirelake.packets.decode.DecodedPacket.RST;
import static io.wirelake.packets.decode.DecodedPacket.SYN;
import static java.util.Objects.requireNonNull;

/**
 * Keeps the flow table of one scan (a node's captures in time order) and drives everything that
 * happens per packet: flow lookup and creation, TCP state and reassembly, protocol detection,
 * dissection, and the flows rows when flows end. A flow is not a 5-tuple: it ends on FIN/RST
 * (after a short delay for stragglers), on a new SYN after that (port reuse), or after an idle gap.
 */
public final class FlowTracker
{
    /** Bytes a side may send before detection gives up on the connection. */
    static final int MAX_DETECTION_BYTES = 2048;
    /** Segments after which a connection whose start was not recognised stops being probed. */
    static final int MAX_DETECTION_ATTEMPTS = 16;
    private static final int MAX_RESOLUTIONS = 1_000_000;
    private static final long SWEEP_INTERVAL_MICROS = 10_000_000L;
    /** Payload kept for a row of traffic no dissector claimed. */
    static final int UNCLAIMED_PAYLOAD_BYTES = 1024;

    /** Where rows go. */
    public interface RowSink
    {
        void apiCall(GenericData.Record row);

        void flow(GenericData.Record row);
    }

    /**
     * @param nodeName the node whose capture this is ({@code node_id}, {@code node_name})
     * @param worker the task name ({@code worker})
     * @param captureSource {@code unspecified}, {@code af_packet}, {@code ebpf} or {@code ebpf_tls}
     * @param idBase added to every row and flow id, so scans of one job never collide
     */
    public record Settings(String nodeName, String nodeIp, String worker, String captureSource, long idBase, int bodyCap,
            long tcpIdleMicros, long udpIdleMicros, long closeDelayMicros)
            implements java.io.Serializable
    {
        public Settings
        {
            requireNonNull(nodeName, "nodeName is null");
            requireNonNull(nodeIp, "nodeIp is null");
            requireNonNull(worker, "worker is null");
            requireNonNull(captureSource, "captureSource is null");
        }

        public static Settings defaults(String nodeName, long idBase)
        {
            return new Settings(nodeName, "", "local", "unspecified", idBase, 64 * 1024, 300_000_000L, 60_000_000L, 5_000_000L);
        }

        public Settings withWorker(String worker)
        {
            return new Settings(nodeName, nodeIp, worker, captureSource, idBase, bodyCap, tcpIdleMicros, udpIdleMicros, closeDelayMicros);
        }

        public Settings forUnit(String nodeName, long idBase)
        {
            return new Settings(nodeName, nodeIp, worker, captureSource, idBase, bodyCap, tcpIdleMicros, udpIdleMicros, closeDelayMicros);
        }

        public Settings withBodyCap(int bodyCap)
        {
            return new Settings(nodeName, nodeIp, worker, captureSource, idBase, bodyCap, tcpIdleMicros, udpIdleMicros, closeDelayMicros);
        }

        public Settings withCaptureSource(String captureSource)
        {
            return new Settings(nodeName, nodeIp, worker, captureSource, idBase, bodyCap, tcpIdleMicros, udpIdleMicros, closeDelayMicros);
        }
    }

    private final ProtocolRegistry registry;
    private final Settings settings;
    private final RowSink sink;
    private final ScanReport report;
    private final DissectorGuard guard;
    private final FlowTable table = new FlowTable();
    private final Map<String, String> resolutions = new HashMap<>();
    private final TableSchema calls = TableSchema.of(Table.API_CALLS);
    private final TableSchema flows = TableSchema.of(Table.FLOWS);
    private final Map<String, Integer> captureSourceCodes = Map.of("unspecified", 0, "af_packet", 1, "ebpf", 2, "ebpf_tls", 3);
    private Enrichment enrichment = Enrichment.none();
    private long nextFlowId;
    private long nextCallId;
    /** State shared by the dissectors of every flow of this scan (see {@link DissectionContext#scanState}). */
    private final Map<Class<?>, Object> scanStates = new HashMap<>();
    private long lastSweep;
    private long lastTimestamp;

    public FlowTracker(ProtocolRegistry registry, Settings settings, RowSink sink, ScanReport report)
    {
        this.registry = requireNonNull(registry, "registry is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.sink = requireNonNull(sink, "sink is null");
        this.report = requireNonNull(report, "report is null");
        this.guard = new DissectorGuard(report);
    }

    /** Kubernetes context and cross-node de-duplication for this scan (none by default). */
    public void enrich(Enrichment enrichment)
    {
        this.enrichment = requireNonNull(enrichment, "enrichment is null");
    }

    /** One decoded packet ({@link io.wirelake.packets.decode.DecodeStatus#DECODED} or OTHER_TRANSPORT). */
    public void packet(DecodedPacket packet)
    {
        long now = packet.timestampMicros;
        lastTimestamp = Math.max(lastTimestamp, now);
        if (now - lastSweep > SWEEP_INTERVAL_MICROS) {
            sweep(now);
        }
        int hash = FlowTable.hash(packet.transport, packet.sourceHigh, packet.sourceLow, packet.sourcePort,
                packet.destinationHigh, packet.destinationLow, packet.destinationPort);
        Flow flow = table.find(hash, packet.transport, packet.sourceHigh, packet.sourceLow, packet.sourcePort,
                packet.destinationHigh, packet.destinationLow, packet.destinationPort);
        long groupId = -1;
        if (flow != null && endsBefore(flow, packet)) {
            groupId = flow.groupId;
            table.remove(flow);
            finish(flow, flow.lastSeen);
            flow = null;
        }
        if (flow == null) {
            flow = open(packet, hash, groupId);
        }
        boolean fromClient = flow.direction(packet.transport, packet.sourceHigh, packet.sourceLow, packet.sourcePort,
                packet.destinationHigh, packet.destinationLow, packet.destinationPort) > 0;
        flow.lastSeen = Math.max(flow.lastSeen, now);
        if (flow.duplicate) {
            report.increment("dedup.packets_kept_by_other_node");
            return;
        }
        if (fromClient) {
            flow.clientPackets++;
            flow.clientBytes += packet.ipLength;
            flow.clientPayloadBytes += packet.wirePayloadLength;
        }
        else {
            flow.serverPackets++;
            flow.serverBytes += packet.ipLength;
            flow.serverPayloadBytes += packet.wirePayloadLength;
        }
        if (packet.anomaly != null) {
            anomaly(flow, packet.anomaly);
        }
        switch (packet.transport) {
            case DecodedPacket.TCP -> tcp(flow, packet, fromClient);
            case DecodedPacket.UDP -> udp(flow, packet, fromClient);
            case DecodedPacket.ICMP, DecodedPacket.ICMPV6 -> {
                if (flow.firstIcmpType < 0) {
                    flow.firstIcmpType = packet.icmpType;
                    flow.firstIcmpCode = packet.icmpCode;
                    flow.firstIcmpLength = packet.wirePayloadLength;
                }
            }
            case DecodedPacket.SCTP -> {
                if (flow.firstSctpChunkType < 0 && packet.payloadLength >= 4) {
                    flow.firstSctpChunkType = packet.sctpFirstChunkType;
                    flow.firstSctpChunkLength = packet.sctpFirstChunkLength;
                    flow.firstSctpChecksum = packet.sctpChecksum;
                }
                sctp(flow, packet, fromClient);
            }
            default -> {
            }
        }
    }

    /** Keeps the first payload of a flow no dissector has claimed yet, for its unclaimed-traffic row. */
    private void keepFirstPayload(Flow flow, DecodedPacket packet)
    {
        if (flow.firstPayload == null && packet.payloadLength > 0) {
            int length = Math.min(packet.payloadLength, Math.min(settings.bodyCap(), UNCLAIMED_PAYLOAD_BYTES));
            flow.firstPayload = java.util.Arrays.copyOfRange(packet.data, packet.payloadOffset, packet.payloadOffset + length);
        }
    }

    /** Whether the packet cannot belong to the flow found for its endpoints (port reuse, idle gap, closed long ago). */
    private boolean endsBefore(Flow flow, DecodedPacket packet)
    {
        long now = packet.timestampMicros;
        long idle = flow.transport == DecodedPacket.TCP ? settings.tcpIdleMicros() : settings.udpIdleMicros();
        if (now - flow.lastSeen > idle) {
            return true;
        }
        if (flow.transport != DecodedPacket.TCP) {
            return false;
        }
        boolean newSyn = (packet.tcpFlags & (SYN | ACK)) == SYN;
        boolean sameConnection = packet.sequence == flow.synSequence || (flow.clientStream != null && flow.clientStream.openedBy(packet.sequence));
        if (newSyn && (flow.closed() || flow.clientFin || flow.serverFin) && !sameConnection) {
            return true;
        }
        return flow.closed() && now - flow.closedAt > settings.closeDelayMicros() && (packet.tcpFlags & SYN) != 0 && !sameConnection;
    }

    private Flow open(DecodedPacket packet, int hash, long groupId)
    {
        boolean sourceIsClient;
        boolean midstream = false;
        if (packet.transport == DecodedPacket.TCP) {
            if ((packet.tcpFlags & (SYN | ACK)) == SYN) {
                sourceIsClient = true;
            }
            else if ((packet.tcpFlags & (SYN | ACK)) == (SYN | ACK)) {
                sourceIsClient = false;
            }
            else {
                midstream = true;
                sourceIsClient = !looksLikeServerPort(packet.sourcePort, packet.destinationPort, packet.transport);
            }
        }
        else {
            sourceIsClient = !looksLikeServerPort(packet.sourcePort, packet.destinationPort, packet.transport);
        }
        long id = settings.idBase() + ++nextFlowId;
        Flow flow = sourceIsClient
                ? new Flow(packet.transport, packet.ipVersion, packet.sourceHigh, packet.sourceLow, packet.sourcePort,
                        packet.destinationHigh, packet.destinationLow, packet.destinationPort, hash, id, groupId >= 0 ? groupId : id, packet.timestampMicros, midstream)
                : new Flow(packet.transport, packet.ipVersion, packet.destinationHigh, packet.destinationLow, packet.destinationPort,
                        packet.sourceHigh, packet.sourceLow, packet.sourcePort, hash, id, groupId >= 0 ? groupId : id, packet.timestampMicros, midstream);
        flow.detecting = registry.anyFor(packet.transport);
        if (!enrichment.keeps(flow.clientAddress(), flow.serverAddress(), packet.timestampMicros)) {
            flow.duplicate = true;
            report.increment("dedup.flows_kept_by_other_node");
        }
        table.add(flow);
        report.increment("flows." + transportName(packet.transport));
        return flow;
    }

    /** Without a handshake, the side on a well-known or registered service port is the server. */
    private boolean looksLikeServerPort(int sourcePort, int destinationPort, int transport)
    {
        boolean sourceHinted = isServicePort(sourcePort, transport);
        boolean destinationHinted = isServicePort(destinationPort, transport);
        if (sourceHinted != destinationHinted) {
            return sourceHinted;
        }
        return sourcePort < destinationPort && sourcePort < 1024;
    }

    private boolean isServicePort(int port, int transport)
    {
        if (port == 0) {
            return false;
        }
        for (ProtocolDetector detector : registry.candidates(transport, port, 0)) {
            if (detector.hintsPort(port)) {
                return true;
            }
        }
        return port < 1024;
    }

    private void tcp(Flow flow, DecodedPacket packet, boolean fromClient)
    {
        int flags = packet.tcpFlags;
        long now = packet.timestampMicros;
        if (flow.clientStream == null) {
            FlowContext context = new FlowContext(flow);
            flow.clientStream = new TcpStream(context.consumer(true));
            flow.serverStream = new TcpStream(context.consumer(false));
        }
        TcpStream stream = fromClient ? flow.clientStream : flow.serverStream;
        if (flow.insights == null) {
            flow.insights = new TcpInsights();
        }
        flow.insights.packet(packet, fromClient);
        if ((flags & SYN) != 0) {
            if (fromClient && (flags & ACK) == 0) {
                if (flow.synTime < 0) {
                    flow.synTime = now;
                    flow.synSequence = packet.sequence;
                }
                else {
                    stream.retransmissions++;
                }
            }
            else if (!fromClient && (flags & ACK) != 0) {
                if (flow.synAckTime < 0) {
                    flow.synAckTime = now;
                }
                else {
                    stream.retransmissions++;
                }
            }
            stream.synchronize(packet.sequence);
        }
        else if (fromClient && (flags & ACK) != 0 && !flow.established && flow.synAckTime >= 0) {
            flow.established = true;
            if (flow.synTime >= 0) {
                flow.handshakeRtt = now - flow.synTime;
            }
        }
        if ((flags & RST) != 0) {
            flow.resetCount++;
            flow.reset = true;
            if (flow.closedAt < 0) {
                flow.closedAt = now;
            }
        }
        if ((flags & FIN) != 0) {
            flow.finCount++;
            if (fromClient) {
                flow.clientFin = true;
            }
            else {
                flow.serverFin = true;
            }
            if (flow.clientFin && flow.serverFin && flow.closedAt < 0) {
                flow.closedAt = now;
            }
        }
        if (flow.detecting && fromClient) {
            keepFirstPayload(flow, packet);
        }
        if ((flags & SYN) == 0 && (packet.wirePayloadLength > 0 || (flags & FIN) != 0)) {
            stream.segment(packet.sequence, packet.data, packet.payloadOffset, packet.payloadLength, packet.wirePayloadLength, (flags & FIN) != 0, now);
        }
    }

    /** Diameter's SCTP payload protocol identifier (RFC 4960 registry) and port. */
    private static final long DIAMETER_PPID = 46;
    private static final int DIAMETER_PORT = 3868;

    /** SCTP associations: user messages reassembled from DATA chunks; Diameter messages go to its dissector. */
    private void sctp(Flow flow, DecodedPacket packet, boolean fromClient)
    {
        if (flow.sctp == null) {
            FlowContext context = new FlowContext(flow);
            flow.sctp = new SctpReassembler(new SctpReassembler.Consumer()
            {
                @Override
                public void message(boolean client, int streamId, long payloadProtocol, byte[] data, long timestampMicros)
                {
                    boolean diameter = payloadProtocol == DIAMETER_PPID || (payloadProtocol == 0 && (flow.serverPort == DIAMETER_PORT || flow.clientPort == DIAMETER_PORT));
                    if (!diameter) {
                        return;
                    }
                    if (flow.sctpDissector == null) {
                        flow.sctpDissector = registry.byName("Diameter")
                                .map(detector -> guard.stream(detector.name(), context, detector.newStreamDissector(context))).orElse(null);
                        if (flow.sctpDissector == null) {
                            return;
                        }
                        flow.l7Protocols.add("Diameter");
                    }
                    flow.sctpDissector.data(client, data, 0, data.length, timestampMicros);
                }

                @Override
                public void anomaly(String name)
                {
                    FlowTracker.this.anomaly(flow, name);
                }
            });
        }
        if (packet.payloadLength > 0) {
            flow.sctp.packet(fromClient, packet.data, packet.payloadOffset, packet.payloadLength, packet.timestampMicros);
        }
    }

    private void udp(Flow flow, DecodedPacket packet, boolean fromClient)
    {
        if (flow.firstUdpLength < 0) {
            flow.firstUdpLength = packet.udpLength;
            flow.firstUdpChecksum = packet.udpChecksum;
            keepFirstPayload(flow, packet);
        }
        if (flow.detecting) {
            FlowContext context = new FlowContext(flow);
            for (ProtocolDetector detector : registry.candidates(DecodedPacket.UDP, flow.serverPort, flow.clientPort)) {
                if (guard.detect(detector, context, fromClient, packet.data, packet.payloadOffset, packet.payloadLength, flow.serverPort) == Detection.MATCH) {
                    flow.datagramDissector = guard.datagram(detector.name(), context, detector.newDatagramDissector(context));
                    flow.l7Protocols.add(detector.name());
                    break;
                }
            }
            if (flow.datagramDissector != null || ++flow.detectionAttempts >= MAX_DETECTION_ATTEMPTS) {
                flow.detecting = false;
            }
        }
        if (flow.datagramDissector != null) {
            flow.datagramDissector.datagram(fromClient, packet.data, packet.payloadOffset, packet.payloadLength, packet.wirePayloadLength, packet.timestampMicros);
        }
    }

    /** In-order bytes of one side of a TCP connection. */
    private void streamData(Flow flow, FlowContext context, boolean fromClient, byte[] data, int offset, int length, long timestampMicros)
    {
        if (flow.streamDissector != null) {
            flow.streamDissector.data(fromClient, data, offset, length, timestampMicros);
            return;
        }
        if (!flow.detecting) {
            return;
        }
        if (flow.detectionChunks == null) {
            flow.detectionChunks = new ArrayList<>(4);
        }
        byte[] copy = new byte[length];
        System.arraycopy(data, offset, copy, 0, length);
        flow.detectionChunks.add(new Flow.Chunk(fromClient, copy, timestampMicros));
        byte[] side = sideBytes(flow.detectionChunks, fromClient);
        boolean undecided = false;
        for (ProtocolDetector detector : registry.candidates(DecodedPacket.TCP, flow.serverPort, flow.clientPort)) {
            Detection verdict = guard.detect(detector, context, fromClient, side, 0, side.length, flow.serverPort);
            if (verdict == Detection.MATCH) {
                bind(flow, context, detector);
                return;
            }
            undecided |= verdict == Detection.NEED_MORE;
        }
        if (undecided && side.length < MAX_DETECTION_BYTES) {
            return;
        }
        // Not recognised from here: a mid-stream capture may start inside a message, so probe
        // again at the next segment boundaries before giving up.
        flow.detectionChunks = null;
        if (++flow.detectionAttempts >= MAX_DETECTION_ATTEMPTS) {
            flow.detecting = false;
            report.increment("tcp.connections_without_l7_protocol");
        }
    }

    private void bind(Flow flow, FlowContext context, ProtocolDetector detector)
    {
        flow.streamDissector = guard.stream(detector.name(), context, detector.newStreamDissector(context));
        flow.l7Protocols.add(detector.name());
        flow.detecting = false;
        List<Flow.Chunk> chunks = flow.detectionChunks;
        flow.detectionChunks = null;
        for (Flow.Chunk chunk : chunks) {
            flow.streamDissector.data(chunk.fromClient(), chunk.data(), 0, chunk.data().length, chunk.timestampMicros());
        }
    }

    private static byte[] sideBytes(List<Flow.Chunk> chunks, boolean fromClient)
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Flow.Chunk chunk : chunks) {
            if (chunk.fromClient() == fromClient) {
                bytes.write(chunk.data(), 0, chunk.data().length);
            }
        }
        return bytes.toByteArray();
    }

    private void streamGap(Flow flow, boolean fromClient, long bytes, long timestampMicros)
    {
        report.increment("tcp.gaps");
        if (flow.streamDissector != null) {
            flow.streamDissector.gap(fromClient, bytes, timestampMicros);
        }
        else if (flow.detectionChunks != null) {
            flow.detectionChunks.removeIf(chunk -> chunk.fromClient() == fromClient);
        }
    }

    private void sweep(long now)
    {
        lastSweep = now;
        List<Flow> expired = table.removeIf(flow -> {
            long idle = flow.transport == DecodedPacket.TCP ? settings.tcpIdleMicros() : settings.udpIdleMicros();
            return now - flow.lastSeen > idle || (flow.closed() && now - flow.closedAt > settings.closeDelayMicros());
        });
        expired.sort(java.util.Comparator.comparingLong(flow -> flow.id));
        for (Flow flow : expired) {
            finish(flow, flow.lastSeen);
        }
    }

    /** End of the scan: every flow still in the table ends here. */
    public void finish()
    {
        List<Flow> remaining = table.removeIf(flow -> true);
        remaining.sort(java.util.Comparator.comparingLong(flow -> flow.id));
        for (Flow flow : remaining) {
            finish(flow, lastTimestamp);
        }
    }

    private void finish(Flow flow, long timestampMicros)
    {
        if (flow.duplicate) {
            return;
        }
        if (flow.clientStream != null) {
            flow.clientStream.finish(timestampMicros);
            flow.serverStream.finish(timestampMicros);
        }
        if (flow.streamDissector != null) {
            flow.streamDissector.end(timestampMicros);
        }
        if (flow.datagramDissector != null) {
            flow.datagramDissector.end(timestampMicros);
        }
        if (flow.sctpDissector != null) {
            flow.sctpDissector.end(timestampMicros);
        }
        if (flow.detectionChunks != null) {
            flow.detectionChunks = null;
        }
        // A flow no dissector claimed, or one whose dissector could make nothing of it (lost
        // bytes, malformed input), still gets a row: no traffic is invisible.
        if (flow.l7Protocols.isEmpty() || flow.callIndex == 0) {
            unclaimed(flow);
        }
        sink.flow(flowRow(flow));
    }

    /**
     * No traffic is invisible: a flow no dissector claimed still gets one api_calls row with its
     * transport's fields (the first payload, the first ICMP message, the first SCTP chunk).
     */
    private void unclaimed(Flow flow)
    {
        FlowContext context = new FlowContext(flow);
        switch (flow.transport) {
            case DecodedPacket.TCP -> {
                if (flow.clientPayloadBytes + flow.serverPayloadBytes == 0 && !flow.reset) {
                    return;
                }
                Rows rows = new Rows(calls, context.newCall(TransportProtocols.TCP, flow.firstSeen));
                if (flow.firstPayload != null) {
                    rows.set(Columns.TCP_PAYLOAD, flow.firstPayload);
                    rows.set(Columns.TCP_METHOD, TransportProtocols.textCommand(flow.firstPayload));
                }
                if (flow.reset) {
                    rows.set(Columns.TCP_ERROR_TYPE, "reset");
                    rows.set(Columns.TCP_ERROR_MESSAGE, "the connection was reset" + (flow.established || flow.midstream ? "" : " before it was established"));
                }
                else if (flow.clientStream != null && flow.clientStream.gaps + flow.serverStream.gaps > 0) {
                    rows.set(Columns.TCP_ERROR_TYPE, "missing_data");
                    rows.set(Columns.TCP_ERROR_MESSAGE, (flow.clientStream.missingBytes + flow.serverStream.missingBytes) + " bytes were not captured");
                }
                rows.set(Columns.ELAPSED_TIME, flow.lastSeen - flow.firstSeen);
                context.emit(rows.record());
            }
            case DecodedPacket.UDP -> {
                Rows rows = new Rows(calls, context.newCall(TransportProtocols.UDP, flow.firstSeen));
                rows.set(Columns.UDP_LENGTH, (long) Math.max(0, flow.firstUdpLength));
                rows.set(Columns.UDP_CHECKSUM, (long) flow.firstUdpChecksum);
                if (flow.firstPayload != null) {
                    rows.set(Columns.UDP_PAYLOAD, flow.firstPayload);
                }
                rows.set(Columns.ELAPSED_TIME, flow.lastSeen - flow.firstSeen);
                context.emit(rows.record());
            }
            case DecodedPacket.ICMP, DecodedPacket.ICMPV6 -> {
                if (flow.firstIcmpType < 0) {
                    return;
                }
                Rows rows = new Rows(calls, context.newCall(TransportProtocols.ICMP, flow.firstSeen));
                rows.set(Columns.ICMP_TYPE, TransportProtocols.icmpTypeName(flow.ipVersion, flow.firstIcmpType, flow.firstIcmpCode));
                rows.set(Columns.ICMP_VERSION, (long) flow.ipVersion);
                rows.set(Columns.ICMP_LENGTH, (long) flow.firstIcmpLength);
                context.emit(rows.record());
            }
            case DecodedPacket.SCTP -> {
                Rows rows = new Rows(calls, context.newCall(TransportProtocols.SCTP, flow.firstSeen));
                if (flow.firstSctpChunkType >= 0) {
                    rows.set(Columns.SCTP_CHUNK_TYPE, TransportProtocols.sctpChunkName(flow.firstSctpChunkType));
                    rows.set(Columns.SCTP_LENGTH, (long) flow.firstSctpChunkLength);
                    rows.set(Columns.SCTP_CHECKSUM, flow.firstSctpChecksum & 0xFFFFFFFFL);
                }
                context.emit(rows.record());
            }
            default -> {
            }
        }
    }

    private GenericData.Record flowRow(Flow flow)
    {
        GenericData.Record row = flows.newRow();
        Rows rows = new Rows(flows, row);
        common(rows, flow);
        rows.set(Columns.PROTOCOL, transportName(flow.transport));
        rows.set(Columns.ID, flow.id);
        rows.set(Columns.TIMESTAMP_COLUMN, flow.firstSeen);
        long duration = flow.lastSeen - flow.firstSeen;
        rows.set(Columns.ELAPSED_TIME, duration);
        rows.set(Columns.FLOW_END, flow.lastSeen);
        rows.set(Columns.CONN, true);
        rows.set(Columns.FLOW, true);
        boolean tcp = flow.transport == DecodedPacket.TCP;
        boolean udp = flow.transport == DecodedPacket.UDP;
        rows.set(Columns.TCP_CONN, tcp);
        rows.set(Columns.TCP_FLOW, tcp);
        rows.set(Columns.UDP_CONN, udp);
        rows.set(Columns.UDP_FLOW, udp);
        String state = flow.state(lastTimestamp, tcp ? settings.tcpIdleMicros() : settings.udpIdleMicros());
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
        rows.set(Columns.CONN_L7_DETECTED, new ArrayList<>(flow.l7Protocols));
        rows.set(Columns.FLOW_L7_DETECTED, new ArrayList<>(flow.l7Protocols));
        rows.set(Columns.CONN_GROUP_ID, flow.groupId);
        rows.set(Columns.FLOW_GROUP_ID, flow.groupId);
        rows.set(Columns.FLOW_LOCAL_PAYLOAD_BYTES, flow.clientStream != null ? flow.clientStream.delivered() : flow.clientPayloadBytes);
        rows.set(Columns.FLOW_REMOTE_PAYLOAD_BYTES, flow.serverStream != null ? flow.serverStream.delivered() : flow.serverPayloadBytes);
        if (tcp) {
            rows.set(Columns.TCP_HANDSHAKE_RTT, flow.handshakeRtt);
            rows.set(Columns.TCP_MIDSTREAM, flow.midstream);
            if (flow.clientStream != null) {
                rows.set(Columns.TCP_RETRANSMISSIONS, flow.clientStream.retransmissions + flow.serverStream.retransmissions);
                rows.set(Columns.TCP_OUT_OF_ORDER, flow.clientStream.outOfOrder + flow.serverStream.outOfOrder);
                rows.set(Columns.TCP_MISSING_BYTES, flow.clientStream.missingBytes + flow.serverStream.missingBytes);
                report.add("tcp.retransmissions", flow.clientStream.retransmissions + flow.serverStream.retransmissions);
            }
            rows.set(Columns.TCP_RST_COUNT, flow.resetCount);
            rows.set(Columns.TCP_FIN_COUNT, flow.finCount);
            TcpInsights insights = flow.insights;
            if (insights != null) {
                rows.set(Columns.TCP_SYN_ACK_TIME, flow.synTime >= 0 && flow.synAckTime >= flow.synTime ? flow.synAckTime - flow.synTime : 0L);
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
                long clientDelivered = flow.clientStream != null ? flow.clientStream.delivered() : flow.clientPayloadBytes;
                long serverDelivered = flow.serverStream != null ? flow.serverStream.delivered() : flow.serverPayloadBytes;
                rows.set(Columns.TCP_LOCAL_GOODPUT, clientDelivered * 1_000_000L / goodputSeconds);
                rows.set(Columns.TCP_REMOTE_GOODPUT, serverDelivered * 1_000_000L / goodputSeconds);
                report.add("tcp.dup_acks", insights.client.duplicateAcks + insights.server.duplicateAcks);
                report.add("tcp.zero_windows", insights.client.zeroWindows + insights.server.zeroWindows);
            }
        }
        if (flow.anomalies != null) {
            rows.set(Columns.ANOMALIES, new ArrayList<>(flow.anomalies));
        }
        return row;
    }

    /** The columns api_calls and flows rows share: endpoints, node, stream, capture source. */
    private void common(Rows rows, Flow flow)
    {
        rows.set(Columns.SRC_IP, flow.clientAddress());
        rows.set(Columns.DST_IP, flow.serverAddress());
        rows.set(Columns.SRC_PORT, (long) flow.clientPort);
        rows.set(Columns.DST_PORT, (long) flow.serverPort);
        rows.set(Columns.IP_VERSION, (long) flow.ipVersion);
        rows.set(Columns.TCP, flow.transport == DecodedPacket.TCP);
        rows.set(Columns.UDP, flow.transport == DecodedPacket.UDP);
        rows.set(Columns.SCTP, flow.transport == DecodedPacket.SCTP);
        rows.set(Columns.ICMP, flow.transport == DecodedPacket.ICMP || flow.transport == DecodedPacket.ICMPV6);
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
        rows.set(Columns.CAPTURE_SOURCE, source);
        rows.set(Columns.CAPTURE_BACKEND, source.startsWith("ebpf") ? "ebpf" : source.equals("af_packet") ? "af_packet" : "");
        rows.set(Columns.CAPTURE_SOURCE_CODE, (long) captureSourceCodes.getOrDefault(source, 0));
        rows.set(Columns.CAPTURE, Map.of("source", source, "backend", source.startsWith("ebpf") ? "ebpf" : source.equals("af_packet") ? "af_packet" : ""));
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

    private void anomaly(Flow flow, String name)
    {
        report.increment("anomaly." + name);
        flow.anomaly(name);
    }

    static String transportName(int transport)
    {
        return switch (transport) {
            case DecodedPacket.TCP -> "TCP";
            case DecodedPacket.UDP -> "UDP";
            case DecodedPacket.SCTP -> "SCTP";
            case DecodedPacket.ICMP, DecodedPacket.ICMPV6 -> "ICMP";
            default -> "IP";
        };
    }

    /** A flow's view for its dissectors. */
    private final class FlowContext
            implements DissectionContext
    {
        private final Flow flow;

        FlowContext(Flow flow)
        {
            this.flow = flow;
        }

        TcpStream.Consumer consumer(boolean fromClient)
        {
            return new TcpStream.Consumer()
            {
                @Override
                public void data(byte[] data, int offset, int length, long timestampMicros)
                {
                    streamData(flow, FlowContext.this, fromClient, data, offset, length, timestampMicros);
                }

                @Override
                public void gap(long bytes, long timestampMicros)
                {
                    streamGap(flow, fromClient, bytes, timestampMicros);
                }
            };
        }

        @Override
        public StreamDissector tunnel(String carrier)
        {
            FlowContext outer = this;
            DissectionContext inner = new DissectionContext()
            {
                @Override
                public GenericData.Record newCall(Protocol protocol, long timestampMicros)
                {
                    return outer.newCall(protocol, timestampMicros);
                }

                @Override
                public void emit(GenericData.Record row)
                {
                    outer.emit(row);
                }

                @Override
                public void anomaly(String name)
                {
                    outer.anomaly(name);
                }

                @Override
                public int bodyCap()
                {
                    return outer.bodyCap();
                }

                @Override
                public void resolved(String address, String name)
                {
                    outer.resolved(address, name);
                }

                @Override
                public <T> T scanState(Class<T> type, java.util.function.Supplier<T> create)
                {
                    return outer.scanState(type, create);
                }

                @Override
                public void upgrade(String protocol, long timestampMicros)
                {
                    // a tunnel's own protocol switches are not followed
                    outer.anomaly(carrier + ".tunnel_upgrade_not_followed");
                }
            };
            return new TunnelStream(registry, guard, inner, name -> flow.l7Protocols.add(name));
        }

        @Override
        public <T> T scanState(Class<T> type, java.util.function.Supplier<T> create)
        {
            return type.cast(scanStates.computeIfAbsent(type, key -> create.get()));
        }

        @Override
        public GenericData.Record newCall(Protocol protocol, long timestampMicros)
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

        @Override
        public void emit(GenericData.Record row)
        {
            report.increment("rows." + row.get(calls.position(Columns.PROTOCOL)));
            if (flow.anomalies != null) {
                Rows rows = new Rows(calls, row);
                flow.anomalies.forEach(anomaly -> rows.addDistinct(Columns.ANOMALIES, anomaly));
            }
            sink.apiCall(row);
        }

        @Override
        public void anomaly(String name)
        {
            FlowTracker.this.anomaly(flow, name);
        }

        @Override
        public int bodyCap()
        {
            return settings.bodyCap();
        }

        @Override
        public void resolved(String address, String name)
        {
            if (resolutions.size() < MAX_RESOLUTIONS || resolutions.containsKey(address)) {
                resolutions.put(address, name);
            }
        }

        @Override
        public void afterUpgrade(boolean fromClient, byte[] data, int offset, int length, long timestampMicros)
        {
            if (flow.streamDissector != null && length > 0) {
                flow.streamDissector.data(fromClient, data, offset, length, timestampMicros);
            }
        }

        @Override
        public void upgrade(String protocol, long timestampMicros, String method, String target, String host, long requestTimestampMicros)
        {
            upgrade(protocol, timestampMicros);
            if (flow.streamDissector != null) {
                flow.streamDissector.upgradedFrom(method, target, host, requestTimestampMicros);
            }
        }

        @Override
        public void upgrade(String protocol, long timestampMicros)
        {
            String name = switch (protocol) {
                case "websocket" -> "WebSocket";
                case "h2c" -> "HTTP/2";
                default -> protocol.toUpperCase(java.util.Locale.ROOT);
            };
            flow.l7Protocols.add(name);
            flow.streamDissector.end(timestampMicros);
            flow.streamDissector = registry.byName(name)
                    .map(detector -> guard.stream(detector.name(), this, detector.newStreamDissector(this)))
                    .orElse(null);
            if (flow.streamDissector == null) {
                report.increment("upgrades_not_dissected." + protocol);
            }
        }
    }
}
