package io.wirelake.dissect.flow;

import io.wirelake.dissect.protocol.DatagramDissector;
import io.wirelake.dissect.protocol.Detection;
import io.wirelake.dissect.protocol.ProtocolDetector;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.protocol.Transport;
import io.wirelake.packets.decode.DecodedPacket;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Which protocol a flow's bytes are, and the dissector they go to: detection on a TCP
 * connection's first bytes (probed again at later segment boundaries, since a mid-stream capture
 * may start inside a message) or a UDP flow's first datagrams, protocol switches (HTTP Upgrade),
 * streams carried inside the flow (tunnels), and SCTP messages by their payload protocol. Names no
 * protocol: the detectors declare what they answer to.
 */
final class ProtocolBinding
{
    /** Segments (or datagrams) after which a flow whose start was not recognised stops being probed. */
    static final int MAX_DETECTION_ATTEMPTS = 16;
    /** SCTP streams of one association dissected by their content; messages on streams beyond them are not read. */
    static final int MAX_SCTP_STREAMS = 256;

    private final ScanScope scope;
    private final Flow flow;
    private final FlowContext context;
    /** The protocols seen on the flow, in the order they were bound ({@code conn.l7_detected}). */
    private final Set<String> protocols = new LinkedHashSet<>(2);
    private boolean detecting;
    private int detectionAttempts;
    /** A TCP connection's first bytes while they are being detected. */
    private StreamStart start;
    private StreamDissector stream;
    private DatagramDissector datagrams;
    private SctpReassembler sctp;
    /** The protocol of an SCTP association's messages, and its dissector, fed whole messages. */
    private ProtocolDetector sctpProtocol;
    private StreamDissector sctpMessages;
    /** Without a protocol by payload identifier: each SCTP stream a byte stream of its own, detected by content (HTTP over SCTP). */
    private Map<Integer, TunnelStream> sctpStreams;

    ProtocolBinding(ScanScope scope, Flow flow)
    {
        this.scope = requireNonNull(scope, "scope is null");
        this.flow = requireNonNull(flow, "flow is null");
        this.context = new FlowContext(scope, flow, this);
        this.detecting = scope.registry().anyFor(flow.transport);
    }

    FlowContext context()
    {
        return context;
    }

    /** Whether the flow's protocol is still being looked for. */
    boolean detecting()
    {
        return detecting;
    }

    Set<String> protocols()
    {
        return protocols;
    }

    /** Where one direction of a TCP connection delivers its in-order bytes and gaps. */
    TcpStream.Consumer consumer(boolean fromClient)
    {
        return new TcpStream.Consumer()
        {
            @Override
            public void data(byte[] data, int offset, int length, long timestampMicros)
            {
                streamData(fromClient, data, offset, length, timestampMicros);
            }

            @Override
            public void gap(long bytes, long timestampMicros)
            {
                streamGap(fromClient, bytes, timestampMicros);
            }
        };
    }

    private void streamData(boolean fromClient, byte[] data, int offset, int length, long timestampMicros)
    {
        if (stream != null) {
            stream.data(fromClient, data, offset, length, timestampMicros);
            return;
        }
        if (!detecting) {
            return;
        }
        if (start == null) {
            start = new StreamStart();
        }
        StreamStart.Outcome outcome = start.offer(scope.registry().candidates(Transport.TCP, flow.serverPort, flow.clientPort), scope.guard(), context,
                fromClient, data, offset, length, timestampMicros, flow.serverPort);
        switch (outcome) {
            case MATCHED -> bind(start.matched());
            case UNDECIDED -> {
            }
            case NOT_RECOGNISED -> {
                start = null;
                if (++detectionAttempts >= MAX_DETECTION_ATTEMPTS) {
                    detecting = false;
                    scope.report().increment("tcp.connections_without_l7_protocol");
                }
            }
        }
    }

    private void bind(ProtocolDetector detector)
    {
        stream = scope.guard().stream(detector.name(), context, detector.newStreamDissector(context));
        protocols.add(detector.name());
        detecting = false;
        StreamStart held = start;
        start = null;
        // the field, not a copy: a switch of protocols while the held bytes replay sends the rest on
        held.replay(chunk -> stream.data(chunk.fromClient(), chunk.data(), 0, chunk.data().length, chunk.timestampMicros()));
    }

    private void streamGap(boolean fromClient, long bytes, long timestampMicros)
    {
        scope.report().increment("tcp.gaps");
        if (stream != null) {
            stream.gap(fromClient, bytes, timestampMicros);
        }
        else if (start != null) {
            start.dropSide(fromClient);
        }
    }

    /** A UDP datagram: the first ones are offered to the detectors, then each goes to the bound dissector. */
    void datagram(boolean fromClient, DecodedPacket packet)
    {
        if (detecting) {
            for (ProtocolDetector detector : scope.registry().candidates(Transport.UDP, flow.serverPort, flow.clientPort)) {
                if (scope.guard().detect(detector, context, fromClient, packet.data, packet.payloadOffset, packet.payloadLength, flow.serverPort)
                        == Detection.MATCH) {
                    datagrams = scope.guard().datagram(detector.name(), context, detector.newDatagramDissector(context));
                    protocols.add(detector.name());
                    break;
                }
            }
            if (datagrams != null || ++detectionAttempts >= MAX_DETECTION_ATTEMPTS) {
                detecting = false;
            }
        }
        if (datagrams != null) {
            datagrams.datagram(fromClient, packet.data, packet.payloadOffset, packet.payloadLength, packet.wirePayloadLength, packet.timestampMicros);
        }
    }

    /** An SCTP packet: its DATA chunks are rebuilt into messages, and a protocol's messages go to its dissector. */
    void sctpPacket(boolean fromClient, DecodedPacket packet)
    {
        if (sctp == null) {
            sctp = new SctpReassembler(new SctpReassembler.Consumer()
            {
                @Override
                public void message(boolean client, int streamId, long payloadProtocol, byte[] data, long timestampMicros)
                {
                    sctpMessage(client, streamId, payloadProtocol, data, timestampMicros);
                }

                @Override
                public void anomaly(String name)
                {
                    context.anomaly(name);
                }
            });
        }
        if (packet.payloadLength > 0) {
            sctp.packet(fromClient, packet.data, packet.payloadOffset, packet.payloadLength, packet.timestampMicros);
        }
    }

    /**
     * The association is bound to the protocol of its first message that has one by its payload
     * protocol identifier; other protocols' messages are not read. A message no protocol claims so
     * (identifier 0, or one nobody declares, as HTTP over SCTP sends) goes to its SCTP stream's
     * byte stream, whose protocol its content says: one stream per SCTP stream (RFC 9260 section 1.5.2).
     */
    private void sctpMessage(boolean fromClient, int streamId, long payloadProtocol, byte[] data, long timestampMicros)
    {
        ProtocolDetector detector = scope.registry().forSctpMessage(payloadProtocol, flow.serverPort, flow.clientPort).orElse(null);
        if (detector == null && sctpProtocol == null) {
            sctpStream(streamId).ifPresent(stream -> stream.data(fromClient, data, 0, data.length, timestampMicros));
            return;
        }
        if (detector == null || (sctpProtocol != null && detector != sctpProtocol)) {
            return;
        }
        if (sctpMessages == null) {
            sctpMessages = scope.guard().stream(detector.name(), context, detector.newStreamDissector(context));
            if (sctpMessages == null) {
                return;
            }
            sctpProtocol = detector;
            protocols.add(detector.name());
        }
        sctpMessages.data(fromClient, data, 0, data.length, timestampMicros);
    }

    private Optional<TunnelStream> sctpStream(int streamId)
    {
        if (sctpStreams == null) {
            sctpStreams = new HashMap<>();
        }
        TunnelStream stream = sctpStreams.get(streamId);
        if (stream == null) {
            if (sctpStreams.size() >= MAX_SCTP_STREAMS) {
                context.anomaly("sctp.too_many_streams");
                return Optional.empty();
            }
            stream = new TunnelStream(scope.registry(), scope.guard(), context, protocols::add, flow.serverPort, flow.clientPort);
            sctpStreams.put(streamId, stream);
        }
        return Optional.of(stream);
    }

    /**
     * The connection switched protocols (an HTTP Upgrade answered by 101): the dissector so far
     * ends, and what follows goes to the dissector of the protocol that declares the token.
     */
    void upgrade(String token, long timestampMicros)
    {
        Optional<ProtocolDetector> detector = scope.registry().forUpgrade(token);
        protocols.add(detector.map(ProtocolDetector::name).orElse(token.toUpperCase(Locale.ROOT)));
        if (stream != null) {
            stream.end(timestampMicros);
        }
        stream = detector.map(found -> scope.guard().stream(found.name(), context, found.newStreamDissector(context))).orElse(null);
        if (stream == null) {
            scope.report().increment("upgrades_not_dissected." + token);
        }
    }

    /** A switch an HTTP/1.1 request asked for: the new dissector is told about the request. */
    void upgrade(String token, long timestampMicros, String method, String target, String host, long requestTimestampMicros)
    {
        upgrade(token, timestampMicros);
        if (stream != null) {
            stream.upgradedFrom(method, target, host, requestTimestampMicros);
        }
    }

    /** Bytes that followed the switch in the same chunk go to the new protocol's dissector. */
    void afterUpgrade(boolean fromClient, byte[] data, int offset, int length, long timestampMicros)
    {
        if (stream != null && length > 0) {
            stream.data(fromClient, data, offset, length, timestampMicros);
        }
    }

    /** A stream carried inside the flow, detected by its own content, its rows made on this flow. */
    StreamDissector tunnel(String carrier)
    {
        return new TunnelStream(scope.registry(), scope.guard(), context.forTunnel(carrier), protocols::add);
    }

    /** The flow ended: every dissector emits what it holds. */
    void end(long timestampMicros)
    {
        if (stream != null) {
            stream.end(timestampMicros);
        }
        if (datagrams != null) {
            datagrams.end(timestampMicros);
        }
        if (sctpMessages != null) {
            sctpMessages.end(timestampMicros);
        }
        if (sctpStreams != null) {
            sctpStreams.values().forEach(stream -> stream.end(timestampMicros));
        }
        start = null;
    }
}
