package io.wirelake.dissect.flow;

import io.wirelake.dissect.protocol.Detection;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.ProtocolDetector;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The first bytes of a byte stream (a connection's, or a stream carried inside one), held while
 * the detectors decide what protocol it is. Each offer asks every candidate about all that side
 * has sent so far; the held bytes are handed to the dissector of the protocol that matched.
 */
final class StreamStart
{
    /** Bytes a side may send before detection gives up on what it holds. */
    static final int MAX_DETECTION_BYTES = 2048;

    enum Outcome
    {
        /** A detector recognised the stream: see {@link #matched()}. */
        MATCHED,
        /** A detector needs more of this side's bytes. */
        UNDECIDED,
        /** No detector recognises these bytes (or too many were held): they are no use any more. */
        NOT_RECOGNISED
    }

    record Chunk(boolean fromClient, byte[] data, long timestampMicros) {}

    private final List<Chunk> chunks = new ArrayList<>(4);
    private ProtocolDetector matched;

    /**
     * Holds a copy of the bytes and asks the candidates, in order, about everything this side
     * has sent; {@code serverPort} is what the detectors are told (0 when ports say nothing).
     */
    Outcome offer(List<ProtocolDetector> candidates, DissectorGuard guard, DissectionContext context, boolean fromClient, byte[] data, int offset,
            int length, long timestampMicros, int serverPort)
    {
        chunks.add(new Chunk(fromClient, Arrays.copyOfRange(data, offset, offset + length), timestampMicros));
        byte[] side = side(fromClient);
        boolean undecided = false;
        for (ProtocolDetector detector : candidates) {
            Detection verdict = guard.detect(detector, context, fromClient, side, 0, side.length, serverPort);
            if (verdict == Detection.MATCH) {
                matched = detector;
                return Outcome.MATCHED;
            }
            undecided |= verdict == Detection.NEED_MORE;
        }
        return undecided && side.length < MAX_DETECTION_BYTES ? Outcome.UNDECIDED : Outcome.NOT_RECOGNISED;
    }

    ProtocolDetector matched()
    {
        return requireNonNull(matched, "no detector matched");
    }

    /** The held chunks, both sides, in the order they came. */
    void replay(Consumer<Chunk> to)
    {
        chunks.forEach(to);
    }

    /** A gap on one side: what it sent before can no longer be read as a start. */
    void dropSide(boolean fromClient)
    {
        chunks.removeIf(chunk -> chunk.fromClient() == fromClient);
    }

    private byte[] side(boolean fromClient)
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Chunk chunk : chunks) {
            if (chunk.fromClient() == fromClient) {
                bytes.write(chunk.data(), 0, chunk.data().length);
            }
        }
        return bytes.toByteArray();
    }
}
