package io.wirelake.demo;

import io.wirelake.packets.capture.Bytes;

import java.util.HashMap;
import java.util.Map;

/**
 * Builds Ethernet/IPv4 frames carrying TCP or UDP, with correct IP, TCP and UDP checksums
 * (RFC 791, RFC 9293 section 3.1, RFC 768), per-host IP identification counters and
 * locally administered MAC addresses derived from the IPs.
 */
final class PacketFactory
{
    static final int FIN = 0x01;
    static final int SYN = 0x02;
    static final int RST = 0x04;
    static final int PSH = 0x08;
    static final int ACK = 0x10;

    private static final int ETHERNET = 14;
    private static final int IPV4 = 20;
    private final Map<Integer, Integer> identification = new HashMap<>();

    static int address(String dotted)
    {
        String[] parts = dotted.split("\\.");
        return (Integer.parseInt(parts[0]) << 24) | (Integer.parseInt(parts[1]) << 16) | (Integer.parseInt(parts[2]) << 8) | Integer.parseInt(parts[3]);
    }

    /** A TCP segment; SYN segments carry MSS 1460, SACK-permitted and window scale 7. */
    byte[] tcp(int source, int destination, int sourcePort, int destinationPort, long sequence, long acknowledgement, int flags, int window,
            byte[] payload, int offset, int length)
    {
        int options = (flags & SYN) != 0 ? 12 : 0;
        int tcpLength = 20 + options + length;
        byte[] frame = new byte[ETHERNET + IPV4 + tcpLength];
        int ip = ethernetAndIp(frame, source, destination, 6, tcpLength);
        int tcp = ip + IPV4;
        Bytes.putU16(frame, tcp, sourcePort);
        Bytes.putU16(frame, tcp + 2, destinationPort);
        Bytes.putI32(frame, tcp + 4, (int) sequence);
        Bytes.putI32(frame, tcp + 8, (flags & ACK) != 0 ? (int) acknowledgement : 0);
        frame[tcp + 12] = (byte) (((20 + options) / 4) << 4);
        frame[tcp + 13] = (byte) flags;
        Bytes.putU16(frame, tcp + 14, window);
        if (options > 0) {
            int at = tcp + 20;
            frame[at] = 2;
            frame[at + 1] = 4;
            Bytes.putU16(frame, at + 2, 1460);
            frame[at + 4] = 4;
            frame[at + 5] = 2;
            frame[at + 6] = 1;
            frame[at + 7] = 3;
            frame[at + 8] = 3;
            frame[at + 9] = 7;
            frame[at + 10] = 1;
            frame[at + 11] = 1;
        }
        System.arraycopy(payload, offset, frame, tcp + 20 + options, length);
        Bytes.putU16(frame, tcp + 16, transportChecksum(frame, ip, tcp, tcpLength, 6));
        return frame;
    }

    byte[] udp(int source, int destination, int sourcePort, int destinationPort, byte[] payload)
    {
        int udpLength = 8 + payload.length;
        byte[] frame = new byte[ETHERNET + IPV4 + udpLength];
        int ip = ethernetAndIp(frame, source, destination, 17, udpLength);
        int udp = ip + IPV4;
        Bytes.putU16(frame, udp, sourcePort);
        Bytes.putU16(frame, udp + 2, destinationPort);
        Bytes.putU16(frame, udp + 4, udpLength);
        System.arraycopy(payload, 0, frame, udp + 8, payload.length);
        int checksum = transportChecksum(frame, ip, udp, udpLength, 17);
        Bytes.putU16(frame, udp + 6, checksum == 0 ? 0xFFFF : checksum);
        return frame;
    }

    private int ethernetAndIp(byte[] frame, int source, int destination, int protocol, int transportLength)
    {
        mac(frame, 0, destination);
        mac(frame, 6, source);
        Bytes.putU16(frame, 12, 0x0800);
        int ip = ETHERNET;
        frame[ip] = 0x45;
        Bytes.putU16(frame, ip + 2, IPV4 + transportLength);
        int id = identification.merge(source, 1, Integer::sum) & 0xFFFF;
        Bytes.putU16(frame, ip + 4, id);
        Bytes.putU16(frame, ip + 6, 0x4000);
        frame[ip + 8] = 64;
        frame[ip + 9] = (byte) protocol;
        Bytes.putI32(frame, ip + 12, source);
        Bytes.putI32(frame, ip + 16, destination);
        Bytes.putU16(frame, ip + 10, fold(sum(frame, ip, IPV4, 0)));
        return ip;
    }

    private static void mac(byte[] frame, int at, int address)
    {
        frame[at] = 0x02;
        frame[at + 1] = 0x42;
        Bytes.putI32(frame, at + 2, address);
    }

    private static int transportChecksum(byte[] frame, int ip, int transport, int length, int protocol)
    {
        long sum = sum(frame, ip + 12, 8, 0);
        sum += protocol;
        sum += length;
        sum = sum(frame, transport, length, sum);
        return fold(sum);
    }

    private static long sum(byte[] data, int offset, int length, long sum)
    {
        int end = offset + length;
        int index = offset;
        for (; index + 1 < end; index += 2) {
            sum += ((data[index] & 0xFF) << 8) | (data[index + 1] & 0xFF);
        }
        if (index < end) {
            sum += (data[index] & 0xFF) << 8;
        }
        return sum;
    }

    private static int fold(long sum)
    {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }
}
