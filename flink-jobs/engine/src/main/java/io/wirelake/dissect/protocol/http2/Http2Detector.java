package io.wirelake.dissect.protocol.http2;

import io.wirelake.dissect.protocol.Detection;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.PortHintedDetector;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.protocol.Transport;

import java.util.Set;

/**
 * HTTP/2 in cleartext: the client's connection preface ({@code PRI * HTTP/2.0 ...}) is proof;
 * without it (a capture that starts mid-connection) nothing is guessed. An Upgrade to h2c reaches
 * the dissector through the HTTP/1 dissector's protocol switch instead.
 */
public final class Http2Detector
        extends PortHintedDetector
{
    public static final String NAME = "HTTP/2";

    public Http2Detector()
    {
        super(NAME, Transport.TCP, Set.of());
    }

    /** Frame types 0..9 (RFC 9113); extension types are not evidence. */
    private static final int LAST_FRAME_TYPE = 9;
    /** The largest frame accepted as evidence (SETTINGS_MAX_FRAME_SIZE's default is 16384). */
    private static final int MAX_EVIDENCE_FRAME = 1 << 20;
    /** END_STREAM, END_HEADERS, PADDED, PRIORITY. */
    private static final int HEADERS_FLAGS = 0x01 | 0x04 | 0x08 | 0x20;

    /** HTTP/2 over cleartext after an HTTP/1.1 Upgrade (RFC 7540 section 3.2). */
    @Override
    public Set<String> upgradeTokens()
    {
        return Set.of("h2c");
    }

    @Override
    public Detection detect(boolean fromClient, byte[] data, int offset, int length, int serverPort)
    {
        if (fromClient) {
            int compared = Math.min(length, Http2Dissector.PREFACE.length);
            boolean preface = true;
            for (int i = 0; i < compared; i++) {
                if (data[offset + i] != Http2Dissector.PREFACE[i]) {
                    preface = false;
                    break;
                }
            }
            if (preface) {
                return compared == Http2Dissector.PREFACE.length ? Detection.MATCH : Detection.NEED_MORE;
            }
        }
        return framesOnly(fromClient, data, offset, length) ? Detection.MATCH : Detection.NO_MATCH;
    }

    /**
     * Mid-connection evidence: the first payload starts with whole or partial HTTP/2 frames of
     * known types and sane lengths, one of them a HEADERS frame on an odd (client-initiated)
     * stream with only HEADERS' flags set. A segment may end inside a frame (a large header block
     * split by TCP). Nine bytes that pass by chance are about one in a million.
     */
    static boolean framesOnly(boolean fromClient, byte[] data, int offset, int length)
    {
        int at = offset;
        int end = offset + length;
        boolean headers = false;
        while (end - at >= 9) {
            int frameLength = ((data[at] & 0xFF) << 16) | ((data[at + 1] & 0xFF) << 8) | (data[at + 2] & 0xFF);
            int type = data[at + 3] & 0xFF;
            int flags = data[at + 4] & 0xFF;
            int stream = ((data[at + 5] & 0x7F) << 24) | ((data[at + 6] & 0xFF) << 16) | ((data[at + 7] & 0xFF) << 8) | (data[at + 8] & 0xFF);
            if (type > LAST_FRAME_TYPE || frameLength > MAX_EVIDENCE_FRAME || (data[at + 5] & 0x80) != 0) {
                return false;
            }
            if (type == 1) {
                if (stream == 0 || stream % 2 == 0 || (flags & ~HEADERS_FLAGS) != 0) {
                    return false;
                }
                headers = true;
            }
            at += 9 + frameLength;
        }
        return headers;
    }

    @Override
    public StreamDissector newStreamDissector(DissectionContext context)
    {
        return new Http2Dissector(context);
    }
}
