package io.wirelake.dissect.protocol.http1;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** One HTTP/1.x request or response as parsed: start line, headers, body sizes and the kept body. */
final class Http1Message
{
    record Header(String name, String value)
            implements HttpFields.Header {}

    final boolean request;
    final long firstByteTime;
    long lastByteTime;
    String method = "";
    String target = "";
    String version = "";
    int status;
    String reason = "";
    final List<Header> headers = new ArrayList<>();
    int headersSize;
    long bodyWireSize;
    long bodyDecodedSize;
    boolean chunked;
    String contentEncoding = "";
    /** The body as on the wire (after de-chunking), kept up to a limit for decoding and the row; sized when the first bytes come. */
    ByteArrayOutputStream body = EMPTY;
    static final ByteArrayOutputStream EMPTY = new ByteArrayOutputStream(0);
    boolean bodyCut;
    byte[] decodedBody;
    final List<String> anomalies = new ArrayList<>(0);

    Http1Message(boolean request, long firstByteTime)
    {
        this.request = request;
        this.firstByteTime = firstByteTime;
        this.lastByteTime = firstByteTime;
    }

    /** The last value of a header, or "" (names compared without case). */
    String header(String name)
    {
        String value = "";
        for (Header header : headers) {
            if (header.name().equalsIgnoreCase(name)) {
                value = header.value();
            }
        }
        return value;
    }

    boolean isInformational()
    {
        return !request && status >= 100 && status < 200;
    }
}
