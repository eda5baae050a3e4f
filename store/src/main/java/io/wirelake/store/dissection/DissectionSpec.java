package io.wirelake.store.dissection;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.io.Serializable;
import java.util.List;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Everything one dissection needs, as one serialisable value: which captures (and, for a
 * snapshot, its Kubernetes metadata, nodes and window), where the tables go, and how to dissect.
 * The same spec drives the local MiniCluster, a job submitted to a Flink cluster's REST API, and
 * {@code DissectionJobMain} on a cluster ({@code --spec URL}, or {@code --store URL --snapshot ID}
 * reading {@code snapshots/<id>/dissection-spec.json}). It lives beside the store's layout because
 * both sides of the launcher boundary read it: the catalog writes it, the job reads it, and neither
 * knows the other.
 *
 * <p>URIs are what Flink's file systems read: {@code file:///...} or {@code s3://bucket/key}.
 *
 * @param version the format's version ({@value #VERSION}); a reader refuses others
 * @param snapshot the snapshot's id, or empty for plain capture files
 * @param captures the capture files; a node's segments are scanned together in time order
 * @param metadata the Kubernetes metadata segments (JSON Lines) the rows are enriched from
 * @param nodes the nodes whose captures the snapshot holds (a flow seen on two is kept once)
 * @param windowStart first packet time dissected, UTC microseconds (inclusive)
 * @param windowEnd last packet time dissected, UTC microseconds (inclusive)
 * @param output the tables' base URI: {@code <output>/<table>/}, or with a partition
 *        {@code <output>/<table>/snapshot_id=<partition>/}
 * @param partition the {@code snapshot_id} partition written, or empty
 * @param defaultNode the node recorded for captures that are not a node's segments
 * @param captureSource {@code capture_source} of the rows: unspecified, af_packet, ebpf or ebpf_tls
 * @param bodyCap the largest body kept per request or response, in bytes
 * @param parallelism tasks; 0 lets the launcher choose (one per core locally, the cluster's default remotely)
 * @param slicing how a node's captures are split into time slices (one scan unit each)
 * @param protocols the protocols dissected (display names, e.g. {@code HTTP}); empty for all
 * @param redaction redaction rules; none exist yet, and a spec naming any is refused rather than ignored
 * @param status where {@code DissectionJobMain} writes the dissection's status ({@code status.json}); empty
 *        when the launcher writes it (the command line does, for local and REST-submitted runs)
 */
public record DissectionSpec(int version, String snapshot, List<Capture> captures, List<String> metadata, List<String> nodes, long windowStart,
        long windowEnd, String output, String partition, String defaultNode, String captureSource, int bodyCap, int parallelism, Slicing slicing,
        List<String> protocols, List<String> redaction, String status)
        implements Serializable
{
    public static final int VERSION = 1;
    public static final int DEFAULT_BODY_CAP = 64 * 1024;
    public static final Set<String> CAPTURE_SOURCES = Set.of("unspecified", "af_packet", "ebpf", "ebpf_tls");

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One capture file.
     *
     * @param node the node whose segment it is, or empty for a plain capture file (a unit of its own)
     * @param firstPacketMicros first packet's time, or -1 when not known (then the file is in every slice of its node)
     * @param lastPacketMicros last packet's time, or -1 when not known
     */
    public record Capture(String uri, String node, long bytes, long firstPacketMicros, long lastPacketMicros)
            implements Serializable
    {
        public Capture
        {
            requireNonNull(uri, "uri is null");
            node = node == null ? "" : node;
        }

        public boolean timesKnown()
        {
            return firstPacketMicros >= 0 && lastPacketMicros >= firstPacketMicros;
        }
    }

    /**
     * Time slices: each node's captures are cut into {@code slicesPerNode} slices of equal time
     * (1: the node is one scan unit). A flow belongs to the slice it starts in; a slice first
     * reads {@code lookbackMicros} before its start (to know the flows already open, which it
     * skips) and after its end goes on reading the flows it owns until they end, at most
     * {@code overlapMicros} past the end (a flow still open then is cut there, and counted).
     */
    public record Slicing(int slicesPerNode, long lookbackMicros, long overlapMicros)
            implements Serializable
    {
        /** The TCP idle time (300 s), the close delay (5 s) and two flow-table sweeps (10 s each), and a margin. */
        public static final long DEFAULT_LOOKBACK_MICROS = 330_000_000L;
        public static final long DEFAULT_OVERLAP_MICROS = 3_600_000_000L;
        public static final Slicing NONE = new Slicing(1, DEFAULT_LOOKBACK_MICROS, DEFAULT_OVERLAP_MICROS);

        public Slicing
        {
            if (slicesPerNode < 1) {
                throw new IllegalArgumentException("slices per node must be at least 1");
            }
            if (lookbackMicros < 0 || overlapMicros < 0) {
                throw new IllegalArgumentException("slice lookback and overlap cannot be negative");
            }
        }

        public static Slicing perNode(int slices)
        {
            return new Slicing(slices, DEFAULT_LOOKBACK_MICROS, DEFAULT_OVERLAP_MICROS);
        }
    }

    public DissectionSpec
    {
        if (version != VERSION) {
            throw new IllegalArgumentException("dissection spec version " + version + " is not supported (this wirelake reads version " + VERSION + ")");
        }
        snapshot = snapshot == null ? "" : snapshot;
        captures = List.copyOf(requireNonNull(captures, "captures is null"));
        metadata = metadata == null ? List.of() : List.copyOf(metadata);
        nodes = nodes == null ? List.of() : List.copyOf(nodes);
        requireNonNull(output, "output is null");
        partition = partition == null ? "" : partition;
        defaultNode = defaultNode == null ? "" : defaultNode;
        captureSource = captureSource == null ? "unspecified" : captureSource;
        slicing = slicing == null ? Slicing.NONE : slicing;
        protocols = protocols == null ? List.of() : List.copyOf(protocols);
        redaction = redaction == null ? List.of() : List.copyOf(redaction);
        status = status == null ? "" : status;
        if (!CAPTURE_SOURCES.contains(captureSource)) {
            throw new IllegalArgumentException("capture source must be one of unspecified, af_packet, ebpf, ebpf_tls, not '" + captureSource + "'");
        }
        if (bodyCap < 0) {
            throw new IllegalArgumentException("body cap cannot be negative");
        }
        if (parallelism < 0) {
            throw new IllegalArgumentException("parallelism cannot be negative");
        }
        if (windowStart > windowEnd) {
            throw new IllegalArgumentException("window starts after it ends");
        }
        if (!redaction.isEmpty()) {
            throw new IllegalArgumentException("redaction rules are not supported yet; refusing to dissect without applying " + redaction);
        }
    }

    /** A spec for plain capture files: no snapshot, no metadata, every packet. */
    public static DissectionSpec ofCaptures(List<Capture> captures, String output)
    {
        return new DissectionSpec(VERSION, "", captures, List.of(), List.of(), Long.MIN_VALUE, Long.MAX_VALUE, output, "", "", "unspecified",
                DEFAULT_BODY_CAP, 0, Slicing.NONE, List.of(), List.of(), "");
    }

    public DissectionSpec withParallelism(int newParallelism)
    {
        return new DissectionSpec(version, snapshot, captures, metadata, nodes, windowStart, windowEnd, output, partition, defaultNode, captureSource,
                bodyCap, newParallelism, slicing, protocols, redaction, status);
    }

    public DissectionSpec withSlicing(Slicing newSlicing)
    {
        return new DissectionSpec(version, snapshot, captures, metadata, nodes, windowStart, windowEnd, output, partition, defaultNode, captureSource,
                bodyCap, parallelism, newSlicing, protocols, redaction, status);
    }

    public DissectionSpec withNode(String newDefaultNode, String newCaptureSource, int newBodyCap)
    {
        return new DissectionSpec(version, snapshot, captures, metadata, nodes, windowStart, windowEnd, output, partition, newDefaultNode,
                newCaptureSource, newBodyCap, parallelism, slicing, protocols, redaction, status);
    }

    public DissectionSpec withStatus(String newStatus)
    {
        return new DissectionSpec(version, snapshot, captures, metadata, nodes, windowStart, windowEnd, output, partition, defaultNode, captureSource,
                bodyCap, parallelism, slicing, protocols, redaction, newStatus);
    }

    public DissectionSpec withProtocols(List<String> newProtocols)
    {
        return new DissectionSpec(version, snapshot, captures, metadata, nodes, windowStart, windowEnd, output, partition, defaultNode, captureSource,
                bodyCap, parallelism, slicing, newProtocols, redaction, status);
    }

    public long captureBytes()
    {
        return captures.stream().mapToLong(Capture::bytes).sum();
    }

    public byte[] toJson()
    {
        try {
            return JSON.writeValueAsBytes(this);
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the dissection spec", e);
        }
    }

    /** Reads a spec; a malformed one, or one of another version, is refused with what is wrong. */
    public static DissectionSpec fromJson(byte[] json)
            throws IOException
    {
        try {
            return JSON.readValue(json, DissectionSpec.class);
        }
        catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            throw new IOException("not a valid dissection spec: " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        catch (JsonProcessingException e) {
            throw new IOException("not a valid dissection spec: " + e.getOriginalMessage(), e);
        }
    }
}
