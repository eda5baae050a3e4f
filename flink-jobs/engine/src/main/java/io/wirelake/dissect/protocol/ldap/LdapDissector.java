package io.wirelake.dissect.protocol.ldap;

import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.dissect.protocol.DirectionalDissector;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.PendingRequests;
import io.wirelake.dissect.protocol.Protocol;
import io.wirelake.dissect.protocol.toolkit.LengthPrefixedFramer;
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
    /** Bytes of a message kept for parsing: the fields the rows use come first; the rest is counted. */
    static final int KEPT = 64 * 1024;
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

    /**
     * An LDAPMessage's BER header (RFC 4511 section 5.1): a SEQUENCE tag, then a definite length
     * in one to five bytes, the message within {@value #MAX_MESSAGE} bytes.
     */
    private static final LengthPrefixedFramer.Format FORMAT = new LengthPrefixedFramer.Format()
    {
        @Override
        public long frameLength(byte[] header, int length)
        {
            if (header[0] != 0x30) {
                return BAD;
            }
            long contentLength = length < 2 ? -2 : Ber.headerLength(header, 1, length);
            if (contentLength == -2) {
                return MORE;
            }
            return contentLength < 0 || contentLength > MAX_MESSAGE ? BAD : length + contentLength;
        }

        @Override
        public String problem(byte[] header, int length)
        {
            return header[0] != 0x30 ? "ldap.not_a_message" : "ldap.bad_length";
        }

        @Override
        public int maxHeader()
        {
            return 6;
        }
    };

    /** One direction's LDAPMessages, whole, until the connection turns to TLS. */
    private final class Framing
            extends Direction
            implements LengthPrefixedFramer.Frames
    {
        final boolean fromClient;
        private final LengthPrefixedFramer framer = new LengthPrefixedFramer(FORMAT, true, KEPT, this);

        Framing(boolean fromClient)
        {
            this.fromClient = fromClient;
        }

        @Override
        protected void read(byte[] data, int offset, int length, long timestamp)
        {
            if (!encrypted) {
                framer.read(data, offset, length, timestamp);
            }
        }

        @Override
        public boolean frame(byte[] bytes, int kept, long length, long firstByteTime, long lastByteTime)
        {
            try {
                LdapMessage parsed = LdapMessage.parse(bytes, 0, kept, length);
                if (fromClient) {
                    request(parsed, firstByteTime);
                }
                else {
                    response(parsed, firstByteTime);
                }
            }
            catch (Ber.BerException e) {
                context.anomaly("ldap.malformed_message");
            }
            // after a successful StartTLS what follows is TLS
            return !encrypted;
        }

        @Override
        public void malformed(String problem)
        {
            context.anomaly(problem);
            lose();
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
