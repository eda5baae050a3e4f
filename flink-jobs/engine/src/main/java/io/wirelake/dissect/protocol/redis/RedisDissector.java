package io.wirelake.dissect.protocol.redis;

import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.Protocol;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.rows.Rows;
import org.apache.avro.generic.GenericData;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Redis commands paired with their replies in order (pipelining works by order, as in Redis);
 * MULTI/EXEC needs nothing special (each queued command gets +QUEUED, EXEC gets the results).
 * Pub/sub messages and RESP3 pushes come from the server unasked: each is a row of its own with
 * the message type in {@code redis_type} and the channel in {@code redis_key}. Subscription
 * confirmations answer SUBSCRIBE-family commands.
 * <p>
 * In RESP2 a message is an ordinary array ({@code [message, channel, payload]}), so its shape
 * alone says nothing: an LRANGE of a list that starts with "message", or COMMAND DOCS whose
 * first command is "subscribe" (Redis lists them in hash order), has it too. An array is read as
 * a message or a confirmation only where a reply cannot be: when the connection is subscribed
 * (RESP2 then allows only the SUBSCRIBE family, PING, QUIT and RESET), when a SUBSCRIBE-family
 * command waits for it, or when no command waits at all (a capture that began after the
 * SUBSCRIBE). Anywhere else it is the reply of the oldest waiting command.
 */
final class RedisDissector
        implements StreamDissector
{
    static final int MAX_PENDING_COMMANDS = 4096;
    static final int MAX_KEY_BYTES = 64;
    private static final Set<String> PUSHES = Set.of("message", "pmessage", "smessage");
    private static final Set<String> SUBSCRIPTIONS = Set.of("subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe");

    private record Command(RespValue value, long timestampMicros) {}

    private final DissectionContext context;
    private final TableSchema calls = TableSchema.of(Table.API_CALLS);
    private final Deque<Command> pending = new ArrayDeque<>();
    private final RespParser commands;
    private final RespParser replies;
    private long now;
    /** RESP2 subscribed mode: the last subscription confirmation counted subscriptions still active. */
    private boolean subscribed;
    /** Commands given up on when too many waited: their replies come first and answer no row. */
    private long evictedAwaitingReply;

    RedisDissector(DissectionContext context)
    {
        this.context = context;
        this.commands = new RespParser(true, this::command, context::anomaly);
        this.replies = new RespParser(false, this::reply, context::anomaly);
    }

    @Override
    public void data(boolean fromClient, byte[] data, int offset, int length, long timestampMicros)
    {
        now = timestampMicros;
        (fromClient ? commands : replies).data(data, offset, length);
    }

    @Override
    public void gap(boolean fromClient, long bytes, long timestampMicros)
    {
        (fromClient ? commands : replies).gap();
        if (!fromClient) {
            // Replies may have been lost: pairing by order can no longer be trusted.
            evictedAwaitingReply = 0;
            while (!pending.isEmpty()) {
                Command command = pending.pollFirst();
                emit(command.value(), command.timestampMicros(), null, 0);
            }
        }
    }

    @Override
    public void end(long timestampMicros)
    {
        while (!pending.isEmpty()) {
            Command command = pending.pollFirst();
            emit(command.value(), command.timestampMicros(), null, 0);
        }
    }

    private void command(RespValue value)
    {
        if (!value.isAggregate() || value.elements().isEmpty()) {
            context.anomaly("redis.command_not_an_array");
            return;
        }
        pending.addLast(new Command(value, now));
        if (pending.size() > MAX_PENDING_COMMANDS) {
            context.anomaly("redis.too_many_pending_commands");
            Command oldest = pending.pollFirst();
            emit(oldest.value(), oldest.timestampMicros(), null, 0);
            // Its reply is still to come, ahead of the others': it must not answer the next command.
            evictedAwaitingReply++;
        }
    }

    private void reply(RespValue value)
    {
        String kind = pushKind(value);
        boolean push = value.type() == '>';
        Command head = pending.peekFirst();
        boolean nothingWaits = head == null && evictedAwaitingReply == 0;
        if (SUBSCRIPTIONS.contains(kind)) {
            if (head != null && verb(head.value()).equalsIgnoreCase(kind)) {
                // One confirmation per channel: the first answers the SUBSCRIBE-family command.
                pending.pollFirst();
                subscription(value, push);
                emit(head.value(), head.timestampMicros(), value, now);
                return;
            }
            if (push || subscribed || nothingWaits) {
                // The confirmation of a further channel, or of a command before the capture began.
                subscription(value, push);
                return;
            }
        }
        else if (push || (PUSHES.contains(kind) && (subscribed || nothingWaits))) {
            emitPush(value, kind);
            return;
        }
        if (evictedAwaitingReply > 0) {
            evictedAwaitingReply--;
            return;
        }
        Command command = pending.pollFirst();
        if (command == null) {
            context.anomaly("redis.reply_without_command");
            emit(null, 0, value, now);
            return;
        }
        if (verb(command.value()).equalsIgnoreCase("RESET")) {
            // RESET leaves subscribed mode (and RESP3).
            subscribed = false;
        }
        emit(command.value(), command.timestampMicros(), value, now);
    }

    /**
     * A RESP2 confirmation's last element counts the subscriptions still active: subscribed mode
     * lasts while it is above zero. RESP3 has no such mode (its messages are pushes by type).
     */
    private void subscription(RespValue confirmation, boolean push)
    {
        if (push) {
            return;
        }
        List<RespValue> elements = confirmation.elements();
        RespValue count = elements.size() == 3 ? elements.get(2) : null;
        subscribed = count == null || count.type() != ':' || !count.text().equals("0");
    }

    private static String pushKind(RespValue value)
    {
        if ((value.type() == '*' || value.type() == '>') && !value.elements().isEmpty() && !value.elements().get(0).isAggregate()) {
            return value.elements().get(0).text().toLowerCase(Locale.ROOT);
        }
        return "";
    }

    private void emitPush(RespValue value, String kind)
    {
        GenericData.Record row = context.newCall(Protocols.REDIS, now);
        Rows rows = Rows.of(calls, row);
        rows.set(Columns.REDIS_TYPE, kind.toUpperCase(Locale.ROOT));
        List<RespValue> elements = value.elements();
        if (elements.size() > 1) {
            // message: [message, channel, payload]; pmessage: [pmessage, pattern, channel, payload]
            rows.set(Columns.REDIS_KEY, key(elements.get(kind.equals("pmessage") && elements.size() > 2 ? 2 : 1).text()));
        }
        rows.set(Columns.REDIS_REPLY, value.summary());
        rows.set(Columns.REDIS_RESPONSE_SIZE, value.wireSize());
        rows.set(Columns.REDIS_TOTAL_SIZE, value.wireSize());
        context.emit(row);
    }

    private void emit(RespValue command, long commandTime, RespValue reply, long replyTime)
    {
        GenericData.Record row = context.newCall(Protocols.REDIS, command != null ? commandTime : replyTime);
        Rows rows = Rows.of(calls, row);
        long requestSize = 0;
        if (command != null) {
            List<RespValue> words = command.elements();
            rows.set(Columns.REDIS_TYPE, verb(command).toUpperCase(Locale.ROOT));
            StringBuilder line = new StringBuilder();
            for (RespValue word : words) {
                if (line.length() > RespParser.MAX_TEXT) {
                    break;
                }
                line.append(line.length() == 0 ? "" : " ").append(word.text());
            }
            rows.set(Columns.REDIS_COMMAND, line.length() > RespParser.MAX_TEXT ? line.substring(0, RespParser.MAX_TEXT) : line.toString());
            if (words.size() > 1) {
                rows.set(Columns.REDIS_KEY, key(words.get(1).text()));
            }
            requestSize = command.wireSize();
        }
        long responseSize = 0;
        if (reply != null) {
            rows.set(Columns.REDIS_REPLY, reply.summary());
            if (reply.isError()) {
                rows.set(Columns.REDIS_ERROR, reply.text());
            }
            responseSize = reply.wireSize();
        }
        rows.set(Columns.REDIS_REQUEST_SIZE, requestSize);
        rows.set(Columns.REDIS_RESPONSE_SIZE, responseSize);
        rows.set(Columns.REDIS_TOTAL_SIZE, requestSize + responseSize);
        if (command != null && reply != null) {
            rows.set(Columns.ELAPSED_TIME, Math.max(0, replyTime - commandTime));
        }
        context.emit(row);
    }

    private static String verb(RespValue command)
    {
        return command.elements().isEmpty() ? "" : command.elements().get(0).text();
    }

    /** The key cut to 64 bytes of UTF-8, on a character boundary. */
    static String key(String text)
    {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_KEY_BYTES) {
            return text;
        }
        int length = MAX_KEY_BYTES;
        while (length > 0 && (bytes[length] & 0xC0) == 0x80) {
            length--;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
