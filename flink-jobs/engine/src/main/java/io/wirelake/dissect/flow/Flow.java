package io.wirelake.dissect.flow;

import io.wirelake.dissect.protocol.DatagramDissector;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.packets.decode.Addresses;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One connection or flow: its endpoints (client = the side that opened it), counters, TCP state
 * and the dissector bound to it. Mutable and owned by one {@link FlowTracker}.
 */
final class Flow
{
    // identity
    final int transport;
    final int ipVersion;
    final long clientHigh;
    final long clientLow;
    final int clientPort;
    final long serverHigh;
    final long serverLow;
    final int serverPort;
    final int hash;
    final long id;
    final long groupId;
    Flow nextInBucket;
    private String clientAddress;
    private String serverAddress;

    // counters
    final long firstSeen;
    long lastSeen;
    long clientPackets;
    long clientBytes;
    long clientPayloadBytes;
    long serverPackets;
    long serverBytes;
    long serverPayloadBytes;

    // TCP
    final boolean midstream;
    TcpStream clientStream;
    TcpStream serverStream;
    long synTime = -1;
    long synSequence = -1;
    long synAckTime = -1;
    long handshakeRtt;
    boolean established;
    boolean clientFin;
    boolean serverFin;
    boolean reset;
    long closedAt = -1;
    long finCount;
    long resetCount;
    TcpInsights insights;

    // L7
    boolean detecting;
    /** Another node's capture holds the copy of this flow that is kept (cross-node de-duplication). */
    boolean duplicate;
    int detectionAttempts;
    List<Chunk> detectionChunks;
    StreamDissector streamDissector;
    DatagramDissector datagramDissector;
    SctpReassembler sctp;
    /** The dissector of an SCTP association's messages (Diameter), fed whole messages. */
    StreamDissector sctpDissector;
    final Set<String> l7Protocols = new LinkedHashSet<>(2);
    List<String> anomalies;
    long callIndex;

    // What rows of unclaimed traffic report: the first payload, first ICMP message, first SCTP chunk.
    byte[] firstPayload;
    int firstUdpLength = -1;
    int firstUdpChecksum;
    int firstIcmpType = -1;
    int firstIcmpCode;
    int firstIcmpLength;
    int firstSctpChunkType = -1;
    int firstSctpChunkLength;
    int firstSctpChecksum;

    record Chunk(boolean fromClient, byte[] data, long timestampMicros) {}

    Flow(int transport, int ipVersion, long clientHigh, long clientLow, int clientPort, long serverHigh, long serverLow, int serverPort,
            int hash, long id, long groupId, long firstSeen, boolean midstream)
    {
        this.transport = transport;
        this.ipVersion = ipVersion;
        this.clientHigh = clientHigh;
        this.clientLow = clientLow;
        this.clientPort = clientPort;
        this.serverHigh = serverHigh;
        this.serverLow = serverLow;
        this.serverPort = serverPort;
        this.hash = hash;
        this.id = id;
        this.groupId = groupId;
        this.firstSeen = firstSeen;
        this.lastSeen = firstSeen;
        this.midstream = midstream;
    }

    /** +1 when the packet goes client to server, -1 when server to client, 0 when it is another flow's. */
    int direction(int transport, long sourceHigh, long sourceLow, int sourcePort, long destinationHigh, long destinationLow, int destinationPort)
    {
        if (transport != this.transport) {
            return 0;
        }
        if (sourcePort == clientPort && destinationPort == serverPort && sourceLow == clientLow && destinationLow == serverLow
                && sourceHigh == clientHigh && destinationHigh == serverHigh) {
            return 1;
        }
        if (sourcePort == serverPort && destinationPort == clientPort && sourceLow == serverLow && destinationLow == clientLow
                && sourceHigh == serverHigh && destinationHigh == clientHigh) {
            return -1;
        }
        return 0;
    }

    String clientAddress()
    {
        if (clientAddress == null) {
            clientAddress = Addresses.format(clientHigh, clientLow);
        }
        return clientAddress;
    }

    String serverAddress()
    {
        if (serverAddress == null) {
            serverAddress = Addresses.format(serverHigh, serverLow);
        }
        return serverAddress;
    }

    boolean closed()
    {
        return closedAt >= 0;
    }

    void anomaly(String name)
    {
        if (anomalies == null) {
            anomalies = new ArrayList<>(2);
        }
        if (!anomalies.contains(name) && anomalies.size() < 32) {
            anomalies.add(name);
        }
    }

    /** Kubeshark's states: in_progress until the handshake completes, open while it lasts, closed after FIN both ways or RST. */
    String state(long captureEnd, long idleMicros)
    {
        if (transport == io.wirelake.packets.decode.DecodedPacket.TCP) {
            if (closed()) {
                return "closed";
            }
            if (!established && !midstream) {
                return "in_progress";
            }
            return "open";
        }
        return captureEnd - lastSeen > idleMicros ? "closed" : "open";
    }
}
