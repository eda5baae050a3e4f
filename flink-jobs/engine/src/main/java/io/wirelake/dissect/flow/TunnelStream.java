package io.wirelake.dissect.flow;

import io.wirelake.dissect.protocol.Detection;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.ProtocolDetector;
import io.wirelake.dissect.protocol.ProtocolRegistry;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.packets.decode.DecodedPacket;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A byte stream carried inside a connection (the messages of a WebSocket, each direction's
 * payloads in order), dissected as a connection of its own: content detection on the first bytes
 * of each side, with no port hints (the carrier's ports say nothing about what it carries), then
 * the detected protocol's dissector, whose rows are made on the carrying connection. A stream no
 * detector recognises within {@link FlowTracker#MAX_DETECTION_BYTES} per side is left alone.
 */
final class TunnelStream
        implements StreamDissector
{
    private final ProtocolRegistry registry;
    private final DissectorGuard guard;
    private final DissectionContext context;
    private final Consumer<String> onProtocol;
    private List<Flow.Chunk> chunks = new ArrayList<>(4);
    private StreamDissector dissector;

    TunnelStream(ProtocolRegistry registry, DissectorGuard guard, DissectionContext context, Consumer<String> onProtocol)
    {
        this.registry = registry;
        this.guard = guard;
        this.context = context;
        this.onProtocol = onProtocol;
    }

    @Override
    public void data(boolean fromClient, byte[] data, int offset, int length, long timestampMicros)
    {
        if (dissector != null) {
            dissector.data(fromClient, data, offset, length, timestampMicros);
            return;
        }
        if (chunks == null || length == 0) {
            return;
        }
        chunks.add(new Flow.Chunk(fromClient, java.util.Arrays.copyOfRange(data, offset, offset + length), timestampMicros));
        byte[] side = side(fromClient);
        boolean undecided = false;
        for (ProtocolDetector detector : registry.candidates(DecodedPacket.TCP, 0, 0)) {
            Detection verdict = guard.detect(detector, context, fromClient, side, 0, side.length, 0);
            if (verdict == Detection.MATCH) {
                dissector = guard.stream(detector.name(), context, detector.newStreamDissector(context));
                onProtocol.accept(detector.name());
                List<Flow.Chunk> held = chunks;
                chunks = null;
                for (Flow.Chunk chunk : held) {
                    dissector.data(chunk.fromClient(), chunk.data(), 0, chunk.data().length, chunk.timestampMicros());
                }
                return;
            }
            undecided |= verdict == Detection.NEED_MORE;
        }
        if (!undecided || side.length >= FlowTracker.MAX_DETECTION_BYTES) {
            chunks = null;
        }
    }

    @Override
    public void gap(boolean fromClient, long bytes, long timestampMicros)
    {
        if (dissector != null) {
            dissector.gap(fromClient, bytes, timestampMicros);
        }
        else {
            // the start of a side is lost: nothing to recognise it by
            chunks = null;
        }
    }

    @Override
    public void end(long timestampMicros)
    {
        if (dissector != null) {
            dissector.end(timestampMicros);
        }
    }

    private byte[] side(boolean fromClient)
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Flow.Chunk chunk : chunks) {
            if (chunk.fromClient() == fromClient) {
                bytes.write(chunk.data(), 0, chunk.data().length);
            }
        }
        return bytes.toByteArray();
    }
}
