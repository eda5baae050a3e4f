package io.wirelake.collector;

import io.wirelake.store.LocalObjectStore;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** SIGKILL in the middle of a segment: the next start recovers the partial segment and uploads it. */
@Tag("root")
class CrashRecoveryTest
{
    @TempDir
    Path temporary;

    @Test
    void aKilledCollectorsPartialSegmentIsRecoveredOnRestart()
            throws Exception
    {
        Path storeDirectory = temporary.resolve("store");
        Path spool = temporary.resolve("spool");
        try (DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress()); DatagramSocket sender = new DatagramSocket()) {
            int port = receiver.getLocalPort();
            Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), CollectorProcess.class.getName(),
                    storeDirectory.toString(), spool.toString(), "node-k", String.valueOf(port))
                    .redirectErrorStream(true).start();
            BufferedReader output = new BufferedReader(new InputStreamReader(process.getInputStream()));
            for (String line = output.readLine(); line != null && !line.equals("STARTED"); line = output.readLine()) {
                assertThat(process.isAlive()).as(line).isTrue();
            }
            for (int i = 0; i < 100; i++) {
                byte[] payload = Segments.marker(i);
                sender.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), port));
                Thread.sleep(10);
            }
            // Past the one-second flush: what was sent is on disk in the open segment.
            Thread.sleep(3000);
            process.destroyForcibly().waitFor();
            assertThat(process.exitValue()).isEqualTo(137);
            try (var open = Files.list(spool.resolve("open"))) {
                assertThat(open.toList()).as("the segment the crash left open").hasSize(1);
            }
            assertThat(Segments.raw(new LocalObjectStore(storeDirectory), "node-k")).isEmpty();

            // Restart: the spool is recovered before capture begins.
            LocalObjectStore store = new LocalObjectStore(storeDirectory);
            Collector collector = new Collector(new Collector.Options("node-k", "lo", Optional.of("udp and dst port " + port), 65535,
                    Rotation.DEFAULT, spool, 0, 0, "127.0.0.1", -1, true, Duration.ofSeconds(10)), store, Optional.empty());
            Thread thread = new Thread(() -> {
                try {
                    collector.run();
                }
                catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            thread.start();
            assertThat(collector.awaitStarted(Duration.ofSeconds(30))).isTrue();
            collector.stop();
            thread.join(30_000);
            List<Integer> markers = Segments.markers(store, "node-k");
            assertThat(markers).containsExactlyElementsOf(IntStream.range(0, 100).boxed().toList());
        }
    }
}
