package io.wirelake.packets.decode;

import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Rebuilds IPv4 and IPv6 datagrams from fragments (RFC 791, RFC 8200 section 4.5). Fragments are
 * rare, so this path may allocate; limits keep a hostile capture (a fragment flood) from growing
 * memory or time: a datagram takes at most {@link #MAX_PIECES} pieces and {@link #MAX_DATAGRAM}
 * bytes, at most {@link #MAX_PENDING} datagrams and {@link #MAX_HELD_BYTES} bytes wait at once
 * (the oldest gives way to a new one), and a datagram not whole after {@link #TIMEOUT_MICROS} of
 * capture time is given up. Each loss is counted by its reason ({@link #dropped()}).
 *
 * <p>Pieces are kept in offset order as they come (no sort per piece), and a datagram is checked
 * for completeness only when its last byte is known and the bytes held could cover it.
 */
public final class FragmentReassembler
{
    public static final int MAX_DATAGRAM = 65_535;
    /** Pieces of one datagram: 64 KiB at the smallest common MTU (576) is 120 fragments; more is a flood. */
    public static final int MAX_PIECES = 256;
    public static final int MAX_PENDING = 1024;
    /** Bytes held for incomplete datagrams, all together. */
    public static final int MAX_HELD_BYTES = 16 << 20;
    public static final long TIMEOUT_MICROS = 60_000_000L;

    /** Why a datagram was given up; the names are the report's ({@code ip.fragments_dropped.<name>}). */
    public enum Drop
    {
        /** Its pieces would make it larger than an IP datagram can be. */
        TOO_LARGE,
        /** More pieces than {@link #MAX_PIECES}. */
        TOO_MANY_PIECES,
        /** The oldest waiting datagram, making room for a new one ({@link #MAX_PENDING}, {@link #MAX_HELD_BYTES}). */
        EVICTED,
        /** Not whole after {@link #TIMEOUT_MICROS}, or at the end of the capture. */
        INCOMPLETE;

        public String reportName()
        {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public record Datagram(byte[] data, int length, int protocol) {}

    private record Key(int version, long sourceHigh, long sourceLow, long destinationHigh, long destinationLow, int identification, int protocol) {}

    private static final class Pending
    {
        final long firstSeen;
        /** Pieces by offset; a repeated offset keeps the later piece unless it is shorter. */
        final TreeMap<Integer, byte[]> pieces = new TreeMap<>();
        int totalLength = -1;
        int bytes;

        Pending(long firstSeen)
        {
            this.firstSeen = firstSeen;
        }
    }

    /** Waiting datagrams, oldest first. */
    private final LinkedHashMap<Key, Pending> pending = new LinkedHashMap<>();
    private final long[] dropped = new long[Drop.values().length];
    private long reassembled;
    private long heldBytes;
    private long lastSweep;

    public Datagram add(int version, long sourceHigh, long sourceLow, long destinationHigh, long destinationLow, int identification, int protocol,
            int offset, boolean moreFragments, byte[] data, int start, int length, long timestampMicros)
    {
        sweep(timestampMicros);
        Key key = new Key(version, sourceHigh, sourceLow, destinationHigh, destinationLow, identification, protocol);
        Pending datagram = pending.get(key);
        if (offset + length > MAX_DATAGRAM || length > MAX_HELD_BYTES) {
            if (datagram != null) {
                drop(key, datagram, Drop.TOO_LARGE);
            }
            else {
                dropped[Drop.TOO_LARGE.ordinal()]++;
            }
            return null;
        }
        if (datagram == null) {
            datagram = new Pending(timestampMicros);
            pending.put(key, datagram);
        }
        byte[] existing = datagram.pieces.get(offset);
        if (existing == null && datagram.pieces.size() >= MAX_PIECES) {
            drop(key, datagram, Drop.TOO_MANY_PIECES);
            return null;
        }
        if (existing == null || existing.length <= length) {
            // a repeated fragment (a retransmission, or a flood of one) replaces, never adds
            datagram.pieces.put(offset, Arrays.copyOfRange(data, start, start + length));
            int added = length - (existing == null ? 0 : existing.length);
            datagram.bytes += added;
            heldBytes += added;
        }
        if (!moreFragments) {
            datagram.totalLength = offset + length;
        }
        makeRoom(key);
        if (!pending.containsKey(key) || datagram.totalLength < 0 || datagram.bytes < datagram.totalLength) {
            // not whole yet: overlapping pieces may hold more bytes than they cover, never fewer
            return null;
        }
        int covered = 0;
        for (Map.Entry<Integer, byte[]> piece : datagram.pieces.entrySet()) {
            if (piece.getKey() > covered) {
                return null;
            }
            covered = Math.max(covered, piece.getKey() + piece.getValue().length);
        }
        if (covered < datagram.totalLength) {
            return null;
        }
        byte[] whole = new byte[datagram.totalLength];
        for (Map.Entry<Integer, byte[]> piece : datagram.pieces.entrySet()) {
            // Overlaps: pieces are laid in offset order, so a later-starting piece overwrites the overlap.
            int copyLength = Math.min(piece.getValue().length, datagram.totalLength - piece.getKey());
            System.arraycopy(piece.getValue(), 0, whole, piece.getKey(), Math.max(0, copyLength));
        }
        pending.remove(key);
        heldBytes -= datagram.bytes;
        reassembled++;
        return new Datagram(whole, whole.length, protocol);
    }

    /** The oldest datagrams give way while too many wait or they hold too many bytes; the newest one stays. */
    private void makeRoom(Key newest)
    {
        Iterator<Map.Entry<Key, Pending>> oldest = pending.entrySet().iterator();
        while ((pending.size() > MAX_PENDING || heldBytes > MAX_HELD_BYTES) && oldest.hasNext()) {
            Map.Entry<Key, Pending> entry = oldest.next();
            if (entry.getKey().equals(newest) && pending.size() > 1) {
                continue;
            }
            oldest.remove();
            heldBytes -= entry.getValue().bytes;
            dropped[Drop.EVICTED.ordinal()]++;
        }
    }

    private void drop(Key key, Pending datagram, Drop reason)
    {
        pending.remove(key);
        heldBytes -= datagram.bytes;
        dropped[reason.ordinal()]++;
    }

    private void sweep(long now)
    {
        if (now - lastSweep < TIMEOUT_MICROS / 4 || pending.isEmpty()) {
            return;
        }
        lastSweep = now;
        for (Iterator<Pending> iterator = pending.values().iterator(); iterator.hasNext(); ) {
            Pending datagram = iterator.next();
            if (now - datagram.firstSeen > TIMEOUT_MICROS) {
                iterator.remove();
                heldBytes -= datagram.bytes;
                dropped[Drop.INCOMPLETE.ordinal()]++;
            }
        }
    }

    /** Datagrams rebuilt so far. */
    public long reassembled()
    {
        return reassembled;
    }

    /** Datagrams given up (timeout, size, pieces or room), plus those still incomplete. */
    public long incomplete()
    {
        return Arrays.stream(dropped).sum() + pending.size();
    }

    /** Datagrams given up for this reason; those still waiting count as {@link Drop#INCOMPLETE}. */
    public long dropped(Drop reason)
    {
        return dropped[reason.ordinal()] + (reason == Drop.INCOMPLETE ? pending.size() : 0);
    }

    /** Bytes of fragments held now (for tests of the memory it takes). */
    public long heldBytes()
    {
        return heldBytes;
    }

    /** Datagrams waiting now. */
    public int pending()
    {
        return pending.size();
    }
}
