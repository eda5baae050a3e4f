package io.wirelake.dissect.protocol.toolkit;

import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * Splits one direction of a byte stream into frames whose header says how long they are, as
 * Netty's {@code LengthFieldBasedFrameDecoder} does: DNS over TCP's two-byte prefix, Kafka's
 * four-byte size, Diameter's three-byte length in its header, an LDAP message's BER length.
 * Bytes arrive in chunks of any size, a frame may span many chunks and a chunk many frames.
 *
 * <p>The limits are the protocol's, as parameters: the {@link Format} refuses lengths out of its
 * range, and at most {@code keep} bytes of each frame are kept (the rest are counted, so a
 * 100 MiB Kafka batch costs 64 KiB). A frame's buffer grows with the bytes that arrived, never
 * from the length field alone: a forged length costs nothing until the bytes come. A frame of up
 * to {@value #INITIAL_BUFFER} kept bytes is copied once.
 *
 * <p>A header the format refuses ends the framing of this direction: the framing cannot be found
 * again, so {@link Frames#malformed} is told once and every later byte is ignored. So are the
 * bytes after a frame whose consumer said to stop (a switch to TLS, say).
 */
public final class LengthPrefixedFramer
{
    /** Bytes a frame's buffer starts with when the frame is longer (small: a thousand connections that each announce a large frame and stall hold this each). */
    static final int INITIAL_BUFFER = 16 * 1024;

    /** How a protocol's frame header gives the frame's length. */
    public interface Format
    {
        /** The header bytes so far do not tell the length yet. */
        long MORE = -1;
        /** The header bytes cannot start a frame. */
        long BAD = -2;

        /**
         * The whole frame's length, header included, from the first {@code length} bytes of its
         * header (asked again with one byte more until it answers); {@link #MORE} or {@link #BAD}.
         */
        long frameLength(byte[] header, int length);

        /** The anomaly name for a header {@link #frameLength} called {@link #BAD}. */
        String problem(byte[] header, int length);

        /** The most header bytes it ever needs to answer. */
        int maxHeader();
    }

    /** What the framer gives its protocol. */
    public interface Frames
    {
        /**
         * A whole frame (its body only, when the header is stripped): {@code bytes[0, kept)} are its
         * first bytes, of {@code length} in all. The array is the frame's own. Returns false to stop
         * reading this direction.
         */
        boolean frame(byte[] bytes, int kept, long length, long firstByteTime, long lastByteTime);

        /** The framing broke on a header (an anomaly name); nothing more is read. */
        void malformed(String problem);
    }

    /**
     * A length field at a fixed place in the header, as Netty has it: the frame is
     * {@code offset + size + value + adjustment} bytes long; a value outside
     * {@code [minimum, maximum]} is the anomaly {@code problem}.
     */
    public static Format lengthField(int offset, int size, int adjustment, long minimum, long maximum, String problem)
    {
        if (offset < 0 || size < 1 || size > 4) {
            throw new IllegalArgumentException("a length field of " + size + " bytes at " + offset);
        }
        requireNonNull(problem, "problem is null");
        return new Format()
        {
            @Override
            public long frameLength(byte[] header, int length)
            {
                if (length < offset + size) {
                    return MORE;
                }
                long value = 0;
                for (int index = offset; index < offset + size; index++) {
                    value = (value << 8) | (header[index] & 0xFF);
                }
                return value < minimum || value > maximum ? BAD : offset + size + value + adjustment;
            }

            @Override
            public String problem(byte[] header, int length)
            {
                return problem;
            }

            @Override
            public int maxHeader()
            {
                return offset + size;
            }
        };
    }

    private final Format format;
    private final boolean stripHeader;
    private final long keep;
    private final Frames frames;
    private final byte[] header;
    private int headerFill;
    /** The length of the frame being read; -1 while its header is. */
    private long frameLength = -1;
    private long delivered;
    private long read;
    private byte[] buffer;
    private int kept;
    private long firstByteTime;
    private boolean done;

    /**
     * @param stripHeader whether frames are given without their header (the body alone)
     * @param keep the most bytes of a frame (as given) kept; the rest are counted
     */
    public LengthPrefixedFramer(Format format, boolean stripHeader, long keep, Frames frames)
    {
        this.format = requireNonNull(format, "format is null");
        this.stripHeader = stripHeader;
        if (keep < 0) {
            throw new IllegalArgumentException("keep is negative");
        }
        this.keep = keep;
        this.frames = requireNonNull(frames, "frames is null");
        this.header = new byte[format.maxHeader()];
    }

    /** Whether the framing ended (a malformed header, or the protocol said to stop). */
    public boolean done()
    {
        return done;
    }

    /** The bytes held for the frame being read (for tests of the memory it takes). */
    int held()
    {
        return buffer == null ? 0 : buffer.length;
    }

    /** Stops the framing (a gap: the next length prefix cannot be found): every later byte is ignored. */
    public void stop()
    {
        done = true;
        buffer = null;
    }

    /** The next bytes of the direction, in order. */
    public void read(byte[] data, int offset, int length, long timestampMicros)
    {
        int at = offset;
        int end = offset + length;
        while (at < end && !done) {
            if (frameLength < 0) {
                if (headerFill == 0) {
                    firstByteTime = timestampMicros;
                }
                header[headerFill++] = data[at++];
                long decided = format.frameLength(header, headerFill);
                if (decided == Format.BAD || (decided == Format.MORE && headerFill == header.length) || (decided >= 0 && decided < headerFill)) {
                    done = true;
                    frames.malformed(format.problem(header, headerFill));
                    return;
                }
                if (decided >= 0) {
                    begin(decided, timestampMicros);
                }
                continue;
            }
            int take = (int) Math.min(end - at, frameLength - read);
            keep(data, at, take);
            at += take;
            read += take;
            if (read == frameLength) {
                complete(timestampMicros);
            }
        }
    }

    /** The header told the frame's length: its buffer starts with the header if it is given. */
    private void begin(long length, long timestampMicros)
    {
        frameLength = length;
        read = headerFill;
        delivered = stripHeader ? length - headerFill : length;
        long wanted = Math.min(delivered, keep);
        buffer = new byte[(int) Math.min(wanted, INITIAL_BUFFER)];
        kept = 0;
        if (!stripHeader) {
            keep(header, 0, headerFill);
        }
        if (read == frameLength) {
            complete(timestampMicros);
        }
    }

    private void keep(byte[] data, int offset, int length)
    {
        int keeping = (int) Math.min(length, Math.min(delivered, keep) - kept);
        if (keeping <= 0) {
            return;
        }
        if (kept + keeping > buffer.length) {
            // grow with what arrived, doubling, never past what the frame keeps
            buffer = Arrays.copyOf(buffer, (int) Math.min(Math.max(buffer.length * 2L, kept + keeping), Math.min(delivered, keep)));
        }
        System.arraycopy(data, offset, buffer, kept, keeping);
        kept += keeping;
    }

    private void complete(long timestampMicros)
    {
        byte[] bytes = buffer;
        int keptBytes = kept;
        long length = delivered;
        long first = firstByteTime;
        buffer = null;
        frameLength = -1;
        headerFill = 0;
        if (!frames.frame(bytes, keptBytes, length, first, timestampMicros)) {
            done = true;
        }
    }
}
