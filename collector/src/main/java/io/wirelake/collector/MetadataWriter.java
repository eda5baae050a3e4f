package io.wirelake.collector;

import io.wirelake.store.Layout;
import io.wirelake.store.meta.WorkloadEvent;
import io.wirelake.store.meta.WorkloadEvents;

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
 */
public final class MetadataWriter
        implements Closeable
{
    private final Spool spool;
    private final long rotationMicros;
    private final LongSupplier clockMicros;
    private final Consumer<Path> onFinished;
    private final CollectorMetrics metrics;
    private final Map<String, WorkloadEvent> state = new LinkedHashMap<>();
    private Writer writer;
    private Path file;
    private long segmentStart;
    private long sequence;

    public MetadataWriter(Spool spool, Rotation rotation, LongSupplier clockMicros, Consumer<Path> onFinished, CollectorMetrics metrics)
    {
        this.spool = requireNonNull(spool, "spool is null");
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
        ensureOpen(event.timeMicros());
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
        write(event);
        writer.flush();
    }

    /** Rotates a segment that has been open for the rotation time. */
    public synchronized void tick()
            throws IOException
    {
        if (writer != null && clockMicros.getAsLong() - segmentStart >= rotationMicros) {
            finishSegment();
            ensureOpen(clockMicros.getAsLong());
            writer.flush();
        }
    }

    @Override
    public synchronized void close()
            throws IOException
    {
        finishSegment();
    }

    private void ensureOpen(long nowMicros)
            throws IOException
    {
        if (writer != null) {
            return;
        }
        segmentStart = nowMicros;
        file = spool.openFile(Layout.Kind.META, nowMicros, sequence++);
        writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        for (WorkloadEvent known : state.values()) {
            write(known.withTime(nowMicros, "sync"));
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
        onFinished.accept(spool.finish(file));
    }

    private static boolean sameOwnership(WorkloadEvent a, WorkloadEvent b)
    {
        return a.node().equals(b.node()) && a.labels().equals(b.labels()) && a.annotations().equals(b.annotations()) && a.owner().equals(b.owner());
    }
}
