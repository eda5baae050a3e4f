package io.wirelake.dissect.protocol.websocket;

import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.dissect.protocol.DirectionalDissector;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.Protocol;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.rows.Rows;
import org.apache.avro.generic.GenericData;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * WebSocket frames (RFC 6455) after the HTTP/1.1 upgrade: per direction, frame headers with 7-,
 * 16- and 64-bit lengths, client masking, fragmented messages reassembled (control frames may
 * come between fragments), and permessage-deflate (RFC 7692: RSV1 on a message's first frame;
 * each direction's window carried across messages). Each message, data or control, is one row
 * in the direction it went. The data messages of each direction, in order, are also a stream of
 * their own that is dissected if its content is recognised (HTTP tunnelled by wstunnel).
 */
final class WebSocketDissector
        extends DirectionalDissector
{
    static final Protocol WEBSOCKET = new Protocol("WebSocket", Columns.WS);
    /** Payload kept per message for the row (decompressed); the length column counts all of it. */
    static final int MAX_KEPT_PAYLOAD = 64 * 1024;
    /** A data message's first bytes kept for the row, the tunnel and inflation (compressed messages inflate to more). */
    static final int MAX_KEPT_MESSAGE = MAX_KEPT_PAYLOAD * 4;
    /** RFC 6455 §5.5: a control frame's payload is at most 125 bytes (more is an anomaly, and cut). */
    static final int MAX_CONTROL_PAYLOAD = 125;
    private static final byte[] EMPTY = new byte[0];
    /** RFC 7692 §7.2.2: the tail each compressed message had removed, put back before inflating. */
    private static final byte[] DEFLATE_TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    /** A frame longer than this (2^63 is the protocol's bound) means the framing is lost. */
    static final long MAX_FRAME_LENGTH = 1L << 40;
    /** A compressed message inflating past this is an anomaly (a decompression bomb), and its direction's window is lost. */
    static final long MAX_INFLATED = 64L << 20;

    private final TableSchema calls = TableSchema.of(Table.API_CALLS);
    private final Side client = new Side(true);
    private final Side server = new Side(false);

    private final class Side
            extends Direction
    {
        final boolean fromClient;
        final byte[] header = new byte[14];
        int headerFill;
        int headerNeeded = 2;
        boolean fin;
        boolean rsv1;
        int opcode;
        boolean masked;
        final byte[] mask = new byte[4];
        long length;
        long payloadRead;
        long frameTime;
        // the data message being assembled: its first bytes, unmasked, in a buffer that grows as they arrive
        int messageOpcode = -1;
        boolean messageCompressed;
        long messageLength;
        long messageTime;
        byte[] message = EMPTY;
        int messageFill;
        // the control frame being read
        final byte[] control = new byte[MAX_CONTROL_PAYLOAD];
        int controlFill;
        Inflater inflater;
        byte[] inflated;
        boolean inflatedCut;

        Side(boolean fromClient)
        {
            this.fromClient = fromClient;
        }

        @Override
        protected void read(byte[] data, int offset, int count, long timestamp)
        {
            int at = offset;
            int end = offset + count;
            while (at < end && !lost()) {
                if (headerFill < headerNeeded) {
                    if (headerFill == 0) {
                        frameTime = timestamp;
                    }
                    header[headerFill++] = data[at++];
                    if (headerFill == 2) {
                        int lengthCode = header[1] & 0x7F;
                        headerNeeded = 2 + (lengthCode == 126 ? 2 : lengthCode == 127 ? 8 : 0) + ((header[1] & 0x80) != 0 ? 4 : 0);
                    }
                    if (headerFill == headerNeeded) {
                        frameHeader();
                    }
                    continue;
                }
                int take = (int) Math.min(end - at, length - payloadRead);
                payload(data, at, take);
                at += take;
                payloadRead += take;
                if (payloadRead == length) {
                    frameEnd();
                }
            }
        }

        private void frameHeader()
        {
            fin = (header[0] & 0x80) != 0;
            rsv1 = (header[0] & 0x40) != 0;
            opcode = header[0] & 0x0F;
            masked = (header[1] & 0x80) != 0;
            int lengthCode = header[1] & 0x7F;
            int at = 2;
            if (lengthCode == 126) {
                length = ((header[2] & 0xFF) << 8) | (header[3] & 0xFF);
                at = 4;
            }
            else if (lengthCode == 127) {
                length = 0;
                for (int i = 2; i < 10; i++) {
                    length = (length << 8) | (header[i] & 0xFF);
                }
                at = 10;
            }
            else {
                length = lengthCode;
            }
            if (masked) {
                System.arraycopy(header, at, mask, 0, 4);
            }
            if (length < 0 || length > MAX_FRAME_LENGTH || (opcode >= 3 && opcode <= 7) || opcode >= 11) {
                context.anomaly("websocket.bad_frame");
                lose();
                return;
            }
            if (opcode >= 8 && (length > 125 || !fin)) {
                context.anomaly("websocket.bad_control_frame");
            }
            if (fromClient != masked) {
                context.anomaly(fromClient ? "websocket.unmasked_client_frame" : "websocket.masked_server_frame");
            }
            payloadRead = 0;
            if (opcode >= 8) {
                controlFill = 0;
            }
            else if (opcode == 0) {
                if (messageOpcode < 0) {
                    context.anomaly("websocket.continuation_without_start");
                    messageOpcode = 2;
                    messageTime = frameTime;
                }
            }
            else {
                if (messageOpcode >= 0) {
                    context.anomaly("websocket.message_interrupted");
                    emitMessage();
                }
                messageOpcode = opcode;
                messageCompressed = rsv1;
                messageTime = frameTime;
            }
            if (length == 0) {
                frameEnd();
            }
        }

        private void payload(byte[] data, int offset, int count)
        {
            if (opcode >= 8) {
                int keep = Math.min(count, control.length - controlFill);
                unmask(data, offset, keep, control, controlFill);
                controlFill += keep;
                return;
            }
            messageLength += count;
            int keep = Math.min(count, MAX_KEPT_MESSAGE - messageFill);
            if (keep > 0) {
                if (messageFill + keep > message.length) {
                    // Room grows with the bytes that came, never from the frame's length field: a header
                    // announcing 2^40 bytes costs nothing until they arrive. Doubling keeps copies few;
                    // the frame's own remaining length caps it, so a message of exact size is not padded.
                    long frameLeft = length - payloadRead;
                    long room = Math.max(messageFill + keep, Math.min((long) message.length * 2, messageFill + frameLeft));
                    message = java.util.Arrays.copyOf(message, (int) Math.min(room, MAX_KEPT_MESSAGE));
                }
                unmask(data, offset, keep, message, messageFill);
                messageFill += keep;
            }
        }

        /** Copies payload bytes, unmasking them (RFC 6455 §5.3) on the way: the one copy a payload byte gets. */
        private void unmask(byte[] data, int offset, int count, byte[] target, int at)
        {
            if (!masked) {
                System.arraycopy(data, offset, target, at, count);
                return;
            }
            int phase = (int) (payloadRead & 3);
            byte[] key = mask;
            for (int index = 0; index < count; index++) {
                target[at + index] = (byte) (data[offset + index] ^ key[(phase + index) & 3]);
            }
        }

        private void frameEnd()
        {
            headerFill = 0;
            headerNeeded = 2;
            if (opcode >= 8) {
                emit(fromClient, opcode, java.util.Arrays.copyOf(control, controlFill), length, frameTime);
                return;
            }
            if (fin && messageOpcode >= 0) {
                emitMessage();
            }
        }

        private void emitMessage()
        {
            byte[] payload = messageFill == message.length ? message : java.util.Arrays.copyOf(message, messageFill);
            // bytes of the message's (decompressed) payload not kept: -1 when unknown
            long missing = messageLength - payload.length;
            if (messageCompressed) {
                payload = inflate(payload);
                missing = missing > 0 || inflatedCut ? -1 : 0;
            }
            emit(fromClient, messageOpcode, payload, messageLength, messageTime);
            tunnel(fromClient, payload, missing, messageTime);
            message = EMPTY;
            messageFill = 0;
            messageOpcode = -1;
            messageLength = 0;
        }

        /**
         * permessage-deflate: the message plus 00 00 FF FF, through this direction's inflater; the
         * first {@link #MAX_KEPT_PAYLOAD} bytes kept, the rest inflated and dropped, since the
         * next message's window needs it (up to {@link #MAX_INFLATED}).
         */
        private byte[] inflate(byte[] compressed)
        {
            if (inflater == null) {
                inflater = new Inflater(true);
            }
            if (inflated == null) {
                inflated = new byte[8192];
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream(Math.min(compressed.length * 3, MAX_KEPT_PAYLOAD));
            long total = 0;
            inflatedCut = false;
            try {
                // the message, then its tail: as one input, without joining them into a new array
                for (byte[] input : new byte[][] {compressed, DEFLATE_TAIL}) {
                    inflater.setInput(input);
                    while (true) {
                        int count = inflater.inflate(inflated);
                        if (count == 0) {
                            break;
                        }
                        total += count;
                        int keep = Math.min(count, MAX_KEPT_PAYLOAD - output.size());
                        if (keep > 0) {
                            output.write(inflated, 0, keep);
                        }
                        inflatedCut |= keep < count;
                        if (total > MAX_INFLATED) {
                            throw new DataFormatException("message inflates past " + MAX_INFLATED);
                        }
                    }
                }
            }
            catch (DataFormatException e) {
                context.anomaly("websocket.bad_deflate");
                inflater.end();
                inflater = null;
                inflatedCut = true;
                return compressed;
            }
            return output.toByteArray();
        }
    }

    /** What the messages carry (HTTP through wstunnel, say), dissected as a connection of its own; null until asked for. */
    private StreamDissector tunnel;
    private boolean tunnelAsked;

    WebSocketDissector(DissectionContext context)
    {
        super(context, "websocket");
    }

    /** A data message's payload goes on to the tunnel; {@code missing} bytes of it were not kept (-1: an unknown number). */
    private void tunnel(boolean fromClient, byte[] payload, long missing, long time)
    {
        if (!tunnelAsked) {
            tunnelAsked = true;
            tunnel = context.tunnel("websocket");
        }
        if (tunnel == null) {
            return;
        }
        tunnel.data(fromClient, payload, 0, payload.length, time);
        if (missing != 0) {
            tunnel.gap(fromClient, Math.max(missing, 1), time);
        }
    }

    @Override
    protected Direction direction(boolean fromClient)
    {
        return fromClient ? client : server;
    }

    @Override
    public void end(long timestampMicros)
    {
        for (Side direction : new Side[] {client, server}) {
            if (direction.messageOpcode >= 0 && direction.messageLength > 0) {
                context.anomaly("websocket.message_not_finished");
                direction.emitMessage();
            }
            if (direction.inflater != null) {
                direction.inflater.end();
            }
        }
        if (tunnel != null) {
            tunnel.end(timestampMicros);
        }
    }

    private void emit(boolean fromClient, int opcode, byte[] payload, long length, long time)
    {
        GenericData.Record row = context.newCall(WEBSOCKET, time);
        Rows rows = Rows.of(calls, row);
        rows.set(Columns.WS_OPCODE, switch (opcode) {
            case 1 -> "text";
            case 2 -> "binary";
            case 8 -> "close";
            case 9 -> "ping";
            case 10 -> "pong";
            default -> "continuation";
        });
        rows.set(Columns.WS_REQUEST, fromClient);
        rows.set(Columns.WS_RESPONSE, !fromClient);
        byte[] kept = payload.length > context.bodyCap() ? java.util.Arrays.copyOf(payload, context.bodyCap()) : payload;
        if (fromClient) {
            rows.set(Columns.WS_REQUEST_PAYLOAD_LENGTH, length);
            rows.set(Columns.WS_REQUEST_PAYLOAD_DATA, text(opcode, kept));
            rows.set(Columns.REQUEST_BODY, kept);
        }
        else {
            rows.set(Columns.WS_RESPONSE_PAYLOAD_LENGTH, length);
            rows.set(Columns.RESPONSE_BODY, kept);
        }
        context.emit(row);
    }

    /** Text and close reasons as text; binary payloads as hex (the column is a string). */
    private static String text(int opcode, byte[] payload)
    {
        if (opcode == 2) {
            return java.util.HexFormat.of().formatHex(payload, 0, Math.min(payload.length, 512));
        }
        if (opcode == 8 && payload.length >= 2) {
            int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
            return code + (payload.length > 2 ? " " + new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "");
        }
        return new String(payload, StandardCharsets.UTF_8);
    }
}
