package io.wirelake.collector;

import io.wirelake.store.LocalObjectStore;
import io.wirelake.store.ObjectStore;
import io.wirelake.store.testing.SharedS3Proxy;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The collector on the real loopback interface through libpcap (the tests run as root): real
 * datagrams in, rotated segments in S3 (S3Proxy) or a directory out, with the store going down
 * for a while and with a small FIFO budget.
 */
@Tag("root")
class CollectorTest
{
    @TempDir
    Path temporary;

    private Collector.Options options(String node, int port, Rotation rotation, long budget)
    {
        return new Collector.Options(node, "lo", Optional.of("udp and dst port " + port), 65535, rotation, temporary.resolve("spool-" + node),
                budget, 0, "127.0.0.1", 0, true, Duration.ofSeconds(30));
    }

    static Thread start(Collector collector)
            throws InterruptedException
    {
        List<Throwable> errors = new ArrayList<>();
        Thread thread = new Thread(() -> {
            try {
                collector.run();
            }
            catch (Exception e) {
                errors.add(e);
            }
        });
        thread.start();
        assertThat(collector.awaitStarted(Duration.ofSeconds(30))).as("capture started: %s", errors).isTrue();
        return thread;
    }

    @Test
    void capturesRotatesAndUploadsThroughAStoreOutage()
            throws Exception
    {
        ObjectStore store = SharedS3Proxy.store("collector-" + UUID.randomUUID());
        try (LoopbackTraffic traffic = new LoopbackTraffic()) {
            Collector collector = new Collector(options("node-a", traffic.port(), new Rotation(1, 1 << 20), 0), store, Optional.empty());
            Thread thread = start(collector);
            traffic.send(0, 100, Duration.ofMillis(10));
            // The store goes away for a few seconds while traffic goes on: segments wait in the spool.
            SharedS3Proxy.stop();
            try {
                traffic.send(100, 250, Duration.ofMillis(20));
                String metrics = scrape(collector.metricsPort());
                assertThat(metric(metrics, "wirelake_collector_upload_failures_total")).isPositive();
                assertThat(metric(metrics, "wirelake_collector_spool_bytes")).isPositive();
            }
            finally {
                SharedS3Proxy.endpoint();
            }
            traffic.send(250, 300, Duration.ofMillis(10));
            String metrics = awaitCaptured(collector.metricsPort(), 300);
            collector.stop();
            thread.join(Duration.ofSeconds(60).toMillis());
            assertThat(thread.isAlive()).isFalse();

            assertThat(Segments.markers(store, "node-a")).containsExactlyElementsOf(IntStream.range(0, 300).boxed().toList());
            assertThat(Segments.raw(store, "node-a").size()).as("rotated every second").isGreaterThanOrEqualTo(4);
            assertThat(metric(metrics, "wirelake_collector_packets_captured_total")).isEqualTo(300);
            assertThat(metrics).contains("wirelake_collector_packets_dropped ").contains("wirelake_collector_upload_lag_seconds");
        }
        finally {
            store.close();
        }
    }

    @Test
    void theFifoBudgetKeepsTheNewestSegments()
            throws Exception
    {
        LocalObjectStore store = new LocalObjectStore(temporary.resolve("store"));
        try (LoopbackTraffic traffic = new LoopbackTraffic()) {
            // 4 KiB segments (about 16 markers each) under a 16 KiB budget.
            Collector collector = new Collector(options("node-b", traffic.port(), new Rotation(60, 4096), 16 * 1024), store, Optional.empty());
            Thread thread = start(collector);
            traffic.send(0, 200, Duration.ofMillis(2));
            Thread.sleep(300);
            collector.stop();
            thread.join(Duration.ofSeconds(60).toMillis());

            long stored = Segments.raw(store, "node-b").stream().mapToLong(io.wirelake.store.ObjectInfo::size).sum();
            assertThat(stored).isLessThanOrEqualTo(16 * 1024);
            List<Integer> kept = Segments.markers(store, "node-b");
            // What remains is the newest traffic, contiguous up to the last marker sent.
            assertThat(kept).isNotEmpty().endsWith(199);
            assertThat(kept).containsExactlyElementsOf(IntStream.rangeClosed(kept.get(0), 199).boxed().toList());
            assertThat(kept.get(0)).isGreaterThan(100);
        }
    }

    @Test
    void aBadFilterOrInterfaceIsAClearError()
    {
        LocalObjectStore store = new LocalObjectStore(temporary.resolve("store"));
        Collector.Options badFilter = new Collector.Options("node-c", "lo", Optional.of("udp and port"), 65535, Rotation.DEFAULT, temporary.resolve("s1"),
                0, 0, "127.0.0.1", -1, true, Duration.ofSeconds(1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Collector(badFilter, store, Optional.empty()).run())
                .hasMessageContaining("invalid capture filter 'udp and port'");
        Collector.Options badInterface = new Collector.Options("node-c", "no-such-if0", Optional.empty(), 65535, Rotation.DEFAULT, temporary.resolve("s2"),
                0, 0, "127.0.0.1", -1, true, Duration.ofSeconds(1));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Collector(badInterface, store, Optional.empty()).run())
                .hasMessageContaining("cannot capture on no-such-if0");
    }

    static String scrape(int port)
            throws Exception
    {
        HttpClient client = HttpClient.newHttpClient();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /**
     * Scrapes the metrics until the collector counts {@code packets} captured, for at most ten
     * seconds: libpcap hands packets over a block of its ring at a time, up to its read timeout
     * after they arrived.
     */
    static String awaitCaptured(int port, long packets)
            throws Exception
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        String metrics = scrape(port);
        while (metric(metrics, "wirelake_collector_packets_captured_total") < packets && System.nanoTime() < deadline) {
            Thread.sleep(20);
            metrics = scrape(port);
        }
        return metrics;
    }

    static double metric(String exposition, String name)
    {
        return exposition.lines().filter(line -> line.startsWith(name + " ") || line.startsWith(name + "{"))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
    }
}
