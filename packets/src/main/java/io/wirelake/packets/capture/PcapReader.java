package io.wirelake.packets.capture;

import java.io.IOException;

/**
 * Classic libpcap files in either byte order, with microsecond or nanosecond timestamps.
 * A record whose length is implausible (libpcap's rule: larger than the snap length and than
 * 256 KiB) or cut by the end of the file ends the reading and is reported as damage.
 */
final class PcapReader
        extends RecordCursor
{
    static final int MAGIC_MICROS = 0xA1B2C3D4;
    static final int MAGIC_NANOS = 0xA1B23C4D;
    private static final int FILE_HEADER = 24;
    private static final int RECORD_HEADER = 16;
    private static final int LIBPCAP_MAX_SNAPLEN = 262_144;

    private final boolean bigEndian;
    private final boolean nanos;
    private final int snapLength;
    private final int linkType;

    PcapReader(CaptureInput input)
            throws IOException
    {
        super(input);
        if (!input.ensure(FILE_HEADER)) {
            throw new CaptureFormatException("pcap file header is cut short");
        }
        byte[] header = input.buffer;
        int at = input.start;
        int magic = Bytes.i32(header, at);
        if (magic == MAGIC_MICROS || magic == MAGIC_NANOS) {
            bigEndian = true;
        }
        else if (Integer.reverseBytes(magic) == MAGIC_MICROS || Integer.reverseBytes(magic) == MAGIC_NANOS) {
            bigEndian = false;
            magic = Integer.reverseBytes(magic);
        }
        else {
            throw new CaptureFormatException("not a pcap file");
        }
        nanos = magic == MAGIC_NANOS;
        snapLength = Bytes.i32(header, at + 16, bigEndian);
        linkType = Bytes.i32(header, at + 20, bigEndian) & 0x0FFFFFFF;
        input.skip(FILE_HEADER);
    }

    @Override
    public boolean next()
            throws IOException
    {
        if (damage != null) {
            return false;
        }
        if (!input.ensure(RECORD_HEADER)) {
            if (input.available() > 0) {
                damage = "record header cut short at byte " + input.position();
            }
            return false;
        }
        byte[] data = input.buffer;
        int at = input.start;
        long seconds = Bytes.i32(data, at, bigEndian) & 0xFFFFFFFFL;
        long fraction = Bytes.i32(data, at + 4, bigEndian) & 0xFFFFFFFFL;
        int captured = Bytes.i32(data, at + 8, bigEndian);
        int original = Bytes.i32(data, at + 12, bigEndian);
        if (captured < 0 || captured > Math.max(snapLength, LIBPCAP_MAX_SNAPLEN) || captured > CaptureInput.MAX_RECORD) {
            damage = "record at byte " + input.position() + " claims " + Integer.toUnsignedString(captured)
                    + " captured bytes (snap length " + snapLength + ")";
            return false;
        }
        if (!input.ensure(RECORD_HEADER + captured)) {
            damage = "packet record cut short at byte " + input.position() + " (" + (input.available() - RECORD_HEADER)
                    + " of " + captured + " bytes present)";
            return false;
        }
        // ensure() may have moved the window
        at = input.start;
        timestampMicros = seconds * 1_000_000L + (nanos ? fraction / 1000 : fraction);
        capturedLength = captured;
        originalLength = Math.max(original, captured);
        offset = at + RECORD_HEADER;
        input.skip(RECORD_HEADER + captured);
        return true;
    }

    @Override
    public int linkType()
    {
        return linkType;
    }

    @Override
    public int interfaceId()
    {
        return 0;
    }

    @Override
    public String format()
    {
        return nanos ? "pcap-ns" : "pcap";
    }

}
