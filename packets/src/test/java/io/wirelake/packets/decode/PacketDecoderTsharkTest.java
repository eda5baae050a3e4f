package io.wirelake.packets.decode;

import io.wirelake.packets.capture.CaptureReader;
import io.wirelake.packets.capture.CaptureReaders;
import io.wirelake.packets.testing.Corpus;
import io.wirelake.packets.testing.CorpusFrames;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every frame of every corpus capture decodes to the addresses and ports tshark shows for it.
 * Fragments: tshark shows ports on the frame that completes a datagram, as does the decoder.
 * tshark's rows come from {@link CorpusFrames}, run with IP reassembly on.
 */
class PacketDecoderTsharkTest
{
    private static final List<String> FIELDS = List.of("ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport",
            "ip.proto", "ipv6.nxt", "_ws.col.Protocol");

    static List<Corpus.Capture> captures()
    {
        return Corpus.captures();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void decodesTheSameAddressesAndPortsAsTshark(Corpus.Capture capture)
            throws IOException, InterruptedException
    {
        List<String[]> reference = CorpusFrames.of(capture).stream()
                .map(row -> FIELDS.stream().mapToInt(CorpusFrames::column).mapToObj(column -> row[column]).toArray(String[]::new))
                .toList();
        PacketDecoder decoder = new PacketDecoder();
        DecodedPacket packet = new DecodedPacket();
        int frame = 0;
        int compared = 0;
        try (CaptureReader reader = CaptureReaders.open(capture.path())) {
            while (reader.next()) {
                String[] expected = reference.get(frame++);
                DecodeStatus status = decoder.decode(reader.linkType(), reader.buffer(), reader.offset(), reader.capturedLength(), reader.timestampMicros(), packet);
                String source = first(expected[0]).isEmpty() ? first(expected[2]) : first(expected[0]);
                String destination = first(expected[1]).isEmpty() ? first(expected[3]) : first(expected[1]);
                if (status == DecodeStatus.DECODED || status == DecodeStatus.OTHER_TRANSPORT) {
                    assertThat(packet.sourceAddress()).as("%s frame %d source", capture, frame).isEqualTo(source);
                    assertThat(packet.destinationAddress()).as("%s frame %d destination", capture, frame).isEqualTo(destination);
                    String sourcePort = packet.transport == DecodedPacket.TCP ? first(expected[4]) : packet.transport == DecodedPacket.UDP ? first(expected[6]) : "";
                    String destinationPort = packet.transport == DecodedPacket.TCP ? first(expected[5]) : packet.transport == DecodedPacket.UDP ? first(expected[7]) : "";
                    if (!sourcePort.isEmpty()) {
                        assertThat(packet.sourcePort).as("%s frame %d source port", capture, frame).isEqualTo(Integer.parseInt(sourcePort));
                        assertThat(packet.destinationPort).as("%s frame %d destination port", capture, frame).isEqualTo(Integer.parseInt(destinationPort));
                    }
                    else if (packet.transport == DecodedPacket.TCP || packet.transport == DecodedPacket.UDP) {
                        throw new AssertionError(capture + " frame " + frame + ": decoded ports that tshark does not show (" + String.join("|", expected) + ")");
                    }
                    compared++;
                }
                else if (status == DecodeStatus.NOT_IP || status == DecodeStatus.UNSUPPORTED_LINK) {
                    assertThat(source).as("%s frame %d: tshark found IP where the decoder did not (%s)", capture, frame, status).isEmpty();
                }
                else if (status == DecodeStatus.FRAGMENT_HELD) {
                    assertThat(first(expected[4]) + first(expected[6])).as("%s frame %d: a held fragment has no ports in tshark", capture, frame).isEmpty();
                }
            }
        }
        assertThat(frame).isEqualTo(reference.size());
        if (!capture.name().contains("unknown-ip-protocol")) {
            assertThat(compared).as("frames compared in %s", capture).isGreaterThan(0);
        }
    }

    private static String first(String values)
    {
        int comma = values.indexOf(',');
        return comma < 0 ? values : values.substring(0, comma);
    }
}
