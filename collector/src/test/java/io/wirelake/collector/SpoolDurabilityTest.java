package io.wirelake.collector;

import io.wirelake.store.LocalObjectStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a power loss would leave is decided by the order of system calls: a segment's data must
 * reach the disk ({@code fsync} of the file) before the rename that publishes it, and the
 * directory entry after. The kernel's own record of them, by {@code strace}, is the oracle: a
 * collector in a process of its own writes a segment into the spool and uploads it into a local
 * store, under strace, and each rename in the spool and in the store must sit between those two
 * fsyncs.
 */
class SpoolDurabilityTest
{
    /** A rename that succeeded, or one another thread's call interrupted in the trace ("unfinished"; its result follows later). */
    private static final Pattern RENAME = Pattern.compile("^\\d+\\s+rename(?:at2?)?\\((?:[^,]+, )?\"([^\"]+)\", (?:[^,]+, )?\"([^\"]+)\"(?:.*= 0| <unfinished \\.\\.\\.>)$");
    private static final Pattern FSYNC = Pattern.compile("^\\d+\\s+fsync\\(\\d+<([^>]+)>(?:\\)\\s+= 0| <unfinished \\.\\.\\.>)$");

    @TempDir
    Path temporary;

    @Test
    void segmentsAreForcedBeforeTheRenameAndTheirDirectoryAfter()
            throws Exception
    {
        Path store = temporary.resolve("store");
        Path spool = temporary.resolve("spool");
        Path trace = temporary.resolve("strace.txt");
        try (LoopbackTraffic traffic = new LoopbackTraffic()) {
            Process strace;
            try {
                strace = new ProcessBuilder("strace", "-f", "-y", "-qq", "--seccomp-bpf", "-e", "trace=fsync,rename,renameat,renameat2", "-o", trace.toString(),
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                        CollectorProcess.class.getName(), store.toString(), spool.toString(), "node-s", String.valueOf(traffic.port()))
                        .redirectErrorStream(true).start();
            }
            catch (java.io.IOException e) {
                throw new AssertionError("this test needs strace (Debian: strace): " + e.getMessage(), e);
            }
            BufferedReader output = new BufferedReader(new InputStreamReader(strace.getInputStream()));
            for (String line = output.readLine(); line != null && !line.equals("STARTED"); line = output.readLine()) {
                assertThat(strace.isAlive()).as(line).isTrue();
            }
            traffic.send(0, 20, Duration.ofMillis(10));
            Thread.sleep(1500);
            // SIGTERM to the collector (not to strace): it finishes the segment and uploads it.
            ProcessHandle collector = strace.descendants().filter(process -> process.info().command().orElse("").endsWith("java")).findFirst().orElseThrow();
            collector.destroy();
            assertThat(strace.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(Segments.markers(new LocalObjectStore(store), "node-s")).containsExactlyElementsOf(IntStream.range(0, 20).boxed().toList());

        List<String> calls = Files.readAllLines(trace).stream().filter(line -> RENAME.matcher(line).matches() || FSYNC.matcher(line).matches()).toList();
        int spoolRenames = 0;
        int storeRenames = 0;
        for (int index = 0; index < calls.size(); index++) {
            Matcher rename = RENAME.matcher(calls.get(index));
            if (!rename.matches()) {
                continue;
            }
            Path source = Path.of(rename.group(1));
            Path target = Path.of(rename.group(2));
            boolean inSpool = source.startsWith(spool.resolve("open")) && target.startsWith(spool.resolve("ready"));
            boolean inStore = target.startsWith(store.resolve("raw")) && source.getFileName().toString().startsWith(".wirelake-");
            if (!inSpool && !inStore) {
                continue;
            }
            assertThat(fsyncBefore(calls, index, source)).as("fsync(%s) before %s", source, calls.get(index)).isTrue();
            assertThat(fsyncAfter(calls, index, target.getParent())).as("fsync(%s) after %s", target.getParent(), calls.get(index)).isTrue();
            if (inSpool) {
                spoolRenames++;
            }
            else {
                storeRenames++;
            }
        }
        assertThat(spoolRenames).as("the segment moved from open/ to ready/:\n%s", String.join("\n", calls)).isEqualTo(1);
        assertThat(storeRenames).as("the segment renamed into the store:\n%s", String.join("\n", calls)).isEqualTo(1);
    }

    private static boolean fsyncBefore(List<String> calls, int index, Path file)
    {
        for (int earlier = index - 1; earlier >= 0; earlier--) {
            Matcher fsync = FSYNC.matcher(calls.get(earlier));
            if (fsync.matches() && Path.of(fsync.group(1)).equals(file)) {
                return true;
            }
            Matcher rename = RENAME.matcher(calls.get(earlier));
            if (rename.matches() && Path.of(rename.group(2)).equals(file)) {
                // the file came by another rename: its fsync must be after that one
                return false;
            }
        }
        return false;
    }

    private static boolean fsyncAfter(List<String> calls, int index, Path directory)
    {
        for (int later = index + 1; later < calls.size(); later++) {
            Matcher fsync = FSYNC.matcher(calls.get(later));
            if (fsync.matches() && Path.of(fsync.group(1)).equals(directory)) {
                return true;
            }
        }
        return false;
    }
}
