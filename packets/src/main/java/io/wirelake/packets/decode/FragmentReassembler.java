package io.wirelake.packets.decode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Rebuilds IPv4 and IPv6 datagrams from fragments (RFC 791, RFC 8200 section 4.5). Fragments are
 * rare, so this path may allocate. Limits keep a hostile capture from growing memory: datagrams
 * larger than {@link #MAX_DATAGRAM} or older than {@link #TIMEOUT_MICROS} of capture time are
 * dropped and counted, as are datagrams beyond {@link #MAX_PENDING}.
 */
public final class FragmentReassembler
{
    public static final int MAX_DATAGRAM = 65_535;
    public static final int MAX_PENDING = 4096;
    public static final long TIMEOUT_MICROS = 60_000_000L;

    public record Datagram(byte[] data, int length, int protocol) {}

    private record Key(int version, long sourceHigh, long sourceLow, long destinationHigh, long destinationLow, int identification, int protocol) {}

    private record Piece(int offset, byte[] bytes) {}

    private static final class Pending
    {
        final long firstSeen;
        final List<Piece> pieces = new ArrayList<>();
        int totalLength = -1;
        int bytes;

        Pending(long firstSeen)
        {
            this.firstSeen = firstSeen;
        }
    }

    private final Map<Key, Pending> pending = new HashMap<>();
    private long reassembled;
    private long dropped;
    private long lastSweep;

    public Datagram add(int version, long sourceHigh, long sourceLow, long destinationHigh, long destinationLow, int identification, int protocol,
            int offset, boolean moreFragments, byte[] data, int start, int length, long timestampMicros)
    {
        sweep(timestampMicros);
        Key key = new Key(version, sourceHigh, sourceLow, destinationHigh, destinationLow, identification, protocol);
        Pending datagram = pending.get(key);
        if (datagram == null) {
            if (pending.size() >= MAX_PENDING) {
                dropped++;
                return null;
            }
            datagram = new Pending(timestampMicros);
            pending.put(key, datagram);
        }
        if (offset + length > MAX_DATAGRAM) {
            pending.remove(key);
            dropped++;
            return null;
        }
        byte[] copy = new byte[length];
        System.arraycopy(data, start, copy, 0, length);
        datagram.pieces.add(new Piece(offset, copy));
        datagram.bytes += length;
        if (!moreFragments) {
            datagram.totalLength = offset + length;
        }
        if (datagram.totalLength < 0) {
            return null;
        }
        datagram.pieces.sort(Comparator.comparingInt(Piece::offset));
        int covered = 0;
        for (Piece piece : datagram.pieces) {
            if (piece.offset() > covered) {
                return null;
            }
            covered = Math.max(covered, piece.offset() + piece.bytes().length);
        }
        if (covered < datagram.totalLength) {
            return null;
        }
        byte[] whole = new byte[datagram.totalLength];
        for (Piece piece : datagram.pieces) {
            // Overlaps: pieces are laid in offset order, so a later-starting piece overwrites the overlap.
            int copyLength = Math.min(piece.bytes().length, datagram.totalLength - piece.offset());
            System.arraycopy(piece.bytes(), 0, whole, piece.offset(), Math.max(0, copyLength));
        }
        pending.remove(key);
        reassembled++;
        return new Datagram(whole, whole.length, protocol);
    }

    private void sweep(long now)
    {
        if (now - lastSweep < TIMEOUT_MICROS / 4 || pending.isEmpty()) {
            return;
        }
        lastSweep = now;
        for (Iterator<Pending> iterator = pending.values().iterator(); iterator.hasNext(); ) {
            if (now - iterator.next().firstSeen > TIMEOUT_MICROS) {
                iterator.remove();
                dropped++;
            }
        }
    }

    /** Datagrams rebuilt so far. */
    public long reassembled()
    {
        return reassembled;
    }

    /** Datagrams given up (timeout, size or pending limit), plus those still incomplete. */
    public long incomplete()
    {
        return dropped + pending.size();
    }
}
