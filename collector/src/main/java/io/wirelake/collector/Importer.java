package io.wirelake.collector;

import io.wirelake.packets.capture.CaptureReader;
import io.wirelake.packets.capture.CaptureReaders;
import io.wirelake.store.Layout;
import io.wirelake.store.ObjectStore;
import io.wirelake.store.meta.CaptureSession;
import io.wirelake.store.meta.WorkloadEvent;
import io.wirelake.store.meta.WorkloadEvents;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Existing captures become a node's segments exactly as the collector writes them: cut by the same
 * rotation on the packets' own clock, named by their first packet, uploaded through a spool.
 * Metadata (JSON Lines of {@link WorkloadEvent}s) becomes one metadata segment. A damaged capture
 * is imported as far as it reads, and the result says what was cut.
 */
public final class Importer
{
    public record Result(long packets, long bytes, int segments, int metadataEvents, List<String> damage) {}

    private final ObjectStore store;
    private final String node;
    private final Rotation rotation;
    private final Path spoolDirectory;

    public Importer(ObjectStore store, String node, Rotation rotation, Path spoolDirectory)
    {
        this.store = requireNonNull(store, "store is null");
        this.node = Layout.checkName("node", node);
        this.rotation = requireNonNull(rotation, "rotation is null");
        this.spoolDirectory = requireNonNull(spoolDirectory, "spoolDirectory is null");
    }

    public Result importFiles(List<Path> captures, List<Path> metadataFiles, Consumer<String> progress)
            throws IOException
    {
        Spool spool = new Spool(spoolDirectory, node);
        try (java.io.Closeable lock = spool.lock()) {
            return importFiles(spool, captures, metadataFiles, progress);
        }
    }

    private Result importFiles(Spool spool, List<Path> captures, List<Path> metadataFiles, Consumer<String> progress)
            throws IOException
    {
        CollectorMetrics metrics = new CollectorMetrics();
        Uploader uploader = new Uploader(spool, store, 0, metrics);
        long packets = 0;
        long bytes = 0;
        int segments = 0;
        long sequence = 0;
        List<String> damage = new ArrayList<>();
        long firstPacketMicros = Long.MAX_VALUE;
        for (Path capture : captures) {
            int[] finished = {0};
            try (CaptureReader reader = CaptureReaders.open(capture)) {
                SegmentWriter writer = null;
                while (reader.next()) {
                    if (writer == null) {
                        writer = new SegmentWriter(spool, reader.linkType(), 262_144, rotation, sequence, file -> finished[0]++);
                    }
                    writer.write(reader.timestampMicros(), reader.buffer(), reader.offset(), reader.capturedLength(), reader.originalLength());
                    firstPacketMicros = Math.min(firstPacketMicros, reader.timestampMicros());
                    packets++;
                    bytes += reader.capturedLength();
                }
                if (writer != null) {
                    writer.close();
                    sequence = writer.nextSequence();
                }
                if (reader.damage() != null) {
                    damage.add(capture + ": " + reader.damage() + " (imported what came before)");
                }
            }
            segments += finished[0];
            if (!uploader.uploadPending()) {
                throw new IOException("upload to " + store.location() + " failed: " + uploader.lastError() + " (the segments wait in " + spoolDirectory + ")");
            }
            progress.accept(capture + ": " + finished[0] + " segments");
        }
        if (packets > 0) {
            // How these segments were made, for the manifests of snapshots that freeze them; dated
            // by the first packet, as the segments are.
            String files = String.join(", ", captures.stream().map(path -> path.getFileName().toString()).toList());
            new CaptureSession(node, firstPacketMicros, CaptureSession.IMPORT, CaptureSession.runningVersion(), CaptureSession.localHost(), files, "", 0)
                    .write(store);
        }
        int events = 0;
        for (Path metadata : metadataFiles) {
            List<WorkloadEvent> read;
            try (InputStream input = Files.newInputStream(metadata)) {
                read = WorkloadEvents.read(input, bad -> damage.add(metadata + ": " + bad));
            }
            if (read.isEmpty()) {
                continue;
            }
            long start = read.stream().mapToLong(WorkloadEvent::timeMicros).min().orElseThrow();
            store.put(Layout.segment(Layout.Kind.META, node, start, sequence++).key(), WorkloadEvents.toJsonLines(read));
            events += read.size();
            progress.accept(metadata + ": " + read.size() + " metadata events");
        }
        return new Result(packets, bytes, segments, events, damage);
    }
}
