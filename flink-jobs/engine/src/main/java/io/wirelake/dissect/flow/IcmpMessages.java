package io.wirelake.dissect.flow;

import io.wirelake.columns.Columns;
import io.wirelake.dissect.protocol.PendingRequests;
import io.wirelake.dissect.rows.Rows;
import io.wirelake.packets.decode.Addresses;
import io.wirelake.packets.decode.DecodedPacket;

import static java.util.Objects.requireNonNull;

/**
 * ICMP (RFC 792) and ICMPv6 (RFC 4443, 4861) messages as rows: an echo request and its reply
 * (paired by identifier and sequence number within the flow of the two addresses) are one row with
 * the round trip as {@code elapsed_time}, and a request never answered is a row of its own; every
 * other message is a row, and an error message (destination unreachable, packet too big, time
 * exceeded, parameter problem, redirect, source quench) also names the datagram it quotes (its
 * transport and 5-tuple) and counts on that datagram's flow, when the scan still has it, in
 * {@code icmp_errors}.
 */
final class IcmpMessages
{
    /** Echo requests waiting for their replies per flow; past this the oldest is a row unanswered. */
    static final int MAX_PENDING_ECHOES = 1024;
    /** Distinct error names kept per quoted flow. */
    static final int MAX_ERROR_TYPES = 8;

    /** Finds the flow of a quoted datagram's endpoints, as the flow table does for a packet. */
    interface FlowLookup
    {
        Flow find(int transport, long sourceHigh, long sourceLow, int sourcePort, long destinationHigh, long destinationLow, int destinationPort);
    }

    /** A flow's echo requests waiting for replies. */
    static final class Echoes
    {
        private final PendingRequests<Integer, Echo> pending;

        Echoes(FlowRows rows, Flow flow)
        {
            this.pending = new PendingRequests<>(MAX_PENDING_ECHOES, request -> emitEcho(rows, flow, request, null));
        }
    }

    private record Echo(int type, int length, int identifier, int sequence, long timestampMicros) {}

    /** The datagram an error message quotes: its IP protocol and endpoints (ports 0 when it has none, or they were cut off). */
    record Quoted(int protocol, long sourceHigh, long sourceLow, int sourcePort, long destinationHigh, long destinationLow, int destinationPort) {}

    private final FlowRows rows;
    private final FlowLookup lookup;

    IcmpMessages(FlowRows rows, FlowLookup lookup)
    {
        this.rows = requireNonNull(rows, "rows is null");
        this.lookup = requireNonNull(lookup, "lookup is null");
    }

    /** One ICMP or ICMPv6 message of the flow (its header is whole: the decoder checked four bytes). */
    void message(Flow flow, DecodedPacket packet)
    {
        boolean v6 = packet.transport == DecodedPacket.ICMPV6;
        int type = packet.icmpType;
        int code = packet.icmpCode;
        byte[] data = packet.data;
        int at = packet.payloadOffset;
        int length = packet.payloadLength;
        boolean request = v6 ? type == 128 : type == 8;
        boolean reply = v6 ? type == 129 : type == 0;
        if ((request || reply) && length >= 8) {
            Echo echo = new Echo(type, packet.wirePayloadLength, u16(data, at + 4), u16(data, at + 6), packet.timestampMicros);
            if (flow.echoes == null) {
                flow.echoes = new Echoes(rows, flow);
            }
            int key = (echo.identifier() << 16) | echo.sequence();
            if (request) {
                flow.echoes.pending.add(key, echo);
            }
            else {
                Echo asked = flow.echoes.pending.take(key);
                emitEcho(rows, flow, asked, echo);
            }
            return;
        }
        Rows row = newRow(rows, flow, v6, type, code, packet.wirePayloadLength, packet.timestampMicros);
        if (IcmpNames.isError(v6, type)) {
            if ((v6 && type == 2 && length >= 8) || (!v6 && type == 3 && code == 4 && length >= 8)) {
                // RFC 4443 3.2: a 32-bit MTU; RFC 1191: the next-hop MTU in the low 16 bits of the unused word
                row.set(Columns.ICMP_MTU, v6 ? u32(data, at + 4) : (long) u16(data, at + 6));
            }
            Quoted quoted = quoted(v6, data, at + 8, at + length);
            if (quoted != null) {
                row.set(Columns.ICMP_QUOTED_PROTOCOL, protocolName(quoted.protocol()));
                row.set(Columns.ICMP_QUOTED_SRC_IP, Addresses.format(quoted.sourceHigh(), quoted.sourceLow()));
                row.set(Columns.ICMP_QUOTED_DST_IP, Addresses.format(quoted.destinationHigh(), quoted.destinationLow()));
                row.set(Columns.ICMP_QUOTED_SRC_PORT, (long) quoted.sourcePort());
                row.set(Columns.ICMP_QUOTED_DST_PORT, (long) quoted.destinationPort());
                Flow failed = lookup.find(quoted.protocol(), quoted.sourceHigh(), quoted.sourceLow(), quoted.sourcePort(), quoted.destinationHigh(),
                        quoted.destinationLow(), quoted.destinationPort());
                if (failed != null && !failed.duplicate) {
                    failed.icmpError(IcmpNames.typeName(v6, type) + ":" + IcmpNames.codeName(v6, type, code), MAX_ERROR_TYPES);
                }
            }
            else {
                flow.protocols.context().anomaly("icmp.quoted_datagram_unreadable");
            }
        }
        flow.protocols.context().emit(row.record());
    }

    /** The flow ended: its unanswered echo requests are rows. */
    static void end(Flow flow)
    {
        if (flow.echoes != null) {
            flow.echoes.pending.flush();
        }
    }

    private static void emitEcho(FlowRows rows, Flow flow, Echo request, Echo reply)
    {
        Echo first = request != null ? request : reply;
        Rows row = newRow(rows, flow, flow.transport == io.wirelake.dissect.protocol.Transport.ICMPV6, first.type(), 0, first.length(), first.timestampMicros());
        row.set(Columns.ICMP_ECHO_ID, (long) first.identifier());
        row.set(Columns.ICMP_ECHO_SEQUENCE, (long) first.sequence());
        row.set(Columns.ICMP_REQUEST, request != null);
        row.set(Columns.ICMP_RESPONSE, reply != null);
        if (request != null && reply != null) {
            row.set(Columns.ELAPSED_TIME, Math.max(0, reply.timestampMicros() - request.timestampMicros()));
        }
        flow.protocols.context().emit(row.record());
    }

    private static Rows newRow(FlowRows rows, Flow flow, boolean v6, int type, int code, int length, long timestampMicros)
    {
        Rows row = rows.apiCall(flow.protocols.context().newCall(TransportProtocols.ICMP, timestampMicros));
        row.set(Columns.ICMP_TYPE, IcmpNames.typeName(v6, type));
        row.set(Columns.ICMP_CODE_NAME, IcmpNames.codeName(v6, type, code));
        row.set(Columns.ICMP_TYPE_NUMBER, (long) type);
        row.set(Columns.ICMP_CODE, (long) code);
        row.set(Columns.ICMP_VERSION, v6 ? 6L : 4L);
        row.set(Columns.ICMP_LENGTH, (long) length);
        return row;
    }

    /**
     * The IP header and the first transport bytes an error message carries (RFC 792: the header
     * and 64 bits; RFC 4443 2.4: as much as fits), from {@code at} to {@code end}; null when the
     * IP header is not whole. Ports are read when their four bytes are there.
     */
    static Quoted quoted(boolean v6, byte[] data, int at, int end)
    {
        int protocol;
        long sourceHigh;
        long sourceLow;
        long destinationHigh;
        long destinationLow;
        int transport;
        if (!v6) {
            if (end - at < 20 || (data[at] & 0xF0) != 0x40) {
                return null;
            }
            int headerLength = (data[at] & 0x0F) * 4;
            if (headerLength < 20 || end - at < headerLength) {
                return null;
            }
            protocol = data[at + 9] & 0xFF;
            sourceHigh = Addresses.IPV4_MAPPED_HIGH;
            sourceLow = Addresses.ipv4Low((int) u32(data, at + 12));
            destinationHigh = Addresses.IPV4_MAPPED_HIGH;
            destinationLow = Addresses.ipv4Low((int) u32(data, at + 16));
            // a fragment other than the first carries no transport header
            boolean laterFragment = (u16(data, at + 6) & 0x1FFF) != 0;
            transport = laterFragment ? end : at + headerLength;
        }
        else {
            if (end - at < 40 || (data[at] & 0xF0) != 0x60) {
                return null;
            }
            sourceHigh = u64(data, at + 8);
            sourceLow = u64(data, at + 16);
            destinationHigh = u64(data, at + 24);
            destinationLow = u64(data, at + 32);
            protocol = data[at + 6] & 0xFF;
            transport = at + 40;
            // hop-by-hop, routing and destination options, and a fragment header, may come before the transport
            for (int headers = 0; headers < 8 && transport + 8 <= end; headers++) {
                if (protocol == 0 || protocol == 43 || protocol == 60) {
                    int next = data[transport] & 0xFF;
                    transport += ((data[transport + 1] & 0xFF) + 1) * 8;
                    protocol = next;
                }
                else if (protocol == 44) {
                    int next = data[transport] & 0xFF;
                    boolean laterFragment = (u16(data, transport + 2) & 0xFFF8) != 0;
                    transport = laterFragment ? end : transport + 8;
                    protocol = next;
                }
                else {
                    break;
                }
            }
        }
        int sourcePort = 0;
        int destinationPort = 0;
        boolean ports = protocol == DecodedPacket.TCP || protocol == DecodedPacket.UDP || protocol == DecodedPacket.SCTP;
        if (ports && transport + 4 <= end) {
            sourcePort = u16(data, transport);
            destinationPort = u16(data, transport + 2);
        }
        return new Quoted(protocol, sourceHigh, sourceLow, sourcePort, destinationHigh, destinationLow, destinationPort);
    }

    static String protocolName(int protocol)
    {
        return switch (protocol) {
            case DecodedPacket.TCP -> "TCP";
            case DecodedPacket.UDP -> "UDP";
            case DecodedPacket.SCTP -> "SCTP";
            case DecodedPacket.ICMP, DecodedPacket.ICMPV6 -> "ICMP";
            default -> String.valueOf(protocol);
        };
    }

    private static int u16(byte[] data, int at)
    {
        return ((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF);
    }

    private static long u32(byte[] data, int at)
    {
        return ((long) u16(data, at) << 16) | u16(data, at + 2);
    }

    private static long u64(byte[] data, int at)
    {
        return (u32(data, at) << 32) | u32(data, at + 4);
    }
}
