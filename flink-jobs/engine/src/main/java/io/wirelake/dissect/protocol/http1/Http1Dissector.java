package io.wirelake.dissect.protocol.http1;

import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.Protocol;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.protocol.graphql.GraphQl;
import io.wirelake.dissect.rows.Rows;
import org.apache.avro.generic.GenericData;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the two directions of an HTTP/1.x connection into api_calls rows: each request paired
 * with its response in order (keep-alive and pipelining), interim 1xx responses skipped, and
 * unanswered requests or unsolicited responses still emitted on their own.
 * {@code elapsed_time} is the time from the request's first byte to the response's first byte.
 */
final class Http1Dissector
        implements StreamDissector
{
    /** Requests waiting for responses; more than this and the oldest is emitted unanswered. */
    static final int MAX_PENDING_REQUESTS = 1024;

    private final DissectionContext context;
    private final TableSchema calls = TableSchema.of(Table.API_CALLS);
    private final Http1Parser requests;
    private final Http1Parser responses;
    private final Deque<Http1Message> pendingRequests = new ArrayDeque<>();
    private final Deque<Http1Message> pendingResponses = new ArrayDeque<>();
    /** Methods of requests whose start line was seen, in order, for response framing (HEAD). */
    private final Deque<String> methodsAwaitingResponse = new ArrayDeque<>();
    private boolean upgraded;

    Http1Dissector(DissectionContext context)
    {
        this.context = context;
        this.requests = new Http1Parser(true, context.bodyCap(), () -> "", this::request, context::anomaly);
        this.responses = new Http1Parser(false, context.bodyCap(), this::methodForNextResponse, this::response, context::anomaly);
    }

    @Override
    public void data(boolean fromClient, byte[] data, int offset, int length, long timestampMicros)
    {
        if (upgraded) {
            return;
        }
        Http1Parser parser = fromClient ? requests : responses;
        parser.data(data, offset, length, timestampMicros);
        byte[] leftover = parser.takeLeftover();
        if (leftover != null) {
            context.afterUpgrade(fromClient, leftover, 0, leftover.length, timestampMicros);
        }
    }

    @Override
    public void gap(boolean fromClient, long bytes, long timestampMicros)
    {
        (fromClient ? requests : responses).gap(bytes, timestampMicros);
    }

    @Override
    public void end(long timestampMicros)
    {
        requests.end(timestampMicros);
        responses.end(timestampMicros);
        while (!pendingRequests.isEmpty() || !pendingResponses.isEmpty()) {
            emit(pendingRequests.pollFirst(), pendingResponses.pollFirst());
        }
    }

    private String methodForNextResponse()
    {
        String method = methodsAwaitingResponse.pollFirst();
        return method == null ? "" : method;
    }

    private void request(Http1Message request)
    {
        methodsAwaitingResponse.addLast(request.method);
        if (!pendingResponses.isEmpty()) {
            emit(request, pendingResponses.pollFirst());
            return;
        }
        pendingRequests.addLast(request);
        if (pendingRequests.size() > MAX_PENDING_REQUESTS) {
            context.anomaly("http.too_many_pending_requests");
            emit(pendingRequests.pollFirst(), null);
        }
    }

    private void response(Http1Message response)
    {
        if (response.isInformational() && response.status != 101) {
            return;
        }
        Http1Message request = pendingRequests.pollFirst();
        if (request == null) {
            pendingResponses.addLast(response);
            if (pendingResponses.size() > MAX_PENDING_REQUESTS) {
                emit(null, pendingResponses.pollFirst());
            }
        }
        else {
            emit(request, response);
        }
        if (response.status == 101) {
            upgraded = true;
            requests.upgraded();
            responses.upgraded();
            String protocol = response.header("upgrade").toLowerCase(Locale.ROOT);
            if (request != null) {
                context.upgrade(protocol.isEmpty() ? "unknown" : protocol, response.lastByteTime, request.method, request.target, request.header("host"),
                        request.firstByteTime);
            }
            else {
                context.upgrade(protocol.isEmpty() ? "unknown" : protocol, response.lastByteTime);
            }
        }
    }

    private void emit(Http1Message request, Http1Message response)
    {
        if (request == null && response == null) {
            return;
        }
        long time = request != null ? request.firstByteTime : response.firstByteTime;
        GenericData.Record row = context.newCall(Protocol.HTTP, time);
        Rows rows = Rows.of(calls, row);
        if (request != null) {
            rows.set(Columns.METHOD, request.method);
            rows.set(Columns.URL, request.target);
            rows.set(Columns.PATH, HttpFields.path(request.target));
            rows.set(Columns.QUERY_STRING, HttpFields.queryParameters(request.target));
            rows.set(Columns.HTTP_VERSION, request.version);
            rows.set(Columns.REQUEST_HEADERS, headers(request));
            rows.set(Columns.REQUEST_COOKIES, HttpFields.requestCookies(request.headers));
            rows.set(Columns.REQUEST_HEADERS_SIZE, request.headersSize);
            rows.set(Columns.REQUEST_BODY_SIZE, request.bodyWireSize);
            rows.set(Columns.REQUEST_BODY, request.decodedBody);
            rows.set(Columns.HOST, request.header("host"));
            request.anomalies.forEach(anomaly -> rows.addDistinct(Columns.ANOMALIES, anomaly));
            GraphQl.mark(rows, request.method, HttpFields.queryParameters(request.target), request.header("content-type"), request.decodedBody, false);
        }
        if (response != null) {
            rows.set(Columns.STATUS_CODE, response.status);
            rows.set(Columns.STATUS_TEXT, response.reason);
            if (request == null) {
                rows.set(Columns.HTTP_VERSION, response.version);
            }
            rows.set(Columns.RESPONSE_HEADERS, headers(response));
            rows.set(Columns.RESPONSE_COOKIES, HttpFields.responseCookies(response.headers));
            rows.set(Columns.RESPONSE_HEADERS_SIZE, response.headersSize);
            rows.set(Columns.RESPONSE_BODY_SIZE, response.bodyWireSize);
            rows.set(Columns.RESPONSE_BODY_DECODED_SIZE, response.bodyDecodedSize);
            rows.set(Columns.RESPONSE_BODY, response.decodedBody);
            response.anomalies.forEach(anomaly -> rows.addDistinct(Columns.ANOMALIES, anomaly));
        }
        if (request != null && response != null) {
            rows.set(Columns.ELAPSED_TIME, Math.max(0, response.firstByteTime - request.firstByteTime));
        }
        context.emit(row);
    }

    private static Map<String, String> headers(Http1Message message)
    {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Http1Message.Header header : message.headers) {
            headers.merge(header.name(), header.value(), (first, second) -> first + ", " + second);
        }
        return headers;
    }
}
