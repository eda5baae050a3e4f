package io.wirelake.dissect.protocol.http1;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Content decoding against the JDK's own encoders: gzip, zlib-wrapped and raw deflate, and broken bodies. */
class ContentCodingTest
{
    private static final byte[] TEXT = "wirelake ".repeat(5000).getBytes(StandardCharsets.US_ASCII);

    @Test
    void decodesEveryCodingToTheOriginal()
            throws IOException
    {
        for (String coding : new String[] {"gzip", "x-gzip", "deflate", "raw-deflate"}) {
            byte[] wire = encode(coding, TEXT);
            ContentCoding.Decoded decoded = ContentCoding.decode(coding.equals("raw-deflate") ? "deflate" : coding, wire, wire.length, false, 100);
            assertThat(decoded.anomaly()).as(coding).isNull();
            assertThat(decoded.size()).as(coding).isEqualTo(TEXT.length);
            assertThat(decoded.head()).as(coding).isEqualTo(Arrays.copyOf(TEXT, 100));
        }
    }

    /**
     * The kept bytes are inflated into an array that grows from a guess up to the cap: every cap
     * around the guess, the doubling steps and the body's own size keeps exactly the body's first
     * bytes, in gzip and zlib-wrapped deflate, on bodies that compress far (the guess is short) and
     * hardly (the guess is long).
     */
    @Test
    void keepsTheFirstBytesWhateverTheCap()
            throws IOException
    {
        java.util.Random random = new java.util.Random(20261205);
        for (int size : new int[] {0, 1, 4095, 4096, 4097, 20_000, 65_536, 300_000}) {
            for (boolean compressible : new boolean[] {true, false}) {
                byte[] body = new byte[size];
                for (int index = 0; index < size; index++) {
                    body[index] = (byte) (compressible ? 'a' + (index / 1000) % 3 : random.nextInt());
                }
                for (String coding : new String[] {"gzip", "deflate"}) {
                    byte[] wire = encode(coding, body);
                    for (int cap : new int[] {1, 100, 4095, 4096, 4097, 8192, 16_385, 65_536, size - 1, size, size + 1}) {
                        if (cap < 1) {
                            continue;
                        }
                        ContentCoding.Decoded decoded = ContentCoding.decode(coding, wire, wire.length, false, cap);
                        String what = coding + ", " + size + " bytes, compressible " + compressible + ", cap " + cap;
                        assertThat(decoded.anomaly()).as(what).isNull();
                        assertThat(decoded.size()).as(what).isEqualTo(size);
                        assertThat(decoded.head()).as(what).isEqualTo(Arrays.copyOf(body, Math.min(cap, size)));
                    }
                }
            }
        }
    }

    @Test
    void codingNamesAreNormalised()
    {
        assertThat(ContentCoding.of(" GZip ")).isEqualTo("gzip");
        assertThat(ContentCoding.of("identity")).isEmpty();
        assertThat(ContentCoding.decodes("br")).isFalse();
        ContentCoding.Decoded kept = ContentCoding.decode("br", TEXT, TEXT.length, false, 10);
        assertThat(kept.size()).isEqualTo(TEXT.length);
        assertThat(kept.head()).hasSize(10);
    }

    @Test
    void brokenBodiesAreAnomaliesNotExceptions()
            throws IOException
    {
        byte[] wire = encode("gzip", TEXT);
        byte[] truncated = Arrays.copyOf(wire, wire.length / 2);
        assertThat(ContentCoding.decode("gzip", truncated, truncated.length, false, 100).anomaly()).isEqualTo("http.bad_content_encoding");
        assertThat(ContentCoding.decode("gzip", truncated, wire.length, true, 100).anomaly()).isEqualTo("http.body_not_decodable");
        assertThat(ContentCoding.decode("gzip", TEXT, TEXT.length, false, 100).anomaly()).isEqualTo("http.bad_content_encoding");
    }

    /** The body encoded by the JDK: gzip, zlib-wrapped deflate ("deflate") or raw deflate ("raw-deflate"). */
    private static byte[] encode(String coding, byte[] body)
            throws IOException
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var stream = switch (coding) {
            case "gzip", "x-gzip" -> new GZIPOutputStream(out);
            case "deflate" -> new DeflaterOutputStream(out);
            default -> new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, true));
        };
        try (stream) {
            stream.write(body);
        }
        return out.toByteArray();
    }
}
