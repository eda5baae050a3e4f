package io.wirelake.dissect.protocol;

/**
 * Recognises a protocol by content, with ports as hints, and makes its dissector. Registered in
 * {@link ProtocolRegistry}; detectors whose port hint matches are asked first, and a detector may
 * demand less evidence on its own ports (DNS over TCP on 53) than elsewhere.
 */
public interface ProtocolDetector
{
    String name();

    /** {@code DecodedPacket.TCP} or {@code DecodedPacket.UDP}. */
    int transport();

    boolean hintsPort(int port);

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
