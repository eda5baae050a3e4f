package io.wirelake.dissect.flow;

import io.wirelake.dissect.protocol.Transport;
import io.wirelake.packets.decode.Addresses;

import java.util.ArrayList;
import java.util.List;

/**
 * One connection or flow: its endpoints (client = the side that opened it), its counters, and
 * its parts: the TCP connection state ({@link TcpConnection}, TCP only) and the protocol bound to
 * it ({@link ProtocolBinding}). Mutable and owned by one {@link FlowTracker}.
 */
final class Flow
{
    /** Distinct anomaly names kept per flow. */
    static final int MAX_ANOMALIES = 32;

    // identity
    /** The IP protocol number: with the endpoints, what packets are matched by. */
    final int ipProtocol;
    final Transport transport;
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
    /** Opened without a handshake seen (TCP picked up mid-connection). */
    final boolean midstream;
    Flow nextInBucket;
    // the flow's place in FlowAges: which queue (null: none), and its neighbours there
    Boolean queued;
    Flow older;
    Flow newer;
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

    /** Another node's capture holds the copy of this flow that is kept (cross-node de-duplication). */
    boolean duplicate;
    /** Started before this scan's time slice: an earlier slice makes its rows; tracked here only to know when it ends. */
    boolean foreign;
    /** From the flow's first TCP segment; null for other transports and for duplicates. */
    TcpConnection tcp;
    ProtocolBinding protocols;
    private List<String> anomalies;
    /** The {@code index} of the flow's next api_calls row. */
    long callIndex;

    /** What the row of unclaimed traffic reports: the first payload, UDP header, SCTP chunk. */
    final FirstMessage first = new FirstMessage();
    /** An ICMP flow's echo requests waiting for replies (null until the first echo). */
    IcmpMessages.Echoes echoes;
    /** ICMP errors that quote this flow's packets, and their names. */
    long icmpErrors;
    private List<String> icmpErrorTypes;

    static final class FirstMessage
    {
        byte[] payload;
        int udpLength = -1;
        int udpChecksum;
        int sctpChunkType = -1;
        int sctpChunkLength;
        int sctpChecksum;
    }

    Flow(int ipProtocol, int ipVersion, long clientHigh, long clientLow, int clientPort, long serverHigh, long serverLow, int serverPort,
            int hash, long id, long groupId, long firstSeen, boolean midstream)
    {
        this.ipProtocol = ipProtocol;
        this.transport = Transport.of(ipProtocol);
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
    int direction(int ipProtocol, long sourceHigh, long sourceLow, int sourcePort, long destinationHigh, long destinationLow, int destinationPort)
    {
        if (ipProtocol != this.ipProtocol) {
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

    /** A TCP connection from its first SYN on, with no handshake completed and no payload either way: what a SYN flood leaves. */
    boolean halfOpen()
    {
        return transport == Transport.TCP && !midstream && (tcp == null || !tcp.established()) && clientPayloadBytes + serverPayloadBytes == 0;
    }

    /** Closed by FIN both ways or by RST (TCP only). */
    boolean closed()
    {
        return tcp != null && tcp.closed();
    }

    void anomaly(String name)
    {
        if (anomalies == null) {
            anomalies = new ArrayList<>(2);
        }
        if (!anomalies.contains(name) && anomalies.size() < MAX_ANOMALIES) {
            anomalies.add(name);
        }
    }

    /** An ICMP error quoted one of this flow's packets. */
    void icmpError(String name, int maxNames)
    {
        icmpErrors++;
        if (icmpErrorTypes == null) {
            icmpErrorTypes = new ArrayList<>(1);
        }
        if (!icmpErrorTypes.contains(name) && icmpErrorTypes.size() < maxNames) {
            icmpErrorTypes.add(name);
        }
    }

    /** The names of the ICMP errors that quoted this flow's packets, in the order they first came; empty when none. */
    List<String> icmpErrorTypes()
    {
        return icmpErrorTypes == null ? List.of() : icmpErrorTypes;
    }

    /** The flow's anomalies in the order they first happened; empty when none. */
    List<String> anomalies()
    {
        return anomalies == null ? List.of() : anomalies;
    }

    /** Kubeshark's states: in_progress until the handshake completes, open while it lasts, closed after FIN both ways or RST. */
    String state(long captureEnd, long idleMicros)
    {
        return switch (transport) {
            case TCP -> {
                if (closed()) {
                    yield "closed";
                }
                if (!midstream && (tcp == null || !tcp.established())) {
                    yield "in_progress";
                }
                yield "open";
            }
            case UDP, SCTP, ICMP, ICMPV6, OTHER -> captureEnd - lastSeen > idleMicros ? "closed" : "open";
        };
    }
}
