package io.wirelake.dissect.protocol.http2;

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

    void body(byte[] data, int offset, int length, int cap)
    {
        bodySize += length;
        if (body == null) {
            body = new ByteArrayOutputStream(Math.min(cap, Math.max(length, 64)));
        }
        int keep = Math.min(length, cap - body.size());
        if (keep > 0) {
            body.write(data, offset, keep);
        }
        grpc.feed(data, offset, length);
    }

    static String utf8(String octets)
    {
        return new String(octets.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
