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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.wirelake.dissect.testing.LoopbackCapture.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * curl against nginx on loopback, recorded with tcpdump (keep-alive, gzip with chunked encoding,
 * HEAD, POST, 404, 405, HTTP/1.0, query strings), dissected, and compared with tshark's
 * dissection of the same file.
 */
@Tag("root")
class NginxCurlTest
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
        LoopbackCapture.write(root.resolve("index.html"), "<html><body>hello from nginx</body></html>\n");
        StringBuilder json = new StringBuilder("[");
        for (int index = 0; index < 4000; index++) {
            json.append(index == 0 ? "" : ",").append("{\"id\":").append(index).append(",\"name\":\"item ").append(index).append("\"}");
        }
        LoopbackCapture.write(root.resolve("big.json"), json.append("]").toString());
        nginx = Nginx.start(directory, """
                types { text/html html; application/json json; }
                gzip on;
                gzip_min_length 100;
                gzip_types application/json;
                gzip_http_version 1.0;
                server {
                    listen 127.0.0.1:%2$d;
                    root %1$s/www;
                    location /teapot { return 418 "short and stout"; }
                }
                """.formatted(directory, port), port);
        try (LoopbackCapture recording = LoopbackCapture.start(directory.resolve("http.pcap"), "tcp port " + port)) {
            String base = "http://127.0.0.1:" + port;
            // One curl, one keep-alive connection: --next keeps the connection between requests.
            run(List.of("curl", "-s", "-o", "/dev/null", base + "/",
                    "--next", "-s", "-o", "/dev/null", "--compressed", base + "/big.json",
                    "--next", "-s", "-o", "/dev/null", "-I", base + "/index.html",
                    "--next", "-s", "-o", "/dev/null", base + "/missing?from=test&q=a%20b",
                    "--next", "-s", "-o", "/dev/null", "-X", "POST", "-H", "Content-Type: application/json", "-d", "{\"a\":1}", base + "/index.html",
                    "--next", "-s", "-o", "/dev/null", "-H", "Cookie: session=abc; theme=dark", base + "/teapot",
                    "--next", "-s", "-o", "/dev/null", base + "/big.json"));
            run(List.of("curl", "-s", "-0", "-o", "/dev/null", base + "/index.html"));
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
    void sameTransactionsAsTshark()
            throws Exception
    {
        Map<String, String[]> requests = new HashMap<>();
        List<String> order = new ArrayList<>();
        for (String[] row : Tshark.fields(capture, List.of("-Y", "http.request"), "frame.number", "http.request.method", "http.request.uri", "http.request.version")) {
            requests.put(row[0], row);
            order.add(row[0]);
        }
        Map<String, String> statusByRequest = new HashMap<>();
        for (String[] row : Tshark.fields(capture, List.of("-Y", "http.response && http.response.code != 100"), "http.request_in", "http.response.code")) {
            statusByRequest.put(row[0], row[1]);
        }
        List<String> tshark = order.stream().map(frame -> String.join(" ", requests.get(frame)[1], requests.get(frame)[2], requests.get(frame)[3],
                statusByRequest.getOrDefault(frame, "0"))).toList();

        List<GenericData.Record> calls = Dissection.of(capture).calls("HTTP");
        List<String> ours = calls.stream().map(call -> String.join(" ", (String) call.get("method"), (String) call.get("url"),
                (String) call.get("http_version"), String.valueOf(call.get("status_code")))).toList();
        assertThat(ours).isEqualTo(tshark);
        assertThat(ours).hasSize(8).contains("GET /missing?from=test&q=a%20b HTTP/1.1 404", "HEAD /index.html HTTP/1.1 200", "GET /index.html HTTP/1.0 200");
    }

    @Test
    void bodiesHeadersAndParametersAsSent()
            throws Exception
    {
        List<GenericData.Record> calls = Dissection.of(capture).calls("HTTP");
        GenericData.Record compressed = calls.get(1);
        Map<?, ?> headers = (Map<?, ?>) compressed.get("response_headers");
        assertThat(headers.get("content-encoding")).isEqualTo("gzip");
        assertThat(headers.get("transfer-encoding")).isEqualTo("chunked");
        assertThat((Long) compressed.get("response_body_decoded_size")).isEqualTo(Files.size(directory.resolve("www/big.json")));
        assertThat((Long) compressed.get("response_body_size")).isLessThan((Long) compressed.get("response_body_decoded_size"));
        // tshark's view of the same body on the wire: the sum of its chunk sizes (encoded, without chunk framing).
        String[] chunkSizes = Tshark.fields(capture, List.of("-Y", "http.response && http.content_encoding == \"gzip\""), "http.chunk_size").get(0)[0].split(",");
        long wire = java.util.Arrays.stream(chunkSizes).mapToLong(Long::parseLong).sum();
        assertThat(compressed.get("response_body_size")).isEqualTo(wire);

        GenericData.Record missing = calls.get(3);
        assertThat(missing.get("path")).isEqualTo("/missing");
        assertThat(new TreeMap<>((Map<?, ?>) missing.get("query_string")).toString()).isEqualTo("{from=test, q=a b}");
        GenericData.Record post = calls.get(4);
        assertThat(post.get("status_code")).isEqualTo(405L);
        assertThat(post.get("request_body_size")).isEqualTo(7L);
        GenericData.Record teapot = calls.get(5);
        assertThat(teapot.get("status_code")).isEqualTo(418L);
        // cookie values are redacted by default (docs/REDACTION.md): the markers keep the sent values' lengths (abc, dark)
        assertThat(new TreeMap<>((Map<?, ?>) teapot.get("request_cookies")).toString()).isEqualTo("{session=[redacted 3 bytes], theme=[redacted 4 bytes]}");
        assertThat(new String(((java.nio.ByteBuffer) teapot.get("response_body")).array())).isEqualTo("short and stout");
        GenericData.Record head = calls.get(2);
        assertThat(head.get("response_body_size")).isEqualTo(0L);
        assertThat(calls).allSatisfy(call -> assertThat((Long) call.get("elapsed_time")).isPositive());
    }

    @Test
    void sameConnectionsAndPacketsAsTshark()
            throws Exception
    {
        Map<String, Integer> tshark = new TreeMap<>();
        for (String[] row : Tshark.fields(capture, List.of(), "tcp.stream", "tcp.srcport")) {
            tshark.merge("stream " + row[0] + " from " + (row[1].equals(String.valueOf(port)) ? "server" : "client"), 1, Integer::sum);
        }
        Map<String, Integer> ours = new TreeMap<>();
        List<GenericData.Record> flows = Dissection.of(capture).flows();
        for (int index = 0; index < flows.size(); index++) {
            GenericData.Record flow = flows.get(index);
            assertThat(flow.get("dst_port")).isEqualTo((long) port);
            assertThat(flow.get("conn_state")).isEqualTo("closed");
            ours.put("stream " + index + " from client", ((Long) flow.get("conn_local_pkts")).intValue());
            ours.put("stream " + index + " from server", ((Long) flow.get("conn_remote_pkts")).intValue());
        }
        assertThat(ours).isEqualTo(tshark);
    }
}
