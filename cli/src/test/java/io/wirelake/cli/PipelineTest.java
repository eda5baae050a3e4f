package io.wirelake.cli;

import com.sun.net.httpserver.HttpServer;
import io.wirelake.catalog.LocalTrino;
import io.wirelake.query.LakeTables;
import io.wirelake.catalog.snapshot.Manifest;
import io.wirelake.catalog.snapshot.SnapshotStatus;
import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.collector.Collector;
import io.wirelake.collector.Rotation;
import io.wirelake.dissect.scan.ScanReport;
import io.wirelake.store.ObjectStore;
import io.wirelake.store.testing.SharedS3Proxy;
import org.junit.jupiter.api.Test;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole pipeline with real parts: curl against an HTTP server on loopback, the collector
 * capturing through libpcap (as root) and uploading rotated segments to S3 (S3Proxy), a snapshot,
 * the Flink dissection, and Trino reading the partition from S3: exactly the requests made come back.
 */
class PipelineTest
{
    @Test
    void requestsMadeOnTheWireComeBackFromTrino()
            throws Exception
    {
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
        String prefix = "pipeline-" + UUID.randomUUID();
        try (ObjectStore store = SharedS3Proxy.store(prefix)) {
            Collector collector = new Collector(new Collector.Options("node-1", "lo", Optional.of("tcp port " + port), 262_144, new Rotation(1, 1 << 20),
                    Path.of("target", "pipeline-spool-" + UUID.randomUUID()).toAbsolutePath(), 0, "127.0.0.1", -1, true, Duration.ofSeconds(30)),
                    store, Optional.empty());
            Thread capture = new Thread(() -> {
                try {
                    collector.run();
                }
                catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            capture.start();
            assertThat(collector.awaitStarted(Duration.ofSeconds(30))).isTrue();
            List<String> made = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String path = "/api/orders/" + i;
                Process curl = new ProcessBuilder("curl", "-s", "-o", "/dev/null", "http://127.0.0.1:" + port + path).start();
                assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
                assertThat(curl.exitValue()).isZero();
                made.add(path + " " + (i == 7 || i == 13 ? 503 : 200));
                Thread.sleep(100);
            }
            Thread.sleep(500);
            collector.stop();
            capture.join(60_000);

            Snapshots snapshots = new Snapshots(store);
            Manifest manifest = snapshots.create("incident-1", Optional.empty(), Optional.empty(), List.of(), line -> {});
            assertThat(manifest.captures().size()).as("rotated every second").isGreaterThan(1);
            assertThat(snapshots.verify("incident-1", key -> {}).ok()).isTrue();
            // The job reads the frozen segments from s3:// and writes the partition there, through
            // Flink's S3 file-system plugin (the test's credentials go in as Flink settings).
            assertThat(io.wirelake.dissect.job.FileSystems.pluginsDirectory()).isPresent();
            ScanReport report = new SnapshotDissector(snapshots, new io.wirelake.query.QueryService(new io.wirelake.query.TrinoAccess.Local(LocalTrino.fromEnvironment(), notice -> {})))
                    .dissect("incident-1", 1, new PrintStream(OutputStream.nullOutputStream()),
                    java.util.Map.of("s3.endpoint", SharedS3Proxy.endpoint(), "s3.path.style.access", "true", "s3.access-key", SharedS3Proxy.IDENTITY,
                            "s3.secret-key", SharedS3Proxy.CREDENTIAL));
            assertThat(report.damageMessages()).isEmpty();
            assertThat(snapshots.status("incident-1").state()).isEqualTo(SnapshotStatus.DISSECTED);

            int trinoPort;
            try (ServerSocket socket = new ServerSocket(0)) {
                trinoPort = socket.getLocalPort();
            }
            LocalTrino trino = new LocalTrino(Path.of("target", "trino-home-s3"), trinoPort, Optional.empty(),
                    Optional.of(new LocalTrino.S3Settings(SharedS3Proxy.endpoint(), "us-east-1", true, Optional.of(SharedS3Proxy.IDENTITY),
                            Optional.of(SharedS3Proxy.CREDENTIAL))));
            trino.start();
            try (Connection connection = trino.connect(); Statement statement = connection.createStatement()) {
                String schema = "pipeline_" + Long.toHexString(System.nanoTime());
                for (String ddl : new LakeTables("hive").createPartitioned(schema, store.uri("tables"))) {
                    statement.execute(ddl);
                }
                for (String call : new LakeTables("hive").registerPartition(schema, "incident-1")) {
                    statement.execute(call);
                }
                List<String> found = new ArrayList<>();
                try (ResultSet results = statement.executeQuery("SELECT path, status_code, method, elapsed_time FROM hive." + schema + ".api_calls "
                        + "WHERE snapshot_id = 'incident-1' AND http ORDER BY \"timestamp\"")) {
                    while (results.next()) {
                        found.add(results.getString(1) + " " + results.getLong(2));
                        assertThat(results.getString(3)).isEqualTo("GET");
                        assertThat(results.getLong(4)).isPositive();
                    }
                }
                assertThat(found).containsExactlyElementsOf(made);
                try (ResultSet results = statement.executeQuery("SELECT count(*) FROM hive." + schema + ".flows WHERE snapshot_id = 'incident-1'")) {
                    results.next();
                    assertThat(results.getLong(1)).isEqualTo(20);
                }
            }
            finally {
                trino.stop();
            }
        }
        finally {
            server.stop(0);
        }
    }
}
