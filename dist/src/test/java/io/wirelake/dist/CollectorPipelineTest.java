package io.wirelake.dist;

import com.sun.net.httpserver.HttpServer;
import io.wirelake.store.testing.SharedS3Proxy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The central path with real parts, each as users run it: curl against an HTTP server on loopback,
 * the distribution's {@code wirelake collector run} capturing through libpcap (as root) and uploading
 * rotated segments to S3 (S3Proxy), then {@code snapshot create}, {@code snapshot dissect} (the Flink
 * job reading the frozen segments and writing the partition on S3 through its S3 file-system plugin)
 * and {@code query --snapshot} on Trino: exactly the requests made come back.
 */
@Tag("root")
class CollectorPipelineTest
{
    @Test
    void requestsMadeOnTheWireComeBackFromTrino()
            throws Exception
    {
        Distribution.requireRoot("capturing on loopback needs root (libpcap opens the interface)");
        Path work = Distribution.emptyDirectory("collector-pipeline");

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            int status = path.endsWith("/7") || path.endsWith("/13") ? 503 : 200;
            byte[] body = ("{\"path\":\"" + path + "\"}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream output = exchange.getResponseBody()) {
                output.write(body);
            }
        });
        server.start();
        int port = server.getAddress().getPort();
        Map<String, String> environment = new HashMap<>(Distribution.trino());
        environment.putAll(SharedS3Proxy.environment());
        environment.put("WIRELAKE_STORE", "s3://" + SharedS3Proxy.BUCKET + "/pipeline-" + UUID.randomUUID());
        Process collector = null;
        try {
            Path out = work.resolve("collector.out");
            Path err = work.resolve("collector.err");
            collector = Distribution.start(work, environment, out, err, "collector", "run", "--node", "node-1", "--interface", "lo",
                    "--filter", "tcp port " + port, "--rotate-seconds", "1", "--spool", work.resolve("spool").toString(), "--metrics-port", "-1",
                    "--kubernetes", "off");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.readString(err).contains("capturing lo as node node-1")) {
                assertThat(collector.isAlive()).as("the collector ended: " + Files.readString(err)).isTrue();
                assertThat(System.nanoTime()).as("the collector did not start capturing within 60 s: " + Files.readString(err)).isLessThan(deadline);
                Thread.sleep(100);
            }
            List<String> made = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String path = "/api/orders/" + i;
                Process curl = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "http://127.0.0.1:" + port + path).start();
                assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(curl.exitValue()).isZero();
                made.add(path + "," + (i == 7 || i == 13 ? 503 : 200) + ",GET");
                Thread.sleep(100);
            }
            Thread.sleep(500);
            // SIGTERM, as Kubernetes stops a pod: the open segment is finished and the spool drained.
            collector.destroy();
            assertThat(collector.waitFor(90, TimeUnit.SECONDS)).isTrue();
            assertThat(Files.readString(err)).contains("stopped; every segment is uploaded");

            Distribution.Run created = Distribution.run(work, environment, "snapshot", "create", "incident-1", "--no-dissect");
            assertThat(created.exit()).as(created.both()).isZero();
            Distribution.Run got = Distribution.run(work, environment, "snapshot", "get", "incident-1");
            assertThat(got.out()).contains("nodes      node-1").contains("status     created");
            java.util.regex.Matcher segments = java.util.regex.Pattern.compile("objects    (\\d+) capture segment").matcher(got.out());
            assertThat(segments.find()).as(got.out()).isTrue();
            assertThat(Integer.parseInt(segments.group(1))).as("rotated every second").isGreaterThan(1);
            Distribution.Run verify = Distribution.run(work, environment, "snapshot", "verify", "incident-1");
            assertThat(verify.exit()).as(verify.both()).isZero();
            Distribution.Run dissect = Distribution.run(work, environment, "snapshot", "dissect", "incident-1");
            assertThat(dissect.exit()).as(dissect.both()).isZero();
            assertThat(dissect.out()).contains("reading     in place, through Flink's S3 file-system plugin");

            Distribution.Run calls = Distribution.run(work, environment, "query", "--snapshot", "incident-1", "--kfl", "http",
                    "--columns", "path,status_code,method,elapsed_time", "--format", "csv", "--limit", "1000");
            assertThat(calls.exit()).as(calls.both()).isZero();
            List<String> rows = calls.out().lines().skip(1).toList();
            assertThat(rows.stream().map(row -> row.substring(0, row.lastIndexOf(','))).toList()).containsExactlyElementsOf(made);
            assertThat(rows).allSatisfy(row -> assertThat(Long.parseLong(row.substring(row.lastIndexOf(',') + 1))).isPositive());
            Distribution.Run flows = Distribution.run(work, environment, "query", "--snapshot", "incident-1", "--table", "flows",
                    "--columns", "id", "--format", "csv", "--limit", "1000");
            assertThat(flows.exit()).as(flows.both()).isZero();
            assertThat(flows.out().lines().skip(1).count()).isEqualTo(20);
        }
        finally {
            if (collector != null && collector.isAlive()) {
                collector.destroyForcibly();
            }
            server.stop(0);
        }
    }
}
