package io.wirelake.dissect.protocol.ldap;

import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.PendingRequests;
import io.wirelake.dissect.rows.Rows;
import org.apache.avro.generic.GenericData;

import static java.util.Objects.requireNonNull;

/**
 * LDAP requests paired with their final response by messageID, over TCP or UDP (RFC 4511): a
 * search's entries and references are counted on the way to SearchResultDone; unbind and abandon
 * have no response and are rows at once; a response without its request (from before the
 * capture, or a notice of disconnection) is a row of its own. {@code ldap_type} is the bare
 * operation ({@code bind}, {@code search}, ...) and a bind's mechanism has its own column.
 */
final class LdapExchanges
{
    static final int MAX_PENDING = 1024;
    private static final String START_TLS = "1.3.6.1.4.1.1466.20037";

    private static final class Exchange
    {
        final LdapMessage request;
        final long requestTime;
        long entries;
        long responseLength;

        Exchange(LdapMessage request, long requestTime)
        {
            this.request = request;
            this.requestTime = requestTime;
        }
    }

    private final DissectionContext context;
    private final TableSchema calls = TableSchema.of(Table.API_CALLS);
    private final PendingRequests<Long, Exchange> pending = new PendingRequests<>(MAX_PENDING, unanswered -> emit(unanswered, null, 0));

    LdapExchanges(DissectionContext context)
    {
        this.context = requireNonNull(context, "context is null");
    }

    void request(LdapMessage request, long time)
    {
        Exchange exchange = new Exchange(request, time);
        if (request.operation == LdapMessage.UNBIND_REQUEST || request.operation == LdapMessage.ABANDON_REQUEST) {
            emit(exchange, null, 0);
            return;
        }
        pending.add(request.messageId, exchange);
    }

    /** A response; true when it is the success of a StartTLS, after which the connection is TLS. */
    boolean response(LdapMessage response, long time)
    {
        if (response.operation == LdapMessage.SEARCH_RESULT_ENTRY || response.operation == LdapMessage.SEARCH_RESULT_REFERENCE
                || response.operation == LdapMessage.INTERMEDIATE_RESPONSE) {
            Exchange exchange = pending.peek(response.messageId);
            if (exchange != null) {
                exchange.entries += response.operation == LdapMessage.SEARCH_RESULT_ENTRY ? 1 : 0;
                exchange.responseLength += response.length;
            }
            return false;
        }
        Exchange exchange = pending.take(response.messageId);
        if (exchange == null) {
            emit(null, response, time);
            return false;
        }
        emit(exchange, response, time);
        return exchange.request.operation == LdapMessage.EXTENDED_REQUEST && exchange.request.detail.equals(START_TLS) && response.resultCode == 0;
    }

    /** The flow ended: requests still waiting are rows without a response. */
    void flush()
    {
        pending.flush();
    }

    private void emit(Exchange exchange, LdapMessage response, long responseTime)
    {
        LdapMessage request = exchange == null ? null : exchange.request;
        LdapMessage preferred = request != null ? request : response;
        GenericData.Record row = context.newCall(LdapDissector.LDAP, request != null ? exchange.requestTime : responseTime);
        Rows rows = Rows.of(calls, row);
        String type = LdapMessage.operationName(preferred.operation);
        rows.set(Columns.LDAP_TYPE, type);
        StringBuilder summary = new StringBuilder(type);
        if (request != null && request.operation == LdapMessage.BIND_REQUEST) {
            rows.set(Columns.LDAP_BIND_MECHANISM, request.mechanism);
            summary.append(' ').append(request.mechanism);
        }
        rows.set(Columns.LDAP_MESSAGE_ID, preferred.messageId);
        String dn = request != null ? (request.operation == LdapMessage.EXTENDED_REQUEST ? LdapMessage.extendedName(request.detail) : request.dn) : response.dn;
        rows.set(Columns.LDAP_DN, dn);
        long requestLength = request != null ? request.length : 0;
        long responseLength = (response != null ? response.length : 0) + (exchange != null ? exchange.responseLength : 0);
        rows.set(Columns.LDAP_REQUEST, request != null);
        rows.set(Columns.LDAP_RESPONSE, response != null);
        rows.set(Columns.LDAP_REQUEST_LENGTH, requestLength);
        rows.set(Columns.LDAP_RESPONSE_LENGTH, responseLength);
        rows.set(Columns.LDAP_TOTAL_SIZE, requestLength + responseLength);
        if (!dn.isEmpty()) {
            summary.append(' ').append(dn);
        }
        if (request != null && request.operation == LdapMessage.SEARCH_REQUEST) {
            summary.append(' ').append(request.detail);
            rows.set(Columns.LDAP_SEARCH_ENTRIES, exchange.entries);
        }
        if (response != null && response.resultCode >= 0) {
            String result = LdapMessage.resultName(response.resultCode);
            rows.set(Columns.LDAP_RESULT, result);
            rows.set(Columns.LDAP_RESULT_CODE, (long) response.resultCode);
            summary.append(" -> ").append(result);
            if (request != null && request.operation == LdapMessage.SEARCH_REQUEST) {
                summary.append(", ").append(exchange.entries).append(exchange.entries == 1 ? " entry" : " entries");
            }
            if (!response.diagnostic.isEmpty()) {
                summary.append(" (").append(response.diagnostic).append(')');
            }
        }
        rows.set(Columns.LDAP_SUMMARY, summary.toString());
        if (request != null && response != null) {
            rows.set(Columns.ELAPSED_TIME, Math.max(0, responseTime - exchange.requestTime));
        }
        context.emit(row);
    }
}
