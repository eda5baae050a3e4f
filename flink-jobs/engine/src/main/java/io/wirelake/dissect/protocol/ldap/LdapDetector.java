package io.wirelake.dissect.protocol.ldap;

import io.wirelake.dissect.protocol.Detection;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.PortHintedDetector;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.protocol.Transport;

import java.util.Set;

/**
 * An LDAPMessage from the client: a BER SEQUENCE holding an INTEGER messageID and a request's
 * application tag. Off the LDAP ports the message must also end exactly where the first segment does.
 */
public final class LdapDetector
        extends PortHintedDetector
{
    static final Set<Integer> PORTS = Set.of(389, 3268, 1389, 10389);
    /** Application tags of requests: bind, unbind, search, modify, add, delete, modify DN, compare, abandon, extended. */
    private static final Set<Integer> REQUEST_TAGS = Set.of(0x60, 0x42, 0x63, 0x66, 0x68, 0x4A, 0x6C, 0x6E, 0x50, 0x77);

    public LdapDetector()
    {
        super("LDAP", Transport.TCP, PORTS);
    }

    @Override
    public Detection detect(boolean fromClient, byte[] data, int offset, int length, int serverPort)
    {
        if (!fromClient) {
            return Detection.NO_MATCH;
        }
        return request(data, offset, length, hintsPort(serverPort));
    }

    /**
     * Whether the bytes start with an LDAPMessage carrying a request; off the LDAP ports the
     * message must end exactly where the bytes do.
     */
    static Detection request(byte[] data, int offset, int length, boolean onLdapPort)
    {
        if (length < 1 || data[offset] != 0x30) {
            return Detection.NO_MATCH;
        }
        long contentLength = Ber.headerLength(data, offset + 1, offset + length);
        if (contentLength == -2) {
            return Detection.NEED_MORE;
        }
        if (contentLength < 5 || contentLength > LdapDissector.MAX_MESSAGE) {
            return Detection.NO_MATCH;
        }
        int at = offset + 1 + Ber.lengthOctets(data[offset + 1]);
        if (at + 3 > offset + length) {
            return Detection.NEED_MORE;
        }
        int idLength = data[at + 1] & 0xFF;
        if (data[at] != 0x02 || idLength < 1 || idLength > 4) {
            return Detection.NO_MATCH;
        }
        int opAt = at + 2 + idLength;
        if (opAt >= offset + length) {
            return Detection.NEED_MORE;
        }
        if (!REQUEST_TAGS.contains(data[opAt] & 0xFF)) {
            return Detection.NO_MATCH;
        }
        long total = at - offset + contentLength;
        if (onLdapPort) {
            return Detection.MATCH;
        }
        return total == length ? Detection.MATCH : total > length ? Detection.NEED_MORE : Detection.NO_MATCH;
    }

    @Override
    public StreamDissector newStreamDissector(DissectionContext context)
    {
        return new LdapDissector(context);
    }
}
