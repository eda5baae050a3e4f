package io.wirelake.dissect.recorded;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.ImpairedLink;
import io.wirelake.dissect.testing.LoopbackCapture;
import io.wirelake.dissect.testing.TcpAnalysisComparison;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TCP over a lossy path: two network namespaces joined through a relay that drops, duplicates
 * and reorders data segments ({@link ImpairedLink}, seeded), socat moving a file each way over
 * Linux's TCP (SACK, fast retransmit, RTO, tail loss probes), recorded on both ends of the path.
 * Near the sender, losses show as retransmissions; near the receiver, as segments not captured
 * and data ACKed before it is seen, and reordering as out-of-order segments. Per connection, each
 * counter is within 5% of tshark's {@code tcp.analysis.*} on the same capture.
 */
@Tag("root")
class LossyTransferTest
{
    private static final int SIZE = 1_500_000;

    @TempDir
    static Path directory;
    static Path nearClient;
    static Path nearServer;
    static ImpairedLink.Impairment impairment = new ImpairedLink.Impairment(0.02, 0.01, 0.03, 20260101L);
    static long dropped;
    static long duplicated;
    static long reordered;

    @BeforeAll
    static void record()
            throws Exception
    {
        byte[] blob = new byte[SIZE];
        new Random(7).nextBytes(blob);
        Path file = Files.write(directory.resolve("blob"), blob);
        try (ImpairedLink link = ImpairedLink.create(impairment);
                LoopbackCapture client = LoopbackCapture.startIn(link.namespace("a"), link.device("a"), directory.resolve("near-client.pcap"), "tcp");
                LoopbackCapture server = LoopbackCapture.startIn(link.namespace("b"), link.device("b"), directory.resolve("near-server.pcap"), "tcp")) {
            // a download: the server in b sends the file
            Process sender = link.start("b", "socat", "-u", "FILE:" + file, "TCP-LISTEN:9000,reuseaddr");
            waitForListener(link, 9000);
            link.in("a", "socat", "-u", "TCP:" + ImpairedLink.B + ":9000", "CREATE:" + directory.resolve("downloaded"));
            assertThat(sender.waitFor()).isZero();
            // an upload: the client in a sends it
            Process receiver = link.start("b", "socat", "-u", "TCP-LISTEN:9001,reuseaddr", "CREATE:" + directory.resolve("uploaded"));
            waitForListener(link, 9001);
            link.in("a", "socat", "-u", "FILE:" + file, "TCP:" + ImpairedLink.B + ":9001");
            assertThat(receiver.waitFor()).isZero();
            dropped = link.dropped();
            duplicated = link.duplicated();
            reordered = link.reordered();
            nearClient = client.stop();
            nearServer = server.stop();
        }
        // the path lost and mangled segments, and TCP delivered every byte anyway
        assertThat(Files.readAllBytes(directory.resolve("downloaded"))).isEqualTo(blob);
        assertThat(Files.readAllBytes(directory.resolve("uploaded"))).isEqualTo(blob);
    }

    private static void waitForListener(ImpairedLink link, int port)
            throws Exception
    {
        for (int attempt = 0; attempt < 100; attempt++) {
            if (link.in("b", "ss", "-ltn").contains(":" + port + " ")) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("nothing listens on " + port + " in the server's namespace");
    }

    @Test
    void everyCounterIsWithinFivePercentOfTsharksOnBothEnds()
            throws Exception
    {
        assertThat(dropped).as("segments the relay dropped").isPositive();
        assertThat(duplicated).as("segments the relay duplicated").isPositive();
        assertThat(reordered).as("segments the relay reordered").isPositive();
        Map<String, Long> seen = new java.util.LinkedHashMap<>();
        for (Path capture : List.of(nearClient, nearServer)) {
            List<TcpAnalysisComparison.Connection> connections = TcpAnalysisComparison.connections(capture, List.of(), Dissection.of(capture).flows());
            assertThat(connections).as("connections in %s", capture.getFileName()).hasSize(2);
            for (TcpAnalysisComparison.Connection connection : connections) {
                for (String flag : TcpAnalysisComparison.COUNTERS.keySet()) {
                    long theirs = connection.theirs().get(flag);
                    long ours = connection.ours().get(flag);
                    assertThat(ours).as("%s in %s, %s", flag, capture.getFileName(), connection.endpoints()).isCloseTo(theirs, org.assertj.core.data.Offset.offset(theirs / 20));
                    seen.merge(flag, theirs, Long::sum);
                }
            }
        }
        // the recording has what the counters are about
        assertThat(seen.get("retransmission")).isPositive();
        assertThat(seen.get("out_of_order")).isPositive();
        assertThat(seen.get("lost_segment")).isPositive();
        assertThat(seen.get("duplicate_ack")).isPositive();
    }
}
