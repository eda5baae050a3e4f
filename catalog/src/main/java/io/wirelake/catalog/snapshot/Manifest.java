package io.wirelake.catalog.snapshot;

import io.wirelake.store.meta.CaptureSession;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What a snapshot froze, written once at creation and never changed: the window, the nodes, and
 * every object with its size and SHA-256 (keys relative to the snapshot's prefix). Capture
 * segments also carry their first and last packet times. {@code sessions} say how the captures
 * were made (collector version, interface, capture filter); {@code chain}, present when the
 * manifest is sealed, links it to the store's previous sealed manifest and names the signing key.
 */
public record Manifest(int version, String id, String createdAt, long fromMicros, long toMicros, List<String> nodes, List<Entry> objects,
                       List<CaptureSession> sessions, Chain chain)
{
    /** Version 2 added sessions and the chain link. */
    public static final int VERSION = 2;

    /**
     * The manifest's place in the store's hash chain: its sequence number, the previous sealed
     * manifest (its snapshot, sequence and the SHA-256 of its bytes; empty for the first), and the
     * fingerprint of the Ed25519 key that signs this one.
     */
    public record Chain(long sequence, String previousSnapshot, long previousSequence, String previousSha256, String keyFingerprint, String sealedAt)
    {
        public Chain
        {
            previousSnapshot = previousSnapshot == null ? "" : previousSnapshot;
            previousSha256 = previousSha256 == null ? "" : previousSha256;
            requireNonNull(keyFingerprint, "keyFingerprint is null");
            requireNonNull(sealedAt, "sealedAt is null");
        }

        public boolean first()
        {
            return previousSha256.isEmpty();
        }
    }

    public record Entry(String key, long size, String sha256, long firstPacketMicros, long lastPacketMicros, long packets)
    {
        public Entry
        {
            requireNonNull(key, "key is null");
            requireNonNull(sha256, "sha256 is null");
        }

        public boolean isCapture()
        {
            return key.startsWith("raw/");
        }
    }

    public Manifest
    {
        requireNonNull(id, "id is null");
        nodes = List.copyOf(nodes);
        objects = List.copyOf(objects);
        sessions = sessions == null ? List.of() : List.copyOf(sessions);
    }

    public boolean sealed()
    {
        return chain != null;
    }

    public Manifest withChain(Chain newChain)
    {
        return new Manifest(VERSION, id, createdAt, fromMicros, toMicros, nodes, objects, sessions, requireNonNull(newChain, "newChain is null"));
    }

    public long bytes()
    {
        return objects.stream().mapToLong(Entry::size).sum();
    }

    public long packets()
    {
        return objects.stream().mapToLong(Entry::packets).sum();
    }

    public List<Entry> captures()
    {
        return objects.stream().filter(Entry::isCapture).toList();
    }

    public List<Entry> metadata()
    {
        return objects.stream().filter(entry -> entry.key().startsWith("meta/")).toList();
    }
}
