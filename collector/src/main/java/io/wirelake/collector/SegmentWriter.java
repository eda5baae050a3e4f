package io.wirelake.collector;

import io.wirelake.packets.capture.PcapWriter;
import io.wirelake.store.Layout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Writes packets into rotating pcap segments in the spool. A segment is named by its first
 * packet's time and a sequence number; when it ends it moves to the spool's upload queue and
 * {@code onFinished} hears of it. Writes are flushed at least once a second, so a crash loses at
 * most about a second of packets (and the spool recovers the rest).
 *
 * <p>When a write fails (a full disk), an import stops with the error. A live capture
 * ({@link #live}) must not: the segment is cut in place after its last whole packet and queued,
 * and packets are dropped, and counted, until the spool's file system has room again
 * ({@link #RESUME_BYTES}), which uploads make.
 */
public final class SegmentWriter
        implements Closeable
{
    private static final Logger log = LoggerFactory.getLogger(SegmentWriter.class);
    private static final long FLUSH_INTERVAL_NANOS = 1_000_000_000L;
    /** Free space a capture waits for after a failed write before it writes again (or two segments' worth, when less). */
    static final long RESUME_BYTES = 4L << 20;
    private static final long SPACE_CHECK_INTERVAL_NANOS = 250_000_000L;

    private final Spool spool;
    private final int linkType;
    private final int snapLength;
    private final Rotation rotation;
    private final Consumer<Path> onFinished;
    private final Optional<CollectorMetrics> live;
    private PcapWriter writer;
    private Path file;
    private long segmentStartMicros;
    private long segmentOpenedNanos;
    private long lastFlushNanos;
    private long sequence;
    private long packets;
    /** Packets given to the open segment (some may still be in the write buffer). */
    private long segmentPackets;
    /** Since when writes are suspended after a failure (0: writing). */
    private long suspendedSinceNanos;
    private long lastSpaceCheckNanos;
    private long droppedWhileSuspended;

    /** For an import: a failed write is thrown. */
    public SegmentWriter(Spool spool, int linkType, int snapLength, Rotation rotation, long firstSequence, Consumer<Path> onFinished)
    {
        this(spool, linkType, snapLength, rotation, firstSequence, onFinished, Optional.empty());
    }

    private SegmentWriter(Spool spool, int linkType, int snapLength, Rotation rotation, long firstSequence, Consumer<Path> onFinished,
            Optional<CollectorMetrics> live)
    {
        this.spool = requireNonNull(spool, "spool is null");
        this.linkType = linkType;
        this.snapLength = snapLength;
        this.rotation = requireNonNull(rotation, "rotation is null");
        this.sequence = firstSequence;
        this.onFinished = requireNonNull(onFinished, "onFinished is null");
        this.live = requireNonNull(live, "live is null");
    }

    /** For a live capture: a failed write cuts the segment and drops packets (counted in the metrics) until there is room again. */
    public static SegmentWriter live(Spool spool, int linkType, int snapLength, Rotation rotation, Consumer<Path> onFinished, CollectorMetrics metrics)
    {
        return new SegmentWriter(spool, linkType, snapLength, rotation, 0, onFinished, Optional.of(metrics));
    }

    public synchronized void write(long timestampMicros, byte[] data, int offset, int capturedLength, int originalLength)
            throws IOException
    {
        if (suspendedSinceNanos != 0 && !resume()) {
            droppedWhileSuspended++;
            live.orElseThrow().packetsDroppedNoSpace.inc();
            return;
        }
        boolean inSegment = false;
        try {
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
            // Counted before the write: if it fails, the packets of the segment that did not reach the disk are known.
            segmentPackets++;
            inSegment = true;
            writer.write(timestampMicros, data, offset, capturedLength, originalLength);
            packets++;
            long now = System.nanoTime();
            if (now - lastFlushNanos > FLUSH_INTERVAL_NANOS) {
                writer.flush();
                lastFlushNanos = now;
            }
        }
        catch (IOException e) {
            failed(e);
            if (!inSegment) {
                live.orElseThrow().packetsDroppedNoSpace.inc();
            }
        }
    }

    /**
     * Called about every 200 ms from a timer (a libpcap read blocks for as long as no packet
     * arrives): flushes, and ends a segment that has been open for the rotation time.
     */
    public synchronized void tick()
            throws IOException
    {
        if (writer == null) {
            return;
        }
        long now = System.nanoTime();
        try {
            if (now - segmentOpenedNanos >= rotation.micros() * 1000) {
                finishSegment();
            }
            else if (now - lastFlushNanos > FLUSH_INTERVAL_NANOS) {
                writer.flush();
                lastFlushNanos = now;
            }
        }
        catch (IOException e) {
            failed(e);
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
        Path finished = spool.finish(file);
        file = null;
        segmentPackets = 0;
        onFinished.accept(finished);
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

    /**
     * A write failed: an import throws; a live capture keeps what reached the disk (the segment
     * cut in place after its last whole packet, and queued) and stops writing until there is room.
     */
    private void failed(IOException failure)
            throws IOException
    {
        if (live.isEmpty()) {
            throw failure;
        }
        CollectorMetrics metrics = live.get();
        metrics.spoolWriteFailures.inc();
        Path failedFile = file;
        if (writer != null) {
            try {
                writer.close();
            }
            catch (IOException e) {
                // the buffer that did not fit is lost; what reached the disk is kept below
            }
        }
        writer = null;
        file = null;
        if (failedFile != null && Files.exists(failedFile)) {
            try {
                long kept = Spool.truncateCapture(failedFile);
                // Packets still in the write buffer, or cut by the failure, never reached the disk.
                metrics.packetsDroppedNoSpace.inc(Math.max(0, segmentPackets - kept));
                if (kept > 0) {
                    onFinished.accept(spool.finish(failedFile));
                }
                else {
                    Files.deleteIfExists(failedFile);
                }
            }
            catch (IOException e) {
                // Left in open/: the next start recovers it.
                log.warn("cannot finish {} after a failed write: {}", failedFile, e.getMessage());
            }
        }
        segmentPackets = 0;
        if (suspendedSinceNanos == 0) {
            log.warn("cannot write to the spool {} ({}): dropping packets until it has {} bytes free again", spool.directory(), failure.getMessage(),
                    resumeBytes(rotation));
            suspendedSinceNanos = System.nanoTime();
            lastSpaceCheckNanos = suspendedSinceNanos;
            droppedWhileSuspended = 0;
        }
    }

    static long resumeBytes(Rotation rotation)
    {
        return Math.min(RESUME_BYTES, 2 * rotation.bytes());
    }

    /** Whether writing may start again: checked a few times a second, not per packet. */
    private boolean resume()
    {
        long now = System.nanoTime();
        if (now - lastSpaceCheckNanos < SPACE_CHECK_INTERVAL_NANOS) {
            return false;
        }
        lastSpaceCheckNanos = now;
        try {
            if (spool.usableBytes() < resumeBytes(rotation)) {
                return false;
            }
        }
        catch (IOException e) {
            return false;
        }
        log.info("the spool {} has room again: capturing into it after {} s, {} packets dropped meanwhile", spool.directory(),
                (now - suspendedSinceNanos) / 1_000_000_000L, droppedWhileSuspended);
        suspendedSinceNanos = 0;
        return true;
    }
}
