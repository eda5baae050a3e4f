package io.wirelake.dissect.protocol.ldap;

import io.wirelake.columns.Columns;
import io.wirelake.dissect.protocol.DirectionalDissector;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.Protocol;
import io.wirelake.dissect.protocol.toolkit.LengthPrefixedFramer;

/**
 * LDAP over TCP (RFC 4511): LDAPMessages framed by their BER length per direction, requests paired
 * with their final response by messageID ({@link LdapExchanges}). After a successful StartTLS the
 * connection is encrypted and only counted.
 */
final class LdapDissector
        extends DirectionalDissector
{
    static final Protocol LDAP = new Protocol("LDAP", Columns.LDAP);
    static final int MAX_MESSAGE = 16 << 20;
    /** Bytes of a message kept for parsing: the fields the rows use come first; the rest is counted. */
    static final int KEPT = 64 * 1024;
    static final int MAX_PENDING = 1024;

    private final Framing requests = new Framing(true);
    private final Framing responses = new Framing(false);
    private final LdapExchanges exchanges;
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
                    exchanges.request(parsed, firstByteTime);
                }
                else if (exchanges.response(parsed, firstByteTime)) {
                    // a successful StartTLS
                    encrypted = true;
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
        this.exchanges = new LdapExchanges(context);
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
        exchanges.flush();
    }
}
