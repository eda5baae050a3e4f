package io.wirelake.dissect.protocol.http1;

import java.util.Arrays;
import java.util.Locale;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Content decoding (RFC 9110 section 8.4) of a completed HTTP body, for HTTP/1.x and HTTP/2
 * alike: gzip and deflate are decoded to measure the decoded size and keep its first bytes; other
 * codings are kept as they are.
 */
public final class ContentCoding
{
    /** Encoded bodies larger than this are counted but not decoded. */
    public static final int MAX_INPUT = 4 << 20;

    /** Decoding stops here: a decompression bomb is an anomaly, not an outage. */
    static final long MAX_DECODED = 256L << 20;

    /** One inflater and buffer per thread: creating an Inflater allocates native memory. */
    private static final ThreadLocal<Inflater> INFLATER = ThreadLocal.withInitial(() -> new Inflater(true));
    private static final ThreadLocal<byte[]> BUFFER = ThreadLocal.withInitial(() -> new byte[32 * 1024]);
    /** The first guess of a body's decoded size, when four times its encoded size is less. */
    private static final int FIRST_GUESS = 4 * 1024;

    /**
     * A decoded body.
     *
     * @param size the decoded size (the wire size when the coding is not decoded)
     * @param head the first bytes of the decoded body, at most the body cap
     * @param anomaly why decoding failed or stopped, or null
     */
    public record Decoded(long size, byte[] head, String anomaly) {}

    private ContentCoding() {}

    /** The coding of a Content-Encoding value, lower case; "" for none or identity. */
    public static String of(String contentEncoding)
    {
        String coding = contentEncoding.trim().toLowerCase(Locale.ROOT);
        return coding.equals("identity") ? "" : coding;
    }

    /** Whether a body of this coding is decoded, so that up to {@link #MAX_INPUT} of it is kept. */
    public static boolean decodes(String coding)
    {
        return coding.equals("gzip") || coding.equals("x-gzip") || coding.equals("deflate");
    }

    /**
     * Decodes a body.
     *
     * @param coding from {@link #of}
     * @param wire the body as kept (all of it unless {@code incomplete})
     * @param wireSize the body's size on the wire
     * @param incomplete part of the body was not kept or not captured
     * @param bodyCap how many decoded bytes to keep
     */
    public static Decoded decode(String coding, byte[] wire, long wireSize, boolean incomplete, int bodyCap)
    {
        if (!decodes(coding) || wire.length == 0) {
            return new Decoded(wireSize, wire.length <= bodyCap ? wire : Arrays.copyOf(wire, bodyCap), null);
        }
        if (incomplete) {
            // Part of the encoded body is missing: the decoded size cannot be known.
            return new Decoded(wireSize, new byte[0], "http.body_not_decodable");
        }
        // The kept bytes are inflated straight into the array returned, which starts at a guess of
        // the decoded size and doubles up to the cap; what lies beyond the cap is inflated into a
        // scratch buffer only to be counted.
        byte[] kept = new byte[(int) Math.min(bodyCap, Math.max(FIRST_GUESS, 4L * wire.length))];
        int keptLength = 0;
        long total = 0;
        String anomaly = null;
        Inflater inflater = INFLATER.get();
        try {
            int start = compressedStart(coding, wire);
            if (start < 0) {
                throw new DataFormatException("bad " + coding + " header");
            }
            inflater.reset();
            inflater.setInput(wire, start, wire.length - start);
            while (!inflater.finished()) {
                if (keptLength == kept.length && kept.length < bodyCap) {
                    kept = Arrays.copyOf(kept, (int) Math.min(bodyCap, 2L * kept.length));
                }
                boolean keeping = keptLength < kept.length;
                int read = keeping ? inflater.inflate(kept, keptLength, kept.length - keptLength) : inflater.inflate(BUFFER.get());
                if (read == 0) {
                    if (inflater.needsInput() || inflater.needsDictionary()) {
                        throw new DataFormatException("truncated " + coding + " body");
                    }
                    continue;
                }
                if (keeping) {
                    keptLength += read;
                }
                total += read;
                if (total > MAX_DECODED) {
                    anomaly = "http.decoded_body_too_large";
                    break;
                }
            }
        }
        catch (DataFormatException e) {
            anomaly = "http.bad_content_encoding";
        }
        return new Decoded(total, keptLength == kept.length ? kept : Arrays.copyOf(kept, keptLength), anomaly);
    }

    /**
     * Where the raw deflate data starts: after the gzip header (RFC 1952 section 2.3) or the zlib
     * header (RFC 1950); "deflate" is zlib-wrapped per the RFC, but raw deflate is common.
     * -1 for a bad header.
     */
    static int compressedStart(String coding, byte[] wire)
    {
        if (coding.equals("deflate")) {
            boolean zlib = wire.length >= 2 && (wire[0] & 0x0F) == 8 && (((wire[0] & 0xFF) << 8) | (wire[1] & 0xFF)) % 31 == 0;
            return zlib ? 2 : 0;
        }
        if (wire.length < 10 || (wire[0] & 0xFF) != 0x1F || (wire[1] & 0xFF) != 0x8B || wire[2] != 8) {
            return -1;
        }
        int flags = wire[3] & 0xFF;
        int at = 10;
        if ((flags & 0x04) != 0) {
            if (at + 2 > wire.length) {
                return -1;
            }
            at += 2 + ((wire[at] & 0xFF) | ((wire[at + 1] & 0xFF) << 8));
        }
        for (int flag : new int[] {0x08, 0x10}) {
            if ((flags & flag) != 0) {
                while (at < wire.length && wire[at] != 0) {
                    at++;
                }
                at++;
            }
        }
        if ((flags & 0x02) != 0) {
            at += 2;
        }
        return at <= wire.length ? at : -1;
    }
}
