package io.wirelake.catalog.snapshot;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What a snapshot froze, written once at creation and never changed: the window, the nodes, and
 * every object with its size and SHA-256 (keys relative to the snapshot's prefix). Capture
 * segments also carry their first and last packet times.
 */
public record Manifest(int version, String id, String createdAt, long fromMicros, long toMicros, List<String> nodes, List<Entry> objects)
{
    public static final int VERSION = 1;

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
