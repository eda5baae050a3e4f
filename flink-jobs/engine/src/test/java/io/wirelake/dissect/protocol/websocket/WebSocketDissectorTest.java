package io.wirelake.dissect.protocol.websocket;

import io.wirelake.dissect.testing.FakeDissectionContext;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Deflater;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Frames built by RFC 6455's and RFC 7692's rules (the JDK's Deflater compresses, with the
 * trailing 00 00 FF FF removed as the extension says): compressed messages that share the
 * sliding window, a compressed message in fragments with a ping between them, and every frame
 * fed one byte at a time.
 */
class WebSocketDissectorTest
{
    private static final byte[] MASK = {0x12, 0x34, 0x56, 0x78};

    private static byte[] frame(boolean fin, boolean rsv1, int opcode, boolean masked, byte[] payload)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
        int maskBit = masked ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(maskBit | payload.length);
        }
        else {
            out.write(maskBit | 126);
            out.write(payload.length >> 8);
            out.write(payload.length & 0xFF);
        }
        if (masked) {
            out.writeBytes(MASK);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(masked ? payload[i] ^ MASK[i & 3] : payload[i]);
        }
        return out.toByteArray();
    }

    /** One message through a compressor that keeps its window (context takeover), tail removed. */
    private static byte[] compress(Deflater deflater, String text)
    {
        deflater.setInput(text.getBytes(StandardCharsets.UTF_8));
        byte[] buffer = new byte[65536];
        int length = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
        assertThat(Arrays.copyOfRange(buffer, length - 4, length)).containsExactly(0, 0, 0xFF, 0xFF);
        return Arrays.copyOf(buffer, length - 4);
    }

    @Test
    void compressedMessagesFragmentsAndControlFramesByteAtATime()
    {
        Deflater clientDeflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        String first = "{\"subscribe\":\"orders\",\"filter\":\"status == 'failed'\"}";
        String second = "{\"subscribe\":\"orders\",\"filter\":\"status == 'failed'\"} again";
        byte[] compressedFirst = compress(clientDeflater, first);
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        client.writeBytes(frame(true, true, 1, true, compressedFirst));
        byte[] secondCompressed = compress(clientDeflater, second);
        // the second message refers back to the first (shared window), split in two fragments with a ping between
        int half = secondCompressed.length / 2;
        client.writeBytes(frame(false, true, 1, true, Arrays.copyOfRange(secondCompressed, 0, half)));
        client.writeBytes(frame(true, false, 9, true, "ping?".getBytes(StandardCharsets.UTF_8)));
        client.writeBytes(frame(true, false, 0, true, Arrays.copyOfRange(secondCompressed, half, secondCompressed.length)));
        client.writeBytes(frame(true, false, 8, true, new byte[] {0x03, (byte) 0xE8, 'b', 'y', 'e'}));
        byte[] server = frame(true, false, 2, false, new byte[300]);

        FakeDissectionContext context = new FakeDissectionContext();
        WebSocketDissector dissector = new WebSocketDissector(context);
        byte[] clientBytes = client.toByteArray();
        for (int i = 0; i < clientBytes.length; i++) {
            dissector.data(true, clientBytes, i, 1, i);
        }
        dissector.data(false, server, 0, server.length, 10_000);
        dissector.end(20_000);

        List<GenericData.Record> rows = context.rows;
        assertThat(rows).extracting(row -> row.get("ws_opcode")).containsExactly("text", "ping", "text", "close", "binary");
        assertThat(rows.get(0).get("ws_request_payload_data")).isEqualTo(first);
        assertThat(rows.get(0).get("ws_request_payload_length")).isEqualTo((long) compressedFirst.length);
        assertThat(rows.get(1).get("ws_request_payload_data")).isEqualTo("ping?");
        assertThat(rows.get(2).get("ws_request_payload_data")).isEqualTo(second);
        assertThat(rows.get(2).get("ws_request_payload_length")).isEqualTo((long) secondCompressed.length);
        assertThat(rows.get(3).get("ws_request_payload_data")).isEqualTo("1000 bye");
        assertThat(rows.get(4).get("ws_response")).isEqualTo(true);
        assertThat(rows.get(4).get("ws_response_payload_length")).isEqualTo(300L);
        assertThat(context.anomalies).isEmpty();
    }

    @Test
    void malformedFramesAreAnomaliesNotCrashes()
    {
        FakeDissectionContext context = new FakeDissectionContext();
        WebSocketDissector dissector = new WebSocketDissector(context);
        byte[] reservedOpcode = {(byte) 0x83, 0x00};
        dissector.data(false, reservedOpcode, 0, reservedOpcode.length, 1);
        byte[] more = frame(true, false, 1, false, "after".getBytes(StandardCharsets.UTF_8));
        dissector.data(false, more, 0, more.length, 2);
        byte[] unmaskedClient = frame(true, false, 1, false, "hi".getBytes(StandardCharsets.UTF_8));
        dissector.data(true, unmaskedClient, 0, unmaskedClient.length, 3);
        dissector.end(4);
        assertThat(context.anomalies).contains("websocket.bad_frame", "websocket.unmasked_client_frame");
        assertThat(context.rows).extracting(row -> row.get("ws_request_payload_data")).containsExactly("hi");
    }
}
