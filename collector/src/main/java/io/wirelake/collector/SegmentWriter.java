package io.wirelake.collector;

import io.wirelake.packets.capture.PcapWriter;
import io.wirelake.store.Layout;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Writes packets into rotating pcap segments in the spool. A segment is named by its first
 * packet's time and a sequence number; when it ends it moves to the spool's upload queue and
 * {@code onFinished} hears of it. Writes are flushed at least once a second, so a crash loses at
 * most about a second of packets (and the spool recovers the rest).
 */
public final class SegmentWriter
        implements Closeable
{
    private static final long FLUSH_INTERVAL_NANOS = 1_000_000_000L;

    private final Spool spool;
    private final int linkType;
    private final int snapLength;
    private final Rotation rotation;
    private final Consumer<Path> onFinished;
    private PcapWriter writer;
    private Path file;
    private long segmentStartMicros;
    private long segmentOpenedNanos;
    private long lastFlushNanos;
    private long sequence;
    private long packets;

    public SegmentWriter(Spool spool, int linkType, int snapLength, Rotation rotation, long firstSequence, Consumer<Path> onFinished)
    {
        this.spool = requireNonNull(spool, "spool is null");
        this.linkType = linkType;
        this.snapLength = snapLength;
        this.rotation = requireNonNull(rotation, "rotation is null");
        this.sequence = firstSequence;
        this.onFinished = requireNonNull(onFinished, "onFinished is null");
    }

    public synchronized void write(long timestampMicros, byte[] data, int offset, int capturedLength, int originalLength)
            throws IOException
    {
        if (writer != null && (timestampMicros - segmentStartMicros >= rotation.micros()
                || writer.bytesWritten() + 16 + capturedLength > rotation.bytes())) {
            finishSegment();
        }
        if (writer == null) {
            segmentStartMicros = timestampMicros;
            segmentOpenedNanos = System.nanoTime();
            file = spool.openFile(Layout.Kind.RAW, timestampMicros, sequence++);
            writer = new PcapWriter(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), linkType, snapLength);
        }
        writer.write(timestampMicros, data, offset, capturedLength, originalLength);
        packets++;
        long now = System.nanoTime();
        if (now - lastFlushNanos > FLUSH_INTERVAL_NANOS) {
            writer.flush();
            lastFlushNanos = now;
        }
    }

    /**
     * Called about every 200 ms from a timer (libpcap in immediate mode may block while no packet
     * arrives): flushes, and ends a segment that has been open for the rotation time.
     */
    public synchronized void tick()
            throws IOException
    {
        if (writer == null) {
            return;
        }
        long now = System.nanoTime();
        if (now - segmentOpenedNanos >= rotation.micros() * 1000) {
            finishSegment();
        }
        else if (now - lastFlushNanos > FLUSH_INTERVAL_NANOS) {
            writer.flush();
            lastFlushNanos = now;
        }
    }

    public synchronized long packets()
    {
        return packets;
    }

    public synchronized long nextSequence()
    {
        return sequence;
    }

    /** Ends the open segment, if any. */
    public synchronized void finishSegment()
            throws IOException
    {
        if (writer == null) {
            return;
        }
        writer.close();
        writer = null;
        onFinished.accept(spool.finish(file));
        file = null;
    }

    @Override
    public synchronized void close()
            throws IOException
    {
        finishSegment();
    }
}
