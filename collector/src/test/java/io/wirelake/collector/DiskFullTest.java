package io.wirelake.collector;

import io.wirelake.packets.capture.PcapWriter;
import io.wirelake.store.LocalObjectStore;
import io.wirelake.store.ObjectStore;
import io.wirelake.store.testing.SharedS3Proxy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;

import static io.wirelake.collector.CollectorTest.metric;
import static io.wirelake.collector.CollectorTest.scrape;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spool on a disk that fills up for real (a small tmpfs): the collector keeps running while
 * the disk is full, cuts its segment at the last whole packet, counts what it could not store,
 * and captures again once uploads have made room; a crash's open segment is recovered in place
 * on a disk with no room left for a repair copy.
 */
class DiskFullTest
{
    @TempDir
    Path temporary;

    @Test
    void keepsCapturingThroughAFullDiskAndCountsWhatItCouldNotStore()
            throws Exception
    {
        ObjectStore store = SharedS3Proxy.store("disk-full-" + UUID.randomUUID());
        try (Tmpfs disk = Tmpfs.mount(temporary.resolve("disk"), 2L << 20); LoopbackTraffic traffic = new LoopbackTraffic()) {
            Collector.Options options = new Collector.Options("node-f", "lo", Optional.of("udp and dst port " + traffic.port()), 65535,
                    new Rotation(60, 64 * 1024), disk.directory().resolve("spool"), 0, 0, "127.0.0.1", 0, true, Duration.ofSeconds(30));
            Collector collector = new Collector(options, store, Optional.empty());
            List<Throwable> errors = new ArrayList<>();
            Thread thread = new Thread(() -> {
                try {
                    collector.run();
                }
                catch (Throwable e) {
                    errors.add(e);
                }
            });
            thread.start();
            assertThat(collector.awaitStarted(Duration.ofSeconds(30))).isTrue();
            SharedS3Proxy.stop();
            String duringOutage;
            try {
                // About 3.2 MB of captures into a 2 MiB disk while nothing can be uploaded.
                traffic.send(0, 3000, Duration.ofMillis(1), 1000);
                Thread.sleep(500);
                duringOutage = scrape(collector.metricsPort());
                assertThat(thread.isAlive()).as("still running with a full disk: %s", errors).isTrue();
            }
            finally {
                SharedS3Proxy.endpoint();
            }
            assertThat(metric(duringOutage, "wirelake_collector_spool_write_failures_total")).isPositive();
            assertThat(metric(duringOutage, "wirelake_collector_packets_dropped_no_space_total")).isGreaterThan(500);
            // The store is back: uploads make room, and the capture writes again.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!readyIsEmpty(disk.directory().resolve("spool")) && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            traffic.send(3000, 3500, Duration.ofMillis(2), 1000);
            Thread.sleep(500);
            String metrics = scrape(collector.metricsPort());
            collector.stop();
            thread.join(Duration.ofSeconds(60).toMillis());
            assertThat(errors).isEmpty();

            // Every segment reads back whole, and every packet is either in the store or counted as dropped.
            List<Integer> stored = Segments.markers(store, "node-f");
            long captured = (long) metric(metrics, "wirelake_collector_packets_captured_total");
            long dropped = (long) metric(metrics, "wirelake_collector_packets_dropped_no_space_total");
            assertThat(captured).isEqualTo(3500);
            assertThat(stored.size() + dropped).isEqualTo(captured);
            assertThat(stored).doesNotHaveDuplicates().isSorted().contains(0).contains(3499);
            assertThat(stored.stream().filter(marker -> marker >= 3000).count()).as("captured again after the disk had room").isGreaterThan(400);
        }
        finally {
            store.close();
        }
    }

    @Test
    void aCrashedSegmentIsRecoveredInPlaceOnAFullDisk()
            throws Exception
    {
        LocalObjectStore store = new LocalObjectStore(temporary.resolve("store"));
        try (Tmpfs disk = Tmpfs.mount(temporary.resolve("disk"), 1L << 20); LoopbackTraffic traffic = new LoopbackTraffic()) {
            Path spool = disk.directory().resolve("spool");
            Path open = Files.createDirectories(spool.resolve("open"));
            Files.createDirectories(spool.resolve("ready"));
            // What SIGKILL left: 300 whole packets and the first half of one more.
            long start = 1_700_000_000_000_000L;
            java.io.ByteArrayOutputStream capture = new java.io.ByteArrayOutputStream();
            PcapWriter writer = new PcapWriter(capture, 1, 65535);
            for (int i = 0; i <= 300; i++) {
                byte[] frame = frame(Segments.marker(i, 1000));
                writer.write(start + i, frame, 0, frame.length, frame.length);
            }
            writer.flush();
            byte[] bytes = capture.toByteArray();
            Files.write(open.resolve("raw-" + start + "-0.pcap"), java.util.Arrays.copyOf(bytes, bytes.length - 500));
            long filled = disk.fill();
            assertThat(filled).as("the disk is full").isPositive();
            Collector collector = new Collector(new Collector.Options("node-r", "lo", Optional.of("udp and dst port " + traffic.port()), 65535,
                    Rotation.DEFAULT, spool, 0, 0, "127.0.0.1", -1, true, Duration.ofSeconds(30)), store, Optional.empty());
            Thread thread = CollectorTest.start(collector);
            collector.stop();
            thread.join(Duration.ofSeconds(60).toMillis());
            assertThat(Segments.markers(store, "node-r")).containsExactlyElementsOf(IntStream.range(0, 300).boxed().toList());
            try (var left = Files.list(open)) {
                assertThat(left.toList()).isEmpty();
            }
        }
    }

    /** An Ethernet/IPv4/UDP frame around a payload (to port 9, the discard service), as libpcap would give it. */
    private static byte[] frame(byte[] payload)
    {
        byte[] frame = new byte[14 + 20 + 8 + payload.length];
        frame[12] = 0x08;
        frame[14] = 0x45;
        int total = 20 + 8 + payload.length;
        frame[16] = (byte) (total >> 8);
        frame[17] = (byte) total;
        frame[22] = 64;
        frame[23] = 17;
        frame[26] = 127;
        frame[29] = 1;
        frame[30] = 127;
        frame[33] = 1;
        frame[37] = 9;
        int udp = 8 + payload.length;
        frame[38] = (byte) (udp >> 8);
        frame[39] = (byte) udp;
        System.arraycopy(payload, 0, frame, 42, payload.length);
        return frame;
    }

    private static boolean readyIsEmpty(Path spool)
            throws Exception
    {
        try (var files = Files.list(spool.resolve("ready"))) {
            return files.findAny().isEmpty();
        }
    }
}
