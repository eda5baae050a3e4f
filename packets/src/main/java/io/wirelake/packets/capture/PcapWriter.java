package io.wirelake.packets.capture;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/** Writes classic little-endian pcap with microsecond timestamps, the format every tool reads. */
public final class PcapWriter
        implements Closeable
{
    private final OutputStream output;
    private final byte[] header = new byte[16];
    private long bytesWritten;

    public PcapWriter(OutputStream output, int linkType, int snapLength)
            throws IOException
    {
        this.output = output instanceof BufferedOutputStream ? output : new BufferedOutputStream(output, 1 << 16);
        byte[] fileHeader = new byte[24];
        Bytes.putI32le(fileHeader, 0, PcapReader.MAGIC_MICROS);
        fileHeader[4] = 2;
        fileHeader[6] = 4;
        Bytes.putI32le(fileHeader, 16, snapLength);
        Bytes.putI32le(fileHeader, 20, linkType);
        this.output.write(fileHeader);
        bytesWritten = 24;
    }

    public void write(long timestampMicros, byte[] data, int offset, int capturedLength, int originalLength)
            throws IOException
    {
        Bytes.putI32le(header, 0, (int) Math.floorDiv(timestampMicros, 1_000_000L));
        Bytes.putI32le(header, 4, (int) Math.floorMod(timestampMicros, 1_000_000L));
        Bytes.putI32le(header, 8, capturedLength);
        Bytes.putI32le(header, 12, originalLength);
        output.write(header);
        output.write(data, offset, capturedLength);
        bytesWritten += 16 + capturedLength;
    }

    public long bytesWritten()
    {
        return bytesWritten;
    }

    public void flush()
            throws IOException
    {
        output.flush();
    }

    @Override
    public void close()
            throws IOException
    {
        output.close();
    }
}
