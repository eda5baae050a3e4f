package io.wirelake.dissect.flow;

import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.ProtocolDetector;
import io.wirelake.dissect.protocol.ProtocolRegistry;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.protocol.Transport;

import java.util.function.Consumer;

/**
 * A byte stream carried inside a connection (the messages of a WebSocket, each direction's
 * payloads in order), dissected as a connection of its own: content detection on the first bytes
 * of each side, with no port hints (the carrier's ports say nothing about what it carries), then
 * the detected protocol's dissector, whose rows are made on the carrying connection. A stream no
 * detector recognises within {@link StreamStart#MAX_DETECTION_BYTES} per side is left alone.
 */
final class TunnelStream
        implements StreamDissector
{
    private final ProtocolRegistry registry;
    private final DissectorGuard guard;
    private final DissectionContext context;
    private final Consumer<String> onProtocol;
    /** The first bytes while they are being detected; null once bound or given up. */
    private StreamStart start = new StreamStart();
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
        if (start == null || length == 0) {
            return;
        }
        switch (start.offer(registry.candidates(Transport.TCP, 0, 0), guard, context, fromClient, data, offset, length, timestampMicros, 0)) {
            case MATCHED -> {
                ProtocolDetector detector = start.matched();
                dissector = guard.stream(detector.name(), context, detector.newStreamDissector(context));
                onProtocol.accept(detector.name());
                StreamStart held = start;
                start = null;
                held.replay(chunk -> dissector.data(chunk.fromClient(), chunk.data(), 0, chunk.data().length, chunk.timestampMicros()));
            }
            case UNDECIDED -> {
            }
            case NOT_RECOGNISED -> start = null;
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
            start = null;
        }
    }

    @Override
    public void end(long timestampMicros)
    {
        if (dissector != null) {
            dissector.end(timestampMicros);
        }
    }
}
