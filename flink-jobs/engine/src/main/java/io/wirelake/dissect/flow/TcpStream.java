package io.wirelake.dissect.flow;

import java.util.Map;
import java.util.TreeMap;

/**
 * Reassembles one direction of a TCP connection into in-order bytes. Retransmitted bytes are
 * counted and dropped, overlaps trimmed, segments ahead of a hole held (copied) until the hole
 * fills, and holes that never fill (lost before the capture point, or beyond the buffer limit)
 * are passed on as gaps so the parser can resynchronise. Sequence numbers wrap (RFC 9293 3.4).
 */
final class TcpStream
{
    /** Bytes held ahead of a hole before the hole is declared a gap. */
    static final int MAX_OUT_OF_ORDER_BYTES = 4 << 20;

    interface Consumer
    {
        void data(byte[] data, int offset, int length, long timestampMicros);

        void gap(long bytes, long timestampMicros);
    }

    private record Held(byte[] data, int wireLength, long timestampMicros) {}

    private final Consumer consumer;
    private final HeldBytes budget;
    private boolean initialized;
    /** The sequence number of the first data byte (SYN + 1, or the first segment seen mid-stream). */
    private long initialSequence;
    /** Next expected sequence number (32-bit, unsigned). */
    private long expected;
    /** Stream offset of {@link #expected}. */
    private long delivered;
    private final TreeMap<Long, Held> ahead = new TreeMap<>();
    private int heldBytes;
    boolean finSeen;

    long retransmissions;
    long outOfOrder;
    long missingBytes;
    long gaps;

    TcpStream(Consumer consumer)
    {
        this(consumer, new HeldBytes(Long.MAX_VALUE));
    }

    /** A stream whose held bytes count toward a scan's budget. */
    TcpStream(Consumer consumer, HeldBytes budget)
    {
        this.consumer = consumer;
        this.budget = budget;
    }

    /** The SYN's sequence number: data starts one after it. */
    void synchronize(long sequence)
    {
        if (!initialized) {
            initialized = true;
            expected = (sequence + 1) & 0xFFFFFFFFL;
            initialSequence = expected;
        }
    }

    /** Whether a SYN with this sequence number opened this direction (a late or repeated SYN, not a new connection). */
    boolean openedBy(long synSequence)
    {
        return initialized && ((synSequence + 1) & 0xFFFFFFFFL) == initialSequence;
    }

    boolean initialized()
    {
        return initialized;
    }

    long delivered()
    {
        return delivered;
    }

    /**
     * One segment's payload. {@code captured} bytes are present in {@code data}; {@code wireLength}
     * bytes were on the wire (more when the snap length cut the packet).
     */
    void segment(long sequence, byte[] data, int offset, int captured, int wireLength, boolean fin, long timestampMicros)
    {
        if (!initialized) {
            // Captured mid-stream: take the first segment seen as the start.
            initialized = true;
            expected = sequence;
            initialSequence = sequence;
        }
        if (wireLength == 0) {
            if (fin && (int) (sequence - expected) == 0) {
                finSeen = true;
            }
            return;
        }
        int difference = (int) (sequence - expected);
        if (difference < 0) {
            if ((long) difference + wireLength <= 0) {
                retransmissions++;
                return;
            }
            // Overlap: the first part repeats bytes already delivered.
            retransmissions++;
            int skip = -difference;
            wireLength -= skip;
            int capturedSkip = Math.min(skip, captured);
            offset += capturedSkip;
            captured -= capturedSkip;
            difference = 0;
        }
        if (difference == 0) {
            deliver(data, offset, captured, wireLength, timestampMicros);
            if (fin) {
                finSeen = true;
            }
            drain();
            return;
        }
        long streamOffset = delivered + difference;
        Held existing = ahead.get(streamOffset);
        if (existing != null && existing.wireLength() >= wireLength) {
            retransmissions++;
            return;
        }
        outOfOrder++;
        byte[] copy = new byte[captured];
        System.arraycopy(data, offset, copy, 0, captured);
        ahead.put(streamOffset, new Held(copy, wireLength, timestampMicros));
        heldBytes += captured;
        budget.add(captured);
        if (heldBytes > MAX_OUT_OF_ORDER_BYTES) {
            skipToHeld(timestampMicros);
        }
        else if (budget.over()) {
            // the scan holds too much: this stream, which took it past the budget, lets its holes go
            while (!ahead.isEmpty()) {
                skipToHeld(timestampMicros);
            }
        }
    }

    private void deliver(byte[] data, int offset, int captured, int wireLength, long timestampMicros)
    {
        if (captured > 0) {
            consumer.data(data, offset, captured, timestampMicros);
        }
        if (wireLength > captured) {
            gap(wireLength - captured, timestampMicros);
        }
        expected = (expected + wireLength) & 0xFFFFFFFFL;
        delivered += wireLength;
    }

    private void drain()
    {
        while (!ahead.isEmpty()) {
            Map.Entry<Long, Held> first = ahead.firstEntry();
            long start = first.getKey();
            if (start > delivered) {
                return;
            }
            ahead.pollFirstEntry();
            Held held = first.getValue();
            heldBytes -= held.data().length;
            budget.release(held.data().length);
            long skip = delivered - start;
            if (skip >= held.wireLength()) {
                retransmissions++;
                continue;
            }
            int capturedSkip = (int) Math.min(skip, held.data().length);
            deliver(held.data(), capturedSkip, held.data().length - capturedSkip, held.wireLength() - (int) skip, held.timestampMicros());
        }
    }

    private void skipToHeld(long timestampMicros)
    {
        if (ahead.isEmpty()) {
            return;
        }
        long hole = ahead.firstKey() - delivered;
        gap(hole, timestampMicros);
        expected = (expected + hole) & 0xFFFFFFFFL;
        delivered += hole;
        drain();
    }

    private void gap(long bytes, long timestampMicros)
    {
        gaps++;
        missingBytes += bytes;
        consumer.gap(bytes, timestampMicros);
    }

    /** End of the connection or of the capture: whatever is held is delivered after its holes. */
    void finish(long timestampMicros)
    {
        while (!ahead.isEmpty()) {
            skipToHeld(timestampMicros);
        }
    }
}
