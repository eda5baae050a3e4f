package io.wirelake.collector;

import io.wirelake.packets.capture.PcapWriter;
import io.wirelake.store.Layout;
import io.wirelake.store.LocalObjectStore;
import io.wirelake.store.ObjectStore;
import io.wirelake.store.testing.SharedS3Proxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.wirelake.collector.CollectorTest.metric;
import static io.wirelake.collector.CollectorTest.scrape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The collector on real loopback traffic through faults: a store (S3Proxy) that is down when it
 * starts, a store down long enough to fill a capped spool, a segment the store refuses (a locked
 * object in the local store), a second collector on the same spool, and sizes S3 cannot take.
 */
class CollectorFaultsTest
{
    @TempDir
    Path temporary;

    private Collector.Options options(String node, int port, Rotation rotation, long spoolBytes)
    {
        return new Collector.Options(node, "lo", Optional.of("udp and dst port " + port), 65535, rotation, temporary.resolve("spool-" + node),
                0, spoolBytes, "127.0.0.1", 0, true, Duration.ofSeconds(30));
    }

    @Test
    void startsWhileTheStoreIsDownAndUploadsWhenItIsBack()
            throws Exception
    {
        ObjectStore store = SharedS3Proxy.store("down-at-start-" + UUID.randomUUID());
        try (LoopbackTraffic traffic = new LoopbackTraffic()) {
            SharedS3Proxy.stop();
            Collector collector;
            Thread thread;
            try {
                collector = new Collector(options("node-d", traffic.port(), new Rotation(1, 1 << 20), 0), store, Optional.empty());
                thread = CollectorTest.start(collector);
                traffic.send(0, 100, Duration.ofMillis(10));
                assertThat(metric(CollectorTest.awaitCaptured(collector.metricsPort(), 100), "wirelake_collector_packets_captured_total")).isEqualTo(100);
            }
            finally {
                SharedS3Proxy.endpoint();
            }
            traffic.send(100, 150, Duration.ofMillis(10));
            // The session's recorder retries with back-off: wait for its next attempt, which finds the store back.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (store.list(Layout.SESSIONS + "node-d/").isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            collector.stop();
            thread.join(Duration.ofSeconds(60).toMillis());
            assertThat(Segments.markers(store, "node-d")).containsExactlyElementsOf(IntStream.range(0, 150).boxed().toList());
            // The capture session was recorded once the store was back.
            assertThat(store.list(Layout.SESSIONS + "node-d/")).hasSize(1);
        }
        finally {
            store.close();
        }
    }

    @Test
    void aCappedSpoolDropsTheOldestSegmentsAndCountsThem()
            throws Exception
    {
        ObjectStore store = SharedS3Proxy.store("capped-" + UUID.randomUUID());
        long cap = 64 * 1024;
        Rotation rotation = new Rotation(60, 8 * 1024);
        try (LoopbackTraffic traffic = new LoopbackTraffic()) {
            Collector collector = new Collector(options("node-c", traffic.port(), rotation, cap), store, Optional.empty());
            Thread thread = CollectorTest.start(collector);
            Path spool = temporary.resolve("spool-node-c");
            String metrics;
            SharedS3Proxy.stop();
            try {
                // About 270 KB of captures while the store is away: four times the cap.
                for (int batch = 0; batch < 20; batch++) {
                    traffic.send(batch * 50, batch * 50 + 50, Duration.ZERO);
                    Thread.sleep(100);
                    assertThat(bytesIn(spool.resolve("open")) + bytesIn(spool.resolve("ready"))).as("the spool stays within its cap").isLessThanOrEqualTo(cap);
                }
            }
            finally {
                SharedS3Proxy.endpoint();
            }
            // Once the store has taken what waited, nothing more is dropped: the counts are final but for the open segment.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (bytesIn(spool.resolve("ready")) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            metrics = scrape(collector.metricsPort());
            collector.stop();
            thread.join(Duration.ofSeconds(60).toMillis());
            assertThat(metric(metrics, "wirelake_collector_spool_dropped_segments_total")).isGreaterThanOrEqualTo(10);
            assertThat(metric(metrics, "wirelake_collector_spool_dropped_bytes_total")).isGreaterThan(150_000);
            List<Integer> kept = Segments.markers(store, "node-c");
            // What went is the oldest, whole segments: the rest is every marker from the first kept one on.
            assertThat(kept).isNotEmpty().endsWith(999);
            assertThat(kept).containsExactlyElementsOf(IntStream.rangeClosed(kept.get(0), 999).boxed().toList());
            assertThat(kept.get(0)).isGreaterThan(500);
            long droppedSegments = (long) metric(metrics, "wirelake_collector_spool_dropped_segments_total");
            long finished = (long) metric(metrics, "wirelake_collector_segments_finished_total");
            // The open segment is finished when the collector stops.
            assertThat(Segments.raw(store, "node-c").size() + droppedSegments).as("every finished segment was uploaded or counted as dropped")
                    .isEqualTo(finished + 1);
        }
        finally {
            store.close();
        }
    }

    @Test
    void aSegmentTheStoreRefusesIsQuarantinedAndTheOthersGoOn()
            throws Exception
    {
        LocalObjectStore store = new LocalObjectStore(temporary.resolve("store"));
        // The oldest segment in the spool has a key the store refuses to overwrite: an object under legal hold.
        Layout.Segment refused = Layout.segment(Layout.Kind.RAW, "node-q", 1_000_000, 0);
        store.put(refused.key(), new byte[] {1, 2, 3});
        store.legalHold(refused.key(), true);
        Path ready = Files.createDirectories(temporary.resolve("spool-node-q/ready"));
        try (OutputStream output = Files.newOutputStream(ready.resolve("raw-1000000-0.pcap"))) {
            PcapWriter writer = new PcapWriter(output, 1, 65535);
            writer.write(1_000_000, new byte[60], 0, 60, 60);
            writer.flush();
        }
        try (LoopbackTraffic traffic = new LoopbackTraffic()) {
            Collector collector = new Collector(options("node-q", traffic.port(), new Rotation(1, 1 << 20), 0), store, Optional.empty());
            Thread thread = CollectorTest.start(collector);
            for (int second = 0; second < 10; second++) {
                traffic.send(second * 20, second * 20 + 20, Duration.ofMillis(50));
            }
            String metrics = scrape(collector.metricsPort());
            collector.stop();
            thread.join(Duration.ofSeconds(60).toMillis());
            assertThat(metric(metrics, "wirelake_collector_segments_quarantined_total")).isEqualTo(1);
            assertThat(Files.list(temporary.resolve("spool-node-q/quarantine")).map(path -> path.getFileName().toString())).containsExactly("raw-1000000-0.pcap");
            assertThat(store.read(refused.key())).containsExactly(1, 2, 3);
            // The locked object is someone else's; with it out of the way, every uploaded segment reads back.
            store.legalHold(refused.key(), false);
            store.delete(refused.key());
            List<Integer> markers = Segments.markers(store, "node-q");
            assertThat(markers).as("the segments after the refused one were all uploaded").containsExactlyElementsOf(IntStream.range(0, 200).boxed().toList());
        }
    }

    @Test
    void aSecondCollectorOnTheSameSpoolIsRefusedUntilTheFirstIsGone()
            throws Exception
    {
        Path spool = temporary.resolve("spool-node-l");
        LocalObjectStore store = new LocalObjectStore(temporary.resolve("store"));
        try (LoopbackTraffic traffic = new LoopbackTraffic()) {
            Process first = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CollectorProcess.class.getName(),
                    store.root().toString(), spool.toString(), "node-l", String.valueOf(traffic.port()))
                    .redirectErrorStream(true).start();
            try {
                BufferedReader output = new BufferedReader(new InputStreamReader(first.getInputStream()));
                for (String line = output.readLine(); line != null && !line.equals("STARTED"); line = output.readLine()) {
                    assertThat(first.isAlive()).as(line).isTrue();
                }
                Collector second = new Collector(options("node-l", traffic.port(), Rotation.DEFAULT, 0), store, Optional.empty());
                java.util.concurrent.atomic.AtomicReference<Throwable> refusal = new java.util.concurrent.atomic.AtomicReference<>();
                Thread thread = new Thread(() -> {
                    try {
                        second.run();
                    }
                    catch (Throwable e) {
                        refusal.set(e);
                    }
                });
                thread.start();
                boolean started = second.awaitStarted(Duration.ofSeconds(30));
                if (started) {
                    // It must not have started; stop it so the test ends either way.
                    second.stop();
                }
                thread.join(Duration.ofSeconds(60).toMillis());
                assertThat(started).as("a second collector on the spool started").isFalse();
                assertThat(refusal.get()).hasMessageContaining("another collector (process " + first.pid() + ") uses the spool " + spool);
            }
            finally {
                first.destroyForcibly().waitFor();
            }
            // SIGKILL released the kernel's lock with the process.
            Collector third = new Collector(options("node-l", traffic.port(), Rotation.DEFAULT, 0), store, Optional.empty());
            Thread thread = CollectorTest.start(third);
            third.stop();
            thread.join(Duration.ofSeconds(60).toMillis());
        }
    }

    @Test
    void segmentsS3CannotTakeAreRefusedAtStart()
    {
        assertThatThrownBy(() -> new Rotation(60, (5L << 30) + 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--rotate-bytes must be at most 5GiB");
        assertThat(new Rotation(60, 5L << 30).bytes()).isEqualTo(5L << 30);
        assertThatThrownBy(() -> options("node-x", 1, new Rotation(60, 1 << 20), 1 << 20)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--spool-size must be 0 (no cap) or at least twice --rotate-bytes");
    }

    private static long bytesIn(Path directory)
            throws Exception
    {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        long total = 0;
        try (var files = Files.list(directory)) {
            for (Path file : files.toList()) {
                try {
                    total += Files.size(file);
                }
                catch (java.nio.file.NoSuchFileException e) {
                    // uploaded or dropped meanwhile
                }
            }
        }
        return total;
    }
}
