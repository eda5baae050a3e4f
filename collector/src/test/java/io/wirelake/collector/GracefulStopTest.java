package io.wirelake.collector;

import io.wirelake.store.LocalObjectStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
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
        try (LoopbackTraffic traffic = new LoopbackTraffic()) {
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CollectorProcess.class.getName(),
                    storeDirectory.toString(), temporary.resolve("spool").toString(), "node-t", String.valueOf(traffic.port()))
                    .redirectErrorStream(true).start();
            try {
                BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream()));
                for (String line = output.readLine(); line != null && !line.equals("STARTED"); line = output.readLine()) {
                    assertThat(process.isAlive()).as(line).isTrue();
                }
                // As fast as one thread sends, then SIGTERM at once: the shutdown hook calls stop().
                traffic.send(0, BURST, Duration.ZERO);
                process.destroy();
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within a minute").isTrue();
                assertThat(process.exitValue()).as("ended by SIGTERM through its shutdown hook").isEqualTo(143);
            }
            finally {
                process.destroyForcibly();
            }
            assertThat(Segments.markers(new LocalObjectStore(storeDirectory), "node-t"))
                    .containsExactlyElementsOf(IntStream.range(0, BURST).boxed().toList());
        }
    }

    @Test
    void stopRightAfterABurstKeepsEveryPacket()
            throws Exception
    {
        LocalObjectStore store = new LocalObjectStore(temporary.resolve("store"));
        try (LoopbackTraffic traffic = new LoopbackTraffic()) {
            Collector collector = new Collector(new Collector.Options("node-u", "lo", Optional.of("udp and dst port " + traffic.port()), 65535,
                    Rotation.DEFAULT, temporary.resolve("spool"), 0, 0, "127.0.0.1", -1, true, Duration.ofSeconds(30)), store, Optional.empty());
            Thread thread = CollectorTest.start(collector);
            traffic.send(0, BURST, Duration.ZERO);
            collector.stop();
            thread.join(Duration.ofSeconds(60).toMillis());
            assertThat(thread.isAlive()).as("stopped within a minute").isFalse();
        }
        assertThat(Segments.markers(store, "node-u")).containsExactlyElementsOf(IntStream.range(0, BURST).boxed().toList());
    }
}
