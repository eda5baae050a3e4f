package io.wirelake.dissect.protocol;

import io.wirelake.packets.decode.DecodedPacket;

/**
 * The transport of a flow, from the IP header's protocol number: what a flow is tracked by and
 * what its rows say. Every switch on it names each transport, so a transport added here is
 * handled everywhere or does not compile.
 */
public enum Transport
{
    TCP("TCP"),
    UDP("UDP"),
    SCTP("SCTP"),
    ICMP("ICMP"),
    ICMPV6("ICMP"),
    /** Any other IP protocol (GRE, ESP, ...): tracked as a flow, never dissected. */
    OTHER("IP");

    private final String displayName;

    Transport(String displayName)
    {
        this.displayName = displayName;
    }

    public static Transport of(int ipProtocol)
    {
        return switch (ipProtocol) {
            case DecodedPacket.TCP -> TCP;
            case DecodedPacket.UDP -> UDP;
            case DecodedPacket.SCTP -> SCTP;
            case DecodedPacket.ICMP -> ICMP;
            case DecodedPacket.ICMPV6 -> ICMPV6;
            default -> OTHER;
        };
    }

    /** The {@code protocol} column of a row that no dissector made, and the name in the report's {@code flows.<name>}. */
    public String displayName()
    {
        return displayName;
    }
}
