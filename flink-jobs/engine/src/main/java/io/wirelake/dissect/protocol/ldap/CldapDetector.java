package io.wirelake.dissect.protocol.ldap;

import io.wirelake.dissect.protocol.DatagramDissector;
import io.wirelake.dissect.protocol.Detection;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.PortHintedDetector;
import io.wirelake.dissect.protocol.Transport;

/**
 * LDAP over UDP, "connectionless LDAP" (RFC 1798; Active Directory's domain controller locator
 * on 389/udp, MS-ADTS 6.3.3): a client datagram that is an LDAPMessage carrying a request, as
 * over TCP; off the LDAP ports the message must fill the datagram exactly.
 */
public final class CldapDetector
        extends PortHintedDetector
{
    public CldapDetector()
    {
        super("CLDAP", Transport.UDP, LdapDetector.PORTS);
    }

    @Override
    public Detection detect(boolean fromClient, byte[] data, int offset, int length, int serverPort)
    {
        if (!fromClient) {
            return Detection.NO_MATCH;
        }
        // a datagram is whole: "more" cannot come
        Detection detection = LdapDetector.request(data, offset, length, hintsPort(serverPort));
        return detection == Detection.NEED_MORE ? Detection.NO_MATCH : detection;
    }

    @Override
    public DatagramDissector newDatagramDissector(DissectionContext context)
    {
        return new CldapDissector(context);
    }
}
