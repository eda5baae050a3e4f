package io.wirelake.dissect.protocol;

/**
 * Dissects the reassembled byte streams of one TCP connection. Bytes arrive in order per
 * direction, in capture order across directions, in chunks of any size; a gap means bytes were
 * never captured. A dissector never throws on bad input: it records an anomaly and resynchronises
 * or stops.
 */
public interface StreamDissector
{
    void data(boolean fromClient, byte[] data, int offset, int length, long timestampMicros);

    void gap(boolean fromClient, long bytes, long timestampMicros);

    /** The connection ended or the capture did: emit whatever is pending. */
    void end(long timestampMicros);
}
