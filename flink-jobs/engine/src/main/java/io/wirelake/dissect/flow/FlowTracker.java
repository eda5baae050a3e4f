package io.wirelake.dissect.flow;

import io.wirelake.dissect.enrich.Enrichment;
import io.wirelake.dissect.protocol.ProtocolDetector;
import io.wirelake.dissect.protocol.ProtocolRegistry;
import io.wirelake.dissect.protocol.Transport;
import io.wirelake.dissect.redact.Redaction;
import io.wirelake.dissect.redact.Redactor;
import io.wirelake.dissect.scan.ScanReport;
import io.wirelake.packets.decode.DecodedPacket;
import org.apache.avro.generic.GenericData;

import java.util.Comparator;
import java.util.List;

import static io.wirelake.packets.decode.DecodedPacket.ACK;
import static io.wirelake.packets.decode.DecodedPacket.SYN;
import static java.util.Objects.requireNonNull;

/**
 * The flow table of one scan (a node's captures in time order) and the life of its flows: each
 * packet finds its flow or opens one (which side is the client), counts toward it, and goes to
 * its transport's handling; flows end, and their rows are made, on FIN/RST (after a short delay
 * for stragglers), on a new SYN after that (port reuse), after an idle gap, or at the end of the
 * scan. A flow is not a 5-tuple. What happens inside a flow is its parts' business: the TCP
 * state ({@link TcpConnection}), the protocol and its dissector ({@link ProtocolBinding}), the
 * rows ({@link FlowRows}, {@link UnclaimedRows}).
 */
public final class FlowTracker
{
    private static final long SWEEP_INTERVAL_MICROS = 10_000_000L;
    /** How far past its end a slice reads at least, for packets slightly out of time order. */
    private static final long SLICE_SETTLE_MICROS = SWEEP_INTERVAL_MICROS;

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
     * @param protocols the protocols to detect, by {@link ProtocolRegistry#selectable()} name (Kubeshark's
     *        {@code tap.enabledDissectors}); empty for all. Flows of the others stay flows (and unclaimed rows).
     */
    public record Settings(String nodeName, String nodeIp, String worker, String captureSource, long idBase, int bodyCap,
            long tcpIdleMicros, long udpIdleMicros, long closeDelayMicros, List<String> protocols, ScanLimits limits, Redaction redaction)
            implements java.io.Serializable
    {
        public Settings
        {
            requireNonNull(nodeName, "nodeName is null");
            requireNonNull(nodeIp, "nodeIp is null");
            requireNonNull(worker, "worker is null");
            requireNonNull(captureSource, "captureSource is null");
            protocols = List.copyOf(requireNonNull(protocols, "protocols is null"));
            requireNonNull(limits, "limits is null");
            requireNonNull(redaction, "redaction is null");
        }

        public static Settings defaults(String nodeName, long idBase)
        {
            return new Settings(nodeName, "", "local", "unspecified", idBase, 64 * 1024, 300_000_000L, 60_000_000L, 5_000_000L, List.of(), ScanLimits.FROM_HEAP,
                    Redaction.DEFAULTS_WITHOUT_KEY);
        }

        public Settings withWorker(String worker)
        {
            return new Settings(nodeName, nodeIp, worker, captureSource, idBase, bodyCap, tcpIdleMicros, udpIdleMicros, closeDelayMicros, protocols, limits, redaction);
        }

        public Settings forUnit(String nodeName, long idBase)
        {
            return new Settings(nodeName, nodeIp, worker, captureSource, idBase, bodyCap, tcpIdleMicros, udpIdleMicros, closeDelayMicros, protocols, limits, redaction);
        }

        public Settings withBodyCap(int bodyCap)
        {
            return new Settings(nodeName, nodeIp, worker, captureSource, idBase, bodyCap, tcpIdleMicros, udpIdleMicros, closeDelayMicros, protocols, limits, redaction);
        }

        public Settings withCaptureSource(String captureSource)
        {
            return new Settings(nodeName, nodeIp, worker, captureSource, idBase, bodyCap, tcpIdleMicros, udpIdleMicros, closeDelayMicros, protocols, limits, redaction);
        }

        /** Only these protocols detected (checked against the registry); empty for all. */
        public Settings withProtocols(List<String> enabled)
        {
            ProtocolRegistry.standard().only(enabled);
            return new Settings(nodeName, nodeIp, worker, captureSource, idBase, bodyCap, tcpIdleMicros, udpIdleMicros, closeDelayMicros, enabled, limits, redaction);
        }

        public Settings withLimits(ScanLimits limits)
        {
            return new Settings(nodeName, nodeIp, worker, captureSource, idBase, bodyCap, tcpIdleMicros, udpIdleMicros, closeDelayMicros, protocols, limits, redaction);
        }

        /** What is redacted before rows are written (the default rules without a key unless set). */
        public Settings withRedaction(Redaction redaction)
        {
            return new Settings(nodeName, nodeIp, worker, captureSource, idBase, bodyCap, tcpIdleMicros, udpIdleMicros, closeDelayMicros, protocols, limits, redaction);
        }

        /** The capture-time gap after which a flow of this transport has ended. */
        public long idleMicros(Transport transport)
        {
            return switch (transport) {
                case TCP -> tcpIdleMicros;
                case UDP, SCTP, ICMP, ICMPV6, OTHER -> udpIdleMicros;
            };
        }
    }

    private final ScanScope scope;
    /**
     * Where the flows of a slice's lookback are dissected: the scan's rows builder (the names DNS
     * answers give addresses) and the state dissectors share across flows (Kafka topic ids), but
     * rows and counters of its own, which are dropped.
     */
    private final ScanScope lookbackScope;
    private final FlowTable table = new FlowTable();
    private final IcmpMessages icmp;
    private final FlowAges ages = new FlowAges();
    private final long maxFlows;
    private final HeldBytes heldBytes;
    private Enrichment enrichment = Enrichment.none();
    private long nextFlowId;
    private long lastSweep = Long.MIN_VALUE;
    private long lastTimestamp;
    private long sliceStart = Long.MIN_VALUE;
    private long sliceEnd = Long.MAX_VALUE;
    /** This slice's flows not yet ended. */
    private long ownOpen;

    public FlowTracker(ProtocolRegistry registry, Settings settings, RowSink sink, ScanReport report)
    {
        this.scope = ScanScope.of(requireNonNull(registry, "registry is null"), requireNonNull(settings, "settings is null"),
                requireNonNull(sink, "sink is null"), requireNonNull(report, "report is null"));
        ScanReport dropped = new ScanReport();
        this.lookbackScope = new ScanScope(settings, dropped, new RowSink()
        {
            @Override
            public void apiCall(GenericData.Record row) {}

            @Override
            public void flow(GenericData.Record row) {}
        }, registry, new DissectorGuard(dropped), scope.rows(), new Redactor(settings.redaction(), dropped), scope.scanStates());
        this.icmp = new IcmpMessages(scope.rows(), (transport, sourceHigh, sourceLow, sourcePort, destinationHigh, destinationLow, destinationPort) ->
                table.find(table.hash(transport, sourceHigh, sourceLow, sourcePort, destinationHigh, destinationLow, destinationPort), transport,
                        sourceHigh, sourceLow, sourcePort, destinationHigh, destinationLow, destinationPort));
        this.maxFlows = settings.limits().flows();
        this.heldBytes = new HeldBytes(settings.limits().heldBytes());
    }

    /** Kubernetes context and cross-node de-duplication for this scan (none by default). */
    public void enrich(Enrichment enrichment)
    {
        this.enrichment = requireNonNull(enrichment, "enrichment is null");
        scope.rows().enrich(enrichment);
    }

    /**
     * Makes this scan one time slice of a node's captures: its rows are those of the flows that
     * start in [start, end). Packets before {@code start} (the lookback the scanner reads) open
     * flows that are only tracked, so the slice knows when they end and skips their later
     * packets; packets after {@code end} only continue the slice's own flows. The table's sweeps
     * fall on fixed multiples of capture time, so every slice ends flows where an unsliced scan does.
     */
    public void slice(long start, long end)
    {
        this.sliceStart = start;
        this.sliceEnd = end;
    }

    /** Whether the packet time is in the slice's own time (everything when unsliced). */
    public boolean owns(long timestampMicros)
    {
        return timestampMicros >= sliceStart && timestampMicros < sliceEnd;
    }

    /** Whether a sliced scan can stop: past its end (and a margin for packets out of order) with none of its flows open. */
    public boolean sliceDone(long timestampMicros)
    {
        return sliceEnd != Long.MAX_VALUE && timestampMicros - SLICE_SETTLE_MICROS >= sliceEnd && ownOpen == 0;
    }

    /** The slice read as far past its end as it may: its flows still open end here, each with a named anomaly. */
    public void cutOpenFlows()
    {
        table.removeIf(flow -> {
            if (!flow.foreign && !flow.duplicate) {
                scope.anomaly(flow, "slice_overlap_exceeded");
            }
            return false;
        });
    }

    /** One decoded packet ({@link io.wirelake.packets.decode.DecodeStatus#DECODED} or OTHER_TRANSPORT). */
    public void packet(DecodedPacket packet)
    {
        long now = packet.timestampMicros;
        lastTimestamp = Math.max(lastTimestamp, now);
        // Sweeps at the first packet of each interval of capture time, wherever the scan began.
        if (Math.floorDiv(now, SWEEP_INTERVAL_MICROS) > Math.floorDiv(lastSweep, SWEEP_INTERVAL_MICROS)) {
            sweep(now);
        }
        int hash = table.hash(packet.transport, packet.sourceHigh, packet.sourceLow, packet.sourcePort,
                packet.destinationHigh, packet.destinationLow, packet.destinationPort);
        Flow flow = table.find(hash, packet.transport, packet.sourceHigh, packet.sourceLow, packet.sourcePort,
                packet.destinationHigh, packet.destinationLow, packet.destinationPort);
        long groupId = -1;
        if (flow != null && endsBefore(flow, packet)) {
            groupId = flow.groupId;
            forget(flow);
            finish(flow, flow.lastSeen);
            flow = null;
        }
        if (flow == null) {
            if (now >= sliceEnd) {
                // A flow of a later slice.
                return;
            }
            flow = open(packet, hash, groupId, now < sliceStart);
        }
        boolean fromClient = flow.direction(packet.transport, packet.sourceHigh, packet.sourceLow, packet.sourcePort,
                packet.destinationHigh, packet.destinationLow, packet.destinationPort) > 0;
        flow.lastSeen = Math.max(flow.lastSeen, now);
        if (flow.foreign && now >= sliceStart) {
            // An earlier slice's flow: only what decides where it ends (its TCP handshake, FIN and RST;
            // a duplicate's copy is never tracked, as in its owner's scan).
            if (flow.transport == Transport.TCP && !flow.duplicate) {
                if (flow.tcp == null) {
                    flow.tcp = new TcpConnection(flow.protocols.consumer(true), flow.protocols.consumer(false), heldBytes);
                }
                flow.tcp.track(packet, fromClient);
            }
            ages.touch(flow);
            return;
        }
        if (flow.duplicate) {
            ages.touch(flow);
            if (!flow.foreign) {
                scope.report().increment("dedup.packets_kept_by_other_node");
            }
            return;
        }
        count(flow, packet, fromClient);
        if (packet.anomaly != null && !flow.foreign) {
            scope.anomaly(flow, packet.anomaly);
        }
        switch (flow.transport) {
            case TCP -> tcp(flow, packet, fromClient);
            case UDP -> {
                if (flow.first.udpLength < 0) {
                    flow.first.udpLength = packet.udpLength;
                    flow.first.udpChecksum = packet.udpChecksum;
                    UnclaimedRows.keepFirstPayload(flow, packet, scope.settings().bodyCap());
                }
                flow.protocols.datagram(fromClient, packet);
            }
            case ICMP, ICMPV6 -> icmp.message(flow, packet);
            case SCTP -> {
                if (flow.first.sctpChunkType < 0 && packet.payloadLength >= 4) {
                    flow.first.sctpChunkType = packet.sctpFirstChunkType;
                    flow.first.sctpChunkLength = packet.sctpFirstChunkLength;
                    flow.first.sctpChecksum = packet.sctpChecksum;
                }
                flow.protocols.sctpPacket(fromClient, packet);
            }
            case OTHER -> {
            }
        }
        ages.touch(flow);
    }

    private static void count(Flow flow, DecodedPacket packet, boolean fromClient)
    {
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
    }

    private void tcp(Flow flow, DecodedPacket packet, boolean fromClient)
    {
        if (flow.tcp == null) {
            flow.tcp = new TcpConnection(flow.protocols.consumer(true), flow.protocols.consumer(false), heldBytes);
        }
        flow.tcp.track(packet, fromClient);
        if (flow.protocols.detecting() && fromClient) {
            UnclaimedRows.keepFirstPayload(flow, packet, scope.settings().bodyCap());
        }
        flow.tcp.deliver(packet, fromClient);
    }

    /** Whether the packet cannot belong to the flow found for its endpoints (an idle gap, or a new TCP connection on them). */
    private boolean endsBefore(Flow flow, DecodedPacket packet)
    {
        if (packet.timestampMicros - flow.lastSeen > scope.settings().idleMicros(flow.transport)) {
            return true;
        }
        return flow.tcp != null && flow.tcp.replacedBy(packet, scope.settings().closeDelayMicros());
    }

    private Flow open(DecodedPacket packet, int hash, long groupId, boolean foreign)
    {
        Transport transport = Transport.of(packet.transport);
        boolean sourceIsClient;
        boolean midstream = false;
        if (transport == Transport.TCP && (packet.tcpFlags & (SYN | ACK)) == SYN) {
            sourceIsClient = true;
        }
        else if (transport == Transport.TCP && (packet.tcpFlags & (SYN | ACK)) == (SYN | ACK)) {
            sourceIsClient = false;
        }
        else {
            midstream = transport == Transport.TCP;
            sourceIsClient = !looksLikeServerPort(packet.sourcePort, packet.destinationPort, transport);
        }
        long id = scope.settings().idBase() + ++nextFlowId;
        long group = groupId >= 0 ? groupId : id;
        Flow flow = sourceIsClient
                ? new Flow(packet.transport, packet.ipVersion, packet.sourceHigh, packet.sourceLow, packet.sourcePort,
                        packet.destinationHigh, packet.destinationLow, packet.destinationPort, hash, id, group, packet.timestampMicros, midstream)
                : new Flow(packet.transport, packet.ipVersion, packet.destinationHigh, packet.destinationLow, packet.destinationPort,
                        packet.sourceHigh, packet.sourceLow, packet.sourcePort, hash, id, group, packet.timestampMicros, midstream);
        // A flow of the lookback is dissected too (what the scan learns across flows is then known), into nothing.
        flow.protocols = new ProtocolBinding(foreign ? lookbackScope : scope, flow);
        while (table.size() >= maxFlows) {
            evict();
        }
        table.add(flow);
        flow.duplicate = !enrichment.keeps(flow.clientAddress(), flow.serverAddress(), packet.timestampMicros);
        if (foreign) {
            flow.foreign = true;
            return flow;
        }
        ownOpen++;
        if (flow.duplicate) {
            scope.report().increment("dedup.flows_kept_by_other_node");
        }
        scope.report().increment("flows." + transport.displayName());
        return flow;
    }

    /**
     * The flow budget is full: the half-open flow idle longest ends now (else the flow idle
     * longest), with its rows, counted and named on them.
     */
    private void evict()
    {
        Flow eldest = ages.eldest();
        if (eldest == null) {
            throw new IllegalStateException("the flow table is full but no flow is queued");
        }
        String reason = eldest.halfOpen() ? "half_open" : "idle";
        forget(eldest);
        if (!eldest.foreign) {
            scope.report().increment("flows.evicted." + reason);
            scope.anomaly(eldest, "flow.evicted");
        }
        finish(eldest, eldest.lastSeen);
    }

    private void forget(Flow flow)
    {
        table.remove(flow);
        ages.remove(flow);
    }

    /** Without a handshake, the side on a well-known or registered service port is the server. */
    private boolean looksLikeServerPort(int sourcePort, int destinationPort, Transport transport)
    {
        boolean sourceHinted = isServicePort(sourcePort, transport);
        boolean destinationHinted = isServicePort(destinationPort, transport);
        if (sourceHinted != destinationHinted) {
            return sourceHinted;
        }
        return sourcePort < destinationPort && sourcePort < 1024;
    }

    private boolean isServicePort(int port, Transport transport)
    {
        if (port == 0) {
            return false;
        }
        for (ProtocolDetector detector : scope.registry().candidates(transport, port, 0)) {
            if (detector.hintsPort(port)) {
                return true;
            }
        }
        return port < 1024;
    }

    private void sweep(long now)
    {
        lastSweep = now;
        List<Flow> expired = table.removeIf(flow -> now - flow.lastSeen > scope.settings().idleMicros(flow.transport)
                || (flow.closed() && now - flow.tcp.closedAt() > scope.settings().closeDelayMicros()));
        expired.sort(Comparator.comparingLong(flow -> flow.id));
        for (Flow flow : expired) {
            ages.remove(flow);
            finish(flow, flow.lastSeen);
        }
    }

    /** End of the scan: every flow still in the table ends here. */
    public void finish()
    {
        List<Flow> remaining = table.removeIf(flow -> true);
        remaining.sort(Comparator.comparingLong(flow -> flow.id));
        for (Flow flow : remaining) {
            ages.remove(flow);
            finish(flow, lastTimestamp);
        }
        scope.report().add("tcp.held_bytes_over_budget", heldBytes.overBudget());
    }

    private void finish(Flow flow, long timestampMicros)
    {
        if (flow.foreign) {
            return;
        }
        ownOpen--;
        if (flow.duplicate) {
            return;
        }
        if (flow.tcp != null) {
            flow.tcp.finish(timestampMicros);
        }
        flow.protocols.end(timestampMicros);
        IcmpMessages.end(flow);
        // A flow no dissector claimed, or one whose dissector could make nothing of it (lost
        // bytes, malformed input), still gets a row: no traffic is invisible.
        if (flow.protocols.protocols().isEmpty() || flow.callIndex == 0) {
            UnclaimedRows.emit(flow, scope.rows());
        }
        GenericData.Record row = scope.rows().flowRow(flow, lastTimestamp);
        scope.redactor().flow(scope.rows().flow(row));
        scope.sink().flow(row);
    }
}
