package io.wirelake.dissect.protocol;

import java.util.Set;

/**
 * Recognises a protocol by content, with ports as hints, and makes its dissector. Registered in
 * {@link ProtocolRegistry}; detectors whose port hint matches are asked first, and a detector may
 * demand less evidence on its own ports (DNS over TCP on 53) than elsewhere.
 */
public interface ProtocolDetector
{
    String name();

    /** {@link Transport#TCP} (a stream protocol) or {@link Transport#UDP} (a datagram protocol). */
    Transport transport();

    boolean hintsPort(int port);

    /**
     * The tokens of an HTTP {@code Upgrade} (RFC 9110 section 7.8), in lower case, that switch a
     * connection to this protocol ({@code websocket}, {@code h2c}): after the 101 the connection's
     * bytes go to this protocol's stream dissector.
     */
    default Set<String> upgradeTokens()
    {
        return Set.of();
    }

    /**
     * The SCTP payload protocol identifiers (RFC 9260 section 3.3.1, IANA's registry) of this
     * protocol's messages: an SCTP association's messages with one of them, or with the
     * unspecified identifier 0 on a port this detector hints, go to its stream dissector, each
     * message whole.
     */
    default Set<Long> sctpPayloadProtocols()
    {
        return Set.of();
    }

    /**
     * Looks at the first bytes one side sent. {@code fromClient} says which side; {@code serverPort}
     * is the responder's port.
     */
    Detection detect(boolean fromClient, byte[] data, int offset, int length, int serverPort);

    default StreamDissector newStreamDissector(DissectionContext context)
    {
        throw new UnsupportedOperationException(name() + " is not a stream protocol");
    }

    default DatagramDissector newDatagramDissector(DissectionContext context)
    {
        throw new UnsupportedOperationException(name() + " is not a datagram protocol");
    }
}
