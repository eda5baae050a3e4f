package io.wirelake.dissect.protocol.toolkit;

import java.nio.charset.Charset;
import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * Big-endian reads over part of an array that never read past it: a read that would run out
 * reads nothing (numbers are 0, text is empty), leaves the reader at its end, and sets a sticky
 * flag, shared with the readers sliced from it, that the parser checks once when it is done. Short
 * input is then a result ({@link #ranOut()}), never an exception: an
 * {@code IndexOutOfBoundsException} out of a parser means a bug again.
 */
public final class BoundedReader
{
    /** The flag every slice of one parse shares. */
    private static final class Shortage
    {
        boolean ranOut;
    }

    private final byte[] data;
    private final int end;
    private final Shortage shortage;
    private int at;

    public BoundedReader(byte[] data, int offset, int length)
    {
        this(requireNonNull(data, "data is null"), offset, checkedEnd(data, offset, length), new Shortage());
    }

    private BoundedReader(byte[] data, int at, int end, Shortage shortage)
    {
        this.data = data;
        this.at = at;
        this.end = end;
        this.shortage = shortage;
    }

    private static int checkedEnd(byte[] data, int offset, int length)
    {
        if (offset < 0 || length < 0 || offset + length > data.length) {
            throw new IllegalArgumentException("bytes " + offset + "+" + length + " are not within " + data.length);
        }
        return offset + length;
    }

    /** Whether a read of this parse (this reader or any slice of it) wanted more than there was. */
    public boolean ranOut()
    {
        return shortage.ranOut;
    }

    public int remaining()
    {
        return end - at;
    }

    public int position()
    {
        return at;
    }

    public int u8()
    {
        return take(1) ? data[at - 1] & 0xFF : 0;
    }

    public int u16()
    {
        return take(2) ? ((data[at - 2] & 0xFF) << 8) | (data[at - 1] & 0xFF) : 0;
    }

    public int u24()
    {
        return take(3) ? ((data[at - 3] & 0xFF) << 16) | ((data[at - 2] & 0xFF) << 8) | (data[at - 1] & 0xFF) : 0;
    }

    public long u32()
    {
        return take(4) ? ((data[at - 4] & 0xFFL) << 24) | ((data[at - 3] & 0xFF) << 16) | ((data[at - 2] & 0xFF) << 8) | (data[at - 1] & 0xFF) : 0;
    }

    public void skip(long count)
    {
        take(count);
    }

    /** The next {@code length} bytes as text; empty when they are not all there. */
    public String text(long length, Charset charset)
    {
        return take(length) ? new String(data, at - (int) length, (int) length, charset) : "";
    }

    /** A copy of the next {@code length} bytes; empty when they are not all there. */
    public byte[] bytes(long length)
    {
        return take(length) ? Arrays.copyOfRange(data, at - (int) length, at) : new byte[0];
    }

    /** A reader over the next {@code length} bytes, which this one skips; an empty one when they are not all there. */
    public BoundedReader slice(long length)
    {
        if (!take(length)) {
            return new BoundedReader(data, end, end, shortage);
        }
        return new BoundedReader(data, at - (int) length, at, shortage);
    }

    private boolean take(long count)
    {
        if (count < 0 || count > end - at) {
            shortage.ranOut = true;
            at = end;
            return false;
        }
        at += (int) count;
        return true;
    }
}
