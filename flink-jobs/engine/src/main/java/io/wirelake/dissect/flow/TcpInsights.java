package io.wirelake.dissect.flow;

import io.wirelake.packets.decode.DecodedPacket;

import static io.wirelake.packets.decode.DecodedPacket.ACK;
import static io.wirelake.packets.decode.DecodedPacket.FIN;
import static io.wirelake.packets.decode.DecodedPacket.RST;
import static io.wirelake.packets.decode.DecodedPacket.SYN;

/**
 * Per-connection TCP analysis with Wireshark's definitions ({@code tcp.analysis.*}, the rules of
 * its packet-tcp.c, {@code tcp_analyze_sequence_number}), so the numbers can be checked against
 * tshark: a segment that does not advance the sequence is a fast retransmission (two or more
 * duplicate ACKs asked for it, the last within 20 ms), out of order (it came within one
 * handshake round trip, 3 ms without a handshake, of the highest sequence number and does not end
 * where that did), a spurious retransmission (the peer had acknowledged all of it), or else a
 * retransmission; every one but out-of-order is a retransmission, as tshark's filter counts them.
 * Also: lost segments (a sequence number beyond the highest seen: "previous segment not
 * captured"), ACKed unseen segments, duplicate ACKs, window updates, zero-window and window-full
 * segments, keep-alives; RTT samples (an ACK that acknowledges exactly the end of a segment, timed
 * from that segment's first transmission); the window scale, the average advertised receive
 * window, the connection-completeness bitmask, time to first byte and goodput. Counted per
 * direction and summed for the row. The reassembly ({@link TcpStream}) decides what bytes the
 * dissectors get, and the bytes never seen.
 */
final class TcpInsights
{
    /** Wireshark's tcp.completeness bits. */
    static final int SYN_SEEN = 1;
    static final int SYN_ACK_SEEN = 2;
    static final int ACK_SEEN = 4;
    static final int DATA_SEEN = 8;
    static final int FIN_SEEN = 16;
    static final int RST_SEEN = 32;

    /** Unacknowledged segments kept per direction for RTT samples; older ones are dropped (no sample). */
    static final int MAX_UNACKED = 4096;
    private static final int INITIAL_UNACKED = 8;
    /** A retransmission after two or more duplicate ACKs, within this long of the peer's last ACK, is a fast retransmission. */
    static final long FAST_RETRANSMISSION_MICROS = 20_000;
    /** Out of order, without a handshake to time: within this long of the highest sequence number. */
    static final long DEFAULT_OUT_OF_ORDER_MICROS = 3_000;

    /** One direction's state, as Wireshark keeps it per flow (0 stands for "not seen yet" where Wireshark's does). */
    static final class Side
    {
        boolean seen;
        /** The highest sequence number plus length seen (Wireshark's nextseq), when it was, and whether it is set. */
        long nextSeq;
        long nextSeqTime;
        long maxSeqToBeAcked;
        long lastAck;
        long lastAckTime;
        boolean ackSeen;
        int window;
        /** Window-scale shift from this side's SYN option; -1 when its SYN had none or was not seen. */
        int scaleOption = -1;
        boolean synSeen;
        long windowSum;
        long windowSamples;
        /** Duplicate ACKs in a row for the same ACK number (Wireshark's dupacknum). */
        long duplicateAckRun;
        /** The last segment was a keep-alive, or a zero-window probe (Wireshark's lastsegmentflags). */
        boolean lastWasKeepAlive;
        boolean lastWasZeroWindowProbe;
        long duplicateAcks;
        long zeroWindows;
        long zeroWindowProbes;
        long windowFull;
        long windowUpdates;
        long keepAlives;
        long lostSegments;
        long ackedUnseen;
        long retransmissions;
        long fastRetransmissions;
        long spuriousRetransmissions;
        long outOfOrder;
        long firstDataTime = -1;
        long lastDataTime = -1;
        // unacknowledged segments: end sequence and first transmission time, in arrival order,
        // in a ring that starts small and doubles up to MAX_UNACKED (most flows keep a few)
        long[] unackedEnd = new long[INITIAL_UNACKED];
        long[] unackedTime = new long[INITIAL_UNACKED];
        int unackedStart;
        int unackedCount;
    }

    final Side client = new Side();
    final Side server = new Side();
    long rttSamples;
    long rttSum;
    long rttMin = Long.MAX_VALUE;
    long rttMax;
    long jitterSum;
    long jitterSamples;
    private long lastRtt = -1;
    int completeness;
    /** The most recent SYN, and the first round trip measured from it (Wireshark's ts_mru_syn and ts_first_rtt). */
    private long lastSynTime = -1;
    private long firstRtt = -1;

    void packet(DecodedPacket packet, boolean fromClient)
    {
        Side forward = fromClient ? client : server;
        Side reverse = fromClient ? server : client;
        int flags = packet.tcpFlags;
        long now = packet.timestampMicros;
        long seq = packet.sequence;
        long ack = packet.acknowledgement;
        int window = packet.window;
        int length = packet.wirePayloadLength;
        boolean control = (flags & (SYN | FIN | RST)) != 0;

        completeness |= (flags & SYN) != 0 ? ((flags & ACK) != 0 ? SYN_ACK_SEEN : SYN_SEEN) : 0;
        if ((flags & SYN) == 0 && (flags & ACK) != 0 && (completeness & SYN_ACK_SEEN) != 0) {
            completeness |= ACK_SEEN;
        }
        completeness |= length > 0 ? DATA_SEEN : 0;
        completeness |= (flags & FIN) != 0 ? FIN_SEEN : 0;
        completeness |= (flags & RST) != 0 ? RST_SEEN : 0;

        if ((flags & SYN) != 0) {
            forward.synSeen = true;
            forward.scaleOption = packet.windowScale >= 0 ? packet.windowScale : -1;
            if ((flags & ACK) == 0) {
                lastSynTime = now;
            }
        }
        else if ((flags & ACK) != 0 && lastSynTime >= 0 && firstRtt < 0) {
            firstRtt = now - lastSynTime;
        }

        boolean keepAlive = false;
        boolean zeroWindowProbe = false;
        analysis:
        {
            // ZERO WINDOW PROBE: the next byte, alone, into a zero window
            if (length == 1 && seq == forward.nextSeq && reverse.window == 0) {
                zeroWindowProbe = true;
                forward.zeroWindowProbes++;
                break analysis;
            }
            if (window == 0 && !control) {
                forward.zeroWindows++;
            }
            // LOST PACKET: beyond the highest sequence number seen, so something before it was not captured
            if (forward.nextSeq != 0 && after(seq, forward.nextSeq) && (flags & RST) == 0) {
                forward.lostSegments++;
            }
            // KEEP ALIVE: nothing or one byte, one before the next sequence number
            if (length <= 1 && seq == ((forward.nextSeq - 1) & 0xFFFFFFFFL) && !control) {
                keepAlive = true;
                forward.keepAlives++;
            }
            // WINDOW UPDATE: no data, same sequence and ACK numbers, a new window
            if (length == 0 && window != 0 && window != forward.window && seq == forward.nextSeq && ack == forward.lastAck && !control) {
                forward.windowUpdates++;
            }
            // WINDOW FULL: data up to the edge of the window the peer advertised (its scale known)
            if (length > 0 && !control && reverse.ackSeen && scaleKnown()
                    && ((seq + length) & 0xFFFFFFFFL) == ((reverse.lastAck + ((long) reverse.window << scale(reverse))) & 0xFFFFFFFFL)) {
                forward.windowFull++;
            }
            boolean repeats = length == 0 && window == forward.window && seq == forward.nextSeq && ack == forward.lastAck && !control;
            // KEEP ALIVE ACK and ZERO WINDOW PROBE ACK: the answers, not duplicate ACKs
            if (repeats && window != 0 && reverse.lastWasKeepAlive) {
                break analysis;
            }
            if (repeats && window == 0 && reverse.lastWasZeroWindowProbe) {
                break analysis;
            }
            // DUPLICATE ACK: the same window, sequence and ACK numbers again, no data
            if (repeats && window != 0) {
                forward.duplicateAckRun = forward.duplicateAckRun == -1 ? 1 : forward.duplicateAckRun + 1;
                forward.duplicateAcks++;
            }
        }
        if (ack != forward.lastAck) {
            forward.duplicateAckRun = 0;
        }
        // ACKED UNSEEN: this side acknowledges beyond what the capture saw the other send. Said once per missing stretch:
        // when the other side sent more since, its contiguous end moves there; when it did not (it is stalled, or only
        // ACKs), a run of such ACKs counts once (its duplicate-ACK run is set to -1 until it moves), as tshark 4.0 does.
        if (reverse.maxSeqToBeAcked != 0 && after(ack, reverse.maxSeqToBeAcked) && (flags & ACK) != 0) {
            if (before(reverse.maxSeqToBeAcked, reverse.nextSeq)) {
                reverse.maxSeqToBeAcked = reverse.nextSeq;
                forward.ackedUnseen++;
            }
            else {
                if (reverse.duplicateAckRun == 0) {
                    forward.ackedUnseen++;
                }
                reverse.duplicateAckRun = -1;
            }
        }
        boolean retransmitted = false;
        // RETRANSMISSION, FAST RETRANSMISSION, OUT OF ORDER, SPURIOUS: data (or SYN or FIN) that does not advance the sequence,
        // or that the peer had acknowledged already
        if ((length > 0 || (flags & (SYN | FIN)) != 0) && !keepAlive) {
            boolean notAdvanced = forward.nextSeq != 0 && before(seq, forward.nextSeq);
            // more than a byte starting one before the next sequence number (after a zero-window probe) is new data
            if (length > 1 && ((forward.nextSeq - 1) & 0xFFFFFFFFL) == seq) {
                notAdvanced = false;
            }
            long outOfOrderThreshold = firstRtt > 0 ? firstRtt : DEFAULT_OUT_OF_ORDER_MICROS;
            // (times since are unsigned in Wireshark: in a capture whose clock went back, "forever")
            // SYN and FIN take a sequence number each
            long end = (seq + length + ((flags & (SYN | FIN)) != 0 ? 1 : 0)) & 0xFFFFFFFFL;
            if (length > 0 && reverse.lastAck != 0 && !after((seq + length) & 0xFFFFFFFFL, reverse.lastAck)) {
                forward.spuriousRetransmissions++;
                forward.retransmissions++;
                retransmitted = true;
            }
            else if (notAdvanced && reverse.duplicateAckRun >= 2 && reverse.lastAck == seq && within(now - reverse.lastAckTime, FAST_RETRANSMISSION_MICROS)) {
                forward.fastRetransmissions++;
                forward.retransmissions++;
                retransmitted = true;
            }
            else if (notAdvanced && within(now - forward.nextSeqTime, outOfOrderThreshold) && forward.nextSeq != end) {
                forward.outOfOrder++;
            }
            else if (notAdvanced) {
                forward.retransmissions++;
                retransmitted = true;
            }
        }
        // The segment's end, remembered for an ACK to time (retransmissions too: the ACK is timed
        // from the first transmission with that end, as Wireshark does).
        long end = (seq + length + ((flags & (SYN | FIN)) != 0 ? 1 : 0)) & 0xFFFFFFFFL;
        if (length > 0 || (flags & (SYN | FIN)) != 0) {
            remember(forward, end, now);
        }
        // The highest end seen (a zero-window probe does not move it)
        if ((after(end, forward.nextSeq) || forward.nextSeq == 0) && !zeroWindowProbe) {
            forward.nextSeq = end;
            forward.nextSeqTime = now;
        }
        // The highest end of the contiguous data seen, for ACKED UNSEEN
        if ((seq == forward.maxSeqToBeAcked || forward.maxSeqToBeAcked == 0) && !zeroWindowProbe) {
            forward.maxSeqToBeAcked = forward.nextSeq;
        }
        if (length > 0 && !retransmitted) {
            if (forward.firstDataTime < 0) {
                forward.firstDataTime = now;
            }
            forward.lastDataTime = now;
        }
        // Wireshark reads the acknowledgment field of every segment, ACK flag or not (a SYN's is usually 0, and
        // can drop the peer's segments waiting for their ACK: then no RTT sample, as tshark shows none)
        acknowledge(reverse, ack, now);
        if ((flags & ACK) != 0) {
            forward.ackSeen = true;
        }
        // Wireshark remembers the ACK field and window of every segment, ACK flag or not
        forward.window = window;
        forward.lastAck = ack;
        forward.lastAckTime = now;
        forward.lastWasKeepAlive = keepAlive;
        forward.lastWasZeroWindowProbe = zeroWindowProbe;
        if ((flags & SYN) == 0) {
            forward.windowSum += (long) window << scale(forward);
            forward.windowSamples++;
        }
        forward.seen = true;
    }

    /** Whether the window scale is known: both SYNs were seen (Wireshark's win_scale is not -1). */
    private boolean scaleKnown()
    {
        return client.synSeen && server.synSeen;
    }

    /** The shift that applies to a side's windows: both SYNs carried the option, else none. */
    private int scale(Side side)
    {
        if (client.synSeen && server.synSeen && client.scaleOption >= 0 && server.scaleOption >= 0) {
            return side.scaleOption;
        }
        return 0;
    }

    int windowScale(Side side)
    {
        return client.synSeen && server.synSeen ? (client.scaleOption >= 0 && server.scaleOption >= 0 ? side.scaleOption : 0) : -1;
    }

    long averageWindow(Side side)
    {
        return side.windowSamples == 0 ? 0 : side.windowSum / side.windowSamples;
    }

    private static void remember(Side side, long end, long now)
    {
        int capacity = side.unackedEnd.length;
        if (side.unackedCount == capacity && capacity < MAX_UNACKED) {
            long[] ends = new long[capacity * 2];
            long[] times = new long[capacity * 2];
            for (int i = 0; i < side.unackedCount; i++) {
                ends[i] = side.unackedEnd[(side.unackedStart + i) % capacity];
                times[i] = side.unackedTime[(side.unackedStart + i) % capacity];
            }
            side.unackedEnd = ends;
            side.unackedTime = times;
            side.unackedStart = 0;
            capacity *= 2;
        }
        if (side.unackedCount == capacity) {
            side.unackedStart = (side.unackedStart + 1) % capacity;
            side.unackedCount--;
        }
        int slot = (side.unackedStart + side.unackedCount) % capacity;
        side.unackedEnd[slot] = end;
        side.unackedTime[slot] = now;
        side.unackedCount++;
    }

    /** An ACK for a side's segments: a sample when it acknowledges exactly a segment's end; acknowledged segments are forgotten. */
    private void acknowledge(Side side, long ack, long now)
    {
        long sample = -1;
        int kept = 0;
        int capacity = side.unackedEnd.length;
        for (int i = 0; i < side.unackedCount; i++) {
            int slot = (side.unackedStart + i) % capacity;
            long end = side.unackedEnd[slot];
            if (end == ack) {
                if (sample < 0) {
                    sample = now - side.unackedTime[slot];
                }
            }
            else if (after(end, ack)) {
                int target = (side.unackedStart + kept) % capacity;
                side.unackedEnd[target] = end;
                side.unackedTime[target] = side.unackedTime[slot];
                kept++;
                continue;
            }
        }
        side.unackedCount = kept;
        // A zero interval is no sample (same timestamp on both, as in NFLOG captures): Wireshark shows none either.
        if (sample > 0) {
            rttSamples++;
            rttSum += sample;
            rttMin = Math.min(rttMin, sample);
            rttMax = Math.max(rttMax, sample);
            if (lastRtt >= 0) {
                jitterSum += Math.abs(sample - lastRtt);
                jitterSamples++;
            }
            lastRtt = sample;
        }
    }

    private static boolean within(long elapsed, long limit)
    {
        return elapsed >= 0 && elapsed < limit;
    }

    private static boolean before(long a, long b)
    {
        return (int) (a - b) < 0;
    }

    private static boolean after(long a, long b)
    {
        return (int) (a - b) > 0;
    }
}
