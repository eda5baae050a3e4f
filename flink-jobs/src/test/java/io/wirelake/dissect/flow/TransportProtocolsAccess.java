package io.wirelake.dissect.flow;

/** Test access to the ICMP name table. */
public final class TransportProtocolsAccess
{
    private TransportProtocolsAccess() {}

    public static String icmpTypeName(int ipVersion, int type, int code)
    {
        return TransportProtocols.icmpTypeName(ipVersion, type, code);
    }
}
