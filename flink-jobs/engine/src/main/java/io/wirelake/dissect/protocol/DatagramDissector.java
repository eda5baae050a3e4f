package io.wirelake.dissect.protocol;

/** Dissects the datagrams of one UDP flow (a flow keeps request/response pairing state). */
public interface DatagramDissector
{
    void datagram(boolean fromClient, byte[] data, int offset, int length, int wireLength, long timestampMicros);

    void end(long timestampMicros);
}
