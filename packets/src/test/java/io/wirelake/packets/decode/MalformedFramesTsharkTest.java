package io.wirelake.packets.decode;

import io.wirelake.packets.capture.CaptureReader;
import io.wirelake.packets.capture.CaptureReaders;
import io.wirelake.packets.capture.LinkType;
import io.wirelake.packets.capture.PcapWriter;
import io.wirelake.packets.testing.Tshark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frames the decoder calls malformed (or decodes with an anomaly) against tshark's verdict on the
 * same frames: a capture of damaged frames (headers cut short by the frame or by the snap length,
 * bad IHL, bad IP version, total length below the header, bad TCP data offset, bad UDP length,
 * short ICMP and IPv6 extension headers) and of well-formed ones between them. Per frame:
 * <ul>
 *   <li>the decoder finds trouble (status MALFORMED, or an anomaly) exactly when tshark does (an
 *   expert item of severity Error, or "Packet size limited during capture");</li>
 *   <li>the layer the anomaly names is the layer where tshark found it (the protocol its
 *   "Malformed Packet: X" or "X truncated" names, else the last layer it dissected).</li>
 * </ul>
 * Not compared: a truncated IP fragment (tshark neither reassembles nor flags it), and checksums
 * (tshark does not check them by default; the decoder does not check them at all).
 */
class MalformedFramesTsharkTest
{
    /** Wireshark's PI_ERROR, as {@code _ws.expert.severity} prints it. */
    private static final String SEVERITY_ERROR = "8388608";
    private static final Pattern MALFORMED_LAYER = Pattern.compile("\\[Malformed Packet: ([^\\]]+)]");
    private static final Pattern TRUNCATED_LAYER = Pattern.compile("\\[Packet size limited during capture: (.+) truncated]");

    /** One test frame: what it is, its bytes, and how many of them the capture keeps (the snap length cut). */
    private record Case(String name, byte[] frame, int captured)
    {
        Case(String name, byte[] frame)
        {
            this(name, frame, frame.length);
        }
    }

    @Test
    void decoderAndTsharkAgreeOnEveryDamagedFrame(@TempDir Path directory)
            throws IOException, InterruptedException
    {
        List<Case> cases = cases();
        Path capture = directory.resolve("malformed.pcap");
        try (OutputStream file = Files.newOutputStream(capture); PcapWriter writer = new PcapWriter(file, LinkType.ETHERNET, 65535)) {
            long time = 1_700_000_000_000_000L;
            for (Case test : cases) {
                writer.write(time, test.frame(), 0, test.captured(), test.frame().length);
                time += 1000;
            }
        }
        List<String[]> reference = Tshark.fields(capture, List.of(), "frame.protocols", "_ws.malformed", "_ws.short", "_ws.expert.message",
                "_ws.expert.severity");
        assertThat(reference).hasSameSizeAs(cases);

        PacketDecoder decoder = new PacketDecoder();
        DecodedPacket packet = new DecodedPacket();
        int frame = 0;
        List<String> troubled = new ArrayList<>();
        try (CaptureReader reader = CaptureReaders.open(capture)) {
            while (reader.next()) {
                Case test = cases.get(frame);
                String[] tshark = reference.get(frame);
                frame++;
                DecodeStatus status = decoder.decode(reader.linkType(), reader.buffer(), reader.offset(), reader.capturedLength(), reader.timestampMicros(), packet);
                boolean ours = status == DecodeStatus.MALFORMED || packet.anomaly != null;
                List<String> severities = Arrays.asList(tshark[4].split(","));
                boolean theirs = severities.contains(SEVERITY_ERROR) || !tshark[2].isEmpty();
                String described = String.format(Locale.ROOT, "frame %d (%s): decoder %s %s, tshark %s", frame, test.name(), status, packet.anomaly,
                        String.join(" | ", tshark));
                assertThat(ours).as("trouble found by the decoder and by tshark agree on " + described).isEqualTo(theirs);
                if (ours) {
                    troubled.add(test.name());
                    assertThat(layerOf(packet.anomaly)).as("layer of " + described).isEqualTo(tsharkLayer(tshark));
                }
                else {
                    assertThat(status).as(described).isEqualTo(DecodeStatus.DECODED);
                }
            }
        }
        assertThat(frame).isEqualTo(cases.size());
        assertThat(troubled).as("damaged frames found damaged by both").isEqualTo(cases.stream().map(Case::name).filter(name -> !name.startsWith("valid")).toList());
    }

    /** The protocol layer an anomaly's name starts with: link, ipv4, ipv6, tcp, udp, icmp. */
    private static String layerOf(String anomaly)
    {
        return anomaly.substring(0, anomaly.indexOf('.'));
    }

    /** Where tshark found the trouble, in the decoder's layer names. */
    private static String tsharkLayer(String[] tshark)
    {
        String protocol;
        Matcher malformed = MALFORMED_LAYER.matcher(tshark[1]);
        Matcher truncated = TRUNCATED_LAYER.matcher(tshark[2]);
        if (malformed.find()) {
            protocol = malformed.group(1);
        }
        else if (truncated.find()) {
            protocol = truncated.group(1);
        }
        else if (tshark[3].contains("Bogus IPv6 version")) {
            // Wireshark's IPv6 dissector refuses the packet, so the frame's layers end in "data": only the message names it.
            protocol = "IPv6";
        }
        else {
            List<String> layers = Arrays.asList(tshark[0].split(":"));
            protocol = layers.get(layers.size() - 1);
        }
        String lower = protocol.toLowerCase(Locale.ROOT);
        if (lower.equals("ethernet") || lower.equals("eth") || lower.equals("802.1q virtual lan") || lower.equals("vlan")) {
            return "link";
        }
        if (lower.equals("ip") || lower.equals("ipv4")) {
            return "ipv4";
        }
        if (lower.startsWith("ipv6")) {
            return "ipv6";
        }
        return lower;
    }

    private static List<Case> cases()
    {
        byte[] tcpSegment = tcp(5, new byte[0]);
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("valid TCP", ethernet(0x0800, ipv4(6, tcp(5, bytes(12))))));
        cases.add(new Case("Ethernet header of 10 bytes", Arrays.copyOf(ethernet(0x0800, ipv4(6, tcpSegment)), 10)));
        cases.add(new Case("802.1Q tag cut short", concat(Arrays.copyOf(ethernet(0x8100, new byte[0]), 14), new byte[] {0, 1})));
        cases.add(new Case("IPv4 header of 12 bytes", ethernet(0x0800, Arrays.copyOf(ipv4(6, tcpSegment), 12))));
        cases.add(new Case("IPv4 IHL 3 (12 bytes)", ethernet(0x0800, withByte(ipv4(6, tcpSegment), 0, 0x43))));
        cases.add(new Case("IPv4 header with version 5", ethernet(0x0800, withByte(ipv4(6, tcpSegment), 0, 0x55))));
        cases.add(new Case("IPv4 total length 12, below its header", ethernet(0x0800, withShort(ipv4(6, tcpSegment), 2, 12))));
        cases.add(new Case("valid UDP", ethernet(0x0800, ipv4(17, udp(8 + 4, bytes(4))))));
        cases.add(new Case("TCP header of 10 bytes", ethernet(0x0800, ipv4(6, Arrays.copyOf(tcpSegment, 10)))));
        cases.add(new Case("TCP data offset 3", ethernet(0x0800, ipv4(6, tcp(3, new byte[0])))));
        cases.add(new Case("TCP data offset 15 in a 20-byte segment", ethernet(0x0800, ipv4(6, withByte(tcpSegment, 12, 15 << 4)))));
        cases.add(new Case("UDP header of 5 bytes", ethernet(0x0800, ipv4(17, Arrays.copyOf(udp(12, bytes(4)), 5)))));
        cases.add(new Case("UDP length 4", ethernet(0x0800, ipv4(17, udp(4, bytes(4))))));
        cases.add(new Case("ICMP header of 2 bytes", ethernet(0x0800, ipv4(1, new byte[] {8, 0}))));
        cases.add(new Case("valid ICMP echo", ethernet(0x0800, ipv4(1, icmpEcho()))));
        cases.add(new Case("IPv6 header of 21 bytes", ethernet(0x86DD, Arrays.copyOf(ipv6(17, udp(12, bytes(4))), 21))));
        cases.add(new Case("IPv6 header with version 4", ethernet(0x86DD, withByte(ipv6(17, udp(12, bytes(4))), 0, 0x40))));
        cases.add(new Case("IPv6 hop-by-hop header of 4 bytes", ethernet(0x86DD, ipv6(0, new byte[] {17, 0, 0, 0}))));
        cases.add(new Case("valid IPv6 TCP", ethernet(0x86DD, ipv6(6, tcp(5, bytes(8))))));
        byte[] long_ = ethernet(0x0800, ipv4(6, tcp(5, bytes(100))));
        cases.add(new Case("IPv4 header cut by the snap length", long_, 14 + 12));
        cases.add(new Case("TCP header cut by the snap length", long_, 14 + 20 + 10));
        byte[] withOptions = ethernet(0x0800, ipv4(6, tcp(8, bytes(100))));
        cases.add(new Case("TCP options cut by the snap length", withOptions, 14 + 20 + 24));
        cases.add(new Case("valid TCP after them", ethernet(0x0800, ipv4(6, tcp(5, bytes(1))))));
        return cases;
    }

    private static byte[] ethernet(int etherType, byte[] payload)
    {
        ByteBuffer frame = ByteBuffer.allocate(14 + payload.length);
        frame.put(new byte[] {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01});
        frame.putShort((short) etherType);
        return frame.put(payload).array();
    }

    /** An IPv4 header (10.0.0.1 to 10.0.0.2, no options, correct checksum) and its payload. */
    private static byte[] ipv4(int protocol, byte[] payload)
    {
        ByteBuffer packet = ByteBuffer.allocate(20 + payload.length);
        packet.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length)).putShort((short) 1).putShort((short) 0);
        packet.put((byte) 64).put((byte) protocol).putShort((short) 0);
        packet.put(new byte[] {10, 0, 0, 1}).put(new byte[] {10, 0, 0, 2});
        byte[] bytes = packet.put(payload).array();
        int sum = 0;
        for (int index = 0; index < 20; index += 2) {
            sum += ((bytes[index] & 0xFF) << 8) | (bytes[index + 1] & 0xFF);
        }
        sum = (sum >>> 16) + (sum & 0xFFFF);
        sum += sum >>> 16;
        return withShort(bytes, 10, ~sum & 0xFFFF);
    }

    /** An IPv6 header (fd00::1 to fd00::2) and its payload. */
    private static byte[] ipv6(int nextHeader, byte[] payload)
    {
        ByteBuffer packet = ByteBuffer.allocate(40 + payload.length);
        packet.putInt(0x60000000).putShort((short) payload.length).put((byte) nextHeader).put((byte) 64);
        byte[] source = new byte[16];
        source[0] = (byte) 0xFD;
        source[15] = 1;
        byte[] destination = source.clone();
        destination[15] = 2;
        return packet.put(source).put(destination).put(payload).array();
    }

    /** A TCP segment from port 40000 to 9999 (PSH ACK) with a data offset of {@code words}; options (if any) are NOPs. */
    private static byte[] tcp(int words, byte[] payload)
    {
        int header = Math.max(20, words * 4);
        ByteBuffer segment = ByteBuffer.allocate(header + payload.length);
        segment.putShort((short) 40000).putShort((short) 9999).putInt(1).putInt(1);
        segment.put((byte) (words << 4)).put((byte) 0x18).putShort((short) 1024).putShort((short) 0).putShort((short) 0);
        while (segment.position() < header) {
            segment.put((byte) 1);
        }
        return segment.put(payload).array();
    }

    /** A UDP datagram from port 40000 to 9999 (no protocol tshark would dissect further) whose length field says {@code length}. */
    private static byte[] udp(int length, byte[] payload)
    {
        ByteBuffer datagram = ByteBuffer.allocate(8 + payload.length);
        datagram.putShort((short) 40000).putShort((short) 9999).putShort((short) length).putShort((short) 0);
        return datagram.put(payload).array();
    }

    /** An ICMP echo request with a correct checksum (tshark checks ICMP checksums). */
    private static byte[] icmpEcho()
    {
        byte[] message = {8, 0, 0, 0, 0, 1, 0, 1, 'p', 'i', 'n', 'g'};
        int sum = 0;
        for (int index = 0; index < message.length; index += 2) {
            sum += ((message[index] & 0xFF) << 8) | (message[index + 1] & 0xFF);
        }
        sum = (sum >>> 16) + (sum & 0xFFFF);
        sum += sum >>> 16;
        return withShort(message, 2, ~sum & 0xFFFF);
    }

    private static byte[] bytes(int count)
    {
        byte[] bytes = new byte[count];
        Arrays.fill(bytes, (byte) 'x');
        return bytes;
    }

    private static byte[] withByte(byte[] bytes, int index, int value)
    {
        byte[] copy = bytes.clone();
        copy[index] = (byte) value;
        return copy;
    }

    private static byte[] withShort(byte[] bytes, int index, int value)
    {
        byte[] copy = bytes.clone();
        copy[index] = (byte) (value >>> 8);
        copy[index + 1] = (byte) value;
        return copy;
    }

    private static byte[] concat(byte[] first, byte[] second)
    {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
