package io.wirelake.dissect.protocol.ldap;

import io.wirelake.dissect.protocol.DatagramDissector;
import io.wirelake.dissect.protocol.DissectionContext;

/**
 * Connectionless LDAP: each datagram holds whole LDAPMessages (a domain controller answers a
 * locator search with its SearchResultEntry and SearchResultDone in one datagram), paired by
 * messageID within the flow as over TCP ({@link LdapExchanges}): the same rows, {@code ldap} and
 * {@code udp}.
 */
final class CldapDissector
        implements DatagramDissector
{
    private final DissectionContext context;
    private final LdapExchanges exchanges;

    CldapDissector(DissectionContext context)
    {
        this.context = context;
        this.exchanges = new LdapExchanges(context);
    }

    @Override
    public void datagram(boolean fromClient, byte[] data, int offset, int length, int wireLength, long timestampMicros)
    {
        if (wireLength > length) {
            context.anomaly("ldap.truncated_by_capture");
        }
        int at = offset;
        int end = offset + length;
        while (end - at >= 2) {
            if (data[at] != 0x30) {
                context.anomaly("ldap.not_a_message");
                return;
            }
            long contentLength = Ber.headerLength(data, at + 1, end);
            if (contentLength < 0) {
                context.anomaly("ldap.bad_length");
                return;
            }
            int contentStart = at + 1 + Ber.lengthOctets(data[at + 1]);
            if (contentLength > end - contentStart) {
                context.anomaly("ldap.bad_length");
                return;
            }
            int contentEnd = contentStart + (int) contentLength;
            try {
                LdapMessage message = LdapMessage.parse(data, contentStart, contentEnd);
                if (fromClient) {
                    exchanges.request(message, timestampMicros);
                }
                else {
                    exchanges.response(message, timestampMicros);
                }
            }
            catch (Ber.BerException e) {
                context.anomaly("ldap.malformed_message");
            }
            at = contentEnd;
        }
    }

    @Override
    public void end(long timestampMicros)
    {
        exchanges.flush();
    }
}
