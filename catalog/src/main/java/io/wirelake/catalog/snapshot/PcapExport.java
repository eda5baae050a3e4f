package io.wirelake.catalog.snapshot;

import io.wirelake.packets.capture.CaptureReader;
import io.wirelake.packets.capture.CaptureReaders;
import io.wirelake.packets.capture.Libpcap;
import io.wirelake.packets.capture.PcapWriter;
import io.wirelake.store.Layout;
import io.wirelake.store.ObjectStore;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.PriorityQueue;

import static java.util.Objects.requireNonNull;

/**
 * A snapshot's captures as one classic PCAP: all chosen nodes merged in time order, trimmed to a
 * window, and filtered with a BPF expression compiled by libpcap (through pcap4j), so the filter
 * means exactly what it means to tcpdump and Wireshark.
 */
public final class PcapExport
{
    public record Request(String snapshot, Path output, Optional<String> bpf, List<String> nodes, long fromMicros, long toMicros)
    {
        public Request
        {
            requireNonNull(snapshot, "snapshot is null");
            requireNonNull(output, "output is null");
            requireNonNull(bpf, "bpf is null");
            nodes = List.copyOf(nodes);
        }
    }

    public record Result(long packetsRead, long packetsWritten, long bytesWritten, List<String> damage) {}

    private final Snapshots snapshots;

    public PcapExport(Snapshots snapshots)
    {
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
    }

    /** One node's segments read in order, one packet at a time. */
    private static final class NodeStream
            implements Comparable<NodeStream>
    {
        final String node;
        final Iterator<String> keys;
        final ObjectStore store;
        final List<String> damage;
        CaptureReader reader;

        NodeStream(String node, List<String> keys, ObjectStore store, List<String> damage)
        {
            this.node = node;
            this.keys = keys.iterator();
            this.store = store;
            this.damage = damage;
        }

        boolean advance()
                throws IOException
        {
            while (true) {
                if (reader != null && reader.next()) {
                    return true;
                }
                if (reader != null) {
                    if (reader.damage() != null) {
                        damage.add(node + ": " + reader.damage());
                    }
                    reader.close();
                    reader = null;
                }
                if (!keys.hasNext()) {
                    return false;
                }
                reader = CaptureReaders.open(store.open(keys.next()));
            }
        }

        @Override
        public int compareTo(NodeStream other)
        {
            int byTime = Long.compare(reader.timestampMicros(), other.reader.timestampMicros());
            return byTime != 0 ? byTime : node.compareTo(other.node);
        }
    }

    public Result export(Request request)
            throws IOException
    {
        Manifest manifest = snapshots.manifest(request.snapshot());
        List<String> nodes = request.nodes().isEmpty() ? manifest.nodes() : request.nodes();
        for (String node : nodes) {
            if (!manifest.nodes().contains(node)) {
                throw new SnapshotException("snapshot " + manifest.id() + " has no captures of node " + node + "; its nodes: " + String.join(", ", manifest.nodes()));
            }
        }
        String prefix = Layout.snapshotPrefix(manifest.id());
        List<String> damage = new ArrayList<>();
        PriorityQueue<NodeStream> queue = new PriorityQueue<>();
        List<NodeStream> streams = new ArrayList<>();
        for (String node : nodes) {
            List<String> keys = manifest.captures().stream()
                    .filter(entry -> Layout.parse(entry.key()).map(segment -> segment.node().equals(node)).orElse(false))
                    .filter(entry -> entry.packets() == 0 || entry.lastPacketMicros() >= request.fromMicros() && entry.firstPacketMicros() <= request.toMicros())
                    .map(entry -> prefix + entry.key())
                    .toList();
            NodeStream stream = new NodeStream(node, keys, snapshots.store(), damage);
            streams.add(stream);
            if (stream.advance()) {
                queue.add(stream);
            }
        }
        Files.createDirectories(request.output().toAbsolutePath().getParent());
        long read = 0;
        long written = 0;
        BpfProgram filter = null;
        int linkType = -1;
        try (OutputStream output = new BufferedOutputStream(Files.newOutputStream(request.output()), 1 << 16)) {
            PcapWriter writer = null;
            while (!queue.isEmpty()) {
                NodeStream next = queue.poll();
                CaptureReader reader = next.reader;
                read++;
                if (writer == null) {
                    linkType = reader.linkType();
                    writer = new PcapWriter(output, linkType, 262_144);
                    filter = request.bpf().isPresent() ? compile(request.bpf().get(), linkType) : null;
                }
                else if (reader.linkType() != linkType) {
                    throw new SnapshotException("node " + next.node + " captured link type " + reader.linkType() + " but the export started with " + linkType
                            + "; export the nodes separately (--nodes)");
                }
                long timestamp = reader.timestampMicros();
                if (timestamp >= request.fromMicros() && timestamp <= request.toMicros()) {
                    byte[] packet = java.util.Arrays.copyOfRange(reader.buffer(), reader.offset(), reader.offset() + reader.capturedLength());
                    if (filter == null || filter.applyFilter(packet, reader.originalLength(), reader.capturedLength())) {
                        writer.write(timestamp, packet, 0, packet.length, reader.originalLength());
                        written++;
                    }
                }
                if (next.advance()) {
                    queue.add(next);
                }
            }
            if (writer == null) {
                new PcapWriter(output, 1, 262_144).flush();
            }
            else {
                writer.flush();
            }
        }
        finally {
            if (filter != null) {
                filter.free();
            }
            for (NodeStream stream : streams) {
                if (stream.reader != null) {
                    stream.reader.close();
                }
            }
        }
        return new Result(read, written, Files.size(request.output()), damage);
    }

    /** Compiles with libpcap; a bad expression is a clear error naming it. */
    public static BpfProgram compile(String expression, int linkType)
    {
        Libpcap.configure();
        try {
            return Pcaps.compileFilter(262_144, DataLinkType.getInstance(linkType), expression, BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
        }
        catch (PcapNativeException e) {
            throw new SnapshotException("invalid BPF filter '" + expression + "': " + e.getMessage());
        }
    }
}
