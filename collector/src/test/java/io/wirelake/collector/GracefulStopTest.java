package io.wirelake.collector;

import io.wirelake.store.LocalObjectStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stop right after a burst of traffic: libpcap hands packets over a block of its ring at a time,
 * so at the stop it still holds the newest ones; they must reach the segments all the same. The
 * oracle is the numbered markers sent: every one, once, in order.
 */
@Tag("root")
class GracefulStopTest
{
    private static final int BURST = 20_000;

    @TempDir
    Path temporary;

    @Test
    void sigtermRightAfterABurstKeepsEveryPacket()
            throws Exception
    {
        Path storeDirectory = temporary.resolve("store");
        // The collector's log, read all along (a full pipe would stall it) and shown when the markers disagree.
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        long backlogDropsBefore = -1;
        try (LoopbackTraffic traffic = new LoopbackTraffic()) {
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CollectorProcess.class.getName(),
                    storeDirectory.toString(), temporary.resolve("spool").toString(), "node-t", String.valueOf(traffic.port()))
                    .redirectErrorStream(true).start();
            CountDownLatch started = new CountDownLatch(1);
            Thread reader = new Thread(() -> {
                try (BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
                    for (String line = output.readLine(); line != null; line = output.readLine()) {
                        log.add(line);
                        if (line.equals("STARTED")) {
                            started.countDown();
                        }
                    }
                }
                catch (IOException e) {
                    log.add("(reading the output failed: " + e + ")");
                }
            }, "collector-output");
            reader.start();
            try {
                assertThat(started.await(60, TimeUnit.SECONDS)).as("started: %s", log).isTrue();
                // As fast as one thread sends, then SIGTERM at once: the shutdown hook calls stop().
                backlogDropsBefore = LoopbackTraffic.backlogDrops();
                traffic.burst(0, BURST);
                // SIGTERM through the process's handle: Process.destroy() would also close the pipe the stop's report comes by
                process.toHandle().destroy();
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute: %s", log).isTrue();
                assertThat(process.exitValue()).as("ended by SIGTERM through its shutdown hook: %s", log).isEqualTo(143);
            }
            finally {
                // the output to its end first (it holds the stop's report): destroying a process closes its streams
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
                reader.join(Duration.ofSeconds(10).toMillis());
            }
            List<Integer> markers = Segments.markers(new LocalObjectStore(storeDirectory), "node-t");
            String said = String.format("%d markers (missing %s; the kernel's backlog dropped %d packets meanwhile); the collector said: %s",
                    markers.size(), missing(markers), LoopbackTraffic.backlogDrops() - backlogDropsBefore, log);
            // the output was read to the stop's last line, where a drop report would come before
            assertThat(log).as("the collector's output to its end").anyMatch(line -> line.contains("stopped; every segment is uploaded"));
            long counted = droppedAsCounted(log);
            if (counted == 0) {
                assertThat(markers).as(said).containsExactlyElementsOf(IntStream.range(0, BURST).boxed().toList());
            }
            else {
                // A busy machine can fill libpcap's ring: what it dropped the collector counts and reports at the stop, and
                // only that may be missing (silent loss still fails); what the segments hold is still each marker once, in order.
                assertThat(markers).as(said).isSorted().doesNotHaveDuplicates().allMatch(marker -> marker >= 0 && marker < BURST);
                assertThat(BURST - markers.size()).as(said).isLessThanOrEqualTo((int) counted);
            }
        }
    }

    @Test
    void stopRightAfterABurstKeepsEveryPacket()
            throws Exception
    {
        LocalObjectStore store = new LocalObjectStore(temporary.resolve("store"));
        long backlogDropsBefore;
        try (LoopbackTraffic traffic = new LoopbackTraffic()) {
            Collector collector = new Collector(new Collector.Options("node-u", "lo", Optional.of("udp and dst port " + traffic.port()), 65535,
                    Rotation.DEFAULT, temporary.resolve("spool"), 0, 0, "127.0.0.1", -1, true, Duration.ofSeconds(30)), store, Optional.empty());
            Thread thread = CollectorTest.start(collector);
            backlogDropsBefore = LoopbackTraffic.backlogDrops();
            traffic.burst(0, BURST);
            collector.stop();
            thread.join(Duration.ofSeconds(60).toMillis());
            assertThat(thread.isAlive()).as("stopped within a minute").isFalse();
        }
        List<Integer> markers = Segments.markers(store, "node-u");
        assertThat(markers).as("%d markers (missing %s; the kernel's backlog dropped %d packets meanwhile)",
                        markers.size(), missing(markers), LoopbackTraffic.backlogDrops() - backlogDropsBefore)
                .containsExactlyElementsOf(IntStream.range(0, BURST).boxed().toList());
    }

    /** What the collector reported at its stop as dropped by the kernel or the interface (libpcap's counters), 0 when it reported nothing. */
    private static long droppedAsCounted(List<String> log)
    {
        java.util.regex.Pattern report = java.util.regex.Pattern.compile("libpcap counted (\\d+) dropped by the kernel and (\\d+) by the interface");
        synchronized (log) {
            for (String line : log) {
                java.util.regex.Matcher matcher = report.matcher(line);
                if (matcher.find()) {
                    return Long.parseLong(matcher.group(1)) + Long.parseLong(matcher.group(2));
                }
            }
        }
        return 0;
    }

    /** The markers not there, as ranges: a short description of a long list. */
    private static String missing(List<Integer> markers)
    {
        java.util.BitSet seen = new java.util.BitSet(BURST);
        markers.forEach(seen::set);
        List<String> ranges = new ArrayList<>();
        for (int from = seen.nextClearBit(0); from < BURST; from = seen.nextClearBit(from)) {
            int to = Math.min(seen.nextSetBit(from) < 0 ? BURST : seen.nextSetBit(from), BURST);
            ranges.add(to - from == 1 ? String.valueOf(from) : from + "-" + (to - 1));
            from = to;
        }
        return ranges.isEmpty() ? "none" : String.join(", ", ranges);
    }
}
