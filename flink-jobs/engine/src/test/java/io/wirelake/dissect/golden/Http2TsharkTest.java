package io.wirelake.dissect.golden;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.packets.testing.Corpus;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/2 and gRPC against tshark's HTTP/2 dissector on the same corpus captures (decoded as h2c on
 * their ports): the methods, paths, authorities and statuses of every stream, and for gRPC the
 * service and method. Includes CONTINUATION frames, server push, RST_STREAM, captures that start
 * mid-connection (HPACK entries from before the capture are unknown to both), and segmented frames.
 */
class Http2TsharkTest
{
    @ParameterizedTest
    @CsvSource({
            "arkime/http2-nghttp2.pcap, 80",
            "suricata-verify/http2-continuation/input.pcap, 8080",
            "deepflow/http/h2c_ascii.pcap, 7070",
            "deepflow/http/grpc-unary.pcap, 30035",
            "deepflow/http/grpc-segmented.pcap, 20035",
            "deepflow/http/grpc-server-stream.pcap, 9001",
            "deepflow/http/grpc-unknown.pcap, 7000",
            "deepflow/http/http2-multi.pcap, 3550",
            "ndpi/http2.pcapng, 29518",
    })
    void streamsAgreeWithTshark(String name, int port)
            throws Exception
    {
        Path capture = Corpus.capture(name).path();
        List<GenericData.Record> rows = Dissection.of(capture).calls().stream().filter(row -> "HTTP/2".equals(row.get("http_version").toString())).toList();
        assertThat(rows).as(name).isNotEmpty();
        // tshark 4.0's gRPC dissector asserts on streams whose request it did not see (a capture that starts
        // mid-connection) and says so on standard error; only HTTP/2's own header fields are compared here.
        List<String> decodeAs = List.of("-d", "tcp.port==" + port + ",http2", "--disable-protocol", "grpc",
                "-Y", "http2.headers.method || http2.headers.status");
        assertThat(values(rows, "method")).as("methods").containsExactlyInAnyOrderElementsOf(tshark(capture, decodeAs, "http2.headers.method"));
        assertThat(values(rows, "path")).as("paths").containsExactlyInAnyOrderElementsOf(tshark(capture, decodeAs, "http2.headers.path"));
        assertThat(values(rows, "host")).as("authorities").containsExactlyInAnyOrderElementsOf(tshark(capture, decodeAs, "http2.headers.authority"));
        assertThat(values(rows, "status_code").stream().filter(status -> !status.equals("0")).toList()).as("statuses")
                .containsExactlyInAnyOrderElementsOf(tshark(capture, decodeAs, "http2.headers.status"));
        for (GenericData.Record row : rows) {
            boolean grpc = (Boolean) row.get("grpc");
            assertThat(row.get("protocol").toString()).isEqualTo(grpc ? "gRPC" : "HTTP");
            String path = row.get("path").toString();
            if (grpc && !path.isEmpty()) {
                assertThat("/" + row.get("grpc_service") + "/" + row.get("grpc_method")).isEqualTo(path);
            }
        }
    }

    @Test
    void serverPushAndContinuationsMatchArkime()
    {
        // Arkime's expected output for this capture: paths "/" and "/stylesheets/screen.css" on nghttp2.org,
        // and request headers continuation-test-1..6 (sent in CONTINUATION frames).
        List<GenericData.Record> rows = Dissection.of(Corpus.capture("arkime/http2-nghttp2.pcap").path()).calls("HTTP");
        assertThat(rows).extracting(row -> row.get("path").toString()).containsExactly("/", "/stylesheets/screen.css");
        assertThat(rows).extracting(row -> row.get("host").toString()).containsOnly("nghttp2.org");
        @SuppressWarnings("unchecked")
        java.util.Map<Object, Object> headers = (java.util.Map<Object, Object>) rows.get(0).get("request_headers");
        List<String> names = headers.keySet().stream().map(Object::toString).sorted().toList();
        assertThat(names).contains("accept", "accept-encoding", "user-agent", "continuation-test-1", "continuation-test-6");
        assertThat((Long) rows.get(1).get("response_body_size")).isPositive();
    }

    private static List<String> values(List<GenericData.Record> rows, String column)
    {
        List<String> values = new ArrayList<>();
        for (GenericData.Record row : rows) {
            String value = row.get(column).toString();
            if (!value.isEmpty()) {
                values.add(value);
            }
        }
        return values;
    }

    private static List<String> tshark(Path capture, List<String> options, String field)
            throws Exception
    {
        List<String> values = new ArrayList<>();
        for (String[] row : Tshark.fields(capture, options, field)) {
            if (row.length > 0 && !row[0].isEmpty()) {
                values.addAll(List.of(row[0].split(",")));
            }
        }
        return values;
    }
}
