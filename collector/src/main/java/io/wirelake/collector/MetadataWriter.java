package io.wirelake.collector;

import io.wirelake.store.Layout;
import io.wirelake.store.meta.WorkloadEvent;
import io.wirelake.store.meta.WorkloadEvents;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Writes IP-ownership events into rotating metadata segments. It keeps the current state (every
 * pod, service and endpoint IP known now), and each new segment starts with that whole state as
 * {@code sync} events: any one segment resolves IPs from its start on without its predecessors,
 * which is what lets the FIFO budget and snapshots keep only the segments they need.
 *
 * <p>A failed write (a full disk) does not stop the watcher: the segment is cut after its last
 * whole line and queued, events keep updating the state, and once the spool has room again the
 * next segment starts with the whole state, so what happened meanwhile is known from then on.
 */
public final class MetadataWriter
        implements Closeable
{
    private final Spool spool;
    private final Rotation rotation;
    private final long rotationMicros;
    private final LongSupplier clockMicros;
    private final Consumer<Path> onFinished;
    private final CollectorMetrics metrics;
    private static final Logger log = LoggerFactory.getLogger(MetadataWriter.class);

    private final Map<String, WorkloadEvent> state = new LinkedHashMap<>();
    /** After a failed write, until the spool has room again. */
    private boolean suspended;
    private long lastSpaceCheckNanos;
    private Writer writer;
    private Path file;
    private long segmentStart;
    private long sequence;

    public MetadataWriter(Spool spool, Rotation rotation, LongSupplier clockMicros, Consumer<Path> onFinished, CollectorMetrics metrics)
    {
        this.spool = requireNonNull(spool, "spool is null");
        this.rotation = requireNonNull(rotation, "rotation is null");
        this.rotationMicros = rotation.micros();
        this.clockMicros = requireNonNull(clockMicros, "clockMicros is null");
        this.onFinished = requireNonNull(onFinished, "onFinished is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
    }

    public synchronized void event(WorkloadEvent event)
            throws IOException
    {
        String key = event.kind() + "|" + event.namespace() + "|" + event.name() + "|" + event.ip();
        // Opened before the state changes: the segment's sync events are the state before this event.
        boolean open = suspended ? resume(event.timeMicros()) : ensureOpen(event.timeMicros());
        if (event.deleted()) {
            if (state.remove(key) == null) {
                return;
            }
        }
        else {
            WorkloadEvent previous = state.put(key, event);
            if (previous != null && sameOwnership(previous, event)) {
                return;
            }
        }
        if (!open) {
            return;
        }
        try {
            write(event);
            writer.flush();
        }
        catch (IOException e) {
            failed(e);
        }
    }

    /** Rotates a segment that has been open for the rotation time, and starts again after a failed write once there is room. */
    public synchronized void tick()
            throws IOException
    {
        if (suspended) {
            resume(clockMicros.getAsLong());
            return;
        }
        if (writer != null && clockMicros.getAsLong() - segmentStart >= rotationMicros) {
            try {
                finishSegment();
                if (ensureOpen(clockMicros.getAsLong())) {
                    writer.flush();
                }
            }
            catch (IOException e) {
                failed(e);
            }
        }
    }

    @Override
    public synchronized void close()
            throws IOException
    {
        try {
            finishSegment();
        }
        catch (IOException e) {
            failed(e);
        }
    }

    /** A write failed: keep the whole lines that reached the disk, queue them, and write nothing until there is room. */
    private void failed(IOException failure)
    {
        metrics.spoolWriteFailures.inc();
        Path failedFile = file;
        if (writer != null) {
            try {
                writer.close();
            }
            catch (IOException e) {
                // what did not reach the disk is lost; the next segment's sync lines restate it
            }
        }
        writer = null;
        file = null;
        if (failedFile != null && Files.exists(failedFile)) {
            try {
                Spool.truncateLines(failedFile);
                if (Files.size(failedFile) > 0) {
                    onFinished.accept(spool.finish(failedFile));
                }
                else {
                    Files.deleteIfExists(failedFile);
                }
            }
            catch (IOException e) {
                // Left in open/: the next start recovers it.
            }
        }
        if (!suspended) {
            log.warn("cannot write metadata to the spool {} ({}): events are kept in memory and written when it has room again", spool.directory(),
                    failure.getMessage());
        }
        suspended = true;
        lastSpaceCheckNanos = System.nanoTime();
    }

    /** Opens a new segment (with the whole state) when the spool has room again; whether one is open. */
    private boolean resume(long nowMicros)
    {
        long now = System.nanoTime();
        if (now - lastSpaceCheckNanos < 250_000_000L) {
            return false;
        }
        lastSpaceCheckNanos = now;
        try {
            if (spool.usableBytes() < SegmentWriter.resumeBytes(rotation)) {
                return false;
            }
            suspended = false;
            if (!ensureOpen(nowMicros)) {
                return false;
            }
            writer.flush();
            log.info("writing metadata to the spool {} again", spool.directory());
            return true;
        }
        catch (IOException e) {
            failed(e);
            return false;
        }
    }

    /** Opens a segment starting with the whole state, unless one is open; false when the write failed. */
    private boolean ensureOpen(long nowMicros)
    {
        if (writer != null) {
            return true;
        }
        try {
            segmentStart = nowMicros;
            file = spool.openFile(Layout.Kind.META, nowMicros, sequence++);
            writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
            for (WorkloadEvent known : state.values()) {
                write(known.withTime(nowMicros, "sync"));
            }
            return true;
        }
        catch (IOException e) {
            failed(e);
            return false;
        }
    }

    private void write(WorkloadEvent event)
            throws IOException
    {
        writer.write(WorkloadEvents.toLine(event));
        writer.write('\n');
        metrics.metadataEvents.inc();
    }

    private void finishSegment()
            throws IOException
    {
        if (writer == null) {
            return;
        }
        writer.close();
        writer = null;
        Path finished = spool.finish(file);
        file = null;
        onFinished.accept(finished);
    }

    private static boolean sameOwnership(WorkloadEvent a, WorkloadEvent b)
    {
        return a.node().equals(b.node()) && a.labels().equals(b.labels()) && a.annotations().equals(b.annotations()) && a.owner().equals(b.owner());
    }
}
