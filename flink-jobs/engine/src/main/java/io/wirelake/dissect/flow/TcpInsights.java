package io.wirelake.dissect.flow;

import io.wirelake.packets.decode.DecodedPacket;

import static io.wirelake.packets.decode.DecodedPacket.ACK;
import static io.wirelake.packets.decode.DecodedPacket.FIN;
import static io.wirelake.packets.decode.DecodedPacket.RST;
import static io.wirelake.packets.decode.DecodedPacket.SYN;

/**
 * Per-connection TCP analysis with Wireshark's definitions ({@code tcp.analysis.*}), so the numbers
 * can be checked against tshark: RTT samples (an ACK that acknowledges exactly the end of a
 * segment, timed from that segment's first transmission), duplicate ACKs, zero-window and
 * window-full segments, keep-alives, fast retransmissions; plus the window scale, the average
 * advertised receive window, the connection-completeness bitmask, time to first byte and goodput.
 * Retransmissions, out-of-order segments and missing bytes are counted by the reassembly ({@link TcpStream}).
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

    static final class Side
    {
        boolean seen;
        long nextSeq;
        long lastAck;
        boolean ackSeen;
        int window = -1;
        /** Window-scale shift from this side's SYN option; -1 when its SYN had none or was not seen. */
        int scaleOption = -1;
        boolean synSeen;
        long windowSum;
        long windowSamples;
        long duplicateAcks;
        long duplicateAckRun;
        long lastAckTime;
        long zeroWindows;
        long windowFull;
        long keepAlives;
        long fastRetransmissions;
        boolean lastWasKeepAlive;
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

    void packet(DecodedPacket packet, boolean fromClient)
    {
        Side forward = fromClient ? client : server;
        Side reverse = fromClient ? server : client;
        int flags = packet.tcpFlags;
        long now = packet.timestampMicros;
        long seq = packet.sequence;
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
        }
        boolean retransmission = false;
        if (forward.seen) {
            if (packet.window == 0 && !control) {
                forward.zeroWindows++;
            }
            boolean keepAlive = length <= 1 && !control && seq == ((forward.nextSeq - 1) & 0xFFFFFFFFL);
            if (keepAlive) {
                forward.keepAlives++;
            }
            if (length > 0 && !control && reverse.ackSeen && reverse.window >= 0
                    && ((seq + length) & 0xFFFFFFFFL) == ((reverse.lastAck + ((long) reverse.window << scale(reverse))) & 0xFFFFFFFFL)) {
                forward.windowFull++;
            }
            boolean keepAliveAck = length == 0 && packet.window == forward.window && seq == forward.nextSeq && packet.acknowledgement == forward.lastAck
                    && !control && reverse.lastWasKeepAlive;
            if (length == 0 && packet.window != 0 && packet.window == forward.window && seq == forward.nextSeq
                    && packet.acknowledgement == forward.lastAck && !control && !keepAliveAck && (flags & ACK) != 0) {
                forward.duplicateAcks++;
                forward.duplicateAckRun++;
            }
            else if (packet.acknowledgement != forward.lastAck) {
                forward.duplicateAckRun = 0;
            }
            if ((length > 0 || (flags & (SYN | FIN)) != 0) && !keepAlive && before(seq, forward.nextSeq)) {
                retransmission = true;
                if (reverse.duplicateAckRun >= 2 && reverse.lastAck == seq && now - reverse.lastAckTime < FAST_RETRANSMISSION_MICROS) {
                    forward.fastRetransmissions++;
                }
            }
            forward.lastWasKeepAlive = keepAlive;
        }
        // The segment's end, remembered for an ACK to time (retransmissions too: the ACK is timed
        // from the first transmission with that end, as Wireshark does).
        long end = (seq + length + ((flags & (SYN | FIN)) != 0 ? 1 : 0)) & 0xFFFFFFFFL;
        if (length > 0 || (flags & (SYN | FIN)) != 0) {
            remember(forward, end, now);
        }
        // The highest end seen, empty segments included (a gap before one moves it on too).
        if (!forward.seen || after(end, forward.nextSeq)) {
            forward.nextSeq = end;
        }
        if (length > 0 && !retransmission) {
            if (forward.firstDataTime < 0) {
                forward.firstDataTime = now;
            }
            forward.lastDataTime = now;
        }
        if ((flags & ACK) != 0) {
            acknowledge(reverse, packet.acknowledgement, now);
            forward.lastAck = packet.acknowledgement;
            forward.lastAckTime = now;
            forward.ackSeen = true;
        }
        if ((flags & SYN) == 0) {
            forward.windowSum += (long) packet.window << scale(forward);
            forward.windowSamples++;
        }
        forward.window = packet.window;
        forward.seen = true;
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

    private static boolean before(long a, long b)
    {
        return (int) (a - b) < 0;
    }

    private static boolean after(long a, long b)
    {
        return (int) (a - b) > 0;
    }
}
