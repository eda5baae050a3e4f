package io.wirelake.dissect.protocol.ldap;

import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.dissect.protocol.DirectionalDissector;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.PendingRequests;
import io.wirelake.dissect.protocol.Protocol;
import io.wirelake.dissect.rows.Rows;
import org.apache.avro.generic.GenericData;

/**
 * LDAP over TCP (RFC 4511): LDAPMessages framed by their BER length per direction, requests paired
 * with their final response by messageID (a search's entries and references counted on the way to
 * SearchResultDone). Unbind and abandon have no response and are rows at once. After a successful
 * StartTLS the connection is encrypted and only counted.
 */
final class LdapDissector
        extends DirectionalDissector
{
    static final Protocol LDAP = new Protocol("LDAP", Columns.LDAP);
    static final int MAX_MESSAGE = 16 << 20;
    static final int MAX_PENDING = 1024;

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

    private final TableSchema calls = TableSchema.of(Table.API_CALLS);
    private final Framing requests = new Framing(true);
    private final Framing responses = new Framing(false);
    private final PendingRequests<Long, Exchange> pending = new PendingRequests<>(MAX_PENDING,
            unanswered -> emit(unanswered, null, 0));
    private boolean encrypted;

    private final class Framing
            extends Direction
    {
        final boolean fromClient;
        final java.io.ByteArrayOutputStream header = new java.io.ByteArrayOutputStream(6);
        byte[] message;
        int fill;
        long time;

        Framing(boolean fromClient)
        {
            this.fromClient = fromClient;
        }

        @Override
        protected void read(byte[] data, int offset, int length, long timestamp)
        {
            int at = offset;
            int end = offset + length;
            while (at < end && !lost() && !encrypted) {
                if (message == null) {
                    if (header.size() == 0) {
                        time = timestamp;
                        if (data[at] != 0x30) {
                            context.anomaly("ldap.not_a_message");
                            lose();
                            return;
                        }
                    }
                    header.write(data[at++]);
                    byte[] bytes = header.toByteArray();
                    long contentLength = bytes.length < 2 ? -2 : Ber.headerLength(bytes, 1, bytes.length);
                    if (contentLength == -2) {
                        continue;
                    }
                    if (contentLength < 0 || contentLength > MAX_MESSAGE) {
                        context.anomaly("ldap.bad_length");
                        lose();
                        return;
                    }
                    message = new byte[(int) contentLength];
                    fill = 0;
                    header.reset();
                    if (contentLength == 0) {
                        complete();
                    }
                    continue;
                }
                int take = Math.min(end - at, message.length - fill);
                System.arraycopy(data, at, message, fill, take);
                fill += take;
                at += take;
                if (fill == message.length) {
                    complete();
                }
            }
        }

        private void complete()
        {
            byte[] bytes = message;
            message = null;
            try {
                LdapMessage parsed = LdapMessage.parse(bytes, 0, bytes.length);
                if (fromClient) {
                    request(parsed, time);
                }
                else {
                    response(parsed, time);
                }
            }
            catch (Ber.BerException e) {
                context.anomaly("ldap.malformed_message");
            }
        }
    }

    LdapDissector(DissectionContext context)
    {
        super(context, "ldap");
    }

    @Override
    protected Direction direction(boolean fromClient)
    {
        return fromClient ? requests : responses;
    }

    @Override
    public void gap(boolean fromClient, long bytes, long timestampMicros)
    {
        // after StartTLS the bytes are encrypted and only counted: a gap there loses nothing
        if (!encrypted) {
            super.gap(fromClient, bytes, timestampMicros);
        }
    }

    @Override
    public void end(long timestampMicros)
    {
        pending.flush();
    }

    private void request(LdapMessage request, long time)
    {
        Exchange exchange = new Exchange(request, time);
        if (request.operation == LdapMessage.UNBIND_REQUEST || request.operation == 16) {
            emit(exchange, null, 0);
            return;
        }
        pending.add(request.messageId, exchange);
    }

    private void response(LdapMessage response, long time)
    {
        if (response.operation == LdapMessage.SEARCH_RESULT_ENTRY || response.operation == LdapMessage.SEARCH_RESULT_REFERENCE
                || response.operation == LdapMessage.INTERMEDIATE_RESPONSE) {
            Exchange exchange = pending.peek(response.messageId);
            if (exchange != null) {
                exchange.entries += response.operation == LdapMessage.SEARCH_RESULT_ENTRY ? 1 : 0;
                exchange.responseLength += response.length;
            }
            return;
        }
        Exchange exchange = pending.take(response.messageId);
        if (exchange == null) {
            // a response to a request before the capture, or a notice of disconnection (messageID 0)
            emit(null, response, time);
            return;
        }
        emit(exchange, response, time);
        if (exchange.request.operation == LdapMessage.EXTENDED_REQUEST && exchange.request.detail.equals("1.3.6.1.4.1.1466.20037")
                && response.resultCode == 0) {
            encrypted = true;
        }
    }

    private void emit(Exchange exchange, LdapMessage response, long responseTime)
    {
        LdapMessage request = exchange == null ? null : exchange.request;
        LdapMessage preferred = request != null ? request : response;
        GenericData.Record row = context.newCall(LDAP, request != null ? exchange.requestTime : responseTime);
        Rows rows = Rows.of(calls, row);
        String type = LdapMessage.operationName(preferred.operation);
        if (request != null && request.operation == LdapMessage.BIND_REQUEST) {
            type = "bind " + (request.detail.startsWith("SASL") ? "SASL" : request.detail);
        }
        rows.set(Columns.LDAP_TYPE, type);
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
        StringBuilder summary = new StringBuilder(type);
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
