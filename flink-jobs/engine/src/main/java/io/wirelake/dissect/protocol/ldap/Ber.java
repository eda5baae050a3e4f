package io.wirelake.dissect.protocol.ldap;

import java.nio.charset.StandardCharsets;

/**
 * The BER subset LDAP uses (RFC 4511 section 5.1: definite lengths only, single-byte tags): a
 * reader over one element's contents that throws {@link BerException} on anything malformed.
 */
final class Ber
{
    static final class BerException
            extends Exception
    {
        BerException(String message)
        {
            super(message, null, false, false);
        }
    }

    /** One element: its tag and where its contents are. */
    record Element(int tag, int start, int end)
    {
        int length()
        {
            return end - start;
        }

        boolean constructed()
        {
            return (tag & 0x20) != 0;
        }

        /** The tag number within its class. */
        int number()
        {
            return tag & 0x1F;
        }
    }

    private final byte[] data;
    private int at;
    private final int end;
    /** The bytes were cut (a message longer than what is kept): an element running past them ends where they end. */
    private final boolean cut;

    Ber(byte[] data, int start, int end)
    {
        this(data, start, end, false);
    }

    Ber(byte[] data, int start, int end, boolean cut)
    {
        this.data = data;
        this.at = start;
        this.end = end;
        this.cut = cut;
    }

    Ber(byte[] data, Element element)
    {
        this(data, element.start(), element.end(), false);
    }

    /** A reader over an element's contents, as cut as this one's bytes are. */
    Ber inside(Element element)
    {
        return new Ber(data, element.start(), element.end(), cut);
    }

    boolean hasMore()
    {
        return at < end;
    }

    Element next()
            throws BerException
    {
        if (at + 2 > end) {
            throw new BerException("element header runs past its parent");
        }
        int tag = data[at++] & 0xFF;
        if ((tag & 0x1F) == 0x1F) {
            throw new BerException("multi-byte tag");
        }
        long length = headerLength(data, at, end);
        if (length < 0) {
            throw new BerException("bad length");
        }
        at += lengthOctets(data[at]);
        if (at + length > end) {
            if (!cut || at > end) {
                throw new BerException("element of " + length + " bytes runs past its parent");
            }
            length = end - at;
        }
        Element element = new Element(tag, at, (int) (at + length));
        at = element.end();
        return element;
    }

    Element next(int expectedTag)
            throws BerException
    {
        Element element = next();
        if (element.tag() != expectedTag) {
            throw new BerException("tag 0x" + Integer.toHexString(element.tag()) + " where 0x" + Integer.toHexString(expectedTag) + " belongs");
        }
        return element;
    }

    long integer(Element element)
            throws BerException
    {
        if (element.length() < 1 || element.length() > 8) {
            throw new BerException("integer of " + element.length() + " bytes");
        }
        long value = data[element.start()];
        for (int i = element.start() + 1; i < element.end(); i++) {
            value = (value << 8) | (data[i] & 0xFF);
        }
        return value;
    }

    String string(Element element)
    {
        return new String(data, element.start(), element.length(), StandardCharsets.UTF_8);
    }

    /** Octets the length field takes (1 for the short form). */
    static int lengthOctets(byte first)
    {
        return (first & 0x80) == 0 ? 1 : 1 + (first & 0x7F);
    }

    /** The length at {@code at}, or -1 for an indefinite or over-long length, -2 when more bytes are needed. */
    static long headerLength(byte[] data, int at, int end)
    {
        if (at >= end) {
            return -2;
        }
        int first = data[at] & 0xFF;
        if ((first & 0x80) == 0) {
            return first;
        }
        int octets = first & 0x7F;
        if (octets == 0 || octets > 4) {
            return -1;
        }
        if (at + 1 + octets > end) {
            return -2;
        }
        long length = 0;
        for (int i = 1; i <= octets; i++) {
            length = (length << 8) | (data[at + i] & 0xFF);
        }
        return length;
    }
}
