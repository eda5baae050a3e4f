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
 * snapshots/&lt;id&gt;/dissection-spec.json           what its last dissection was asked to do (the job reads it)
 * snapshots/&lt;id&gt;/manifest.sig, manifest.tsr, custody.jsonl, retention.json     its seal, custody and retention
 * tables/&lt;table&gt;/snapshot_id=&lt;id&gt;/*.parquet
 * sessions/&lt;node&gt;/&lt;start-micros&gt;.json        how a capture was made (collector version, interface, filter)
 * keys/&lt;fingerprint&gt;.pub                       public keys that sealed manifests (old ones stay)
 * chain/head.json, chain/manifests/&lt;seq&gt;-&lt;id&gt;.json   the store's hash chain of sealed manifests
 * chain/links/&lt;seq&gt;.json                       who took each link of the chain (written once, conditionally)
 * settings/&lt;name&gt;.json                         store-wide settings (retention classes)
 * staging/dissect/&lt;id&gt;/&lt;run&gt;/&lt;table&gt;/snapshot_id=&lt;id&gt;/  a dissection's tables until they replace the partition
 * </pre>
 */
public final class Layout
{
    public static final String RAW = "raw/";
    public static final String META = "meta/";
    public static final String SNAPSHOTS = "snapshots/";
    public static final String TABLES = "tables/";
    public static final String SESSIONS = "sessions/";
    public static final String KEYS = "keys/";
    public static final String CHAIN = "chain/";
    public static final String SETTINGS = "settings/";
    public static final String STAGING = "staging/";

    /** A snapshot's files that are not frozen objects: its manifest, status, seal, custody log and retention record. */
    public static final java.util.List<String> SNAPSHOT_CONTROL_FILES = java.util.List.of("manifest.json", "status.json", "manifest.sig", "manifest.tsr",
            "custody.jsonl", "retention.json", "dissection-spec.json");

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

    /**
     * The dissection spec the last launch wrote ({@code DissectionSpec} as JSON): what
     * {@code DissectionJobMain --store URL --snapshot ID} on a Flink cluster dissects.
     */
    public static String dissectionSpec(String id)
    {
        return snapshotPrefix(id) + "dissection-spec.json";
    }

    /** The Ed25519 signature of the manifest's bytes (64 raw bytes). */
    public static String manifestSignature(String id)
    {
        return snapshotPrefix(id) + "manifest.sig";
    }

    /** The RFC 3161 timestamp response (DER) over the manifest's SHA-256. */
    public static String timestampToken(String id)
    {
        return snapshotPrefix(id) + "manifest.tsr";
    }

    /** The append-only custody log, JSON Lines. */
    public static String custodyLog(String id)
    {
        return snapshotPrefix(id) + "custody.jsonl";
    }

    /** The retention the snapshot was archived with (the locks themselves are on each object). */
    public static String retention(String id)
    {
        return snapshotPrefix(id) + "retention.json";
    }

    /** Whether a key under the snapshot's prefix is one of its control files rather than a frozen object. */
    public static boolean isSnapshotControlFile(String id, String key)
    {
        String prefix = snapshotPrefix(id);
        return key.startsWith(prefix) && SNAPSHOT_CONTROL_FILES.contains(key.substring(prefix.length()));
    }

    public static String publicKey(String fingerprint)
    {
        if (!fingerprint.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a key fingerprint (64 hex digits): '" + fingerprint + "'");
        }
        return KEYS + fingerprint + ".pub";
    }

    /** The newest link of the store's chain of sealed manifests. */
    public static String chainHead()
    {
        return CHAIN + "head.json";
    }

    /**
     * The claim on one link of the chain: written only if absent, so of two seals racing for the
     * same sequence number exactly one takes it, and the other links after it.
     */
    public static String chainLink(long sequence)
    {
        return CHAIN + "links/" + "%010d".formatted(sequence) + ".json";
    }

    /**
     * The sealed manifest's bytes as the chain keeps them, also after the snapshot is deleted (and
     * its name used again: the sequence number tells the two apart).
     */
    public static String chainEntry(long sequence, String id)
    {
        return CHAIN + "manifests/" + "%010d".formatted(sequence) + "-" + checkName("snapshot", id) + ".json";
    }

    /** A deleted snapshot's custody log, kept beside its chain entry. */
    public static String chainCustodyLog(long sequence, String id)
    {
        return CHAIN + "custody/" + "%010d".formatted(sequence) + "-" + checkName("snapshot", id) + ".jsonl";
    }

    public static String settings(String name)
    {
        return SETTINGS + checkName("settings", name) + ".json";
    }

    /** A capture session's description, written when a collector starts or an import runs. */
    public static String session(String node, long startMicros)
    {
        return SESSIONS + checkName("node", node) + "/" + startMicros + ".json";
    }

    /**
     * Where one run of a snapshot's dissection writes its tables ({@code <prefix><table>/snapshot_id=<id>/}),
     * outside the tables Trino reads; they replace the partitions only when the job has succeeded.
     */
    public static String dissectionStaging(String id, String run)
    {
        return dissectionStagingOf(id) + checkName("run", run) + "/";
    }

    /** The prefix of every run's staging of a snapshot's dissection (to clear what crashed runs left). */
    public static String dissectionStagingOf(String id)
    {
        return STAGING + "dissect/" + checkName("snapshot", id) + "/";
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
