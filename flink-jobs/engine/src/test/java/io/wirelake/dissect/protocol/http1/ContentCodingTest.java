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
            byte[] wire = encode(coding);
            ContentCoding.Decoded decoded = ContentCoding.decode(coding.equals("raw-deflate") ? "deflate" : coding, wire, wire.length, false, 100);
            assertThat(decoded.anomaly()).as(coding).isNull();
            assertThat(decoded.size()).as(coding).isEqualTo(TEXT.length);
            assertThat(decoded.head()).as(coding).isEqualTo(Arrays.copyOf(TEXT, 100));
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
        byte[] wire = encode("gzip");
        byte[] truncated = Arrays.copyOf(wire, wire.length / 2);
        assertThat(ContentCoding.decode("gzip", truncated, truncated.length, false, 100).anomaly()).isEqualTo("http.bad_content_encoding");
        assertThat(ContentCoding.decode("gzip", truncated, wire.length, true, 100).anomaly()).isEqualTo("http.body_not_decodable");
        assertThat(ContentCoding.decode("gzip", TEXT, TEXT.length, false, 100).anomaly()).isEqualTo("http.bad_content_encoding");
    }

    private static byte[] encode(String coding)
            throws IOException
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var stream = switch (coding) {
            case "gzip", "x-gzip" -> new GZIPOutputStream(out);
            case "deflate" -> new DeflaterOutputStream(out);
            default -> new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, true));
        };
        try (stream) {
            stream.write(TEXT);
        }
        return out.toByteArray();
    }
}
