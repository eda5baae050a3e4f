package io.wirelake.dissect.recorded;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.LoopbackCapture;
import io.wirelake.dissect.testing.Nginx;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nghttp (nghttp2's client) with HTTP/2 prior knowledge against nginx's h2c listener on
 * loopback: several requests multiplexed on one connection, and a POST with a body on another,
 * recorded with tcpdump and compared with tshark's HTTP/2 dissection of the same file (decoded
 * as HTTP/2 on the port).
 */
@Tag("root")
class NginxHttp2Test
{
    @TempDir
    static Path directory;
    static Nginx nginx;
    static Path capture;
    static int port;

    @BeforeAll
    static void record()
            throws Exception
    {
        port = LoopbackCapture.freePort();
        Path root = directory.resolve("www");
        LoopbackCapture.write(root.resolve("index.html"), "<html><body>hello over h2c</body></html>\n");
        StringBuilder json = new StringBuilder("[");
        for (int index = 0; index < 3000; index++) {
            json.append(index == 0 ? "" : ",").append("{\"id\":").append(index).append("}");
        }
        LoopbackCapture.write(root.resolve("big.json"), json.append("]").toString());
        nginx = Nginx.start(directory, """
                types { text/html html; application/json json; }
                server {
                    listen 127.0.0.1:%2$d http2;
                    root %1$s/www;
                    gzip on;
                    gzip_types application/json;
                    location /teapot { return 418 "short and stout"; }
                }
                """.formatted(directory, port), port);
        try (LoopbackCapture recording = LoopbackCapture.start(directory.resolve("h2c.pcap"), "tcp port " + port)) {
            String base = "http://127.0.0.1:" + port;
            // nghttp (nghttp2's client) sends every URI on one connection, multiplexed. (curl 7.88
            // drops an h2c prior-knowledge connection after its first transfer with nginx.)
            List<String> command = new ArrayList<>(List.of("nghttp", "-n", "-H", "cookie: a=1", "-H", "cookie: b=2"));
            for (String path : List.of("/", "/big.json", "/missing?from=test", "/teapot", "/index.html")) {
                command.add(base + path);
            }
            LoopbackCapture.run(command);
            LoopbackCapture.run(List.of("nghttp", "-n", "-d", directory.resolve("www/index.html").toString(), base + "/index.html"));
            // a third connection, alone, for comparing a gzip body's size with tshark's DATA frames
            LoopbackCapture.run(List.of("nghttp", "-n", base + "/big.json?gzip"));
            capture = recording.stop();
        }
    }

    @AfterAll
    static void stop()
            throws InterruptedException
    {
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void sameStreamsAsTshark()
            throws Exception
    {
        // tshark's HTTP/2 view: every method, path and status in the capture's header blocks.
        List<String> decodeAs = List.of("-d", "tcp.port==" + port + ",http2", "-Y", "http2.type == 1");
        List<String> methods = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        for (String[] row : Tshark.fields(capture, decodeAs, "http2.headers.method", "http2.headers.path", "http2.headers.status")) {
            for (int field = 0; field < 3 && field < row.length; field++) {
                if (!row[field].isEmpty()) {
                    List.of(methods, paths, statuses).get(field).addAll(List.of(row[field].split(",")));
                }
            }
        }

        List<GenericData.Record> calls = Dissection.of(capture).calls("HTTP");
        assertThat(calls).extracting(call -> call.get("method").toString()).containsExactlyInAnyOrderElementsOf(methods);
        assertThat(calls).extracting(call -> call.get("url").toString()).containsExactlyInAnyOrderElementsOf(paths);
        assertThat(calls).extracting(call -> call.get("status_code").toString()).containsExactlyInAnyOrderElementsOf(statuses);
        // Each stream's request paired with its own response: what nginx answers to each request.
        List<String> ours = calls.stream().map(call -> call.get("method") + " " + call.get("url") + " " + call.get("status_code")).toList();
        assertThat(ours).hasSize(7).contains("GET /missing?from=test 404", "GET /teapot 418", "GET /index.html 200", "POST /index.html 405");
        assertThat(calls).allSatisfy(call -> {
            assertThat(call.get("http_version")).isEqualTo("HTTP/2");
            assertThat(call.get("host")).isEqualTo("127.0.0.1:" + port);
            assertThat((Long) call.get("elapsed_time")).isPositive();
            assertThat(call.get("anomalies")).asList().isEmpty();
        });
        GenericData.Record posted = calls.stream().filter(call -> call.get("method").equals("POST")).findFirst().orElseThrow();
        assertThat((Long) posted.get("request_body_size")).isEqualTo(java.nio.file.Files.size(directory.resolve("www/index.html")));
        GenericData.Record big = calls.stream().filter(call -> call.get("url").equals("/big.json")).findFirst().orElseThrow();
        // nghttp asks for gzip by default
        assertThat((Long) big.get("response_body_size")).isLessThan(java.nio.file.Files.size(directory.resolve("www/big.json")));
        assertThat((Long) big.get("response_body_decoded_size")).isEqualTo(java.nio.file.Files.size(directory.resolve("www/big.json")));
        GenericData.Record teapot = calls.stream().filter(call -> call.get("path").equals("/teapot")).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<Object, Object> cookies = (Map<Object, Object>) teapot.get("request_cookies");
        // cookie values are redacted by default (docs/REDACTION.md): both cookies are there, their values' lengths kept
        assertThat(cookies).containsEntry("a", "[redacted 1 bytes]").containsEntry("b", "[redacted 1 bytes]");
        assertThat(new String(((java.nio.ByteBuffer) teapot.get("response_body")).array())).isEqualTo("short and stout");
    }

    @Test
    void gzipBodyIsDecoded()
            throws Exception
    {
        byte[] file = java.nio.file.Files.readAllBytes(directory.resolve("www/big.json"));
        GenericData.Record gzipped = Dissection.of(capture).calls("HTTP").stream()
                .filter(call -> call.get("url").equals("/big.json?gzip")).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<Object, Object> headers = (Map<Object, Object>) gzipped.get("response_headers");
        assertThat(headers).containsEntry("content-encoding", "gzip");
        // the size on the wire is what tshark counts in the DATA frames of the third connection
        long wire = 0;
        for (String[] row : Tshark.fields(capture, List.of("-d", "tcp.port==" + port + ",http2", "-Y", "tcp.stream == 2 && tcp.srcport == " + port),
                "http2.type", "http2.length")) {
            String[] types = row[0].split(",");
            String[] lengths = row[1].split(",");
            for (int frame = 0; frame < types.length; frame++) {
                if (types[frame].equals("0")) {
                    wire += Long.parseLong(lengths[frame]);
                }
            }
        }
        assertThat((Long) gzipped.get("response_body_size")).isEqualTo(wire).isLessThan(file.length);
        assertThat((Long) gzipped.get("response_body_decoded_size")).isEqualTo(file.length);
        byte[] head = ((java.nio.ByteBuffer) gzipped.get("response_body")).array();
        assertThat(head).isNotEmpty().isEqualTo(java.util.Arrays.copyOf(file, head.length));
        assertThat(gzipped.get("anomalies")).asList().isEmpty();
    }
}
