package io.wirelake.dissect.flow;

/** Test access to the ICMP name table and the text-command reader. */
public final class TransportProtocolsAccess
{
    private TransportProtocolsAccess() {}

    public static String icmpTypeName(int ipVersion, int type, int code)
    {
        return TransportProtocols.icmpTypeName(ipVersion, type, code);
    }

    public static String textCommand(byte[] payload)
    {
        return TransportProtocols.textCommand(payload);
    }
}
