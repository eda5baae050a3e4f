package io.wirelake.dissect.protocol.http2;

import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.dissect.protocol.DirectionalDissector;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.Protocol;
import io.wirelake.dissect.protocol.graphql.GraphQl;
import io.wirelake.dissect.protocol.http1.ContentCoding;
import io.wirelake.dissect.protocol.http1.HttpFields;
import io.wirelake.dissect.rows.Rows;
import org.apache.avro.generic.GenericData;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP/2 over cleartext TCP (h2c, prior knowledge or after an Upgrade): frames per direction,
 * header blocks (HEADERS, PUSH_PROMISE and their CONTINUATIONs) decoded with each side's HPACK
 * state, DATA bodies, trailers, RST_STREAM. Each stream becomes one api_calls row, with the HTTP
 * columns of HTTP/1 and {@code http_version = HTTP/2}; gRPC calls also get service, method, status
 * and message counts.
 *
 * <p>A stream's row is made when both sides have ended it with END_STREAM, or, once either side
 * reset it, when both have reset it, whatever order those ends arrive in. A reset ends the stream
 * for its sender, but what the peer sent before the reset reached it is still on its way (RFC
 * 9113 section 5.1: a gRPC server whose deadline passed sends its trailers and its own reset
 * while the client's CANCEL crosses them): so a stream reset by one side waits up to {@link
 * #RESET_GRACE_MICROS} of capture time for the other side's end and reset, and both resets and the
 * trailers land in the one row. Frames for a stream whose row is made (an identifier this
 * connection already used and closed) make no second row.
 * Flow control does not matter to a passive reader: WINDOW_UPDATE, PING and PRIORITY are skipped.
 */
final class Http2Dissector
        extends DirectionalDissector
{
    static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Streams open at once; beyond it the oldest is emitted as it is. */
    static final int MAX_OPEN_STREAMS = 1024;
    /** A header block (HEADERS plus CONTINUATIONs) larger than this is refused. */
    static final int MAX_HEADER_BLOCK = 1 << 20;
    /** SETTINGS_MAX_FRAME_SIZE's upper bound: a longer frame means the framing is lost. */
    static final int MAX_FRAME_LENGTH = (1 << 24) - 1;
    /** A kept payload's first buffer; it grows with the bytes that arrive, never from the length field alone. */
    static final int INITIAL_PAYLOAD = 16 * 1024;
    private static final byte[] NO_BYTES = new byte[0];

    /** How long (capture time) a stream one side reset waits for the other side's end, which may already be on its way. */
    static final long RESET_GRACE_MICROS = 2_000_000L;

    static final Protocol GRPC = new Protocol("gRPC", Columns.GRPC);

    private static final int DATA = 0;
    private static final int HEADERS = 1;
    private static final int RST_STREAM = 3;
    private static final int SETTINGS = 4;
    private static final int PUSH_PROMISE = 5;
    private static final int GOAWAY = 7;
    private static final int CONTINUATION = 9;
    private static final int END_STREAM = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PRIORITY_FLAG = 0x20;

    private final TableSchema calls = TableSchema.of(Table.API_CALLS);
    private final Side client = new Side(true);
    private final Side server = new Side(false);
    private final Map<Integer, Http2Stream> streams = new LinkedHashMap<>();
    /** Streams one side reset, waiting for the other side's end, in the order they were reset. */
    private final ArrayDeque<Http2Stream> resetWaiting = new ArrayDeque<>();
    /** The stream identifiers this connection used, per initiator (odd: client, even: server push), as far as the capture saw them. */
    private final StreamIds clientStreams = new StreamIds();
    private final StreamIds pushedStreams = new StreamIds();

    static final class Http2Stream
    {
        final int id;
        final Http2Message request = new Http2Message();
        final Http2Message response = new Http2Message();
        long clientReset = -1;
        long serverReset = -1;
        long clientResetTime = -1;
        long resetTime = -1;

        Http2Stream(int id)
        {
            this.id = id;
        }
    }

    /**
     * The lowest and highest identifier of the streams one side opened in the capture (their
     * first frame was the request's HEADERS, or the server's PUSH_PROMISE). Identifiers only grow
     * (RFC 9113 section 5.1.1): one in between that is no longer open was closed, and its late
     * frames belong to a row already made. Streams opened before the capture began all have
     * lower identifiers, and are new to this reader.
     */
    private static final class StreamIds
    {
        int lowest = -1;
        int highest = -1;

        void opened(int id)
        {
            lowest = lowest < 0 ? id : Math.min(lowest, id);
            highest = Math.max(highest, id);
        }

        boolean used(int id)
        {
            return lowest >= 0 && id >= lowest && id <= highest;
        }
    }

    /** What a frame's payload bytes are for, decided by its header. */
    private enum Payload
    {
        /** Header blocks and RST_STREAM: kept (growing as bytes arrive) and read when whole. */
        KEPT,
        /** DATA: each byte goes to its stream's body as it arrives, nothing is held. */
        STREAMED,
        /** Frames a passive reader does not need (and DATA after bad padding): counted past. */
        SKIPPED
    }

    /** One direction's frame reader. */
    private final class Side
            extends Direction
    {
        final boolean fromClient;
        final Hpack hpack = new Hpack();
        int prefaceLeft;
        final byte[] header = new byte[9];
        int headerFill;
        int length;
        int type;
        int flags;
        int streamId;
        /** Payload bytes of the current frame still to come. */
        int remaining;
        Payload handling;
        byte[] payload;
        int payloadFill;
        long frameTime;
        // a DATA frame being streamed: its padding (-1 until its first byte says), body bytes left, its stream's message
        int padding;
        int dataLeft;
        boolean dataResolved;
        Http2Stream dataStream;
        // a header block continued by CONTINUATION frames
        ByteArrayOutputStream block;
        int blockStream;
        boolean blockEndsStream;
        int blockPromised = -1;
        long blockTime;

        Side(boolean fromClient)
        {
            this.fromClient = fromClient;
            this.prefaceLeft = fromClient ? PREFACE.length : 0;
        }

        @Override
        protected void read(byte[] data, int offset, int length, long timestamp)
        {
            int at = offset;
            int end = offset + length;
            while (at < end && !lost()) {
                if (prefaceLeft > 0) {
                    int index = PREFACE.length - prefaceLeft;
                    if (data[at] != PREFACE[index]) {
                        if (index == 0) {
                            // no preface: an upgraded connection's client, or a capture that starts mid-connection
                            prefaceLeft = 0;
                            continue;
                        }
                        lose("http2.bad_preface");
                        return;
                    }
                    prefaceLeft--;
                    at++;
                    if (prefaceLeft == 0) {
                        client.hpack.midstream(false);
                        server.hpack.midstream(false);
                    }
                    continue;
                }
                if (headerFill < 9) {
                    if (headerFill == 0) {
                        frameTime = timestamp;
                    }
                    header[headerFill++] = data[at++];
                    if (headerFill == 9) {
                        this.length = ((header[0] & 0xFF) << 16) | ((header[1] & 0xFF) << 8) | (header[2] & 0xFF);
                        type = header[3] & 0xFF;
                        flags = header[4] & 0xFF;
                        streamId = ((header[5] & 0x7F) << 24) | ((header[6] & 0xFF) << 16) | ((header[7] & 0xFF) << 8) | (header[8] & 0xFF);
                        if (type > 0x20 && this.length > (1 << 16)) {
                            lose("http2.bad_frame_header");
                            return;
                        }
                        begin();
                        if (lost()) {
                            return;
                        }
                        if (remaining == 0) {
                            frame();
                        }
                    }
                    continue;
                }
                int take = Math.min(end - at, remaining);
                switch (handling) {
                    case KEPT -> keep(data, at, take);
                    case STREAMED -> streamed(data, at, take);
                    case SKIPPED -> {
                    }
                }
                remaining -= take;
                at += take;
                if (remaining == 0) {
                    frame();
                }
            }
        }

        /**
         * A frame header was read: how its payload is handled. Nothing is allocated from the
         * length field: a kept payload grows as its bytes arrive, and one larger than a header
         * block may be ends the reading of this side (its HPACK state would be lost anyway).
         */
        private void begin()
        {
            remaining = this.length;
            switch (type) {
                case DATA -> {
                    handling = Payload.STREAMED;
                    padding = (flags & PADDED) != 0 ? -1 : 0;
                    dataLeft = this.length;
                    dataResolved = false;
                    dataStream = null;
                }
                case HEADERS, PUSH_PROMISE, CONTINUATION, RST_STREAM -> {
                    if (this.length > MAX_HEADER_BLOCK) {
                        block = null;
                        lose("http2.header_block_too_large");
                        return;
                    }
                    handling = Payload.KEPT;
                    payload = new byte[Math.min(this.length, INITIAL_PAYLOAD)];
                    payloadFill = 0;
                }
                default -> handling = Payload.SKIPPED;
            }
        }

        private void keep(byte[] data, int offset, int count)
        {
            if (payloadFill + count > payload.length) {
                payload = Arrays.copyOf(payload, Math.min(this.length, Math.max(payload.length * 2, payloadFill + count)));
            }
            System.arraycopy(data, offset, payload, payloadFill, count);
            payloadFill += count;
        }

        /** DATA bytes as they arrive: the pad length first when PADDED, then the body, then the padding (ignored). */
        private void streamed(byte[] data, int offset, int count)
        {
            int at = offset;
            int end = offset + count;
            if (padding < 0) {
                padding = data[at++] & 0xFF;
                dataLeft = this.length - 1 - padding;
                if (dataLeft < 0) {
                    context.anomaly("http2.bad_padding");
                    handling = Payload.SKIPPED;
                    return;
                }
            }
            int body = Math.min(end - at, dataLeft);
            if (body > 0) {
                Http2Message message = dataMessage();
                if (message != null) {
                    message.body(data, at, body, context.bodyCap());
                }
                dataLeft -= body;
            }
        }

        /** The message a DATA frame's bytes belong to, looked up once per frame; null on stream 0. */
        private Http2Message dataMessage()
        {
            if (!dataResolved) {
                dataResolved = true;
                dataStream = Http2Dissector.this.stream(streamId);
            }
            return dataStream == null ? null : fromClient ? dataStream.request : dataStream.response;
        }

        void lose(String anomaly)
        {
            context.anomaly(anomaly);
            lose();
        }

        private void frame()
        {
            headerFill = 0;
            finishResetStreams(frameTime);
            if (block != null && type != CONTINUATION) {
                context.anomaly("http2.continuation_missing");
                block = null;
            }
            if (handling == Payload.KEPT && payloadFill < payload.length) {
                payload = Arrays.copyOf(payload, payloadFill);
            }
            switch (type) {
                case DATA -> dataFrame();
                case HEADERS, PUSH_PROMISE -> headersFrame();
                case CONTINUATION -> continuation();
                case RST_STREAM -> reset();
                case GOAWAY, SETTINGS -> {
                    if (streamId != 0) {
                        context.anomaly("http2.control_frame_on_stream");
                    }
                }
                default -> {
                    // PRIORITY, PING, WINDOW_UPDATE, unknown extension frames: nothing a passive reader needs
                }
            }
            payload = null;
        }

        /** A side's RST_STREAM: its end of the stream (RFC 9113 section 6.4), kept with its error code; a reset of a closed stream is normal. */
        private void reset()
        {
            if (payload.length != 4) {
                context.anomaly("http2.bad_rst_stream");
                return;
            }
            Http2Stream stream = streams.get(streamId);
            if (stream == null) {
                // a reset of a stream already ended (STREAM_CLOSED answers to late frames) or never seen: no row of its own
                return;
            }
            long code = ((payload[0] & 0xFFL) << 24) | ((payload[1] & 0xFF) << 16) | ((payload[2] & 0xFF) << 8) | (payload[3] & 0xFF);
            if (fromClient && stream.clientReset < 0) {
                stream.clientReset = code;
                stream.clientResetTime = frameTime;
            }
            else if (!fromClient && stream.serverReset < 0) {
                stream.serverReset = code;
            }
            if (stream.clientReset >= 0 && stream.serverReset >= 0) {
                finish(stream);
            }
            else if (stream.resetTime < 0) {
                stream.resetTime = frameTime;
                resetWaiting.addLast(stream);
            }
        }

        /** A DATA frame's end: its bytes went to the body as they came; now its timing and END_STREAM. */
        private void dataFrame()
        {
            if (handling == Payload.SKIPPED || (padding < 0 && this.length == 0)) {
                // bad padding (counted), or a PADDED frame with no room for its pad length
                if (padding < 0) {
                    context.anomaly("http2.bad_padding");
                }
                return;
            }
            Http2Message message = dataMessage();
            if (message == null) {
                return;
            }
            if (message.firstByteTime < 0) {
                message.firstByteTime = frameTime;
            }
            message.lastByteTime = frameTime;
            // an empty frame still marks the body as present, as a frame with bytes does
            message.body(NO_BYTES, 0, 0, context.bodyCap());
            if ((flags & END_STREAM) != 0) {
                end(dataStream, message);
            }
        }

        private void headersFrame()
        {
            int start = 0;
            int end = payload.length;
            if ((flags & PADDED) != 0) {
                if (payload.length < 1) {
                    context.anomaly("http2.bad_padding");
                    return;
                }
                start = 1;
                end -= payload[0] & 0xFF;
            }
            int promised = -1;
            if (type == PUSH_PROMISE) {
                if (end - start < 4) {
                    context.anomaly("http2.bad_push_promise");
                    return;
                }
                promised = ((payload[start] & 0x7F) << 24) | ((payload[start + 1] & 0xFF) << 16) | ((payload[start + 2] & 0xFF) << 8) | (payload[start + 3] & 0xFF);
                start += 4;
            }
            else if ((flags & PRIORITY_FLAG) != 0) {
                start += 5;
            }
            if (start > end) {
                context.anomaly("http2.bad_headers_frame");
                return;
            }
            block = new ByteArrayOutputStream(end - start);
            block.write(payload, start, end - start);
            blockStream = streamId;
            blockEndsStream = (flags & END_STREAM) != 0;
            blockPromised = promised;
            blockTime = frameTime;
            if ((flags & END_HEADERS) != 0) {
                headerBlock();
            }
        }

        private void continuation()
        {
            if (block == null || streamId != blockStream) {
                context.anomaly("http2.unexpected_continuation");
                block = null;
                return;
            }
            if (block.size() + payload.length > MAX_HEADER_BLOCK) {
                context.anomaly("http2.header_block_too_large");
                block = null;
                lose("http2.header_block_too_large");
                return;
            }
            block.write(payload, 0, payload.length);
            if ((flags & END_HEADERS) != 0) {
                headerBlock();
            }
        }

        private void headerBlock()
        {
            byte[] bytes = block.toByteArray();
            block = null;
            List<Hpack.Header> headers;
            try {
                headers = hpack.decode(bytes, 0, bytes.length);
            }
            catch (Hpack.HpackException e) {
                context.anomaly(hpack.broken() && !e.getMessage().startsWith("dynamic table lost") ? "http2.hpack_error" : "http2.hpack_lost");
                headers = List.of();
            }
            if (blockPromised >= 0) {
                // The server's promise of a pushed response: the promised stream's request.
                Http2Stream pushed = stream(blockPromised);
                if (pushed != null) {
                    pushedStreams.opened(blockPromised);
                    pushed.request.headers.addAll(headers);
                    pushed.request.headersSeen = true;
                    pushed.request.headersSize = bytes.length;
                    pushed.request.firstByteTime = blockTime;
                    pushed.request.lastByteTime = blockTime;
                    pushed.request.ended = true;
                }
                return;
            }
            Http2Stream stream = stream(blockStream);
            if (stream == null) {
                return;
            }
            Http2Message message = fromClient ? stream.request : stream.response;
            if (fromClient && !message.headersSeen && message.firstByteTime < 0 && (blockStream & 1) == 1) {
                clientStreams.opened(blockStream);
            }
            if (!fromClient && !message.headersSeen && isInformational(headers)) {
                return;
            }
            if (message.headersSeen) {
                message.trailers.addAll(headers);
            }
            else {
                message.headers.addAll(headers);
                message.headersSeen = true;
                message.headersSize = bytes.length;
                if (message.firstByteTime < 0) {
                    message.firstByteTime = blockTime;
                }
            }
            message.lastByteTime = blockTime;
            if (blockEndsStream) {
                end(stream, message);
            }
        }
    }

    /**
     * Until the client's preface is seen, the connection may have begun before the capture: HPACK
     * entries from before it are unknown, and fields that refer to them are left out (the rows say
     * {@code http2.midstream_headers_incomplete}). After the preface, such a reference is an error.
     */
    Http2Dissector(DissectionContext context)
    {
        // after a gap neither frames nor the HPACK state can be found again
        super(context, "http2");
        client.hpack.midstream(true);
        server.hpack.midstream(true);
    }

    /**
     * An h2c upgrade: the HTTP/1.1 request that asked for it is stream 1's request (RFC 7540
     * section 3.2), half-closed, so its response on stream 1 is paired with it.
     */
    @Override
    public void upgradedFrom(String method, String target, String host, long requestTimestampMicros)
    {
        Http2Stream stream = stream(1);
        clientStreams.opened(1);
        Http2Message request = stream.request;
        // header values are kept as octets (ISO-8859-1), as HPACK decodes them
        request.headers.add(new Hpack.Header(":method", octets(method)));
        request.headers.add(new Hpack.Header(":path", octets(target)));
        if (!host.isEmpty()) {
            request.headers.add(new Hpack.Header(":authority", octets(host)));
        }
        request.headersSeen = true;
        request.firstByteTime = requestTimestampMicros;
        request.lastByteTime = requestTimestampMicros;
        request.ended = true;
    }

    private static String octets(String text)
    {
        return new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    @Override
    protected Direction direction(boolean fromClient)
    {
        return fromClient ? client : server;
    }

    @Override
    public void end(long timestampMicros)
    {
        for (Http2Stream stream : new ArrayList<>(streams.values())) {
            finish(stream);
        }
    }

    /** Streams whose one side reset them long enough ago that the other side's end is not coming. */
    private void finishResetStreams(long now)
    {
        while (!resetWaiting.isEmpty() && now - resetWaiting.peekFirst().resetTime > RESET_GRACE_MICROS) {
            finish(resetWaiting.pollFirst());
        }
    }

    /**
     * The stream a frame is on, new if it is not open; null (and an anomaly) for a stream this
     * connection opened and closed, whose row is made.
     */
    private Http2Stream stream(int id)
    {
        if (id == 0) {
            context.anomaly("http2.stream_frame_on_connection");
            return null;
        }
        Http2Stream stream = streams.get(id);
        if (stream == null) {
            StreamIds ids = (id & 1) == 1 ? clientStreams : pushedStreams;
            if (ids.used(id)) {
                context.anomaly("http2.frame_on_closed_stream");
                return null;
            }
            stream = new Http2Stream(id);
            streams.put(id, stream);
            if (streams.size() > MAX_OPEN_STREAMS) {
                context.anomaly("http2.too_many_open_streams");
                Iterator<Http2Stream> oldest = streams.values().iterator();
                finish(oldest.next());
            }
        }
        return stream;
    }

    /** END_STREAM: a stream both sides ended so is done; one that was reset waits for the other side's reset too (see the class comment). */
    private void end(Http2Stream stream, Http2Message message)
    {
        message.ended = true;
        if (stream.request.ended && stream.response.ended && stream.resetTime < 0) {
            finish(stream);
        }
    }

    private static boolean isInformational(List<Hpack.Header> headers)
    {
        for (Hpack.Header header : headers) {
            if (header.name().equals(":status")) {
                return header.value().startsWith("1") && header.value().length() == 3;
            }
        }
        return false;
    }

    private void finish(Http2Stream stream)
    {
        if (streams.remove(stream.id) == null) {
            return;
        }
        if (stream.resetTime >= 0) {
            resetWaiting.remove(stream);
        }
        Http2Message request = stream.request;
        Http2Message response = stream.response;
        if (!request.headersSeen && !response.headersSeen && request.bodySize == 0 && response.bodySize == 0) {
            return;
        }
        boolean grpc = request.header("content-type").startsWith("application/grpc") || response.header("content-type").startsWith("application/grpc");
        long time = request.firstByteTime >= 0 ? request.firstByteTime : response.firstByteTime;
        GenericData.Record row = context.newCall(grpc ? GRPC : Protocol.HTTP, time);
        Rows rows = Rows.of(calls, row);
        rows.set(Columns.HTTP, true);
        rows.set(Columns.HTTP_VERSION, "HTTP/2");
        rows.set(Columns.HTTP2_STREAM_ID, (long) stream.id);
        if (stream.clientReset >= 0) {
            rows.set(Columns.HTTP2_CLIENT_RESET, errorName(stream.clientReset));
        }
        if (stream.serverReset >= 0) {
            rows.set(Columns.HTTP2_SERVER_RESET, errorName(stream.serverReset));
        }
        String path = request.header(":path");
        if (request.headersSeen) {
            rows.set(Columns.METHOD, request.header(":method"));
            rows.set(Columns.URL, path);
            rows.set(Columns.PATH, HttpFields.path(path));
            rows.set(Columns.QUERY_STRING, HttpFields.queryParameters(path));
            rows.set(Columns.HOST, request.header(":authority").isEmpty() ? request.header("host") : request.header(":authority"));
            rows.set(Columns.REQUEST_HEADERS, headers(request.headers));
            rows.set(Columns.REQUEST_COOKIES, HttpFields.requestCookies(request.headers));
            rows.set(Columns.REQUEST_HEADERS_SIZE, request.headersSize);
        }
        int cap = context.bodyCap();
        ContentCoding.Decoded requestBody = request.decoded(cap);
        ContentCoding.Decoded responseBody = response.decoded(cap);
        rows.set(Columns.REQUEST_BODY_SIZE, request.bodySize);
        if (requestBody != null) {
            rows.set(Columns.REQUEST_BODY, requestBody.head());
        }
        if (response.headersSeen) {
            String status = response.header(":status");
            rows.set(Columns.STATUS_CODE, status.matches("\\d{3}") ? Long.parseLong(status) : 0L);
            rows.set(Columns.RESPONSE_HEADERS, headers(response.headers));
            rows.set(Columns.RESPONSE_COOKIES, HttpFields.responseCookies(response.headers));
            rows.set(Columns.RESPONSE_HEADERS_SIZE, response.headersSize);
        }
        rows.set(Columns.RESPONSE_BODY_SIZE, response.bodySize);
        rows.set(Columns.RESPONSE_BODY_DECODED_SIZE, responseBody == null ? 0L : responseBody.size());
        if (responseBody != null) {
            rows.set(Columns.RESPONSE_BODY, responseBody.head());
        }
        if (request.firstByteTime >= 0 && response.firstByteTime >= 0) {
            rows.set(Columns.ELAPSED_TIME, Math.max(0, response.firstByteTime - request.firstByteTime));
        }
        if (!grpc && request.headersSeen) {
            GraphQl.mark(rows, request.header(":method"), HttpFields.queryParameters(path), request.header("content-type"),
                    requestBody == null ? null : requestBody.head(), true);
        }
        if (grpc) {
            String[] parts = path.split("/");
            if (parts.length == 3 && parts[0].isEmpty()) {
                rows.set(Columns.GRPC_SERVICE, parts[1]);
                rows.set(Columns.GRPC_METHOD, parts[2]);
            }
            String status = response.header("grpc-status");
            if (status.matches("\\d{1,2}")) {
                rows.set(Columns.GRPC_STATUS, Long.parseLong(status));
            }
            else if (stream.clientReset >= 0 || stream.serverReset >= 0) {
                rows.set(Columns.GRPC_STATUS, statusOfReset(stream));
                rows.addDistinct(Columns.ANOMALIES, "grpc.status_from_rst_stream");
            }
            rows.set(Columns.GRPC_MESSAGE, URLDecoder.decode(response.header("grpc-message").replace("+", "%2B"), StandardCharsets.UTF_8));
            rows.set(Columns.GRPC_REQUEST_MESSAGES, request.grpc.messages);
            rows.set(Columns.GRPC_RESPONSE_MESSAGES, response.grpc.messages);
            rows.set(Columns.GRPC_REQUEST_MESSAGE_BYTES, request.grpc.messageBytes);
            rows.set(Columns.GRPC_RESPONSE_MESSAGE_BYTES, response.grpc.messageBytes);
        }
        for (ContentCoding.Decoded body : new ContentCoding.Decoded[] {requestBody, responseBody}) {
            if (body != null && body.anomaly() != null) {
                rows.addDistinct(Columns.ANOMALIES, body.anomaly());
                context.anomaly(body.anomaly());
            }
        }
        if (client.hpack.unknownReferences() + server.hpack.unknownReferences() > 0) {
            rows.addDistinct(Columns.ANOMALIES, "http2.midstream_headers_incomplete");
        }
        // a reset closes the stream for both sides (RFC 9113 section 6.4): only a stream neither reset nor ended by both is cut short
        if (stream.clientReset < 0 && stream.serverReset < 0 && !(request.ended && response.ended)) {
            rows.addDistinct(Columns.ANOMALIES, "http2.stream_not_ended");
        }
        context.emit(row);
    }

    /** RFC 9113 section 7's error code names; codes beyond them by number. */
    static String errorName(long code)
    {
        return switch ((int) code) {
            case 0x0 -> "NO_ERROR";
            case 0x1 -> "PROTOCOL_ERROR";
            case 0x2 -> "INTERNAL_ERROR";
            case 0x3 -> "FLOW_CONTROL_ERROR";
            case 0x4 -> "SETTINGS_TIMEOUT";
            case 0x5 -> "STREAM_CLOSED";
            case 0x6 -> "FRAME_SIZE_ERROR";
            case 0x7 -> "REFUSED_STREAM";
            case 0x8 -> "CANCEL";
            case 0x9 -> "COMPRESSION_ERROR";
            case 0xa -> "CONNECT_ERROR";
            case 0xb -> "ENHANCE_YOUR_CALM";
            case 0xc -> "INADEQUATE_SECURITY";
            case 0xd -> "HTTP_1_1_REQUIRED";
            default -> "0x" + Long.toHexString(code);
        };
    }

    /**
     * The status a gRPC client saw of a call that was reset without a grpc-status (gRPC's
     * PROTOCOL-HTTP2.md, "Errors"): its own CANCEL is a cancellation, or its deadline when it
     * came at the request's grpc-timeout (it is computed before the request leaves, so a reset
     * a tenth early still counts); a server's reset maps by its code.
     */
    private static long statusOfReset(Http2Stream stream)
    {
        if (stream.clientReset >= 0) {
            long timeout = grpcTimeoutMicros(stream.request.header("grpc-timeout"));
            long elapsed = stream.clientResetTime - stream.request.firstByteTime;
            boolean deadline = stream.clientReset == 0x8 && timeout > 0 && stream.request.firstByteTime >= 0 && elapsed >= timeout - timeout / 10;
            return deadline ? 4 : 1;
        }
        return switch ((int) stream.serverReset) {
            case 0x7 -> 14;
            case 0x8 -> 1;
            case 0xb -> 8;
            case 0xc -> 7;
            default -> 13;
        };
    }

    /** A grpc-timeout header (gRPC's PROTOCOL-HTTP2.md: up to 8 digits and a unit, H M S m u n) in microseconds; -1 when absent or bad. */
    static long grpcTimeoutMicros(String value)
    {
        if (!value.matches("\\d{1,8}[HMSmun]")) {
            return -1;
        }
        long amount = Long.parseLong(value.substring(0, value.length() - 1));
        return switch (value.charAt(value.length() - 1)) {
            case 'H' -> amount * 3_600_000_000L;
            case 'M' -> amount * 60_000_000L;
            case 'S' -> amount * 1_000_000L;
            case 'm' -> amount * 1_000L;
            case 'u' -> amount;
            default -> amount / 1_000L;
        };
    }

    /** Regular headers (pseudo-headers are columns of their own), repeated ones joined; cookies with "; " (RFC 9113, 8.2.3). */
    private static Map<String, String> headers(List<Hpack.Header> headers)
    {
        Map<String, String> map = new LinkedHashMap<>();
        for (Hpack.Header header : headers) {
            if (header.name().startsWith(":")) {
                continue;
            }
            String separator = header.name().equals("cookie") ? "; " : ", ";
            map.merge(header.name(), Http2Message.utf8(header.value()), (first, second) -> first + separator + second);
        }
        return map;
    }
}
