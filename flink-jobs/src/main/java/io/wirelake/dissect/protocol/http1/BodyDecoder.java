package io.wirelake.dissect.protocol.http1;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * Content decoding (RFC 9110 section 8.4) of a completed body: gzip and deflate are decoded to
 * measure the decoded size and keep its first bytes; other codings are kept as they are.
 */
final class BodyDecoder
{
    /** Decoding stops here: a decompression bomb is an anomaly, not an outage. */
    static final long MAX_DECODED = 256L << 20;

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
        byte[] buffer = new byte[16 * 1024];
        try (InputStream input = open(coding, wire)) {
            int read;
            while ((read = input.read(buffer)) > 0) {
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
        catch (IOException e) {
            note(message, onAnomaly, "http.bad_content_encoding");
        }
        message.bodyDecodedSize = total;
        message.decodedBody = Arrays.copyOf(kept, keptLength);
    }

    private static InputStream open(String coding, byte[] wire)
            throws IOException
    {
        if (!coding.equals("deflate")) {
            return new GZIPInputStream(new ByteArrayInputStream(wire));
        }
        // "deflate" is zlib-wrapped per the RFC, raw deflate in practice often enough: check the header.
        boolean zlib = wire.length >= 2 && (wire[0] & 0x0F) == 8 && (((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF)) % 31 == 0;
        return new InflaterInputStream(new ByteArrayInputStream(wire), new Inflater(!zlib));
    }

    private static void note(Http1Message message, Consumer<String> onAnomaly, String anomaly)
    {
        message.anomalies.add(anomaly);
        onAnomaly.accept(anomaly);
    }
}
