package io.wirelake.demo;

import io.wirelake.packets.capture.LinkType;
import io.wirelake.packets.capture.PcapWriter;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.LongConsumer;

/**
 * Writes the frames of many sessions, each already in time order, into one capture per node
 * ({@code <node>.pcap}) with every capture in time order: the sessions' packets interleave as
 * a node collector would see them. Equal timestamps keep the order the sessions were added in,
 * so the output depends on nothing but the sessions.
 */
final class FrameMerger
        implements Closeable
{
    static final int SNAP_LENGTH = 262_144;
    /** How much later a pod's other node sees a frame that crossed between two nodes. */
    static final long CROSS_NODE_OFFSET_MICROS = 45;

    /** The next frame of one session as one node's capture sees it; only a primary's end is reported to the caller. */
    private record Pending(long timestampMicros, long order, List<Frame> frames, int index, DemoCluster.Node node, boolean primary)
            implements Comparable<Pending>
    {
        @Override
        public int compareTo(Pending other)
        {
            int byTime = Long.compare(timestampMicros, other.timestampMicros);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    private final Map<DemoCluster.Node, PcapWriter> writers = new LinkedHashMap<>();
    private final List<Path> captures = new ArrayList<>();
    private final PriorityQueue<Pending> queue = new PriorityQueue<>();
    private final LongConsumer progressBytes;
    private long order;
    private long packets;
    private long bytes;

    FrameMerger(Path directory, List<DemoCluster.Node> nodes, LongConsumer progressBytes)
            throws IOException
    {
        this.progressBytes = progressBytes;
        Files.createDirectories(directory);
        try {
            for (DemoCluster.Node node : nodes) {
                Path capture = directory.resolve(node.name() + ".pcap");
                writers.put(node, new PcapWriter(Files.newOutputStream(capture), LinkType.ETHERNET, SNAP_LENGTH));
                captures.add(capture);
            }
        }
        catch (IOException | RuntimeException e) {
            close();
            throw e;
        }
    }

    /** A session's frames as {@code node} captures them; the end of a primary session is reported by {@link #writeNext}. */
    void add(List<Frame> frames, DemoCluster.Node node, boolean primary)
    {
        if (!frames.isEmpty()) {
            queue.add(new Pending(frames.get(0).timestampMicros(), order++, frames, 0, node, primary));
        }
    }

    /** The frames between pods on two nodes as the other node sees them too, a little later. */
    void addCopy(List<Frame> frames, DemoCluster.Node node)
    {
        List<Frame> seen = new ArrayList<>(frames.size());
        for (Frame frame : frames) {
            seen.add(new Frame(frame.timestampMicros() + CROSS_NODE_OFFSET_MICROS, frame.bytes()));
        }
        add(seen, node, false);
    }

    boolean hasNext()
    {
        return !queue.isEmpty();
    }

    long nextTimestamp()
    {
        return queue.element().timestampMicros();
    }

    /** Writes the earliest pending frame; returns its timestamp when it ended a primary session, else -1. */
    long writeNext()
            throws IOException
    {
        Pending next = queue.poll();
        Frame frame = next.frames().get(next.index());
        writers.get(next.node()).write(frame.timestampMicros(), frame.bytes(), 0, frame.bytes().length, frame.bytes().length);
        packets++;
        bytes += 16 + frame.bytes().length;
        if ((packets & 0xFFF) == 0 && progressBytes != null) {
            progressBytes.accept(bytes);
        }
        if (next.index() + 1 < next.frames().size()) {
            Frame following = next.frames().get(next.index() + 1);
            queue.add(new Pending(following.timestampMicros(), next.order(), next.frames(), next.index() + 1, next.node(), next.primary()));
            return -1;
        }
        return next.primary() ? frame.timestampMicros() : -1;
    }

    List<Path> captures()
    {
        return List.copyOf(captures);
    }

    long packets()
    {
        return packets;
    }

    /** Record bytes written so far (16-byte record headers and frames, without the file headers). */
    long bytes()
    {
        return bytes;
    }

    @Override
    public void close()
            throws IOException
    {
        IOException failure = null;
        for (PcapWriter writer : writers.values()) {
            try {
                writer.close();
            }
            catch (IOException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (progressBytes != null) {
            progressBytes.accept(bytes);
        }
        if (failure != null) {
            throw failure;
        }
    }
}
