package io.wirelake.dissect.flow;

import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.ProtocolDetector;
import io.wirelake.dissect.protocol.ProtocolRegistry;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.protocol.Transport;

import java.util.function.Consumer;

/**
 * A byte stream carried inside a connection (the messages of a WebSocket, each direction's
 * payloads in order; one stream of an SCTP association), dissected as a connection of its own:
 * content detection on the first bytes of each side, then the detected protocol's dissector,
 * whose rows are made on the carrying connection. A WebSocket's ports say nothing about what it
 * carries (no port hints); an SCTP association's ports do. A stream no detector recognises
 * within {@link StreamStart#MAX_DETECTION_BYTES} per side is left alone.
 */
final class TunnelStream
        implements StreamDissector
{
    private final ProtocolRegistry registry;
    private final DissectorGuard guard;
    private final DissectionContext context;
    private final Consumer<String> onProtocol;
    private final int serverPort;
    private final int clientPort;
    /** The first bytes while they are being detected; null once bound or given up. */
    private StreamStart start = new StreamStart();
    private StreamDissector dissector;

    TunnelStream(ProtocolRegistry registry, DissectorGuard guard, DissectionContext context, Consumer<String> onProtocol)
    {
        this(registry, guard, context, onProtocol, 0, 0);
    }

    /** A stream whose carrier's ports are hints of what it is (0: none). */
    TunnelStream(ProtocolRegistry registry, DissectorGuard guard, DissectionContext context, Consumer<String> onProtocol, int serverPort, int clientPort)
    {
        this.registry = registry;
        this.guard = guard;
        this.context = context;
        this.onProtocol = onProtocol;
        this.serverPort = serverPort;
        this.clientPort = clientPort;
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
        switch (start.offer(registry.candidates(Transport.TCP, serverPort, clientPort), guard, context, fromClient, data, offset, length, timestampMicros, serverPort)) {
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
