package io.wirelake.dissect.flow;

import io.wirelake.columns.Columns;
import io.wirelake.dissect.protocol.Protocol;

/** The transport-level "protocols" of rows for traffic no L7 dissector claimed, and their names. */
final class TransportProtocols
{
    static final Protocol TCP = new Protocol("TCP", Columns.TCP);
    static final Protocol UDP = new Protocol("UDP", Columns.UDP);
    static final Protocol ICMP = new Protocol("ICMP", Columns.ICMP);
    static final Protocol SCTP = new Protocol("SCTP", Columns.SCTP);

    /** The longest command word {@link #textCommand} reports. */
    static final int MAX_COMMAND = 32;

    private TransportProtocols() {}

    /**
     * The command word that opens a text protocol's first client payload ({@code EHLO}, {@code
     * USER}, {@code get}, {@code PING}): up to {@value #MAX_COMMAND} letters, digits, '_', '-' or
     * '.', the first a letter, ended by a space, tab, CR or LF, or by the payload. "" for anything
     * else, binary payloads included.
     */
    static String textCommand(byte[] payload)
    {
        if (payload == null || payload.length == 0 || !letter(payload[0])) {
            return "";
        }
        int end = 1;
        while (end < payload.length && end <= MAX_COMMAND && commandByte(payload[end])) {
            end++;
        }
        if (end > MAX_COMMAND) {
            return "";
        }
        if (end < payload.length && payload[end] != ' ' && payload[end] != '\t' && payload[end] != '\r' && payload[end] != '\n') {
            return "";
        }
        return new String(payload, 0, end, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static boolean commandByte(byte value)
    {
        return letter(value) || (value >= '0' && value <= '9') || value == '_' || value == '-' || value == '.';
    }

    private static boolean letter(byte value)
    {
        return (value >= 'a' && value <= 'z') || (value >= 'A' && value <= 'Z');
    }

    /** SCTP chunk type names (RFC 9260 section 3.2). */
    static String sctpChunkName(int type)
    {
        return switch (type) {
            case 0 -> "DATA";
            case 1 -> "INIT";
            case 2 -> "INIT_ACK";
            case 3 -> "SACK";
            case 4 -> "HEARTBEAT";
            case 5 -> "HEARTBEAT_ACK";
            case 6 -> "ABORT";
            case 7 -> "SHUTDOWN";
            case 8 -> "SHUTDOWN_ACK";
            case 9 -> "ERROR";
            case 10 -> "COOKIE_ECHO";
            case 11 -> "COOKIE_ACK";
            case 14 -> "SHUTDOWN_COMPLETE";
            default -> "TYPE_" + type;
        };
    }
}
