package io.wirelake.dissect.flow;

/** Test access to the text-command reader. */
public final class TransportProtocolsAccess
{
    private TransportProtocolsAccess() {}

    public static String textCommand(byte[] payload)
    {
        return TransportProtocols.textCommand(payload);
    }
}
