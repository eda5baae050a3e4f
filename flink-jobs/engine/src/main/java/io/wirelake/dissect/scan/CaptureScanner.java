package io.wirelake.dissect.scan;

import io.wirelake.dissect.enrich.Enrichment;
import io.wirelake.dissect.flow.FlowTracker;
import io.wirelake.dissect.protocol.ProtocolRegistry;
import io.wirelake.packets.capture.CaptureFormatException;
import io.wirelake.packets.capture.CaptureReader;
import io.wirelake.packets.capture.CaptureReaders;
import io.wirelake.packets.capture.LinkType;
import io.wirelake.packets.decode.DecodeStatus;
import io.wirelake.packets.decode.DecodedPacket;
import io.wirelake.packets.decode.FragmentReassembler;
import io.wirelake.packets.decode.PacketDecoder;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * Scans the captures of one scan unit in time order with one flow table, so flows that span
 * segment files stay whole. This is the whole per-packet path: read, decode, track, dissect.
 * A file that cannot be read at all, or is damaged part-way, is reported and the scan goes on.
 */
public final class CaptureScanner
{
    /** Opens the stream of one capture of the unit. */
    public interface CaptureSource
    {
        String name();

        InputStream open()
                throws IOException;

        static CaptureSource of(java.nio.file.Path file)
        {
            return new CaptureSource()
            {
                @Override
                public String name()
                {
                    return file.toString();
                }

                @Override
                public InputStream open()
                        throws IOException
                {
                    return java.nio.file.Files.newInputStream(file);
                }
            };
        }
    }

    private final FlowTracker tracker;
    private final ScanReport report;
    private final PacketDecoder decoder = new PacketDecoder();
    private final DecodedPacket packet = new DecodedPacket();
    private final AtomicLong progressBytes;
    private long windowStart = Long.MIN_VALUE;
    private long windowEnd = Long.MAX_VALUE;
    private long readStart = Long.MIN_VALUE;
    private long readEnd = Long.MAX_VALUE;
    /** A sliced scan has done its part: the rest of its captures are not read. */
    private boolean stopped;
    private boolean cut;

    public CaptureScanner(ProtocolRegistry registry, FlowTracker.Settings settings, FlowTracker.RowSink sink, ScanReport report, AtomicLong progressBytes)
    {
        this.report = requireNonNull(report, "report is null");
        this.tracker = new FlowTracker(registry, settings, sink, report);
        this.progressBytes = progressBytes != null ? progressBytes : new AtomicLong();
    }

    /** Only packets captured in [start, end] (UTC microseconds) are dissected; the rest are counted as outside the window. */
    public CaptureScanner window(long start, long end)
    {
        this.windowStart = start;
        this.windowEnd = end;
        return this;
    }

    /**
     * Makes this scan one time slice of a node's captures (see {@link FlowTracker#slice}): packets
     * from {@code lookback} before {@code start} are read to know the flows already open, and
     * after {@code end} reading goes on while the slice's own flows are open, at most
     * {@code overlap} past it. Counters count the slice's own packets only, so the slices of a
     * node add up to the node.
     */
    public CaptureScanner slice(long start, long end, long lookback, long overlap)
    {
        tracker.slice(start, end);
        this.readStart = start == Long.MIN_VALUE ? Long.MIN_VALUE : start - lookback;
        long last = end + overlap;
        this.readEnd = end == Long.MAX_VALUE || last < end ? Long.MAX_VALUE : last;
        return this;
    }

    public CaptureScanner enrich(Enrichment enrichment)
    {
        tracker.enrich(enrichment);
        return this;
    }

    public void scan(CaptureSource capture)
    {
        if (stopped) {
            return;
        }
        report.increment("files");
        long reportedPosition = 0;
        try (CaptureReader reader = CaptureReaders.open(capture.open())) {
            long packets = 0;
            long bytes = 0;
            while (reader.next()) {
                long timestamp = reader.timestampMicros();
                if (timestamp < readStart) {
                    continue;
                }
                if (timestamp > readEnd || tracker.sliceDone(timestamp)) {
                    stopped = true;
                    cut = timestamp > readEnd;
                    break;
                }
                boolean own = tracker.owns(timestamp);
                if (timestamp < windowStart || timestamp > windowEnd) {
                    if (own) {
                        report.increment("skipped.outside_window");
                    }
                    continue;
                }
                if (own) {
                    packets++;
                    bytes += reader.capturedLength();
                }
                DecodeStatus status = decoder.decode(reader.linkType(), reader.buffer(), reader.offset(), reader.capturedLength(),
                        reader.timestampMicros(), packet);
                switch (status) {
                    case DECODED, OTHER_TRANSPORT -> tracker.packet(packet);
                    case FRAGMENT_HELD -> count(own, "ip.fragments_held");
                    case NOT_IP -> count(own, "skipped.not_ip");
                    case UNSUPPORTED_LINK -> count(own, "skipped.link_type." + LinkType.name(reader.linkType()));
                    case MALFORMED -> count(own, "anomaly." + packet.anomaly);
                }
                if ((packets & 0x3FF) == 0) {
                    long position = reader.position();
                    progressBytes.addAndGet(position - reportedPosition);
                    reportedPosition = position;
                }
            }
            progressBytes.addAndGet(reader.position() - reportedPosition);
            report.add("packets", packets);
            report.add("bytes", bytes);
            if (reader.damage() != null) {
                report.damage(capture.name() + ": " + reader.damage() + " (read " + packets + " packets before it)");
            }
        }
        catch (CaptureFormatException e) {
            report.increment("skipped.unreadable_files");
            report.damage(capture.name() + ": " + e.getMessage());
        }
        catch (IOException e) {
            report.increment("skipped.unreadable_files");
            report.damage(capture.name() + ": " + e);
        }
    }

    private void count(boolean own, String counter)
    {
        if (own) {
            report.increment(counter);
        }
    }

    /** Ends the unit: flows still open are closed and emitted. */
    public void finish()
    {
        if (cut) {
            tracker.cutOpenFlows();
        }
        tracker.finish();
        report.add("ip.fragments_reassembled", decoder.fragments().reassembled());
        report.add("ip.fragments_incomplete", decoder.fragments().incomplete());
        for (FragmentReassembler.Drop reason : FragmentReassembler.Drop.values()) {
            report.add("ip.fragments_dropped." + reason.reportName(), decoder.fragments().dropped(reason));
        }
    }
}
