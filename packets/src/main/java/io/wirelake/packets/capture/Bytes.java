package io.wirelake.packets.capture;

/** Bounds are the caller's business: these read fixed-width integers from a byte array. */
public final class Bytes
{
    private Bytes() {}

    public static int u8(byte[] data, int offset)
    {
        return data[offset] & 0xFF;
    }

    public static int u16(byte[] data, int offset)
    {
        return ((data[offset] & 0xFF) << 8) | (data[offset + 1] & 0xFF);
    }

    public static int u16le(byte[] data, int offset)
    {
        return (data[offset] & 0xFF) | ((data[offset + 1] & 0xFF) << 8);
    }

    public static int i32(byte[] data, int offset)
    {
        return ((data[offset] & 0xFF) << 24) | ((data[offset + 1] & 0xFF) << 16) | ((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF);
    }

    public static int i32le(byte[] data, int offset)
    {
        return (data[offset] & 0xFF) | ((data[offset + 1] & 0xFF) << 8) | ((data[offset + 2] & 0xFF) << 16) | ((data[offset + 3] & 0xFF) << 24);
    }

    public static long u32(byte[] data, int offset)
    {
        return i32(data, offset) & 0xFFFFFFFFL;
    }

    public static long i64(byte[] data, int offset)
    {
        return ((long) i32(data, offset) << 32) | (i32(data, offset + 4) & 0xFFFFFFFFL);
    }

    public static int i32(byte[] data, int offset, boolean bigEndian)
    {
        return bigEndian ? i32(data, offset) : i32le(data, offset);
    }

    public static int u16(byte[] data, int offset, boolean bigEndian)
    {
        return bigEndian ? u16(data, offset) : u16le(data, offset);
    }

    public static void putU16(byte[] data, int offset, int value)
    {
        data[offset] = (byte) (value >>> 8);
        data[offset + 1] = (byte) value;
    }

    public static void putI32(byte[] data, int offset, int value)
    {
        data[offset] = (byte) (value >>> 24);
        data[offset + 1] = (byte) (value >>> 16);
        data[offset + 2] = (byte) (value >>> 8);
        data[offset + 3] = (byte) value;
    }

    public static void putI32le(byte[] data, int offset, int value)
    {
        data[offset] = (byte) value;
        data[offset + 1] = (byte) (value >>> 8);
        data[offset + 2] = (byte) (value >>> 16);
        data[offset + 3] = (byte) (value >>> 24);
    }
}
