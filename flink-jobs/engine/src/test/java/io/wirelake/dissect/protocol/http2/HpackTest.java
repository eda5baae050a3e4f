package io.wirelake.dissect.protocol.http2;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The decoder against RFC 7541's own examples (Appendix C): the headers and the dynamic table they leave. */
class HpackTest
{
    private static List<Hpack.Header> decode(Hpack hpack, String hex)
            throws Hpack.HpackException
    {
        byte[] block = HexFormat.of().parseHex(hex.replace(" ", ""));
        return hpack.decode(block, 0, block.length);
    }

    private static Hpack.Header header(String name, String value)
    {
        return new Hpack.Header(name, value);
    }

    @Test
    void requestsWithoutHuffmanCoding()
            throws Exception
    {
        // C.3.1 - C.3.3
        Hpack hpack = new Hpack();
        assertThat(decode(hpack, "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d")).containsExactly(
                header(":method", "GET"), header(":scheme", "http"), header(":path", "/"), header(":authority", "www.example.com"));
        assertThat(decode(hpack, "8286 84be 5808 6e6f 2d63 6163 6865")).containsExactly(
                header(":method", "GET"), header(":scheme", "http"), header(":path", "/"), header(":authority", "www.example.com"),
                header("cache-control", "no-cache"));
        assertThat(decode(hpack, "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65")).containsExactly(
                header(":method", "GET"), header(":scheme", "https"), header(":path", "/index.html"), header(":authority", "www.example.com"),
                header("custom-key", "custom-value"));
    }

    @Test
    void requestsWithHuffmanCoding()
            throws Exception
    {
        // C.4.1 - C.4.3
        Hpack hpack = new Hpack();
        assertThat(decode(hpack, "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff")).containsExactly(
                header(":method", "GET"), header(":scheme", "http"), header(":path", "/"), header(":authority", "www.example.com"));
        assertThat(decode(hpack, "8286 84be 5886 a8eb 1064 9cbf")).contains(header("cache-control", "no-cache"));
        assertThat(decode(hpack, "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf")).containsExactly(
                header(":method", "GET"), header(":scheme", "https"), header(":path", "/index.html"), header(":authority", "www.example.com"),
                header("custom-key", "custom-value"));
    }

    @Test
    void responsesWithEvictionFromASmallTable()
            throws Exception
    {
        // C.6: responses with Huffman coding and a 256-octet table (set by a size update here); entries are evicted.
        Hpack hpack = new Hpack();
        decode(hpack, "3fe1 01");
        assertThat(decode(hpack, "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3"))
                .containsExactly(header(":status", "302"), header("cache-control", "private"), header("date", "Mon, 21 Oct 2013 20:13:21 GMT"),
                        header("location", "https://www.example.com"));
        assertThat(decode(hpack, "4883 640e ffc1 c0bf")).containsExactly(header(":status", "307"), header("cache-control", "private"),
                header("date", "Mon, 21 Oct 2013 20:13:21 GMT"), header("location", "https://www.example.com"));
        assertThat(decode(hpack, "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab 77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f 9587 3160 65c0 03ed 4ee5 b106 3d50 07"))
                .containsExactly(header(":status", "200"), header("cache-control", "private"), header("date", "Mon, 21 Oct 2013 20:13:22 GMT"),
                        header("location", "https://www.example.com"), header("content-encoding", "gzip"),
                        header("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"));
    }

    @Test
    void aBadBlockLosesTheTableForGood()
    {
        Hpack hpack = new Hpack();
        assertThatThrownBy(() -> decode(hpack, "be")).isInstanceOf(Hpack.HpackException.class).hasMessageContaining("beyond the dynamic table");
        assertThat(hpack.broken()).isTrue();
        assertThatThrownBy(() -> decode(hpack, "82")).hasMessageContaining("dynamic table lost");
        assertThatThrownBy(() -> decode(new Hpack(), "41 ff")).hasMessageContaining("runs past the block");
    }

    @Test
    void referencesToEmptyEntriesCountTowardTheHeaderList()
            throws Exception
    {
        // A table full of empty entries (32 octets each), then a block of one-byte references to one of them:
        // before, such fields were skipped uncounted and a 1 MiB block meant a million look-ups down a list.
        Hpack hpack = new Hpack();
        decode(hpack, "3f e1 ff 03");
        byte[] fill = new byte[3 * 2048];
        for (int index = 0; index < fill.length; index += 3) {
            fill[index] = 0x40;
        }
        assertThat(hpack.decode(fill, 0, fill.length)).isEmpty();
        byte[] references = new byte[1 << 20];
        java.util.Arrays.fill(references, (byte) 0xBE);
        assertThatThrownBy(() -> hpack.decode(references, 0, references.length)).isInstanceOf(Hpack.HpackException.class)
                .hasMessageContaining("header list over");
    }

    @Test
    void aTableLargerThanTheCapIsRefused()
    {
        Hpack hpack = new Hpack();
        // a size update to 1 MiB (5-bit prefix: 31, then 1048545 in 7-bit groups)
        assertThatThrownBy(() -> decode(hpack, "3f e1 ff 3f")).isInstanceOf(Hpack.HpackException.class).hasMessageContaining("table size update");
    }

    @Test
    void indexesFindTheirEntriesAcrossTheRing()
            throws Exception
    {
        // 3000 entries of 37 octets through a 64 KiB table: the ring wraps, the newest 1771 stay, in order
        Hpack hpack = new Hpack();
        decode(hpack, "3f e1 ff 03");
        for (int entry = 0; entry < 3000; entry++) {
            decode(hpack, "40 01 6b 04 " + HexFormat.of().formatHex(String.format("%04d", entry).getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        }
        int kept = 65536 / 37;
        assertThat(decode(hpack, "be")).containsExactly(header("k", "2999"));
        assertThat(decode(hpack, "ff " + HexFormat.of().formatHex(integerTail(62 + kept - 1 - 127)))).containsExactly(header("k", String.format("%04d", 3000 - kept)));
        assertThatThrownBy(() -> decode(hpack, "ff " + HexFormat.of().formatHex(integerTail(62 + kept - 127))))
                .hasMessageContaining("beyond the dynamic table (" + kept + " entries)");
    }

    /** The continuation bytes of an HPACK integer whose prefix is full (RFC 7541 section 5.1). */
    private static byte[] integerTail(int rest)
    {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        while (rest >= 128) {
            bytes.write((rest % 128) + 128);
            rest /= 128;
        }
        bytes.write(rest);
        return bytes.toByteArray();
    }
}
