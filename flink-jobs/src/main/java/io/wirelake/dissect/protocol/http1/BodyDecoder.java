package io.wirelake.dissect.protocol.http1;

import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Content decoding (RFC 9110 section 8.4) of a completed body: gzip and deflate are decoded to
 * measure the decoded size and keep its first bytes; other codings are kept as they are.
 */
final class BodyDecoder
{
    /** Decoding stops here: a decompression bomb is an anomaly, not an outage. */
    static final long MAX_DECODED = 256L << 20;

    /** One inflater and buffer per thread: creating an Inflater allocates native memory. */
    private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(() -> new Inflater(true));
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[32 * 1024]);

    private BodyDecoder() {}

    static void decode(Http1Message message, int bodyCap, Consumer<String> onAnomaly)
    {
        byte[] wire = message.body.toByteArray();
        String coding = message.contentEncoding;
        boolean compressed = coding.equals("gzip") || coding.equals("x-gzip") || coding.equals("deflate");
        if (!compressed || wire.length == 0) {
            message.bodyDecodedSize = message.bodyWireSize;
            message.decodedBody = wire.length <= bodyCap ? wire : Arrays.copyOf(wire, bodyCap);
            return;
        }
        if (message.bodyCut || message.anomalies.contains("http.body_gap")) {
            // Part of the encoded body is missing: the decoded size cannot be known.
            note(message, onAnomaly, "http.body_not_decodable");
            message.bodyDecodedSize = message.bodyWireSize;
            message.decodedBody = new byte[0];
            return;
        }
        byte[] kept = new byte[bodyCap];
        int keptLength = 0;
        long total = 0;
        byte[] buffer = BUFFER.get();
        Inflater inflater = INFLATER.get();
        try {
            int start = compressedStart(coding, wire);
            if (start < 0) {
                throw new DataFormatException("bad " + coding + " header");
            }
            inflater.reset();
            inflater.setInput(wire, start, wire.length - start);
            while (!inflater.finished()) {
                int read = inflater.inflate(buffer);
                if (read == 0) {
                    if (inflater.needsInput() || inflater.needsDictionary()) {
                        throw new DataFormatException("truncated " + coding + " body");
                    }
                    continue;
                }
                int copy = Math.min(read, bodyCap - keptLength);
                if (copy > 0) {
                    System.arraycopy(buffer, 0, kept, keptLength, copy);
                    keptLength += copy;
                }
                total += read;
                if (total > MAX_DECODED) {
                    note(message, onAnomaly, "http.decoded_body_too_large");
                    break;
                }
            }
        }
        catch (DataFormatException e) {
            note(message, onAnomaly, "http.bad_content_encoding");
        }
        message.bodyDecodedSize = total;
        message.decodedBody = Arrays.copyOf(kept, keptLength);
    }

    /**
     * Where the raw deflate data starts: after the gzip header (RFC 1952 section 2.3) or the zlib
     * header (RFC 1950); "deflate" is zlib-wrapped per the RFC, but raw deflate is common.
     * -1 for a bad header.
     */
    static int compressedStart(String coding, byte[] wire)
    {
        if (coding.equals("deflate")) {
            boolean zlib = wire.length >= 2 && (wire[0] & 0x0F) == 8 && (((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF)) % 31 == 0;
            return zlib ? 2 : 0;
        }
        if (wire.length < 10 || (wire[0] & 0xFF) != 0x1F || (wire[1] & 0xFF) != 0x8B || wire[2] != 8) {
            return -1;
        }
        int flags = wire[3] & 0xFF;
        int at = 10;
        if ((flags & 0x04) != 0) {
            if (at + 2 > wire.length) {
                return -1;
            }
            at += 2 + ((wire[at] & 0xFF) | ((wire[at + 1] & 0xFF) << 8));
        }
        for (int flag : new int[] {0x08, 0x10}) {
            if ((flags & flag) != 0) {
                while (at < wire.length && wire[at] != 0) {
                    at++;
                }
                at++;
            }
        }
        if ((flags & 0x02) != 0) {
            at += 2;
        }
        return at <= wire.length ? at : -1;
    }

    private static void note(Http1Message message, Consumer<String> onAnomaly, String anomaly)
    {
        message.anomalies.add(anomaly);
        onAnomaly.accept(anomaly);
    }
}
