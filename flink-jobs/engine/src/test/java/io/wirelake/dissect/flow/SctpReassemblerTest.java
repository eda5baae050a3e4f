package io.wirelake.dissect.flow;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DATA chunks built as RFC 9260 lays them out: bundled chunks, a message in three fragments, a
 * retransmitted chunk, padding, a fragment whose beginning was lost, and another stream's message
 * arriving between a message's fragments.
 */
class SctpReassemblerTest
{
    private static byte[] chunk(int flags, long tsn, int stream, long protocol, String text)
    {
        byte[] payload = text.getBytes(StandardCharsets.US_ASCII);
        int length = 16 + payload.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.write(flags);
        out.write(length >> 8);
        out.write(length & 0xFF);
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write((int) (tsn >> shift) & 0xFF);
        }
        out.write(stream >> 8);
        out.write(stream & 0xFF);
        out.write(0);
        out.write(0);
        for (int shift = 24; shift >= 0; shift -= 8) {
            out.write((int) (protocol >> shift) & 0xFF);
        }
        out.writeBytes(payload);
        while (out.size() % 4 != 0) {
            out.write(0);
        }
        return out.toByteArray();
    }

    private static byte[] bundle(byte[]... chunks)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] chunk : chunks) {
            out.writeBytes(chunk);
        }
        return out.toByteArray();
    }

    @Test
    void messagesFromBundledFragmentedAndRetransmittedChunks()
    {
        List<String> messages = new ArrayList<>();
        List<String> anomalies = new ArrayList<>();
        SctpReassembler reassembler = new SctpReassembler(new SctpReassembler.Consumer()
        {
            @Override
            public void message(boolean fromClient, int streamId, long payloadProtocol, byte[] data, long timestampMicros)
            {
                messages.add((fromClient ? "c" : "s") + streamId + ":" + payloadProtocol + ":" + new String(data, StandardCharsets.US_ASCII));
            }

            @Override
            public void anomaly(String name)
            {
                anomalies.add(name);
            }
        });
        byte[] first = bundle(chunk(0x03, 100, 0, 46, "whole"), chunk(0x02, 101, 1, 46, "frag-"));
        reassembler.packet(true, first, 0, first.length, 1);
        byte[] second = bundle(chunk(0x00, 102, 1, 46, "ment"), chunk(0x03, 104, 2, 46, "other stream"));
        reassembler.packet(true, second, 0, second.length, 2);
        // the second packet again (a retransmission): nothing new
        reassembler.packet(true, second, 0, second.length, 3);
        // fragments take consecutive TSNs (RFC 9260 6.9); this one arrives after a later TSN of another stream
        byte[] last = chunk(0x01, 103, 1, 46, "ed!");
        reassembler.packet(true, last, 0, last.length, 4);
        byte[] orphan = chunk(0x01, 7, 0, 46, "end without a beginning");
        reassembler.packet(false, orphan, 0, orphan.length, 5);
        byte[] answer = chunk(0x03, 8, 0, 46, "answer");
        reassembler.packet(false, answer, 0, answer.length, 6);
        assertThat(messages).containsExactly("c0:46:whole", "c2:46:other stream", "c1:46:frag-mented!", "s0:46:answer");
        assertThat(anomalies).containsExactly("sctp.fragments_incomplete");
    }
}
