package io.wirelake.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys of the lake, one place for all of them:
 * <pre>
 * raw/&lt;node&gt;/&lt;yyyy&gt;/&lt;mm&gt;/&lt;dd&gt;/&lt;hh&gt;/&lt;start-micros&gt;-&lt;seq&gt;.pcap    capture segments
 * meta/&lt;node&gt;/&lt;yyyy&gt;/&lt;mm&gt;/&lt;dd&gt;/&lt;hh&gt;/&lt;start-micros&gt;-&lt;seq&gt;.jsonl  Kubernetes events
 * snapshots/&lt;id&gt;/manifest.json, status.json, raw/..., meta/...
 * tables/&lt;table&gt;/snapshot_id=&lt;id&gt;/*.parquet
 * </pre>
 */
public final class Layout
{
    public static final String RAW = "raw/";
    public static final String META = "meta/";
    public static final String SNAPSHOTS = "snapshots/";
    public static final String TABLES = "tables/";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");
    private static final Pattern SEGMENT = Pattern.compile("(?:snapshots/([^/]+)/)?(raw|meta)/([^/]+)/(\\d{4})/(\\d{2})/(\\d{2})/(\\d{2})/(\\d+)-(\\d+)\\.(pcap|pcapng|jsonl)");

    /** The kind of a segment: capture or metadata. */
    public enum Kind
    {
        RAW("raw", "pcap"), META("meta", "jsonl");

        private final String directory;
        private final String extension;

        Kind(String directory, String extension)
        {
            this.directory = directory;
            this.extension = extension;
        }

        public String directory()
        {
            return directory;
        }
    }

    /** A segment's identity, parsed from or formatted into its key. */
    public record Segment(Kind kind, String node, long startMicros, long sequence, String extension)
            implements Comparable<Segment>
    {
        public String key()
        {
            ZonedDateTime time = Instant.ofEpochSecond(Math.floorDiv(startMicros, 1_000_000L)).atZone(ZoneOffset.UTC);
            return "%s/%s/%04d/%02d/%02d/%02d/%d-%d.%s".formatted(kind.directory, node, time.getYear(), time.getMonthValue(),
                    time.getDayOfMonth(), time.getHour(), startMicros, sequence, extension);
        }

        @Override
        public int compareTo(Segment other)
        {
            int byStart = Long.compare(startMicros, other.startMicros);
            return byStart != 0 ? byStart : Long.compare(sequence, other.sequence);
        }
    }

    private Layout() {}

    public static Segment segment(Kind kind, String node, long startMicros, long sequence)
    {
        return new Segment(kind, checkName("node", node), startMicros, sequence, kind.extension);
    }

    /** The segment a key names, also inside a snapshot ({@code snapshots/<id>/raw/...}). */
    public static Optional<Segment> parse(String key)
    {
        Matcher matcher = SEGMENT.matcher(key);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        Kind kind = matcher.group(2).equals("raw") ? Kind.RAW : Kind.META;
        return Optional.of(new Segment(kind, matcher.group(3), Long.parseLong(matcher.group(8)), Long.parseLong(matcher.group(9)), matcher.group(10)));
    }

    public static String nodePrefix(Kind kind, String node)
    {
        return kind.directory + "/" + checkName("node", node) + "/";
    }

    public static String snapshotPrefix(String id)
    {
        return SNAPSHOTS + checkName("snapshot", id) + "/";
    }

    public static String manifest(String id)
    {
        return snapshotPrefix(id) + "manifest.json";
    }

    public static String status(String id)
    {
        return snapshotPrefix(id) + "status.json";
    }

    public static String tablePartition(String table, String id)
    {
        return TABLES + table + "/snapshot_id=" + checkName("snapshot", id) + "/";
    }

    /** Names of nodes and snapshots: letters, digits, {@code . _ -}; they become key segments and SQL literals. */
    public static String checkName(String what, String name)
    {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid " + what + " name '" + name + "': use letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
        return name;
    }
}
