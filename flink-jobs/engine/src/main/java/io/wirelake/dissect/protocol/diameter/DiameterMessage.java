package io.wirelake.dissect.protocol.diameter;

import java.nio.charset.StandardCharsets;

/**
 * One Diameter message (RFC 6733 section 3 and 4): header fields and the AVPs the rows use.
 * {@link #parse} checks every length and returns null for a malformed message.
 */
record DiameterMessage(boolean request, int commandCode, long applicationId, long hopByHop, long endToEnd, int length, long resultCode,
        String originHost, String sessionId)
{
    static final int HEADER = 20;

    static DiameterMessage parse(byte[] data, int offset, int length)
    {
        if (length < HEADER || data[offset] != 1) {
            return null;
        }
        int flags = data[offset + 4] & 0xFF;
        int command = u24(data, offset + 5);
        long application = u32(data, offset + 8);
        long hopByHop = u32(data, offset + 12);
        long endToEnd = u32(data, offset + 16);
        long resultCode = 0;
        String originHost = "";
        String sessionId = "";
        int at = offset + HEADER;
        int end = offset + length;
        while (at < end) {
            if (end - at < 8) {
                return null;
            }
            long code = u32(data, at);
            boolean vendor = (data[at + 4] & 0x80) != 0;
            int avpLength = u24(data, at + 5);
            int header = vendor ? 12 : 8;
            if (avpLength < header || at + avpLength > end) {
                return null;
            }
            int value = at + header;
            int valueLength = avpLength - header;
            if (!vendor) {
                if (code == 268 && valueLength == 4) {
                    resultCode = u32(data, value);
                }
                else if (code == 264 && originHost.isEmpty()) {
                    originHost = new String(data, value, valueLength, StandardCharsets.UTF_8);
                }
                else if (code == 263 && sessionId.isEmpty()) {
                    sessionId = new String(data, value, valueLength, StandardCharsets.UTF_8);
                }
            }
            at += (avpLength + 3) & ~3;
        }
        return new DiameterMessage((flags & 0x80) != 0, command, application, hopByHop, endToEnd, length, resultCode, originHost, sessionId);
    }

    static int u24(byte[] data, int offset)
    {
        return ((data[offset] & 0xFF) << 16) | ((data[offset + 1] & 0xFF) << 8) | (data[offset + 2] & 0xFF);
    }

    static long u32(byte[] data, int offset)
    {
        return ((long) (data[offset] & 0xFF) << 24) | ((data[offset + 1] & 0xFF) << 16) | ((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF);
    }

    /** Command names of RFC 6733, RFC 4006 and 3GPP TS 29.272/29.212. */
    static String commandName(int code)
    {
        return switch (code) {
            case 257 -> "Capabilities-Exchange";
            case 258 -> "Re-Auth";
            case 271 -> "Accounting";
            case 272 -> "Credit-Control";
            case 274 -> "Abort-Session";
            case 275 -> "Session-Termination";
            case 280 -> "Device-Watchdog";
            case 282 -> "Disconnect-Peer";
            case 316 -> "Update-Location";
            case 317 -> "Cancel-Location";
            case 318 -> "Authentication-Information";
            case 319 -> "Insert-Subscriber-Data";
            case 320 -> "Delete-Subscriber-Data";
            case 321 -> "Purge-UE";
            case 322 -> "Reset";
            case 323 -> "Notify";
            default -> "Command-" + code;
        };
    }

    static String applicationName(long id)
    {
        String name = switch ((int) id) {
            case 0 -> "Common";
            case 1 -> "NASREQ";
            case 3 -> "Base-Accounting";
            case 4 -> "Credit-Control";
            case 16777236 -> "3GPP-Rx";
            case 16777238 -> "3GPP-Gx";
            case 16777251 -> "3GPP-S6a";
            case 16777252 -> "3GPP-S13";
            default -> "Application";
        };
        return name + " (" + id + ")";
    }
}
