package io.wirelake.dissect.protocol.http2;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An HPACK decoder (RFC 7541) for the header blocks one side of a connection sends: the static
 * table, this side's dynamic table with its size updates, and Huffman-coded strings. A block
 * that cannot be decoded leaves the dynamic table unknown, so every later block of that side is
 * refused too (the connection's headers are then lost, never guessed). Strings are kept as
 * ISO-8859-1 (one char per octet, so entry sizes are exact); callers decode them as UTF-8.
 *
 * <p>Hostile blocks cost bounded work: the dynamic table is at most {@value #MAX_TABLE_SIZE}
 * bytes whatever a size update asks, an index finds its entry in one step (a ring of entries,
 * newest first), and every field a block yields counts toward the header-list limit as RFC 9113
 * section 6.5.2 sizes it (name, value and 32 octets), so a block of one-byte references to a
 * large or an empty entry cannot amplify into millions of fields.
 */
final class Hpack
{
    /** The largest dynamic table accepted, whatever a size update asks (SETTINGS_HEADER_TABLE_SIZE is usually 4096; browsers allow 64 KiB). */
    static final int MAX_TABLE_SIZE = 1 << 16;
    /** The largest header list decoded from one block (name and value octets, and 32 per field). */
    static final int MAX_HEADER_LIST_SIZE = 1 << 20;
    /** RFC 7541 section 4.1: each entry's (and each field's) overhead. */
    static final int ENTRY_OVERHEAD = 32;
    /** The most entries the table can hold: every entry takes at least its overhead. */
    private static final int MAX_ENTRIES = MAX_TABLE_SIZE / ENTRY_OVERHEAD;

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

    /** A ring of entries: {@code newest} is index 0 of the dynamic table, older ones follow it. */
    private final Header[] dynamic = new Header[MAX_ENTRIES];
    private int newest;
    private int entries;
    private int dynamicSize;
    private int maxSize = 4096;
    private boolean broken;
    /** Picked up mid-connection: entries added before the capture began are unknown, and referring to one is not an error. */
    private boolean midstream;
    private int unknownReferences;

    /** A field whose entry was made before the capture began: left out of the headers. */
    private static final Header UNKNOWN = new Header("", "");

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
                    // an entry from before the capture: counted toward the list all the same
                    header = UNKNOWN;
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
                evict(maxSize);
                continue;
            }
            else {
                // 0000 without indexing, 0001 never indexed
                header = literal(data, at, end, 4);
            }
            listSize += header.name().length() + header.value().length() + ENTRY_OVERHEAD;
            if (listSize > MAX_HEADER_LIST_SIZE) {
                throw new HpackException("header list over " + MAX_HEADER_LIST_SIZE + " bytes");
            }
            if (!header.name().isEmpty()) {
                headers.add(header);
            }
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
        if (dynamicIndex >= entries) {
            if (midstream) {
                unknownReferences++;
                return null;
            }
            throw new HpackException("index " + index + " beyond the dynamic table (" + entries + " entries)");
        }
        return dynamic[(newest + dynamicIndex) % MAX_ENTRIES];
    }

    private static int size(Header header)
    {
        return header.name().length() + header.value().length() + ENTRY_OVERHEAD;
    }

    private void add(Header header)
    {
        int size = size(header);
        if (size > maxSize) {
            java.util.Arrays.fill(dynamic, null);
            entries = 0;
            dynamicSize = 0;
            return;
        }
        // RFC 7541 section 4.4: room is made before the entry is added (so the ring never overruns: each entry takes 32 octets)
        evict(maxSize - size);
        newest = (newest + MAX_ENTRIES - 1) % MAX_ENTRIES;
        dynamic[newest] = header;
        entries++;
        dynamicSize += size;
    }

    /** The oldest entries leave until the table holds at most {@code room} octets. */
    private void evict(int room)
    {
        while (dynamicSize > room && entries > 0) {
            int oldest = (newest + entries - 1) % MAX_ENTRIES;
            dynamicSize -= size(dynamic[oldest]);
            dynamic[oldest] = null;
            entries--;
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
