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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP/1.1 Upgrade to h2c on loopback: nghttp -u against nghttpx (nghttp2's proxy, which accepts
 * the upgrade) in front of nginx. The connection starts as HTTP/1.1 (the upgrade request and its
 * 101) and goes on as HTTP/2 (the upgraded request's response on stream 1, then new streams),
 * compared with tshark, which follows the upgrade itself.
 */
@Tag("root")
class H2cUpgradeTest
{
    @TempDir
    static Path directory;
    static Nginx nginx;
    static Process proxy;
    static Path capture;
    static int port;

    @BeforeAll
    static void record()
            throws Exception
    {
        int backend = LoopbackCapture.freePort();
        port = LoopbackCapture.freePort();
        LoopbackCapture.write(directory.resolve("www/index.html"), "<html><body>upgraded</body></html>\n");
        LoopbackCapture.write(directory.resolve("www/second.html"), "second\n");
        nginx = Nginx.start(directory, """
                server {
                    listen 127.0.0.1:%2$d;
                    root %1$s/www;
                }
                """.formatted(directory, backend), backend);
        proxy = new ProcessBuilder("/usr/sbin/nghttpx", "--frontend=127.0.0.1," + port + ";no-tls", "--backend=127.0.0.1," + backend,
                "--conf=/dev/null", "--workers=1").redirectErrorStream(true).redirectOutput(directory.resolve("nghttpx.out").toFile()).start();
        LoopbackCapture.waitForPort(port, "tcp");
        try (LoopbackCapture recording = LoopbackCapture.start(directory.resolve("upgrade.pcap"), "tcp port " + port)) {
            String base = "http://127.0.0.1:" + port;
            LoopbackCapture.run(List.of("nghttp", "-u", "-n", base + "/index.html", base + "/second.html", base + "/missing"));
            capture = recording.stop();
        }
    }

    @AfterAll
    static void stop()
            throws InterruptedException
    {
        if (proxy != null) {
            proxy.destroy();
            proxy.waitFor(10, TimeUnit.SECONDS);
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    @Test
    void theConnectionIsHttp1ThenHttp2LikeTsharkSees()
            throws Exception
    {
        List<GenericData.Record> calls = Dissection.of(capture).calls("HTTP");
        List<GenericData.Record> http1 = calls.stream().filter(call -> call.get("http_version").equals("HTTP/1.1")).toList();
        List<GenericData.Record> http2 = calls.stream().filter(call -> call.get("http_version").equals("HTTP/2")).toList();

        List<String[]> upgrade = Tshark.fields(capture, List.of("-Y", "http.request"), "http.request.method", "http.request.uri", "http.upgrade");
        assertThat(upgrade).hasSize(1);
        assertThat(http1).singleElement().satisfies(call -> {
            assertThat(call.get("method")).isEqualTo(upgrade.get(0)[0]);
            assertThat(call.get("url")).isEqualTo(upgrade.get(0)[1]);
            assertThat(call.get("status_code")).isEqualTo(101L);
        });

        List<String> paths = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        for (String[] row : Tshark.fields(capture, List.of("-Y", "http2.type == 1"), "http2.headers.path", "http2.headers.status")) {
            if (row.length > 0 && !row[0].isEmpty()) {
                paths.addAll(List.of(row[0].split(",")));
            }
            if (row.length > 1 && !row[1].isEmpty()) {
                statuses.addAll(List.of(row[1].split(",")));
            }
        }
        assertThat(statuses).as("tshark followed the upgrade").isNotEmpty();
        // Stream 1's request is the HTTP/1.1 request that asked for the upgrade (RFC 7540 3.2).
        paths.add(upgrade.get(0)[1]);
        assertThat(http2).extracting(call -> call.get("status_code").toString()).containsExactlyInAnyOrderElementsOf(statuses);
        assertThat(http2).extracting(call -> call.get("path").toString()).filteredOn(path -> !path.isEmpty()).containsExactlyInAnyOrderElementsOf(paths);
        assertThat(http2).extracting(call -> call.get("method") + " " + call.get("path") + " " + call.get("status_code"))
                .containsExactlyInAnyOrder("GET /index.html 200", "GET /second.html 200", "GET /missing 404");
        assertThat(http2).allSatisfy(call -> assertThat((Long) call.get("elapsed_time")).isPositive());
    }
}
