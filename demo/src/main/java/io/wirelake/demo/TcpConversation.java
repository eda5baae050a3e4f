package io.wirelake.demo;

import java.util.ArrayList;
import java.util.List;

/**
 * The frames of one TCP connection as seen at the client's node: three-way handshake, data in
 * MSS-sized segments with cumulative ACKs, and an orderly FIN teardown. Sequence numbers start
 * at random ISNs and advance exactly by the bytes sent.
 */
final class TcpConversation
{
    static final int MSS = 1448;
    /** The client's ACK follows the SYN-ACK this many microseconds later. */
    private static final int HANDSHAKE_ACK_DELAY = 20;
    private static final int MINIMUM_TAIL = 16;

    private final PacketFactory packets;
    private final int client;
    private final int server;
    private final int clientPort;
    private final int serverPort;
    private final long halfRtt;
    private final List<Frame> frames = new ArrayList<>();
    private long clientSequence;
    private long serverSequence;
    private long now;
    private int minimumTail;

    TcpConversation(PacketFactory packets, int client, int server, int clientPort, int serverPort, long clientIsn, long serverIsn, long start, long halfRttMicros)
    {
        this.packets = packets;
        this.client = client;
        this.server = server;
        this.clientPort = clientPort;
        this.serverPort = serverPort;
        this.halfRtt = halfRttMicros;
        this.now = start;
        this.clientSequence = clientIsn & 0xFFFFFFFFL;
        this.serverSequence = serverIsn & 0xFFFFFFFFL;
        handshake();
    }

    private void handshake()
    {
        emitClient(PacketFactory.SYN, new byte[0], 0, 0);
        clientSequence = (clientSequence + 1) & 0xFFFFFFFFL;
        now += halfRtt * 2;
        emitServer(PacketFactory.SYN | PacketFactory.ACK, new byte[0], 0, 0);
        serverSequence = (serverSequence + 1) & 0xFFFFFFFFL;
        now += HANDSHAKE_ACK_DELAY;
        emitClient(PacketFactory.ACK, new byte[0], 0, 0);
    }

    /** SYN to the client's ACK, as the client's node sees it: what the flows table calls the handshake round trip. */
    long handshakeRttMicros()
    {
        return halfRtt * 2 + HANDSHAKE_ACK_DELAY;
    }

    long now()
    {
        return now;
    }

    void advance(long micros)
    {
        now += micros;
    }

    /** The client sends; the server acknowledges once everything has arrived. */
    void clientSends(byte[] data)
    {
        send(true, data);
        now += halfRtt * 2;
        emitServer(PacketFactory.ACK, new byte[0], 0, 0);
    }

    /** The server sends; the client acknowledges every second segment and the last one. */
    void serverSends(byte[] data)
    {
        send(false, data);
    }

    /**
     * From now on a message's last segment carries at least {@value #MINIMUM_TAIL} bytes: the
     * last two share what is left when it would carry fewer. (tshark 4.0 calls a chunked HTTP
     * message malformed when the CRLF that ends it is cut between two segments.)
     */
    void avoidTinyLastSegments()
    {
        minimumTail = MINIMUM_TAIL;
    }

    private void send(boolean fromClient, byte[] data)
    {
        int segments = 0;
        int length;
        for (int offset = 0; offset < data.length; offset += length) {
            int remaining = data.length - offset;
            length = Math.min(MSS, remaining);
            if (remaining > MSS && remaining - MSS < minimumTail) {
                length = remaining / 2;
            }
            boolean last = offset + length >= data.length;
            int flags = PacketFactory.ACK | (last ? PacketFactory.PSH : 0);
            if (fromClient) {
                emitClient(flags, data, offset, length);
                clientSequence = (clientSequence + length) & 0xFFFFFFFFL;
            }
            else {
                emitServer(flags, data, offset, length);
                serverSequence = (serverSequence + length) & 0xFFFFFFFFL;
            }
            now += 12;
            segments++;
            if (!fromClient && (segments % 2 == 0 || last)) {
                long sent = now;
                now += halfRtt * 2;
                emitClient(PacketFactory.ACK, new byte[0], 0, 0);
                now = sent + 1;
            }
        }
        now += halfRtt * 2;
    }

    /** The client closes, the server closes, the client acknowledges. */
    List<Frame> close()
    {
        now += 100;
        emitClient(PacketFactory.FIN | PacketFactory.ACK, new byte[0], 0, 0);
        clientSequence = (clientSequence + 1) & 0xFFFFFFFFL;
        now += halfRtt * 2;
        emitServer(PacketFactory.FIN | PacketFactory.ACK, new byte[0], 0, 0);
        serverSequence = (serverSequence + 1) & 0xFFFFFFFFL;
        now += 20;
        emitClient(PacketFactory.ACK, new byte[0], 0, 0);
        frames.sort(java.util.Comparator.comparingLong(Frame::timestampMicros));
        return frames;
    }

    private void emitClient(int flags, byte[] data, int offset, int length)
    {
        frames.add(new Frame(now, packets.tcp(client, server, clientPort, serverPort, clientSequence, serverSequence, flags, 502, data, offset, length)));
    }

    private void emitServer(int flags, byte[] data, int offset, int length)
    {
        frames.add(new Frame(now, packets.tcp(server, client, serverPort, clientPort, serverSequence, clientSequence, flags, 509, data, offset, length)));
    }
}
