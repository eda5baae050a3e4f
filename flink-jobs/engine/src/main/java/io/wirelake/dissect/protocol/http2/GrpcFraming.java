package io.wirelake.dissect.protocol.http2;

/**
 * Counts gRPC's length-prefixed messages in a body as it arrives: a compressed flag, a 4-byte
 * big-endian length, then the message. Bodies that are not gRPC are counted as garbage-free
 * framing only when they happen to parse; callers use the counts for gRPC streams only.
 */
final class GrpcFraming
{
    long messages;
    long messageBytes;
    private final byte[] prefix = new byte[5];
    private int prefixFill;
    private long remaining;

    void feed(byte[] data, int offset, int length)
    {
        int at = offset;
        int end = offset + length;
        while (at < end) {
            if (remaining > 0) {
                int skip = (int) Math.min(remaining, end - at);
                remaining -= skip;
                at += skip;
                continue;
            }
            prefix[prefixFill++] = data[at++];
            if (prefixFill == 5) {
                prefixFill = 0;
                long messageLength = ((prefix[1] & 0xFFL) << 24) | ((prefix[2] & 0xFF) << 16) | ((prefix[3] & 0xFF) << 8) | (prefix[4] & 0xFF);
                messages++;
                messageBytes += messageLength;
                remaining = messageLength;
            }
        }
    }
}
