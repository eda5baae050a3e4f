package io.wirelake.dissect.protocol.http2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * An HPACK decoder (RFC 7541) for the header blocks one side of a connection sends: the static
 * table, this side's dynamic table with its size updates, and Huffman-coded strings. A block
 * that cannot be decoded leaves the dynamic table unknown, so every later block of that side is
 * refused too (the connection's headers are then lost, never guessed). Strings are kept as
 * ISO-8859-1 (one char per octet, so entry sizes are exact); callers decode them as UTF-8.
 */
final class Hpack
{
    /** The largest dynamic table accepted, whatever a size update asks (SETTINGS_HEADER_TABLE_SIZE is usually 4096). */
    static final int MAX_TABLE_SIZE = 1 << 20;
    /** The largest header list decoded from one block (name and value octets). */
    static final int MAX_HEADER_LIST_SIZE = 1 << 20;

    record Header(String name, String value)
            implements io.wirelake.dissect.protocol.http1.HttpFields.Header {}

    private static final String[][] STATIC = {
            {":authority", ""}, {":method", "GET"}, {":method", "POST"}, {":path", "/"}, {":path", "/index.html"},
            {":scheme", "http"}, {":scheme", "https"}, {":status", "200"}, {":status", "204"}, {":status", "206"},
            {":status", "304"}, {":status", "400"}, {":status", "404"}, {":status", "500"}, {"accept-charset", ""},
            {"accept-encoding", "gzip, deflate"}, {"accept-language", ""}, {"accept-ranges", ""}, {"accept", ""},
            {"access-control-allow-origin", ""}, {"age", ""}, {"allow", ""}, {"authorization", ""}, {"cache-control", ""},
            {"content-disposition", ""}, {"content-encoding", ""}, {"content-language", ""}, {"content-length", ""},
            {"content-location", ""}, {"content-range", ""}, {"content-type", ""}, {"cookie", ""}, {"date", ""}, {"etag", ""},
            {"expect", ""}, {"expires", ""}, {"from", ""}, {"host", ""}, {"if-match", ""}, {"if-modified-since", ""},
            {"if-none-match", ""}, {"if-range", ""}, {"if-unmodified-since", ""}, {"last-modified", ""}, {"link", ""},
            {"location", ""}, {"max-forwards", ""}, {"proxy-authenticate", ""}, {"proxy-authorization", ""}, {"range", ""},
            {"referer", ""}, {"refresh", ""}, {"retry-after", ""}, {"server", ""}, {"set-cookie", ""},
            {"strict-transport-security", ""}, {"transfer-encoding", ""}, {"user-agent", ""}, {"vary", ""}, {"via", ""},
            {"www-authenticate", ""}};

    /** Newest first. */
    private final ArrayDeque<Header> dynamic = new ArrayDeque<>();
    private int dynamicSize;
    private int maxSize = 4096;
    private boolean broken;
    /** Picked up mid-connection: entries added before the capture began are unknown, and referring to one is not an error. */
    private boolean midstream;
    private int unknownReferences;

    /** Thrown for a block that violates HPACK; the message is the anomaly's detail. */
    static final class HpackException
            extends Exception
    {
        HpackException(String message)
        {
            super(message, null, false, false);
        }
    }

    boolean broken()
    {
        return broken;
    }

    /** Whether entries from before the capture may be referred to (until the connection's start was seen). */
    void midstream(boolean midstream)
    {
        this.midstream = midstream;
    }

    /** References to dynamic entries from before the capture (mid-connection only); such fields are left out. */
    int unknownReferences()
    {
        return unknownReferences;
    }

    /** Decodes one complete header block. */
    List<Header> decode(byte[] block, int offset, int length)
            throws HpackException
    {
        if (broken) {
            throw new HpackException("dynamic table lost earlier");
        }
        try {
            return decodeBlock(block, offset, offset + length);
        }
        catch (HpackException | RuntimeException e) {
            broken = true;
            throw e instanceof HpackException hpack ? hpack : new HpackException(e.toString());
        }
    }

    private List<Header> decodeBlock(byte[] data, int start, int end)
            throws HpackException
    {
        List<Header> headers = new ArrayList<>();
        int listSize = 0;
        int[] at = {start};
        while (at[0] < end) {
            int first = data[at[0]] & 0xFF;
            Header header;
            if ((first & 0x80) != 0) {
                header = entry(integer(data, at, end, 7));
                if (header == null) {
                    continue;
                }
            }
            else if ((first & 0xC0) == 0x40) {
                header = literal(data, at, end, 6);
                add(header);
            }
            else if ((first & 0xE0) == 0x20) {
                int size = integer(data, at, end, 5);
                if (size > MAX_TABLE_SIZE) {
                    throw new HpackException("table size update to " + size);
                }
                maxSize = size;
                evict();
                continue;
            }
            else {
                // 0000 without indexing, 0001 never indexed
                header = literal(data, at, end, 4);
            }
            if (header.name().isEmpty()) {
                continue;
            }
            listSize += header.name().length() + header.value().length();
            if (listSize > MAX_HEADER_LIST_SIZE) {
                throw new HpackException("header list over " + MAX_HEADER_LIST_SIZE + " bytes");
            }
            headers.add(header);
        }
        return headers;
    }

    private Header literal(byte[] data, int[] at, int end, int prefix)
            throws HpackException
    {
        int index = integer(data, at, end, prefix);
        Header named = index == 0 ? null : entry(index);
        String name = index == 0 ? string(data, at, end) : named == null ? "" : named.name();
        return new Header(name, string(data, at, end));
    }

    private Header entry(int index)
            throws HpackException
    {
        if (index <= 0) {
            throw new HpackException("index 0");
        }
        if (index <= STATIC.length) {
            return new Header(STATIC[index - 1][0], STATIC[index - 1][1]);
        }
        int dynamicIndex = index - STATIC.length - 1;
        if (dynamicIndex >= dynamic.size()) {
            if (midstream) {
                unknownReferences++;
                return null;
            }
            throw new HpackException("index " + index + " beyond the dynamic table (" + dynamic.size() + " entries)");
        }
        Iterator<Header> entries = dynamic.iterator();
        for (int i = 0; i < dynamicIndex; i++) {
            entries.next();
        }
        return entries.next();
    }

    private void add(Header header)
    {
        int size = header.name().length() + header.value().length() + 32;
        if (size > maxSize) {
            dynamic.clear();
            dynamicSize = 0;
            return;
        }
        dynamic.addFirst(header);
        dynamicSize += size;
        evict();
    }

    private void evict()
    {
        while (dynamicSize > maxSize && !dynamic.isEmpty()) {
            Header oldest = dynamic.removeLast();
            dynamicSize -= oldest.name().length() + oldest.value().length() + 32;
        }
    }

    /** An integer with an N-bit prefix (RFC 7541, 5.1). */
    static int integer(byte[] data, int[] at, int end, int prefix)
            throws HpackException
    {
        int mask = (1 << prefix) - 1;
        int value = data[at[0]++] & mask;
        if (value < mask) {
            return value;
        }
        int shift = 0;
        while (true) {
            if (at[0] >= end) {
                throw new HpackException("integer runs past the block");
            }
            int octet = data[at[0]++] & 0xFF;
            if (shift > 21) {
                throw new HpackException("integer too large");
            }
            value += (octet & 0x7F) << shift;
            shift += 7;
            if ((octet & 0x80) == 0) {
                return value;
            }
        }
    }

    private static String string(byte[] data, int[] at, int end)
            throws HpackException
    {
        if (at[0] >= end) {
            throw new HpackException("string runs past the block");
        }
        boolean huffman = (data[at[0]] & 0x80) != 0;
        int length = integer(data, at, end, 7);
        if (length > end - at[0]) {
            throw new HpackException("string of " + length + " bytes runs past the block");
        }
        int from = at[0];
        at[0] += length;
        if (!huffman) {
            return new String(data, from, length, StandardCharsets.ISO_8859_1);
        }
        byte[] decoded = Huffman.decode(data, from, length);
        if (decoded == null) {
            throw new HpackException("invalid Huffman string");
        }
        return new String(decoded, StandardCharsets.ISO_8859_1);
    }
}
