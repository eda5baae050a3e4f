package io.wirelake.demo;

import io.wirelake.packets.capture.Bytes;
import io.wirelake.packets.capture.PcapWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static java.util.Objects.requireNonNull;

/**
 * A capture made to hurt a dissector, for the tests that hold it to bounded memory and time:
 * length-field bombs for every framed protocol (a header that announces far more than is sent,
 * on many connections that stay open), a SYN flood, HPACK amplification, IP fragment floods,
 * segments held ahead of holes that never fill, and decompression bombs. Deterministic: the same
 * options make the same bytes. What each part should cost is its {@link Truth}.
 */
public final class HostileTraffic
{
    /**
     * @param synFlood SYNs, each from its own 5-tuple, never answered
     * @param bombConnections connections per length-field bomb kind
     * @param fragmentDatagrams first fragments of datagrams whose rest never comes
     */
    public record Options(int synFlood, int bombConnections, int fragmentDatagrams)
    {
        public static Options full()
        {
            return new Options(2_000_000, 900, 100_000);
        }
    }

    /** What the capture holds, for tests to check the report against. */
    public record Truth(long synFloodFlows, long bombConnections, long fragmentDatagrams, long decompressionBombs, long packets)
    {
    }

    /** The framed protocols' bombs: a port and the first bytes a client sends, announcing a frame it never finishes. */
    enum Bomb
    {
        // HTTP/2 prior knowledge: the preface, then a HEADERS frame header announcing 16 MiB - 1
        HTTP2(8080, concat("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII), hex("ffffff01040000000100"))),
        // a DATA frame of 16 MiB - 1 on stream 1 after a HEADERS frame
        HTTP2_DATA(8080, concat("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII), hex("000003010500000001828684"), hex("ffffff0000000000010000"))),
        // LDAP: a SEQUENCE of 16 MiB (four length octets), messageID 1, a bind request begun
        LDAP(389, hex("3084 00ffffff 020101 6084 00fffff0")),
        // Kafka: a request of 100 MiB (the protocol's own limit) with a plausible header
        KAFKA(9092, hex("063fffff 0000 0007 00000001 0006 636c69656e74")),
        // Diameter: a 1 MiB-ish message header (version 1, length 0xFFFFF0)
        DIAMETER(3868, hex("01fffff0 80000101 00000000 00000001 00000001")),
        // AMQP: the protocol header, then a method frame announcing 16 MiB
        AMQP(5672, concat("AMQP".getBytes(StandardCharsets.US_ASCII), hex("00000901 0100000000fffff0 000a000b"))),
        // DNS over TCP: a 64 KiB message announced, 12 bytes sent
        DNS(53, hex("ffff 1234 0100 0001 0000 0000 0000")),
        // HTTP/1.1 with gzip and a 4 MiB Content-Length, a few bytes of it sent
        HTTP1_GZIP(80, ("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Encoding: gzip\r\nContent-Length: 4194304\r\n\r\n").getBytes(StandardCharsets.US_ASCII)),
        // Redis: a bulk string of 512 MiB announced
        REDIS(6379, "*2\r\n$3\r\nGET\r\n$536870912\r\nabc".getBytes(StandardCharsets.US_ASCII)),
        // TLS: a handshake record announcing 16 KiB and a ClientHello announcing 16 MiB
        TLS(443, hex("1603010400 01ffffff 0303"));

        final int port;
        final byte[] payload;

        Bomb(int port, byte[] payload)
        {
            this.port = port;
            this.payload = payload;
        }
    }

    private static final int CLIENTS = PacketFactory.address("10.66.0.0");
    private static final int SERVER = PacketFactory.address("10.77.0.1");

    private final PacketFactory packets = new PacketFactory();
    private final PcapWriter writer;
    private long time = 1_700_000_000_000_000L;
    private long packetCount;
    private int nextClient;

    private HostileTraffic(PcapWriter writer)
    {
        this.writer = writer;
    }

    /** Writes the capture to a file (classic pcap, Ethernet). */
    public static Truth write(Path file, Options options)
            throws IOException
    {
        requireNonNull(options, "options is null");
        try (OutputStream output = Files.newOutputStream(file); PcapWriter writer = new PcapWriter(output, 1, 65_535)) {
            HostileTraffic traffic = new HostileTraffic(writer);
            return traffic.all(options);
        }
    }

    private Truth all(Options options)
            throws IOException
    {
        long bombs = 0;
        for (Bomb bomb : Bomb.values()) {
            for (int connection = 0; connection < options.bombConnections(); connection++) {
                connection(bomb.port, bomb.payload);
                bombs++;
            }
        }
        webSocketBombs(options.bombConnections());
        bombs += options.bombConnections();
        hpackAmplification(50);
        heldAheadOfHoles(60);
        int decompressionBombs = decompressionBombs(4);
        fragmentFlood(options.fragmentDatagrams());
        synFlood(options.synFlood());
        return new Truth(options.synFlood(), bombs, options.fragmentDatagrams(), decompressionBombs, packetCount);
    }

    /** A handshake and the client's first bytes; the connection stays open. Returns the client's next sequence number. */
    private long connection(int serverPort, byte[] payload)
            throws IOException
    {
        int client = CLIENTS + (nextClient / 50_000) + 1;
        int clientPort = 10_000 + nextClient % 50_000;
        nextClient++;
        long clientSequence = 1000;
        long serverSequence = 5000;
        frame(packets.tcp(client, SERVER, clientPort, serverPort, clientSequence, 0, PacketFactory.SYN, 65_535, new byte[0], 0, 0));
        frame(packets.tcp(SERVER, client, serverPort, clientPort, serverSequence, clientSequence + 1, PacketFactory.SYN | PacketFactory.ACK, 65_535, new byte[0], 0, 0));
        frame(packets.tcp(client, SERVER, clientPort, serverPort, clientSequence + 1, serverSequence + 1, PacketFactory.ACK, 65_535, new byte[0], 0, 0));
        long sequence = clientSequence + 1;
        for (int at = 0; at < payload.length; at += 1400) {
            int length = Math.min(1400, payload.length - at);
            frame(packets.tcp(client, SERVER, clientPort, serverPort, sequence, serverSequence + 1, PacketFactory.ACK | PacketFactory.PSH, 65_535, payload, at, length));
            sequence += length;
        }
        return sequence;
    }

    /** WebSocket after an upgrade: a frame with a 64-bit length of 2^40 (the largest accepted), 10 bytes of it sent. */
    private void webSocketBombs(int connections)
            throws IOException
    {
        byte[] upgrade = ("GET /chat HTTP/1.1\r\nHost: a\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] accept = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] frame = hex("82ff 0000010000000000 01020304 00000000000000000000");
        for (int connection = 0; connection < connections; connection++) {
            int client = CLIENTS + (nextClient / 50_000) + 1;
            int clientPort = 10_000 + nextClient % 50_000;
            nextClient++;
            frame(packets.tcp(client, SERVER, clientPort, 8081, 1000, 0, PacketFactory.SYN, 65_535, new byte[0], 0, 0));
            frame(packets.tcp(SERVER, client, 8081, clientPort, 5000, 1001, PacketFactory.SYN | PacketFactory.ACK, 65_535, new byte[0], 0, 0));
            frame(packets.tcp(client, SERVER, clientPort, 8081, 1001, 5001, PacketFactory.ACK, 65_535, new byte[0], 0, 0));
            frame(packets.tcp(client, SERVER, clientPort, 8081, 1001, 5001, PacketFactory.ACK | PacketFactory.PSH, 65_535, upgrade, 0, upgrade.length));
            frame(packets.tcp(SERVER, client, 8081, clientPort, 5001, 1001 + upgrade.length, PacketFactory.ACK | PacketFactory.PSH, 65_535, accept, 0, accept.length));
            frame(packets.tcp(client, SERVER, clientPort, 8081, 1001 + upgrade.length, 5001 + accept.length, PacketFactory.ACK | PacketFactory.PSH, 65_535,
                    frame, 0, frame.length));
        }
    }

    /**
     * HTTP/2 connections whose client fills a 4 KiB HPACK table with empty entries, then sends a
     * header block of 40 KiB of one-byte references to one of them: uncounted, each block would
     * make 40,960 fields, and with a large table each look-up would walk it; counted, it is refused.
     */
    private void hpackAmplification(int connections)
            throws IOException
    {
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        for (int block = 0; block < 20; block++) {
            byte[] fill = new byte[3 * 128];
            for (int index = 0; index < fill.length; index += 3) {
                fill[index] = 0x40;
            }
            byte[] references = new byte[40 * 1024];
            java.util.Arrays.fill(references, (byte) 0xBE);
            int streamId = 1 + 2 * block;
            stream.writeBytes(http2Frame(1, 0x4, streamId, concat(hex("828684"), fill, references)));
        }
        byte[] payload = stream.toByteArray();
        for (int connection = 0; connection < connections; connection++) {
            connection(8080, payload);
        }
    }

    private static byte[] http2Frame(int type, int flags, int streamId, byte[] payload)
    {
        byte[] frame = new byte[9 + payload.length];
        frame[0] = (byte) (payload.length >>> 16);
        frame[1] = (byte) (payload.length >>> 8);
        frame[2] = (byte) payload.length;
        frame[3] = (byte) type;
        frame[4] = (byte) flags;
        Bytes.putI32(frame, 5, streamId);
        System.arraycopy(payload, 0, frame, 9, payload.length);
        return frame;
    }

    /** Connections whose client sends 1 MiB past a hole of one byte that never fills: held until the budget lets go. */
    private void heldAheadOfHoles(int connections)
            throws IOException
    {
        byte[] chunk = new byte[1400];
        java.util.Arrays.fill(chunk, (byte) 'x');
        for (int connection = 0; connection < connections; connection++) {
            int client = CLIENTS + (nextClient / 50_000) + 1;
            int clientPort = 10_000 + nextClient % 50_000;
            nextClient++;
            frame(packets.tcp(client, SERVER, clientPort, 9999, 1000, 0, PacketFactory.SYN, 65_535, new byte[0], 0, 0));
            frame(packets.tcp(SERVER, client, 9999, clientPort, 5000, 1001, PacketFactory.SYN | PacketFactory.ACK, 65_535, new byte[0], 0, 0));
            frame(packets.tcp(client, SERVER, clientPort, 9999, 1001, 5001, PacketFactory.ACK, 65_535, new byte[0], 0, 0));
            long sequence = 1002;
            for (int segment = 0; segment < 750; segment++) {
                frame(packets.tcp(client, SERVER, clientPort, 9999, sequence, 5001, PacketFactory.ACK, 65_535, chunk, 0, chunk.length));
                sequence += chunk.length;
            }
        }
    }

    /** HTTP/1.1 responses whose gzip body of about 256 KiB inflates to 256 MiB of zeros, the decoder's limit. */
    private int decompressionBombs(int count)
            throws IOException
    {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            byte[] zeros = new byte[1 << 20];
            for (int megabyte = 0; megabyte < 300; megabyte++) {
                gzip.write(zeros);
            }
        }
        byte[] body = compressed.toByteArray();
        byte[] request = "GET /bomb HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] response = concat(("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), body);
        for (int bomb = 0; bomb < count; bomb++) {
            int client = CLIENTS + (nextClient / 50_000) + 1;
            int clientPort = 10_000 + nextClient % 50_000;
            nextClient++;
            frame(packets.tcp(client, SERVER, clientPort, 80, 1000, 0, PacketFactory.SYN, 65_535, new byte[0], 0, 0));
            frame(packets.tcp(SERVER, client, 80, clientPort, 5000, 1001, PacketFactory.SYN | PacketFactory.ACK, 65_535, new byte[0], 0, 0));
            frame(packets.tcp(client, SERVER, clientPort, 80, 1001, 5001, PacketFactory.ACK, 65_535, new byte[0], 0, 0));
            frame(packets.tcp(client, SERVER, clientPort, 80, 1001, 5001, PacketFactory.ACK | PacketFactory.PSH, 65_535, request, 0, request.length));
            long sequence = 5001;
            for (int at = 0; at < response.length; at += 1400) {
                int length = Math.min(1400, response.length - at);
                frame(packets.tcp(SERVER, client, 80, clientPort, sequence, 1001 + request.length, PacketFactory.ACK, 65_535, response, at, length));
                sequence += length;
            }
            frame(packets.tcp(client, SERVER, clientPort, 80, 1001 + request.length, sequence, PacketFactory.ACK | PacketFactory.FIN, 65_535, new byte[0], 0, 0));
            frame(packets.tcp(SERVER, client, 80, clientPort, sequence, 1002 + request.length, PacketFactory.ACK | PacketFactory.FIN, 65_535, new byte[0], 0, 0));
        }
        return count;
    }

    /** First fragments (200 bytes, more to come) of UDP datagrams whose rest never comes, and one datagram's first piece repeated. */
    private void fragmentFlood(int datagrams)
            throws IOException
    {
        byte[] payload = new byte[200];
        for (int datagram = 0; datagram < datagrams; datagram++) {
            frame(fragment(CLIENTS + 200 + (datagram >>> 16), SERVER, datagram & 0xFFFF, 0, true, payload));
        }
        for (int copy = 0; copy < datagrams; copy++) {
            frame(fragment(CLIENTS + 199, SERVER, 4242, 0, true, payload));
        }
    }

    /** An Ethernet/IPv4 fragment of a UDP datagram (offset in bytes, a multiple of 8). */
    private static byte[] fragment(int source, int destination, int identification, int offset, boolean more, byte[] payload)
    {
        byte[] frame = new byte[14 + 20 + payload.length];
        frame[0] = 0x02;
        frame[6] = 0x02;
        Bytes.putU16(frame, 12, 0x0800);
        frame[14] = 0x45;
        Bytes.putU16(frame, 16, 20 + payload.length);
        Bytes.putU16(frame, 18, identification);
        Bytes.putU16(frame, 20, (more ? 0x2000 : 0) | (offset / 8));
        frame[22] = 64;
        frame[23] = 17;
        Bytes.putI32(frame, 26, source);
        Bytes.putI32(frame, 30, destination);
        long sum = 0;
        for (int index = 14; index < 34; index += 2) {
            sum += ((frame[index] & 0xFF) << 8) | (frame[index + 1] & 0xFF);
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        Bytes.putU16(frame, 24, (int) (~sum & 0xFFFF));
        System.arraycopy(payload, 0, frame, 34, payload.length);
        return frame;
    }

    /** SYNs from distinct 5-tuples (many sources, every port), none answered. */
    private void synFlood(int syns)
            throws IOException
    {
        for (int syn = 0; syn < syns; syn++) {
            int source = PacketFactory.address("10.88.0.0") + 1 + syn / 60_000;
            int port = 1024 + syn % 60_000;
            frame(packets.tcp(source, SERVER, port, 80, syn * 7919L, 0, PacketFactory.SYN, 65_535, new byte[0], 0, 0));
        }
    }

    private void frame(byte[] frame)
            throws IOException
    {
        time += 10;
        writer.write(time, frame, 0, frame.length, frame.length);
        packetCount++;
    }

    private static byte[] hex(String text)
    {
        return java.util.HexFormat.of().parseHex(text.replace(" ", ""));
    }

    private static byte[] concat(byte[]... parts)
    {
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            joined.writeBytes(part);
        }
        return joined.toByteArray();
    }
}
