package io.wirelake.dissect.protocol.amqp;

import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.dissect.protocol.DirectionalDissector;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.Protocol;
import io.wirelake.dissect.rows.Rows;
import org.apache.avro.generic.GenericData;

import java.util.HashMap;
import java.util.Map;

/**
 * AMQP 0-9-1 over TCP: the protocol header, then frames per direction (type, channel, size,
 * payload, frame-end). Each method is one row in the direction it went; a method that carries
 * content (basic.publish, basic.deliver, basic.get-ok, basic.return) is emitted once its content
 * header and body frames on that channel are in, with the body's size. Heartbeats are skipped.
 */
final class AmqpDissector
        extends DirectionalDissector
{
    static final Protocol AMQP = new Protocol("AMQP", Columns.AMQP);
    static final byte[] PROTOCOL_HEADER = {'A', 'M', 'Q', 'P'};
    /** The largest frame accepted (brokers default to 128 KiB; the protocol allows 4 GiB). */
    static final long MAX_FRAME = 16L << 20;
    /** Frame payload bytes kept (method arguments); body frames are counted, not kept. */
    static final int MAX_KEPT = 64 * 1024;
    /** A kept frame's first buffer. */
    static final int INITIAL_KEPT = 4 * 1024;

    private static final int METHOD = 1;
    private static final int CONTENT_HEADER = 2;
    private static final int BODY = 3;
    private static final int HEARTBEAT = 8;

    private final TableSchema calls = TableSchema.of(Table.API_CALLS);
    private final Side client = new Side(true);
    private final Side server = new Side(false);

    /** A content-carrying method waiting for its content on a channel. */
    private static final class Pending
    {
        final String method;
        final String summary;
        final long time;
        long length;
        long bodySize = -1;
        long bodyReceived;

        Pending(String method, String summary, long time, long length)
        {
            this.method = method;
            this.summary = summary;
            this.time = time;
            this.length = length;
        }
    }

    private final class Side
            extends Direction
    {
        final boolean fromClient;
        int headerLeft;
        final byte[] frameHeader = new byte[7];
        int frameHeaderFill;
        int type;
        int channel;
        long size;
        long payloadRead;
        byte[] kept;
        int keptFill;
        boolean expectEnd;
        long frameTime;
        final Map<Integer, Pending> content = new HashMap<>();

        Side(boolean fromClient)
        {
            this.fromClient = fromClient;
        }

        @Override
        protected void read(byte[] data, int offset, int length, long timestamp)
        {
            int at = offset;
            int end = offset + length;
            while (at < end && !lost()) {
                if (headerLeft > 0) {
                    at++;
                    headerLeft--;
                    continue;
                }
                if (expectEnd) {
                    if ((data[at++] & 0xFF) != 0xCE) {
                        context.anomaly("amqp.bad_frame_end");
                        lose();
                        return;
                    }
                    expectEnd = false;
                    frame();
                    continue;
                }
                if (frameHeaderFill < 7) {
                    if (frameHeaderFill == 0) {
                        frameTime = timestamp;
                        if (data[at] == 'A') {
                            // a protocol header (the client's, or a server's refusal of the version)
                            headerLeft = 8;
                            continue;
                        }
                    }
                    frameHeader[frameHeaderFill++] = data[at++];
                    if (frameHeaderFill == 7) {
                        type = frameHeader[0] & 0xFF;
                        channel = ((frameHeader[1] & 0xFF) << 8) | (frameHeader[2] & 0xFF);
                        size = ((frameHeader[3] & 0xFFL) << 24) | ((frameHeader[4] & 0xFF) << 16) | ((frameHeader[5] & 0xFF) << 8) | (frameHeader[6] & 0xFF);
                        if (type < 1 || type > 8 || size > MAX_FRAME) {
                            context.anomaly("amqp.bad_frame");
                            lose();
                            return;
                        }
                        payloadRead = 0;
                        // grown as bytes arrive (a forged size costs nothing until they come), up to what a frame keeps
                        kept = type == BODY ? null : new byte[(int) Math.min(size, INITIAL_KEPT)];
                        keptFill = 0;
                        if (size == 0) {
                            expectEnd = true;
                        }
                    }
                    continue;
                }
                int take = (int) Math.min(end - at, size - payloadRead);
                if (kept != null) {
                    int keep = (int) Math.min(take, Math.min(size, MAX_KEPT) - keptFill);
                    if (keptFill + keep > kept.length) {
                        kept = java.util.Arrays.copyOf(kept, (int) Math.min(Math.min(size, MAX_KEPT), Math.max(kept.length * 2L, keptFill + keep)));
                    }
                    System.arraycopy(data, at, kept, keptFill, keep);
                    keptFill += keep;
                }
                at += take;
                payloadRead += take;
                if (payloadRead == size) {
                    expectEnd = true;
                }
            }
        }

        private void frame()
        {
            frameHeaderFill = 0;
            long frameLength = 8 + size;
            switch (type) {
                case METHOD -> {
                    if (keptFill < 4) {
                        context.anomaly("amqp.short_method");
                        return;
                    }
                    int classId = ((kept[0] & 0xFF) << 8) | (kept[1] & 0xFF);
                    int methodId = ((kept[2] & 0xFF) << 8) | (kept[3] & 0xFF);
                    Pending waiting = content.remove(channel);
                    if (waiting != null) {
                        context.anomaly("amqp.content_cut_short");
                        emit(fromClient, waiting);
                    }
                    Pending method = new Pending(AmqpMethods.name(classId, methodId), AmqpMethods.summary(classId, methodId, kept, 4, keptFill), frameTime, frameLength);
                    if (AmqpMethods.hasContent(classId, methodId)) {
                        content.put(channel, method);
                    }
                    else {
                        emit(fromClient, method);
                    }
                }
                case CONTENT_HEADER -> {
                    Pending waiting = content.get(channel);
                    if (waiting == null) {
                        context.anomaly("amqp.unexpected_content");
                        return;
                    }
                    waiting.length += frameLength;
                    if (keptFill >= 12) {
                        long bodySize = 0;
                        for (int i = 4; i < 12; i++) {
                            bodySize = (bodySize << 8) | (kept[i] & 0xFF);
                        }
                        waiting.bodySize = bodySize;
                    }
                    if (waiting.bodySize == 0) {
                        emit(fromClient, content.remove(channel));
                    }
                }
                case BODY -> {
                    Pending waiting = content.get(channel);
                    if (waiting == null) {
                        context.anomaly("amqp.unexpected_content");
                        return;
                    }
                    waiting.length += frameLength;
                    waiting.bodyReceived += size;
                    if (waiting.bodySize >= 0 && waiting.bodyReceived >= waiting.bodySize) {
                        emit(fromClient, content.remove(channel));
                    }
                }
                case HEARTBEAT -> {
                }
                default -> context.anomaly("amqp.unknown_frame_type");
            }
        }
    }

    AmqpDissector(DissectionContext context)
    {
        super(context, "amqp");
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
            for (Pending waiting : direction.content.values()) {
                context.anomaly("amqp.content_cut_short");
                emit(direction.fromClient, waiting);
            }
            direction.content.clear();
        }
    }

    private void emit(boolean fromClient, Pending method)
    {
        GenericData.Record row = context.newCall(AMQP, method.time);
        Rows rows = Rows.of(calls, row);
        rows.set(Columns.AMQP_METHOD, method.method);
        String summary = method.summary;
        if (method.bodySize >= 0) {
            summary = (summary.isEmpty() ? "" : summary + " ") + "body=" + method.bodySize;
        }
        rows.set(Columns.AMQP_SUMMARY, summary);
        rows.set(Columns.AMQP_REQUEST, fromClient);
        rows.set(Columns.AMQP_RESPONSE, !fromClient);
        rows.set(fromClient ? Columns.AMQP_REQUEST_LENGTH : Columns.AMQP_RESPONSE_LENGTH, method.length);
        rows.set(Columns.AMQP_TOTAL_SIZE, method.length);
        context.emit(row);
    }
}
