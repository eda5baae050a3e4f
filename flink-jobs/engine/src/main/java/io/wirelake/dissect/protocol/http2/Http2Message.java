package io.wirelake.dissect.protocol.http2;

import io.wirelake.dissect.protocol.http1.ContentCoding;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** One side of an HTTP/2 stream: its header block, trailers, body and gRPC message framing. */
final class Http2Message
{
    long firstByteTime = -1;
    long lastByteTime;
    final List<Hpack.Header> headers = new ArrayList<>();
    final List<Hpack.Header> trailers = new ArrayList<>();
    boolean headersSeen;
    long headersSize;
    long bodySize;
    ByteArrayOutputStream body;
    private String coding = "";
    private int limit;
    private boolean bodyCut;
    boolean ended;
    final GrpcFraming grpc = new GrpcFraming();

    /** A header's value from the block or the trailers (trailers win), decoded as UTF-8; "" when absent. */
    String header(String name)
    {
        String value = "";
        for (Hpack.Header header : headers) {
            if (header.name().equals(name)) {
                value = header.value();
            }
        }
        for (Hpack.Header header : trailers) {
            if (header.name().equals(name)) {
                value = header.value();
            }
        }
        return utf8(value);
    }

    /** A body's bytes: kept up to the body cap, or up to {@link ContentCoding#MAX_INPUT} when it is to be decoded. */
    void body(byte[] data, int offset, int length, int cap)
    {
        bodySize += length;
        if (body == null) {
            coding = ContentCoding.of(header("content-encoding"));
            limit = ContentCoding.decodes(coding) ? ContentCoding.MAX_INPUT : cap;
            body = new ByteArrayOutputStream(Math.min(limit, Math.max(length, 64)));
        }
        int keep = Math.min(length, limit - body.size());
        if (keep > 0) {
            body.write(data, offset, keep);
        }
        bodyCut |= keep < length;
        grpc.feed(data, offset, length);
    }

    /** The body content-decoded, once the stream is done; null when no DATA came. */
    ContentCoding.Decoded decoded(int cap)
    {
        if (body == null) {
            return null;
        }
        return ContentCoding.decode(coding, body.toByteArray(), bodySize, bodyCut || !ended, cap);
    }

    static String utf8(String octets)
    {
        return new String(octets.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
