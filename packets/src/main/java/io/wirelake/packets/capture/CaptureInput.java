package io.wirelake.packets.capture;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

import static java.util.Objects.requireNonNull;

/**
 * A refillable window over an input stream: records are parsed in place in one large array and
 * the array is compacted, never reallocated per record. Grows only when a single record is larger
 * than the window.
 */
final class CaptureInput
{
    static final int INITIAL_WINDOW = 1 << 20;
    /** No capture record is allowed to be larger than this (a damaged length is reported, not allocated). */
    static final int MAX_RECORD = 16 << 20;

    private final InputStream input;
    byte[] buffer = new byte[INITIAL_WINDOW];
    int start;
    int end;
    long consumedBeforeStart;
    private boolean endOfStream;

    CaptureInput(InputStream input)
    {
        this.input = requireNonNull(input, "input is null");
    }

    /** Makes at least {@code count} bytes available from {@code start}; false if the stream ends first. */
    boolean ensure(int count)
            throws IOException
    {
        if (end - start >= count) {
            return true;
        }
        if (count > buffer.length) {
            byte[] larger = new byte[Math.max(count, buffer.length * 2)];
            System.arraycopy(buffer, start, larger, 0, end - start);
            end -= start;
            consumedBeforeStart += start;
            start = 0;
            buffer = larger;
        }
        else if (start + count > buffer.length) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            consumedBeforeStart += start;
            start = 0;
        }
        while (end - start < count && !endOfStream) {
            int read = input.read(buffer, end, buffer.length - end);
            if (read < 0) {
                endOfStream = true;
            }
            else {
                end += read;
            }
        }
        return end - start >= count;
    }

    void skip(int count)
    {
        start += count;
    }

    long position()
    {
        return consumedBeforeStart + start;
    }

    boolean atEnd()
            throws IOException
    {
        return !ensure(1);
    }

    int available()
    {
        return end - start;
    }

    byte[] readFully(int count)
            throws IOException
    {
        if (!ensure(count)) {
            throw new EOFException();
        }
        byte[] bytes = new byte[count];
        System.arraycopy(buffer, start, bytes, 0, count);
        start += count;
        return bytes;
    }

    void close()
            throws IOException
    {
        input.close();
    }
}
