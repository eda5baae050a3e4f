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

    /**
     * The connection switched to this dissector's protocol after an HTTP/1.1 request asked for it
     * (RFC 9110 section 7.8): for HTTP/2 that request is stream 1's. Most protocols ignore it.
     */
    default void upgradedFrom(String method, String target, String host, long requestTimestampMicros)
    {
    }
}
