package io.wirelake.packets.capture;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a capture file, recognising its format by its first bytes. */
public final class CaptureReaders
{
    private CaptureReaders() {}

    public static CaptureReader open(Path path)
            throws IOException
    {
        return open(Files.newInputStream(path));
    }

    /** Takes ownership of the stream: closing the reader closes it. */
    public static CaptureReader open(InputStream stream)
            throws IOException
    {
        CaptureInput input = new CaptureInput(stream);
        try {
            if (!input.ensure(4)) {
                throw new CaptureFormatException("empty or too short to be a capture file");
            }
            int magic = Bytes.i32(input.buffer, input.start);
            if (magic == PcapngReader.SECTION_HEADER) {
                return new PcapngReader(input);
            }
            return new PcapReader(input);
        }
        catch (IOException | RuntimeException failure) {
            input.close();
            throw failure;
        }
    }

    /** Whether the first bytes look like a capture file. */
    public static boolean looksLikeCapture(byte[] head)
    {
        if (head.length < 4) {
            return false;
        }
        int magic = Bytes.i32(head, 0);
        return magic == PcapngReader.SECTION_HEADER
                || magic == PcapReader.MAGIC_MICROS || magic == PcapReader.MAGIC_NANOS
                || Integer.reverseBytes(magic) == PcapReader.MAGIC_MICROS || Integer.reverseBytes(magic) == PcapReader.MAGIC_NANOS;
    }
}
