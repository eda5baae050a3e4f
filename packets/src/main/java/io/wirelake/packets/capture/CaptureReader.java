package io.wirelake.packets.capture;

import java.io.Closeable;
import java.io.IOException;

/**
 * Iterates the packets of a capture file without allocating per packet: {@link #next()} moves to
 * the next record, and the accessors describe it until the following call. The packet bytes are
 * {@code buffer()[offset() .. offset() + capturedLength())}; the array is reused.
 *
 * <p>A damaged file is read as far as it goes: {@code next()} then returns false and
 * {@link #damage()} says what stopped the reading.
 */
public interface CaptureReader
        extends Closeable
{
    boolean next()
            throws IOException;

    byte[] buffer();

    int offset();

    int capturedLength();

    /** The packet's length on the wire (larger than the captured length when the snap length cut it). */
    int originalLength();

    long timestampMicros();

    int linkType();

    /** The pcapng interface the packet came from (0 for classic pcap). */
    int interfaceId();

    /** Bytes consumed from the file so far. */
    long position();

    /** Why reading stopped early, or null when the file was read to its end. */
    String damage();

    /** The file format: "pcap", "pcap-ns" or "pcapng". */
    String format();
}
