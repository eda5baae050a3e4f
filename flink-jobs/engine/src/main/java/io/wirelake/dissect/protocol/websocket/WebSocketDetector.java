package io.wirelake.dissect.protocol.websocket;

import io.wirelake.dissect.protocol.Detection;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.PortHintedDetector;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.protocol.Transport;

import java.util.Set;

/**
 * WebSocket is reached through the HTTP/1 dissector's protocol switch (an {@code Upgrade:
 * websocket} answered by 101); frames alone are too weak a signal to claim a connection on.
 */
public final class WebSocketDetector
        extends PortHintedDetector
{
    public static final String NAME = "WebSocket";

    public WebSocketDetector()
    {
        super(NAME, Transport.TCP, Set.of());
    }

    @Override
    public Set<String> upgradeTokens()
    {
        return Set.of("websocket");
    }

    @Override
    public Detection detect(boolean fromClient, byte[] data, int offset, int length, int serverPort)
    {
        return Detection.NO_MATCH;
    }

    @Override
    public StreamDissector newStreamDissector(DissectionContext context)
    {
        return new WebSocketDissector(context);
    }
}
