package io.wirelake.cli;

import io.wirelake.packets.capture.CaptureReader;
import io.wirelake.packets.capture.CaptureReaders;
import io.wirelake.packets.capture.LinkType;
import io.wirelake.packets.capture.PcapWriter;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static java.util.Objects.requireNonNull;

/**
 * The real-traffic corpus at a size: a recorded seed capture repeated until the size is reached,
 * each repetition later than the one before (its times shifted by the seed's duration and a
 * second) and on addresses of its own, so that repeated conversations are new conversations and
 * not retransmissions of old ones. Repetition {@code k} rewrites every IPv4 address's middle two
 * bytes with {@code k} (XOR, so the seed's loopback {@code 127.0.0.1} becomes
 * {@code 127.<k/256>.<k%256>.1}) and updates the IPv4, TCP and UDP checksums incrementally
 * (RFC 1624), leaving a checksum exactly as right or wrong as it was recorded. The last repetition
 * stops at the packet that reaches the size, as a capture window would cut it.
 */
final class RealCorpus
{
    /** A built corpus file. */
    record Capture(Path file, long bytes, long packets, int repetitions)
    {
        Capture
        {
            requireNonNull(file, "file is null");
        }
    }

    private static final int ETHERNET_HEADER = 14;
    private static final int ETHER_TYPE_IPV4 = 0x0800;

    private RealCorpus() {}

    /** Writes {@code output} (classic pcap) from the seed, at least {@code targetBytes} long unless the seed is empty. */
    static Capture build(Path seed, long targetBytes, Path output)
            throws IOException
    {
        long first;
        long last;
        try (CaptureReader reader = CaptureReaders.open(seed)) {
            if (!reader.next()) {
                throw new IOException(seed + " holds no packets");
            }
            if (reader.linkType() != LinkType.ETHERNET) {
                throw new IOException(seed + " is not an Ethernet capture (link type " + reader.linkType() + ")");
            }
            first = reader.timestampMicros();
            last = first;
            while (reader.next()) {
                last = Math.max(last, reader.timestampMicros());
            }
        }
        long period = last - first + 1_000_000;
        Path partial = output.resolveSibling(output.getFileName() + ".partial");
        long packets = 0;
        int repetition = 0;
        try (PcapWriter writer = new PcapWriter(Files.newOutputStream(partial), LinkType.ETHERNET, 262_144)) {
            while (writer.bytesWritten() < targetBytes) {
                try (CaptureReader reader = CaptureReaders.open(seed)) {
                    while (reader.next() && writer.bytesWritten() < targetBytes) {
                        byte[] frame = reader.buffer();
                        int offset = reader.offset();
                        int length = reader.capturedLength();
                        if (repetition > 0) {
                            frame = java.util.Arrays.copyOfRange(frame, offset, offset + length);
                            offset = 0;
                            readdress(frame, length, repetition);
                        }
                        writer.write(reader.timestampMicros() + repetition * period, frame, offset, length, reader.originalLength());
                        packets++;
                    }
                }
                repetition++;
            }
        }
        Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING);
        return new Capture(output, Files.size(output), packets, repetition);
    }

    /** Gives an Ethernet frame's IPv4 addresses repetition {@code k}'s middle bytes and keeps its checksums consistent. */
    static void readdress(byte[] frame, int length, int repetition)
    {
        if (length < ETHERNET_HEADER + 20 || (((frame[12] & 0xFF) << 8) | (frame[13] & 0xFF)) != ETHER_TYPE_IPV4 || (frame[ETHERNET_HEADER] >> 4) != 4) {
            return;
        }
        int ip = ETHERNET_HEADER;
        int headerLength = (frame[ip] & 0x0F) * 4;
        int delta = repetition & 0xFFFF;
        // addresses at ip+12 and ip+16; their middle 16 bits are the words at ip+13 and ip+17, which are not word-aligned:
        // XOR whole bytes and let the checksum follow the old and new 16-bit words that hold them
        int checksumDelta = 0;
        for (int address : new int[] {ip + 12, ip + 16}) {
            int oldHigh = word(frame, address);
            int oldLow = word(frame, address + 2);
            frame[address + 1] ^= (byte) (delta >> 8);
            frame[address + 2] ^= (byte) delta;
            checksumDelta = add(checksumDelta, add(~oldHigh & 0xFFFF, word(frame, address)));
            checksumDelta = add(checksumDelta, add(~oldLow & 0xFFFF, word(frame, address + 2)));
        }
        adjust(frame, ip + 10, checksumDelta);
        boolean firstFragment = ((((frame[ip + 6] & 0x1F) << 8) | (frame[ip + 7] & 0xFF)) == 0);
        int transport = ip + headerLength;
        int protocol = frame[ip + 9] & 0xFF;
        if (!firstFragment) {
            return;
        }
        // TCP and UDP checksums cover the addresses through the pseudo-header
        if (protocol == 6 && transport + 18 <= length) {
            adjust(frame, transport + 16, checksumDelta);
        }
        else if (protocol == 17 && transport + 8 <= length && word(frame, transport + 6) != 0) {
            adjust(frame, transport + 6, checksumDelta);
        }
    }

    /** RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), with the sum of the (~m + m') terms given. */
    private static void adjust(byte[] frame, int at, int delta)
    {
        int checksum = word(frame, at);
        int updated = ~add(~checksum & 0xFFFF, delta) & 0xFFFF;
        frame[at] = (byte) (updated >> 8);
        frame[at + 1] = (byte) updated;
    }

    /** One's-complement 16-bit addition. */
    private static int add(int first, int second)
    {
        int sum = first + second;
        return (sum & 0xFFFF) + (sum >>> 16);
    }

    private static int word(byte[] frame, int at)
    {
        return ((frame[at] & 0xFF) << 8) | (frame[at + 1] & 0xFF);
    }
}
