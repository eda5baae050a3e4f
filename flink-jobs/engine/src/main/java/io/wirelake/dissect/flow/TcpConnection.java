package io.wirelake.dissect.flow;

import io.wirelake.packets.decode.DecodedPacket;

import static io.wirelake.packets.decode.DecodedPacket.ACK;
import static io.wirelake.packets.decode.DecodedPacket.FIN;
import static io.wirelake.packets.decode.DecodedPacket.RST;
import static io.wirelake.packets.decode.DecodedPacket.SYN;
import static java.util.Objects.requireNonNull;

/**
 * The state of one TCP connection (RFC 9293): the handshake and its round trip, FIN and RST and
 * when the connection closed, the insights counters, and the two directions' byte streams, which
 * deliver in-order bytes to their consumers. Knows nothing of what the bytes are.
 */
final class TcpConnection
{
    final TcpStream client;
    final TcpStream server;
    final TcpInsights insights = new TcpInsights();
    private long synTime = -1;
    private long synSequence = -1;
    private long synAckTime = -1;
    private long handshakeRtt;
    private boolean established;
    private boolean clientFin;
    private boolean serverFin;
    private boolean reset;
    private long closedAt = -1;
    private long finCount;
    private long resetCount;

    TcpConnection(TcpStream.Consumer client, TcpStream.Consumer server, HeldBytes budget)
    {
        this.client = new TcpStream(requireNonNull(client, "client is null"), budget);
        this.server = new TcpStream(requireNonNull(server, "server is null"), budget);
    }

    /** A segment's flags and options: handshake, close, reset and the insights; its bytes come with {@link #deliver}. */
    void track(DecodedPacket packet, boolean fromClient)
    {
        int flags = packet.tcpFlags;
        long now = packet.timestampMicros;
        TcpStream stream = fromClient ? client : server;
        insights.packet(packet, fromClient);
        if ((flags & SYN) != 0) {
            // a repeated SYN or SYN-ACK is a retransmission, which the insights count
            if (fromClient && (flags & ACK) == 0 && synTime < 0) {
                synTime = now;
                synSequence = packet.sequence;
            }
            else if (!fromClient && (flags & ACK) != 0 && synAckTime < 0) {
                synAckTime = now;
            }
            stream.synchronize(packet.sequence);
        }
        else if (fromClient && (flags & ACK) != 0 && !established && synAckTime >= 0) {
            established = true;
            if (synTime >= 0) {
                handshakeRtt = now - synTime;
            }
        }
        if ((flags & RST) != 0) {
            resetCount++;
            reset = true;
            if (closedAt < 0) {
                closedAt = now;
            }
        }
        if ((flags & FIN) != 0) {
            finCount++;
            if (fromClient) {
                clientFin = true;
            }
            else {
                serverFin = true;
            }
            if (clientFin && serverFin && closedAt < 0) {
                closedAt = now;
            }
        }
    }

    /** The segment's bytes (and its FIN) to its direction's stream; a SYN's are not data. */
    void deliver(DecodedPacket packet, boolean fromClient)
    {
        int flags = packet.tcpFlags;
        if ((flags & SYN) == 0 && (packet.wirePayloadLength > 0 || (flags & FIN) != 0)) {
            (fromClient ? client : server).segment(packet.sequence, packet.data, packet.payloadOffset, packet.payloadLength, packet.wirePayloadLength,
                    (flags & FIN) != 0, packet.timestampMicros);
        }
    }

    /**
     * Whether a packet on this connection's endpoints opens a new connection (port reuse): a SYN
     * after a FIN or RST, or any SYN once the close delay has passed, unless it is this
     * connection's own SYN again (a retransmission or a late copy, known by its sequence number).
     */
    boolean replacedBy(DecodedPacket packet, long closeDelayMicros)
    {
        boolean sameConnection = packet.sequence == synSequence || client.openedBy(packet.sequence);
        if (sameConnection) {
            return false;
        }
        boolean newSyn = (packet.tcpFlags & (SYN | ACK)) == SYN;
        if (newSyn && (closed() || clientFin || serverFin)) {
            return true;
        }
        return closed() && packet.timestampMicros - closedAt > closeDelayMicros && (packet.tcpFlags & SYN) != 0;
    }

    /** The end of the flow: bytes held ahead of holes are delivered, the holes as gaps. */
    void finish(long timestampMicros)
    {
        client.finish(timestampMicros);
        server.finish(timestampMicros);
    }

    boolean closed()
    {
        return closedAt >= 0;
    }

    long closedAt()
    {
        return closedAt;
    }

    boolean established()
    {
        return established;
    }

    boolean reset()
    {
        return reset;
    }

    long handshakeRtt()
    {
        return handshakeRtt;
    }

    /** SYN to SYN-ACK, 0 when either is missing. */
    long synAckTime()
    {
        return synTime >= 0 && synAckTime >= synTime ? synAckTime - synTime : 0L;
    }

    long finCount()
    {
        return finCount;
    }

    long resetCount()
    {
        return resetCount;
    }

    long missingBytes()
    {
        return client.missingBytes + server.missingBytes;
    }

    long gaps()
    {
        return client.gaps + server.gaps;
    }
}
