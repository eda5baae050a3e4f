package io.wirelake.dissect.flow;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.TcpAnalysisComparison;
import io.wirelake.packets.testing.Corpus;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The TCP analysis counters of the {@code flows} table against tshark's {@code tcp.analysis.*}
 * on every corpus capture, connection by connection and exactly: retransmissions (fast
 * and spurious ones too), out-of-order segments, lost segments, ACKed unseen segments, duplicate
 * ACKs, window updates, window-full and zero-window segments, keep-alives and ACK RTT samples,
 * plus each capture's smallest and largest RTT sample. Left out, with why: ndpi/kafka.pcapng
 * (its connections pause for 300 s, where a flow here ends and Wireshark's stream goes on) and
 * deepflow/xiangdao-retrans.pcap (its IPv4 total lengths claim 6 bytes more than the frames hold,
 * which tshark reads as empty segments and the decoder as 6-byte ones cut short).
 */
class TcpInsightsTsharkTest
{
    private static final Set<String> LEFT_OUT = Set.of("ndpi/kafka.pcapng", "deepflow/xiangdao-retrans.pcap");

    static List<Corpus.Capture> captures()
    {
        return Corpus.captures().stream().filter(capture -> !capture.damagedTail() && !LEFT_OUT.contains(capture.name())).toList();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void everyConnectionsCountersAreTsharks(Corpus.Capture capture)
            throws Exception
    {
        Path path = capture.path();
        List<GenericData.Record> flows = Dissection.of(path).flows();
        TcpAnalysisComparison.Analysis analysis = TcpAnalysisComparison.analysis(path, List.of(), flows);
        for (TcpAnalysisComparison.Connection connection : analysis.connections()) {
            assertThat(connection.ours()).as("%s %s", capture, connection.endpoints()).isEqualTo(connection.theirs());
        }
        List<Long> samples = analysis.ackRttMicros();
        assertThat(samples).as("tshark's ACK RTT samples, one per segment it flags").hasSize(
                (int) analysis.connections().stream().mapToLong(connection -> connection.theirs().get("ack_rtt")).sum());
        List<GenericData.Record> tcp = flows.stream().filter(flow -> (Boolean) flow.get("tcp")).toList();
        if (!samples.isEmpty()) {
            long min = tcp.stream().filter(flow -> (Long) flow.get("tcp_rtt_samples") > 0).mapToLong(flow -> (Long) flow.get("tcp_rtt_min")).min().orElseThrow();
            long max = tcp.stream().mapToLong(flow -> (Long) flow.get("tcp_rtt_max")).max().orElseThrow();
            // rows keep microseconds, tshark nanoseconds (pcapng): a difference of both ends' truncations is at most 1 µs
            assertThat(min).as("smallest RTT sample in %s", capture).isCloseTo(samples.get(0), within(1L));
            assertThat(max).as("largest RTT sample in %s", capture).isCloseTo(samples.get(samples.size() - 1), within(1L));
        }
    }
}
