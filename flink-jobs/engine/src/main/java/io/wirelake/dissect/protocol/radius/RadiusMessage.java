package io.wirelake.dissect.protocol.radius;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * One RADIUS packet (RFC 2865 section 3, RFC 2866, RFC 5176): code, identifier, length,
 * authenticator, and the attributes the rows use. {@link #parse} checks every length and returns
 * null for anything that is not a well-formed RADIUS packet.
 */
record RadiusMessage(int code, int identifier, int length, String authenticator, String userName)
{
    static final int HEADER = 20;
    static final int MAX_LENGTH = 4096;

    static RadiusMessage parse(byte[] data, int offset, int available)
    {
        if (available < HEADER) {
            return null;
        }
        int code = data[offset] & 0xFF;
        int length = ((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF);
        if (codeName(code).startsWith("Code-") || length < HEADER || length > MAX_LENGTH || length > available) {
            return null;
        }
        String userName = "";
        int at = offset + HEADER;
        int end = offset + length;
        while (at < end) {
            if (end - at < 2) {
                return null;
            }
            int type = data[at] & 0xFF;
            int attributeLength = data[at + 1] & 0xFF;
            if (attributeLength < 2 || at + attributeLength > end) {
                return null;
            }
            if (type == 1 && userName.isEmpty()) {
                userName = new String(data, at + 2, attributeLength - 2, StandardCharsets.UTF_8);
            }
            at += attributeLength;
        }
        String authenticator = HexFormat.of().formatHex(data, offset + 4, offset + HEADER);
        return new RadiusMessage(code, data[offset + 1] & 0xFF, length, authenticator, userName);
    }

    boolean isRequest()
    {
        return switch (code) {
            case 1, 4, 12, 40, 43 -> true;
            default -> false;
        };
    }

    static String codeName(int code)
    {
        return switch (code) {
            case 1 -> "Access-Request";
            case 2 -> "Access-Accept";
            case 3 -> "Access-Reject";
            case 4 -> "Accounting-Request";
            case 5 -> "Accounting-Response";
            case 11 -> "Access-Challenge";
            case 12 -> "Status-Server";
            case 13 -> "Status-Client";
            case 40 -> "Disconnect-Request";
            case 41 -> "Disconnect-ACK";
            case 42 -> "Disconnect-NAK";
            case 43 -> "CoA-Request";
            case 44 -> "CoA-ACK";
            case 45 -> "CoA-NAK";
            default -> "Code-" + code;
        };
    }
}
