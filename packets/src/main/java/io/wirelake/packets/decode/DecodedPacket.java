package io.wirelake.packets.decode;

/**
 * One decoded packet, reused from packet to packet (no allocation on the hot path). Addresses are
 * 128-bit: IPv4 addresses are stored IPv4-mapped ({@code ::ffff:a.b.c.d}).
 * The transport payload is {@code data[payloadOffset .. payloadOffset + payloadLength)}; when the
 * capture cut the packet short, {@code wirePayloadLength} is larger than {@code payloadLength}.
 */
public final class DecodedPacket
{
    public static final int TCP = 6;
    public static final int UDP = 17;
    public static final int SCTP = 132;
    public static final int ICMP = 1;
    public static final int ICMPV6 = 58;

    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;

    public long timestampMicros;
    public int ipVersion;
    public long sourceHigh;
    public long sourceLow;
    public long destinationHigh;
    public long destinationLow;
    /** IP packet length from the IP header (the whole datagram after reassembly). */
    public int ipLength;
    public int transport;
    public int sourcePort;
    public int destinationPort;

    public int tcpFlags;
    public long sequence;
    public long acknowledgement;
    public int window;
    /** TCP window-scale option value, or -1 when the segment has none. */
    public int windowScale;

    public int udpLength;
    public int udpChecksum;

    public int icmpType;
    public int icmpCode;

    public int sctpChecksum;
    public int sctpFirstChunkType;
    public int sctpFirstChunkLength;

    public byte[] data;
    public int payloadOffset;
    public int payloadLength;
    public int wirePayloadLength;
    /** The datagram was rebuilt from IP fragments. */
    public boolean reassembled;

    /** The named anomaly of the last decode, or null. */
    public String anomaly;

    void reset(long timestamp)
    {
        timestampMicros = timestamp;
        ipVersion = 0;
        sourceHigh = 0;
        sourceLow = 0;
        destinationHigh = 0;
        destinationLow = 0;
        ipLength = 0;
        transport = 0;
        sourcePort = 0;
        destinationPort = 0;
        tcpFlags = 0;
        sequence = 0;
        acknowledgement = 0;
        window = 0;
        windowScale = -1;
        udpLength = 0;
        udpChecksum = 0;
        icmpType = 0;
        icmpCode = 0;
        sctpChecksum = 0;
        sctpFirstChunkType = 0;
        sctpFirstChunkLength = 0;
        data = null;
        payloadOffset = 0;
        payloadLength = 0;
        wirePayloadLength = 0;
        reassembled = false;
        anomaly = null;
    }

    public boolean has(int flag)
    {
        return (tcpFlags & flag) != 0;
    }

    public String sourceAddress()
    {
        return Addresses.format(sourceHigh, sourceLow);
    }

    public String destinationAddress()
    {
        return Addresses.format(destinationHigh, destinationLow);
    }
}
