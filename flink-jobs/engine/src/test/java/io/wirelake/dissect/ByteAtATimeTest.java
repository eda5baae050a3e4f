package io.wirelake.dissect;

import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.demo.GeneratorOptions;
import io.wirelake.dissect.protocol.DatagramDissector;
import io.wirelake.dissect.protocol.Detection;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.ProtocolDetector;
import io.wirelake.dissect.protocol.ProtocolRegistry;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.protocol.Transport;
import io.wirelake.dissect.testing.Dissection;
import io.wirelake.packets.testing.Corpus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stream parsers (HTTP/1.x, HTTP/2, DNS over TCP, ...) fed one byte per call produce exactly the rows they
 * produce from whole segments: no state may depend on how the bytes were chunked.
 */
class ByteAtATimeTest
{
    @ParameterizedTest
    @ValueSource(strings = {
            "zeek/http/pipelined-requests.pcap",
            "arkime/http-post-upload.pcap",
            "arkime/tcp-reassembly-synthetic.pcap",
            "arkime/wireshark-retrans.pcap",
            "zeek/http/websocket.pcap",
            "arkime/dns-tcp.pcap",
            "deepflow/dns/dns-tcp-multi.pcap",
            "tcpdump/dns_tcp.pcap",
            "zeek/redis/pipelining-example.pcap",
            "zeek/redis/pubsub.pcap",
            "tcpdump/resp_1_benchmark.pcap",
            "tcpdump/resp_2_inline.pcap",
            "deepflow/redis/redis-debug.pcap",
            "arkime/tls-split-client-hello.pcap",
            "arkime/openssl-tls1_2.pcap",
            "zeek/tls/ecdhe.pcap",
            "arkime/diameter_synthetic.pcap",
            "ndpi/diameter.pcap",
            "arkime/http2-nghttp2.pcap",
            "suricata-verify/http2-continuation/input.pcap",
            "deepflow/http/h2c_ascii.pcap",
            "ndpi/http2.pcapng",
            "arkime/kafka.pcap",
            "ndpi/kafka.pcapng",
            "deepflow/kafka/mixed-with-unsupported.pcap",
            "arkime/ldap-and-search.pcap",
            "zeek/ldap/ldap-add.pcap",
            "ndpi/amqp.pcap",
            "deepflow/amqp/amqp1.pcap",
    })
    void corpusCaptureByteByByte(String name)
    {
        Path capture = Corpus.capture(name).path();
        Dissection whole = Dissection.of(capture);
        Dissection trickled = Dissection.of(byteAtATime(), capture);
        assertThat(whole.calls()).isNotEmpty();
        assertThat(trickled.calls()).isEqualTo(whole.calls());
    }

    @Test
    void demoTrafficWithChunkedAndGzipBodiesByteByByte(@TempDir Path directory)
            throws Exception
    {
        List<Path> captures = DemoTrafficGenerator.generate(GeneratorOptions.defaults(600_000).withSeed(7), directory, null).captures();
        Dissection whole = Dissection.of(captures.toArray(Path[]::new));
        Dissection trickled = Dissection.of(byteAtATime(), captures.toArray(Path[]::new));
        assertThat(whole.calls()).hasSizeGreaterThan(100);
        assertThat(trickled.calls()).isEqualTo(whole.calls());
    }

    /** Every standard detector; the stream ones trickle. */
    private static ProtocolRegistry byteAtATime()
    {
        return new ProtocolRegistry(ProtocolRegistry.standard().detectors().stream()
                .map(detector -> detector.transport() == Transport.TCP ? new Trickle(detector) : detector)
                .toList());
    }

    /** A detector whose stream dissector receives every chunk one byte at a time. */
    private record Trickle(ProtocolDetector detector)
            implements ProtocolDetector
    {
        @Override
        public String name()
        {
            return detector.name();
        }

        @Override
        public Transport transport()
        {
            return detector.transport();
        }

        @Override
        public Set<String> upgradeTokens()
        {
            return detector.upgradeTokens();
        }

        @Override
        public Set<Long> sctpPayloadProtocols()
        {
            return detector.sctpPayloadProtocols();
        }

        @Override
        public boolean hintsPort(int port)
        {
            return detector.hintsPort(port);
        }

        @Override
        public Detection detect(boolean fromClient, byte[] data, int offset, int length, int serverPort)
        {
            return detector.detect(fromClient, data, offset, length, serverPort);
        }

        @Override
        public DatagramDissector newDatagramDissector(DissectionContext context)
        {
            return detector.newDatagramDissector(context);
        }

        @Override
        public StreamDissector newStreamDissector(DissectionContext context)
        {
            StreamDissector inner = detector.newStreamDissector(context);
            return new StreamDissector()
            {
                @Override
                public void data(boolean fromClient, byte[] data, int offset, int length, long timestampMicros)
                {
                    for (int index = 0; index < length; index++) {
                        inner.data(fromClient, data, offset + index, 1, timestampMicros);
                    }
                }

                @Override
                public void gap(boolean fromClient, long bytes, long timestampMicros)
                {
                    inner.gap(fromClient, bytes, timestampMicros);
                }

                @Override
                public void end(long timestampMicros)
                {
                    inner.end(timestampMicros);
                }

                @Override
                public void upgradedFrom(String method, String target, String host, long requestTimestampMicros)
                {
                    inner.upgradedFrom(method, target, host, requestTimestampMicros);
                }
            };
        }
    }
}
