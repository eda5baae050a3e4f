package io.wirelake.cli;

import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.demo.GeneratorOptions;
import io.wirelake.packets.capture.CaptureReader;
import io.wirelake.packets.capture.CaptureReaders;
import io.wirelake.packets.testing.Tshark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real corpus's repetition, checked by tshark: checksums it verifies stay right, each
 * repetition's conversations are new conversations on addresses of their own, times only go
 * forward, and the last repetition stops at the size.
 */
class RealCorpusTest
{
    private static final List<String> CHECK_CHECKSUMS = List.of("-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE");

    @TempDir
    Path directory;

    @Test
    void repetitionsAreNewConversationsWithChecksumsKept()
            throws Exception
    {
        // the generator writes right checksums: a wrong one after repetition is the rewrite's fault
        Path seed = DemoTrafficGenerator.generate(GeneratorOptions.defaults(300_000), directory.resolve("seed"), bytes -> {}).captures().get(0);
        assertThat(badChecksums(seed)).isZero();
        long seedBytes = Files.size(seed);

        RealCorpus.Capture twice = RealCorpus.build(seed, 2 * seedBytes - 24, directory.resolve("twice.pcap"));
        assertThat(twice.repetitions()).isEqualTo(2);
        assertThat(twice.bytes()).isEqualTo(2 * seedBytes - 24);
        assertThat(badChecksums(twice.file())).isZero();
        assertThat(tcpStreams(twice.file())).isEqualTo(2 * tcpStreams(seed));
        assertThat(httpRequests(twice.file())).isEqualTo(2 * httpRequests(seed));
        // the second repetition's packets are the seed's on addresses with the middle bytes XOR 1
        List<String[]> seedAddresses = addresses(seed);
        List<String[]> twiceAddresses = addresses(twice.file());
        assertThat(twiceAddresses).hasSize(2 * seedAddresses.size());
        for (int index = 0; index < seedAddresses.size(); index++) {
            String[] original = seedAddresses.get(index);
            assertThat(twiceAddresses.get(index)).containsExactly(original);
            assertThat(twiceAddresses.get(seedAddresses.size() + index)).containsExactly(moved(original[0], 1), moved(original[1], 1));
        }
        assertTimeOrdered(twice.file());

        // a size between repetitions: the third repetition is cut at the first packet that reaches it
        RealCorpus.Capture cut = RealCorpus.build(seed, 2 * seedBytes + seedBytes / 2, directory.resolve("cut.pcap"));
        assertThat(cut.repetitions()).isEqualTo(3);
        assertThat(cut.bytes()).isGreaterThanOrEqualTo(2 * seedBytes + seedBytes / 2).isLessThan(2 * seedBytes + seedBytes / 2 + 70_000);
        assertThat(badChecksums(cut.file())).isZero();
        assertTimeOrdered(cut.file());
    }

    @Test
    void loopbackAddressesBecomeOneAddressPerRepetition()
    {
        byte[] frame = new byte[54];
        frame[12] = 0x08;
        frame[14] = 0x45;
        frame[23] = 6;
        byte[] loopback = {127, 0, 0, 1};
        System.arraycopy(loopback, 0, frame, 26, 4);
        System.arraycopy(loopback, 0, frame, 30, 4);
        RealCorpus.readdress(frame, frame.length, 258);
        assertThat(new byte[] {frame[26], frame[27], frame[28], frame[29]}).containsExactly(127, 1, 2, 1);
        assertThat(new byte[] {frame[30], frame[31], frame[32], frame[33]}).containsExactly(127, 1, 2, 1);
    }

    private static long badChecksums(Path capture)
            throws Exception
    {
        List<String> options = new java.util.ArrayList<>(CHECK_CHECKSUMS);
        options.addAll(List.of("-Y", "ip.checksum.status == \"Bad\" || tcp.checksum.status == \"Bad\" || udp.checksum.status == \"Bad\""));
        return Tshark.fields(capture, options, "frame.number").size();
    }

    private static long tcpStreams(Path capture)
            throws Exception
    {
        return Tshark.fields(capture, List.of("-Y", "tcp.flags.syn == 1 && tcp.flags.ack == 0"), "tcp.stream").stream().map(row -> row[0]).distinct().count();
    }

    private static long httpRequests(Path capture)
            throws Exception
    {
        return Tshark.fields(capture, List.of("-Y", "http.request"), "frame.number").size();
    }

    /** Each IPv4 packet's source and destination, in order. */
    private static List<String[]> addresses(Path capture)
            throws Exception
    {
        return Tshark.fields(capture, List.of("-Y", "ip"), "ip.src", "ip.dst");
    }

    private static String moved(String address, int repetition)
    {
        String[] bytes = address.split("\\.");
        int middle = ((Integer.parseInt(bytes[1]) << 8) | Integer.parseInt(bytes[2])) ^ repetition;
        return bytes[0] + "." + (middle >> 8) + "." + (middle & 0xFF) + "." + bytes[3];
    }

    private static void assertTimeOrdered(Path capture)
            throws Exception
    {
        long previous = Long.MIN_VALUE;
        try (CaptureReader reader = CaptureReaders.open(capture)) {
            while (reader.next()) {
                assertThat(reader.timestampMicros()).isGreaterThanOrEqualTo(previous);
                previous = reader.timestampMicros();
            }
        }
    }
}
