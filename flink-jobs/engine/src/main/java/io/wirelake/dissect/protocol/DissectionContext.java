package io.wirelake.dissect.protocol;

import org.apache.avro.generic.GenericData;

/** What a dissector may do with the connection it dissects: make rows, emit them, report trouble. */
public interface DissectionContext
{
    /**
     * A new api_calls row with the connection's columns filled (addresses, ports, transport,
     * node, stream, ids, capture source), the protocol's display name and flag set, and the time.
     */
    GenericData.Record newCall(Protocol protocol, long timestampMicros);

    void emit(GenericData.Record row);

    /** A named anomaly: parsing goes on. Counted in the job report and listed on the flow. */
    void anomaly(String name);

    /** The largest body or payload a row keeps (bytes). */
    int bodyCap();

    /** Records an address-to-name resolution seen in a DNS answer (fills {@code src.dns}/{@code dst.dns}). */
    void resolved(String address, String name);

    /**
     * The one object of {@code type} shared by every connection of the scan (one node's
     * captures): what one connection teaches and another needs, such as Kafka's topic names by
     * id. Without a scan, a new object each call.
     */
    default <T> T scanState(Class<T> type, java.util.function.Supplier<T> create)
    {
        return create.get();
    }

    /**
     * A stream carried inside this connection ({@code carrier}'s messages, such as a WebSocket's),
     * dissected as a connection of its own: its protocol is detected from its content, and the
     * rows of what it carries are made on this connection. Null where tunnels are not followed.
     */
    default StreamDissector tunnel(String carrier)
    {
        return null;
    }

    /** The connection switched protocols (HTTP Upgrade, 101): bytes that follow go to {@code protocol}'s dissector if there is one. */
    void upgrade(String protocol, long timestampMicros);

    /** A switch asked for by an HTTP/1.1 request, which the new dissector is told about. */
    default void upgrade(String protocol, long timestampMicros, String method, String target, String host, long requestTimestampMicros)
    {
        upgrade(protocol, timestampMicros);
    }

    /** Bytes that followed the protocol switch in the same chunk: they go to the new protocol's dissector. */
    default void afterUpgrade(boolean fromClient, byte[] data, int offset, int length, long timestampMicros)
    {
    }
}
