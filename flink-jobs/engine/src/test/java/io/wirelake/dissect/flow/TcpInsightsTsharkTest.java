package io.wirelake.dissect.flow;

import io.wirelake.columns.Column;
import io.wirelake.columns.Columns;
import io.wirelake.dissect.testing.Dissection;
import io.wirelake.packets.testing.Corpus;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The TCP insight metrics of the {@code flows} table against tshark's {@code tcp.analysis.*} on
 * the same captures: counts of duplicate ACKs, zero-window, window-full, keep-alive and fast
 * retransmission segments, and the ACK RTT samples (count, smallest, largest), summed over each
 * capture's connections. The captures include retransmissions, fast retransmissions, out-of-order
 * segments, keep-alives and window-full events. (Not ndpi/kafka.pcapng: its connections pause for
 * 300 s, where a flow here ends and Wireshark's stream goes on, so an ACK across the pause has no
 * segment to time. Not deepflow/xiangdao-retrans.pcap: its IPv4 total lengths claim 6 bytes more
 * than the frames hold, which tshark reads as empty segments and the decoder as 6-byte ones cut
 * short. Not zeek/tcp/handshake-reorder.pcap: tshark takes no RTT sample from the ACK of a SYN-ACK
 * that arrived before its SYN; here it is one.)
 */
class TcpInsightsTsharkTest
{
    @ParameterizedTest
    @ValueSource(strings = {"arkime/wireshark-retrans.pcap", "arkime/http-post-upload.pcap", "arkime/tcp-reassembly-synthetic.pcap",
            "zeek/tcp/retransmit-fast009.pcap", "zeek/redis/pubsub.pcap", "zeek/tls/ecdhe.pcap", "arkime/websocket.pcap",
            "tcpdump/resp_1_benchmark.pcap", "ndpi/amqp.pcap",
            "zeek/http/pipelined-requests.pcap", "zeek/nflog-http.pcap"})
    void metricsAgreeWithTsharksTcpAnalysis(String name)
            throws Exception
    {
        Path capture = Corpus.capture(name).path();
        List<GenericData.Record> flows = Dissection.of(capture).flows().stream().filter(flow -> (Boolean) flow.get("tcp")).toList();
        Map<String, Long> ours = new LinkedHashMap<>();
        ours.put("duplicate_ack", sum(flows, Columns.TCP_DUP_ACKS));
        ours.put("zero_window", sum(flows, Columns.TCP_ZERO_WINDOWS));
        ours.put("window_full", sum(flows, Columns.TCP_WINDOW_FULL));
        ours.put("keep_alive", sum(flows, Columns.TCP_KEEPALIVES));
        ours.put("fast_retransmission", sum(flows, Columns.TCP_FAST_RETRANSMISSIONS));
        ours.put("ack_rtt", sum(flows, Columns.TCP_RTT_SAMPLES));

        Map<String, Long> theirs = new LinkedHashMap<>();
        for (String flag : ours.keySet()) {
            theirs.put(flag, (long) Tshark.fields(capture, List.of("-Y", "tcp.analysis." + flag), "frame.number").size());
        }
        assertThat(ours).as(name).isEqualTo(theirs);

        List<Long> samples = Tshark.fields(capture, List.of("-Y", "tcp.analysis.ack_rtt"), "tcp.analysis.ack_rtt").stream()
                .map(row -> Math.round(Double.parseDouble(row[0]) * 1e6)).sorted().toList();
        if (!samples.isEmpty()) {
            long min = flows.stream().filter(flow -> (Long) flow.get("tcp_rtt_samples") > 0).mapToLong(flow -> (Long) flow.get("tcp_rtt_min")).min().orElseThrow();
            long max = flows.stream().mapToLong(flow -> (Long) flow.get("tcp_rtt_max")).max().orElseThrow();
            assertThat(min).as("smallest RTT sample in %s", name).isEqualTo(samples.get(0));
            assertThat(max).as("largest RTT sample in %s", name).isEqualTo(samples.get(samples.size() - 1));
        }
    }

    private static long sum(List<GenericData.Record> flows, Column column)
    {
        return flows.stream().mapToLong(flow -> (Long) Dissection.value(flow, column)).sum();
    }
}
