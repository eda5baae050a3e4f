package io.wirelake.dissect.protocol.diameter;

/** Test access to the command name table. */
public final class DiameterNamesAccess
{
    private DiameterNamesAccess() {}

    public static String commandName(int code)
    {
        return DiameterMessage.commandName(code);
    }
}
