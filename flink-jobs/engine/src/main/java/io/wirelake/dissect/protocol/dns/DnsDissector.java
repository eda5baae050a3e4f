package io.wirelake.dissect.protocol.dns;

import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.dissect.protocol.DatagramDissector;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.PendingRequests;
import io.wirelake.dissect.protocol.Protocol;
import io.wirelake.dissect.rows.Rows;
import org.apache.avro.generic.GenericData;

import java.util.ArrayList;

/**
 * Pairs DNS queries with responses by message id within a flow (the flow already fixes the
 * 5-tuple) and emits one api_calls row per pair, or per unpaired query or response.
 * {@code status_code} is the response code.
 */
final class DnsDissector
        implements DatagramDissector
{
    /** Queries waiting for a response; beyond this the oldest is emitted unanswered. */
    static final int MAX_PENDING_QUERIES = 4096;

    private record Pending(DnsMessage query, long timestampMicros) {}

    private final DissectionContext context;
    private final TableSchema calls = TableSchema.of(Table.API_CALLS);
    private final PendingRequests<Integer, Pending> pending = new PendingRequests<>(MAX_PENDING_QUERIES,
            query -> emit(query.query(), query.timestampMicros(), null, 0));

    DnsDissector(DissectionContext context)
    {
        this.context = context;
    }

    @Override
    public void datagram(boolean fromClient, byte[] data, int offset, int length, int wireLength, long timestampMicros)
    {
        if (wireLength > length) {
            context.anomaly("dns.truncated_by_capture");
        }
        message(data, offset, length, timestampMicros);
    }

    void message(byte[] data, int offset, int length, long timestampMicros)
    {
        DnsMessage message = DnsMessageParser.parse(data, offset, length);
        if (message == null) {
            context.anomaly("dns.short_message");
            return;
        }
        if (!message.complete()) {
            context.anomaly("dns.malformed_message");
        }
        if (!message.response()) {
            pending.add(message.id(), new Pending(message, timestampMicros));
            return;
        }
        Pending query = pending.take(message.id());
        if (query != null) {
            emit(query.query(), query.timestampMicros(), message, timestampMicros);
        }
        else {
            emit(null, 0, message, timestampMicros);
        }
    }

    @Override
    public void end(long timestampMicros)
    {
        pending.flush();
    }

    private void emit(DnsMessage query, long queryTime, DnsMessage response, long responseTime)
    {
        GenericData.Record row = context.newCall(Protocol.DNS, query != null ? queryTime : responseTime);
        Rows rows = Rows.of(calls, row);
        DnsMessage described = query != null ? query : response;
        rows.set(Columns.DNS_QUESTIONS, new ArrayList<>(described.questions()));
        rows.set(Columns.DNS_QUESTION_TYPES, new ArrayList<>(described.questionTypes()));
        rows.set(Columns.DNS_REQUEST, query != null);
        rows.set(Columns.DNS_RESPONSE, response != null);
        long requestLength = query != null ? query.length() : 0;
        long responseLength = response != null ? response.length() : 0;
        rows.set(Columns.DNS_REQUEST_LENGTH, requestLength);
        rows.set(Columns.DNS_RESPONSE_LENGTH, responseLength);
        rows.set(Columns.DNS_TOTAL_SIZE, requestLength + responseLength);
        if (response != null) {
            rows.set(Columns.DNS_ANSWERS, new ArrayList<>(response.answers()));
            rows.set(Columns.STATUS_CODE, response.rcode());
            rows.set(Columns.DNS_RCODE_NAME, DnsMessage.rcodeName(response.rcode()));
            if (!response.questions().isEmpty()) {
                for (String address : response.answerAddresses()) {
                    context.resolved(address, response.questions().get(0));
                }
            }
        }
        if (query != null && response != null) {
            rows.set(Columns.ELAPSED_TIME, Math.max(0, responseTime - queryTime));
        }
        if ((query != null && !query.complete()) || (response != null && !response.complete())) {
            rows.addDistinct(Columns.ANOMALIES, "dns.malformed_message");
        }
        context.emit(row);
    }
}
