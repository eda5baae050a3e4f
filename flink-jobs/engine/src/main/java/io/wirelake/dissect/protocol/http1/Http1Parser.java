package io.wirelake.dissect.protocol.http1;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * An incremental HTTP/1.x message parser for one direction (RFC 9112), as an explicit state
 * machine with one method per state. Bytes arrive in chunks of any size. Body framing follows
 * RFC 9112 section 6.3: no body for HEAD responses, 1xx, 204 and 304; chunked transfer coding;
 * Content-Length; otherwise (responses only) until the connection closes. Limits are named;
 * exceeding one, or bad framing, is an anomaly and the parser resynchronises on the next start
 * line instead of failing.
 */
final class Http1Parser
{
    static final int MAX_HEADER_BYTES = 64 * 1024;
    static final int MAX_HEADERS = 256;
    static final int MAX_CHUNK_LINE = 1024;
    /** The most a body's buffer starts with, whatever its Content-Length says; it grows as bytes arrive. */
    static final int INITIAL_BODY_BUFFER = 16 * 1024;

    enum State
    {
        START,
        HEAD,
        BODY_FIXED,
        CHUNK_SIZE,
        CHUNK_DATA,
        CHUNK_DATA_END,
        CHUNK_TRAILER,
        BODY_UNTIL_CLOSE,
        RESYNC,
        UPGRADED
    }

    private final boolean requests;
    private final int bodyCap;
    private final Supplier<String> requestMethodForResponse;
    private final Consumer<Http1Message> onMessage;
    private final Consumer<String> onAnomaly;
    private State state = State.START;
    private Http1Message message;
    /** Grows up to {@link #MAX_HEADER_BYTES}; most heads fit the first size. */
    private byte[] head = new byte[1024];
    private int headLength;
    private int headScanned;
    private long remaining;
    private final StringBuilder line = new StringBuilder();
    private int trailerLineLength;

    /**
     * @param requestMethodForResponse for a response parser: the method of the request the next
     * final response answers (HEAD responses have no body); ignored for requests
     */
    Http1Parser(boolean requests, int bodyCap, Supplier<String> requestMethodForResponse, Consumer<Http1Message> onMessage, Consumer<String> onAnomaly)
    {
        this.requests = requests;
        this.bodyCap = bodyCap;
        this.requestMethodForResponse = requestMethodForResponse;
        this.onMessage = onMessage;
        this.onAnomaly = onAnomaly;
    }

    State state()
    {
        return state;
    }

    void data(byte[] data, int offset, int length, long timestampMicros)
    {
        int end = offset + length;
        int at = offset;
        while (at < end) {
            if (state == State.UPGRADED) {
                // The rest belongs to the protocol switched to.
                leftover = java.util.Arrays.copyOfRange(data, at, end);
                return;
            }
            at = switch (state) {
                case START -> start(data, at, end, timestampMicros);
                case HEAD -> head(data, at, end, timestampMicros);
                case BODY_FIXED -> bodyFixed(data, at, end, timestampMicros);
                case CHUNK_SIZE -> chunkSize(data, at, end, timestampMicros);
                case CHUNK_DATA -> chunkData(data, at, end, timestampMicros);
                case CHUNK_DATA_END -> chunkDataEnd(data, at, end);
                case CHUNK_TRAILER -> chunkTrailer(data, at, end, timestampMicros);
                case BODY_UNTIL_CLOSE -> bodyUntilClose(data, at, end, timestampMicros);
                case RESYNC -> resync(data, at, end, timestampMicros);
                case UPGRADED -> end;
            };
        }
    }

    /** Bytes that were never captured. */
    void gap(long bytes, long timestampMicros)
    {
        switch (state) {
            case START, UPGRADED -> {
                if (state == State.START) {
                    state = State.RESYNC;
                }
            }
            case BODY_FIXED -> {
                markGap();
                if (bytes < remaining) {
                    remaining -= bytes;
                    message.bodyWireSize += bytes;
                }
                else {
                    message.bodyWireSize += remaining;
                    remaining = 0;
                    complete(timestampMicros);
                    state = State.RESYNC;
                }
            }
            case CHUNK_DATA -> {
                markGap();
                if (bytes < remaining) {
                    remaining -= bytes;
                    message.bodyWireSize += bytes;
                }
                else {
                    abandon("http.gap_in_chunked_body");
                }
            }
            case BODY_UNTIL_CLOSE -> {
                markGap();
                message.bodyWireSize += bytes;
            }
            case HEAD, CHUNK_SIZE, CHUNK_DATA_END, CHUNK_TRAILER -> abandon("http.gap_in_framing");
            case RESYNC -> {
            }
        }
    }

    /** The connection ended: a body delimited by the close is complete, anything else is cut. */
    void end(long timestampMicros)
    {
        switch (state) {
            case BODY_UNTIL_CLOSE -> complete(timestampMicros);
            case BODY_FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, CHUNK_TRAILER -> {
                message.anomalies.add("http.body_cut_by_end_of_connection");
                onAnomaly.accept("http.body_cut_by_end_of_connection");
                complete(timestampMicros);
            }
            case HEAD -> {
                if (headLength > 0) {
                    onAnomaly.accept("http.headers_cut_by_end_of_connection");
                }
            }
            case START, RESYNC, UPGRADED -> {
            }
        }
        state = State.START;
    }

    /** Bytes after the message that switched protocols, in the chunk that held its end; taken once. */
    byte[] takeLeftover()
    {
        byte[] bytes = leftover;
        leftover = null;
        return bytes;
    }

    /** Stop parsing: the connection switched protocols. */
    void upgraded()
    {
        state = State.UPGRADED;
    }

    private byte[] leftover;

    private void markGap()
    {
        if (!message.anomalies.contains("http.body_gap")) {
            message.anomalies.add("http.body_gap");
        }
    }

    private void abandon(String anomaly)
    {
        onAnomaly.accept(anomaly);
        if (message != null && message.firstByteTime > 0 && state != State.HEAD) {
            message.anomalies.add(anomaly);
            onMessage.accept(finish(message));
        }
        message = null;
        headLength = 0;
        headScanned = 0;
        state = State.RESYNC;
    }

    private int start(byte[] data, int at, int end, long timestampMicros)
    {
        // RFC 9112 section 2.2: ignore empty lines before a request line.
        while (at < end && (data[at] == '\r' || data[at] == '\n')) {
            at++;
        }
        if (at == end) {
            return end;
        }
        message = new Http1Message(requests, timestampMicros);
        headLength = 0;
        headScanned = 0;
        state = State.HEAD;
        return at;
    }

    private int head(byte[] data, int at, int end, long timestampMicros)
    {
        int room = MAX_HEADER_BYTES - headLength;
        int take = Math.min(room, end - at);
        if (headLength + take > head.length) {
            head = java.util.Arrays.copyOf(head, Math.min(MAX_HEADER_BYTES, Math.max(head.length * 2, headLength + take)));
        }
        System.arraycopy(data, at, head, headLength, take);
        headLength += take;
        int terminator = findHeadEnd();
        if (terminator < 0) {
            if (headLength >= MAX_HEADER_BYTES) {
                abandon("http.headers_too_large");
                return at + take;
            }
            return at + take;
        }
        // Bytes past the terminator belong to the body or the next message.
        int consumed = take - (headLength - terminator);
        message.lastByteTime = timestampMicros;
        if (!parseHead(terminator)) {
            abandon("http.bad_start_line");
            return at + consumed;
        }
        message.headersSize = terminator;
        frame(timestampMicros);
        return at + consumed;
    }

    /** The index just past the blank line ending the head, or -1. Accepts bare LF line ends. */
    private int findHeadEnd()
    {
        for (int index = Math.max(0, headScanned - 3); index < headLength; index++) {
            if (head[index] == '\n') {
                if (index + 1 < headLength && head[index + 1] == '\n') {
                    return index + 2;
                }
                if (index + 2 < headLength && head[index + 1] == '\r' && head[index + 2] == '\n') {
                    return index + 3;
                }
            }
        }
        headScanned = headLength;
        return -1;
    }

    private boolean parseHead(int length)
    {
        int lineEnd = indexOf(head, 0, length, (byte) '\n');
        String startLine = new String(head, 0, trimCr(head, 0, lineEnd), StandardCharsets.ISO_8859_1);
        if (!(requests ? parseRequestLine(startLine) : parseStatusLine(startLine))) {
            return false;
        }
        int at = lineEnd + 1;
        String previousName = null;
        while (at < length) {
            int next = indexOf(head, at, length, (byte) '\n');
            int contentEnd = trimCr(head, at, next);
            if (contentEnd == at) {
                break;
            }
            if (message.headers.size() >= MAX_HEADERS) {
                message.anomalies.add("http.too_many_headers");
                onAnomaly.accept("http.too_many_headers");
                break;
            }
            if ((head[at] == ' ' || head[at] == '\t') && previousName != null) {
                // Obsolete line folding (RFC 9112 section 5.2): join with a space.
                Http1Message.Header last = message.headers.remove(message.headers.size() - 1);
                String continuation = new String(head, at, contentEnd - at, StandardCharsets.ISO_8859_1).trim();
                message.headers.add(new Http1Message.Header(last.name(), last.value() + " " + continuation));
            }
            else {
                int colon = indexOf(head, at, contentEnd, (byte) ':');
                if (colon >= contentEnd) {
                    message.anomalies.add("http.header_without_colon");
                    onAnomaly.accept("http.header_without_colon");
                }
                else {
                    String name = new String(head, at, colon - at, StandardCharsets.ISO_8859_1).trim().toLowerCase(Locale.ROOT);
                    String value = new String(head, colon + 1, contentEnd - colon - 1, StandardCharsets.UTF_8).trim();
                    message.headers.add(new Http1Message.Header(name, value));
                    previousName = name;
                }
            }
            at = next + 1;
        }
        return true;
    }

    private boolean parseRequestLine(String startLine)
    {
        int firstSpace = startLine.indexOf(' ');
        int lastSpace = startLine.lastIndexOf(' ');
        if (firstSpace <= 0) {
            return false;
        }
        message.method = startLine.substring(0, firstSpace);
        if (!Http1Detector.isToken(message.method)) {
            return false;
        }
        if (lastSpace > firstSpace && startLine.startsWith("HTTP/", lastSpace + 1)) {
            message.target = startLine.substring(firstSpace + 1, lastSpace);
            message.version = startLine.substring(lastSpace + 1);
        }
        else {
            // HTTP/0.9-style request line without a version.
            message.target = startLine.substring(firstSpace + 1);
            message.version = "HTTP/0.9";
        }
        return true;
    }

    private boolean parseStatusLine(String startLine)
    {
        if (!startLine.startsWith("HTTP/") || startLine.length() < 12) {
            return false;
        }
        int firstSpace = startLine.indexOf(' ');
        if (firstSpace < 0 || firstSpace + 4 > startLine.length()) {
            return false;
        }
        message.version = startLine.substring(0, firstSpace);
        String code = startLine.substring(firstSpace + 1, firstSpace + 4);
        for (int index = 0; index < code.length(); index++) {
            if (!Character.isDigit(code.charAt(index))) {
                return false;
            }
        }
        message.status = Integer.parseInt(code);
        message.reason = startLine.length() > firstSpace + 5 ? startLine.substring(firstSpace + 5) : "";
        return true;
    }

    /** RFC 9112 section 6.3: how the body is delimited. */
    private void frame(long timestampMicros)
    {
        message.contentEncoding = ContentCoding.of(message.header("content-encoding"));
        if (!requests) {
            if (message.isInformational()) {
                // 1xx responses end at their head (101 hands the connection over).
                complete(timestampMicros);
                return;
            }
            String method = requestMethodForResponse.get();
            if (method.equals("HEAD") || message.status == 204 || message.status == 304
                    || (method.equals("CONNECT") && message.status / 100 == 2)) {
                complete(timestampMicros);
                return;
            }
        }
        String transferEncoding = message.header("transfer-encoding").toLowerCase(Locale.ROOT);
        if (transferEncoding.endsWith("chunked")) {
            message.chunked = true;
            line.setLength(0);
            state = State.CHUNK_SIZE;
            return;
        }
        String contentLength = message.header("content-length");
        if (!contentLength.isEmpty()) {
            try {
                int comma = contentLength.indexOf(',');
                remaining = Long.parseLong((comma < 0 ? contentLength : contentLength.substring(0, comma)).trim());
                if (remaining < 0) {
                    throw new NumberFormatException();
                }
            }
            catch (NumberFormatException e) {
                message.anomalies.add("http.bad_content_length");
                onAnomaly.accept("http.bad_content_length");
                remaining = 0;
            }
            if (remaining == 0) {
                complete(timestampMicros);
            }
            else {
                state = State.BODY_FIXED;
            }
            return;
        }
        if (requests) {
            complete(timestampMicros);
        }
        else {
            state = State.BODY_UNTIL_CLOSE;
        }
    }

    private int bodyFixed(byte[] data, int at, int end, long timestampMicros)
    {
        int take = (int) Math.min(remaining, end - at);
        keep(data, at, take);
        message.bodyWireSize += take;
        remaining -= take;
        message.lastByteTime = timestampMicros;
        if (remaining == 0) {
            complete(timestampMicros);
        }
        return at + take;
    }

    private int chunkSize(byte[] data, int at, int end, long timestampMicros)
    {
        int newline = indexOf(data, at, end, (byte) '\n');
        append(data, at, newline);
        if (newline == end) {
            if (line.length() > MAX_CHUNK_LINE) {
                abandon("http.bad_chunk_size");
            }
            return end;
        }
        String size = line.toString().trim();
        line.setLength(0);
        int extension = size.indexOf(';');
        if (extension >= 0) {
            size = size.substring(0, extension).trim();
        }
        long chunk;
        try {
            chunk = Long.parseLong(size, 16);
        }
        catch (NumberFormatException e) {
            chunk = -1;
        }
        if (chunk < 0) {
            abandon("http.bad_chunk_size");
            return newline + 1;
        }
        message.lastByteTime = timestampMicros;
        if (chunk == 0) {
            trailerLineLength = 0;
            state = State.CHUNK_TRAILER;
        }
        else {
            remaining = chunk;
            state = State.CHUNK_DATA;
        }
        return newline + 1;
    }

    private int chunkData(byte[] data, int at, int end, long timestampMicros)
    {
        int take = (int) Math.min(remaining, end - at);
        keep(data, at, take);
        message.bodyWireSize += take;
        remaining -= take;
        message.lastByteTime = timestampMicros;
        if (remaining == 0) {
            state = State.CHUNK_DATA_END;
        }
        return at + take;
    }

    private int chunkDataEnd(byte[] data, int at, int end)
    {
        // The CRLF after chunk data; tolerate a bare LF.
        if (data[at] == '\r') {
            return at + 1;
        }
        if (data[at] == '\n') {
            line.setLength(0);
            state = State.CHUNK_SIZE;
            return at + 1;
        }
        abandon("http.bad_chunk_end");
        return at;
    }

    private int chunkTrailer(byte[] data, int at, int end, long timestampMicros)
    {
        while (at < end) {
            byte value = data[at++];
            if (value == '\n') {
                if (trailerLineLength == 0) {
                    complete(timestampMicros);
                    return at;
                }
                trailerLineLength = 0;
            }
            else if (value != '\r') {
                if (++trailerLineLength > MAX_HEADER_BYTES) {
                    abandon("http.trailer_too_large");
                    return at;
                }
            }
        }
        return at;
    }

    private int bodyUntilClose(byte[] data, int at, int end, long timestampMicros)
    {
        keep(data, at, end - at);
        message.bodyWireSize += end - at;
        message.lastByteTime = timestampMicros;
        return end;
    }

    /** After lost bytes: skip to the next line that starts a message. */
    private int resync(byte[] data, int at, int end, long timestampMicros)
    {
        int candidate = at;
        while (candidate < end) {
            if (startsMessage(data, candidate, end)) {
                state = State.START;
                onAnomaly.accept("http.resynchronised");
                return candidate;
            }
            int newline = indexOf(data, candidate, end, (byte) '\n');
            if (newline >= end) {
                return end;
            }
            candidate = newline + 1;
        }
        return end;
    }

    private boolean startsMessage(byte[] data, int at, int end)
    {
        return requests ? Http1Detector.startsRequest(data, at, end - at) == io.wirelake.dissect.protocol.Detection.MATCH
                : Http1Detector.startsResponse(data, at, end - at) == io.wirelake.dissect.protocol.Detection.MATCH;
    }

    private void keep(byte[] data, int at, int length)
    {
        int limit = ContentCoding.decodes(message.contentEncoding) ? ContentCoding.MAX_INPUT : bodyCap;
        int room = limit - message.body.size();
        if (room > 0 && length > 0) {
            if (message.body == Http1Message.EMPTY) {
                // sized by what arrived, and by the length field only up to a small start: a forged
                // Content-Length costs nothing until its bytes come
                long expected = state == State.BODY_FIXED ? Math.min(remaining, INITIAL_BODY_BUFFER) : 8192;
                message.body = new java.io.ByteArrayOutputStream((int) Math.min(limit, Math.max(expected, length)));
            }
            message.body.write(data, at, Math.min(room, length));
        }
        if (length > room) {
            message.bodyCut = true;
        }
    }

    private void complete(long timestampMicros)
    {
        message.lastByteTime = Math.max(message.lastByteTime, timestampMicros);
        Http1Message done = finish(message);
        message = null;
        state = State.START;
        onMessage.accept(done);
    }

    private Http1Message finish(Http1Message done)
    {
        ContentCoding.Decoded decoded = ContentCoding.decode(done.contentEncoding, done.body.toByteArray(), done.bodyWireSize,
                done.bodyCut || done.anomalies.contains("http.body_gap"), bodyCap);
        done.bodyDecodedSize = decoded.size();
        done.decodedBody = decoded.head();
        if (decoded.anomaly() != null) {
            done.anomalies.add(decoded.anomaly());
            onAnomaly.accept(decoded.anomaly());
        }
        return done;
    }

    private void append(byte[] data, int from, int to)
    {
        for (int index = from; index < to && line.length() <= MAX_CHUNK_LINE; index++) {
            line.append((char) (data[index] & 0xFF));
        }
    }

    private static int indexOf(byte[] data, int from, int to, byte value)
    {
        for (int index = from; index < to; index++) {
            if (data[index] == value) {
                return index;
            }
        }
        return to;
    }

    private static int trimCr(byte[] data, int from, int lineEnd)
    {
        return lineEnd > from && data[lineEnd - 1] == '\r' ? lineEnd - 1 : lineEnd;
    }
}
