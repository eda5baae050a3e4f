package io.wirelake.dissect.flow;

import io.wirelake.columns.Columns;
import io.wirelake.dissect.rows.Rows;
import io.wirelake.packets.decode.DecodedPacket;

import java.util.Arrays;

/**
 * No traffic is invisible: a flow no dissector claimed, or whose dissector made no row of it,
 * still gets one api_calls row with its transport's fields (the client's first payload, the
 * first UDP datagram or SCTP chunk; ICMP messages are rows each, see {@link IcmpMessages}). TCP connections that carried nothing and were
 * not reset (scans, half-open attempts) are in flows only.
 */
final class UnclaimedRows
{
    /** Payload kept for a row of traffic no dissector claimed. */
    static final int UNCLAIMED_PAYLOAD_BYTES = 1024;

    private UnclaimedRows() {}

    /** Keeps the first payload of a flow no dissector has claimed yet, for its row. */
    static void keepFirstPayload(Flow flow, DecodedPacket packet, int bodyCap)
    {
        if (flow.first.payload == null && packet.payloadLength > 0) {
            int length = Math.min(packet.payloadLength, Math.min(bodyCap, UNCLAIMED_PAYLOAD_BYTES));
            flow.first.payload = Arrays.copyOfRange(packet.data, packet.payloadOffset, packet.payloadOffset + length);
        }
    }

    /** Emits the flow's row of unclaimed traffic, if its transport has one. */
    static void emit(Flow flow, FlowRows flowRows)
    {
        FlowContext context = flow.protocols.context();
        Flow.FirstMessage first = flow.first;
        switch (flow.transport) {
            case TCP -> {
                TcpConnection connection = flow.tcp;
                boolean reset = connection != null && connection.reset();
                if (flow.clientPayloadBytes + flow.serverPayloadBytes == 0 && !reset) {
                    return;
                }
                Rows rows = flowRows.apiCall(context.newCall(TransportProtocols.TCP, flow.firstSeen));
                if (first.payload != null) {
                    rows.set(Columns.TCP_PAYLOAD, first.payload);
                    rows.set(Columns.TCP_METHOD, TransportProtocols.textCommand(first.payload));
                }
                if (reset) {
                    rows.set(Columns.TCP_ERROR_TYPE, "reset");
                    rows.set(Columns.TCP_ERROR_MESSAGE, "the connection was reset" + (connection.established() || flow.midstream ? "" : " before it was established"));
                }
                else if (connection != null && connection.gaps() > 0) {
                    rows.set(Columns.TCP_ERROR_TYPE, "missing_data");
                    rows.set(Columns.TCP_ERROR_MESSAGE, connection.missingBytes() + " bytes were not captured");
                }
                rows.set(Columns.ELAPSED_TIME, flow.lastSeen - flow.firstSeen);
                context.emit(rows.record());
            }
            case UDP -> {
                Rows rows = flowRows.apiCall(context.newCall(TransportProtocols.UDP, flow.firstSeen));
                rows.set(Columns.UDP_LENGTH, (long) Math.max(0, first.udpLength));
                rows.set(Columns.UDP_CHECKSUM, (long) first.udpChecksum);
                if (first.payload != null) {
                    rows.set(Columns.UDP_PAYLOAD, first.payload);
                }
                rows.set(Columns.ELAPSED_TIME, flow.lastSeen - flow.firstSeen);
                context.emit(rows.record());
            }
            case ICMP, ICMPV6 -> {
                // every ICMP message is a row of its own (IcmpMessages)
            }
            case SCTP -> {
                Rows rows = flowRows.apiCall(context.newCall(TransportProtocols.SCTP, flow.firstSeen));
                if (first.sctpChunkType >= 0) {
                    rows.set(Columns.SCTP_CHUNK_TYPE, TransportProtocols.sctpChunkName(first.sctpChunkType));
                    rows.set(Columns.SCTP_LENGTH, (long) first.sctpChunkLength);
                    rows.set(Columns.SCTP_CHECKSUM, first.sctpChecksum & 0xFFFFFFFFL);
                }
                context.emit(rows.record());
            }
            case OTHER -> {
                // no fields to show, and nothing to detect on: in flows only
            }
        }
    }
}
