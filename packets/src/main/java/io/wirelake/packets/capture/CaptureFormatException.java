package io.wirelake.packets.capture;

import java.io.IOException;

/** The input is not a capture file wirelake can read (as opposed to a readable file with damage). */
public class CaptureFormatException
        extends IOException
{
    public CaptureFormatException(String message)
    {
        super(message);
    }
}
