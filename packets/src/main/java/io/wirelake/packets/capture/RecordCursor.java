package io.wirelake.packets.capture;

import java.io.IOException;

/** The current record of a capture file being read: what both file formats expose per packet. */
abstract class RecordCursor
        implements CaptureReader
{
    final CaptureInput input;
    int offset;
    int capturedLength;
    int originalLength;
    long timestampMicros;
    String damage;

    RecordCursor(CaptureInput input)
    {
        this.input = input;
    }

    @Override
    public byte[] buffer()
    {
        return input.buffer;
    }

    @Override
    public int offset()
    {
        return offset;
    }

    @Override
    public int capturedLength()
    {
        return capturedLength;
    }

    @Override
    public int originalLength()
    {
        return originalLength;
    }

    @Override
    public long timestampMicros()
    {
        return timestampMicros;
    }

    @Override
    public long position()
    {
        return input.position();
    }

    @Override
    public String damage()
    {
        return damage;
    }

    @Override
    public void close()
            throws IOException
    {
        input.close();
    }
}
