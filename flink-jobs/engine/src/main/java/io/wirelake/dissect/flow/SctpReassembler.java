package io.wirelake.dissect.flow;

import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * SCTP user messages from DATA chunks (RFC 9260 section 3.3.1), per direction of an association:
 * chunks bundled in one packet are split, retransmitted chunks (a TSN already seen) dropped, and
 * fragments (B and E flags) joined per stream in TSN order. Complete messages go to the consumer
 * with their payload protocol identifier. Fragments that never complete are dropped at a limit.
 */
final class SctpReassembler
{
    /** TSNs remembered per direction to recognise retransmissions. */
    static final int REMEMBERED_TSNS = 4096;
    /** The largest message reassembled; beyond it the fragments are dropped. */
    static final int MAX_MESSAGE = 1 << 20;
    /** Streams of a direction with a message part-way at once (up to 65,536 could be, each up to {@link #MAX_MESSAGE}). */
    static final int MAX_PARTIAL_MESSAGES = 16;

    interface Consumer
    {
        void message(boolean fromClient, int streamId, long payloadProtocol, byte[] data, long timestampMicros);

        void anomaly(String name);
    }

    private static final class Direction
    {
        final Set<Long> seen = new HashSet<>();
        final ArrayDeque<Long> order = new ArrayDeque<>();
        final Map<Integer, ByteArrayOutputStream> fragments = new HashMap<>();
        final Map<Integer, Long> nextTsn = new HashMap<>();
    }

    private final Direction client = new Direction();
    private final Direction server = new Direction();
    private final Consumer consumer;

    SctpReassembler(Consumer consumer)
    {
        this.consumer = consumer;
    }

    /** The chunks of one SCTP packet (the bytes after its 12-byte common header). */
    void packet(boolean fromClient, byte[] data, int offset, int length, long timestampMicros)
    {
        Direction direction = fromClient ? client : server;
        int at = offset;
        int end = offset + length;
        while (end - at >= 4) {
            int type = data[at] & 0xFF;
            int flags = data[at + 1] & 0xFF;
            int chunkLength = ((data[at + 2] & 0xFF) << 8) | (data[at + 3] & 0xFF);
            if (chunkLength < 4 || at + chunkLength > end) {
                consumer.anomaly("sctp.bad_chunk_length");
                return;
            }
            if (type == 0 && chunkLength >= 16) {
                long tsn = ((data[at + 4] & 0xFFL) << 24) | ((data[at + 5] & 0xFF) << 16) | ((data[at + 6] & 0xFF) << 8) | (data[at + 7] & 0xFF);
                int stream = ((data[at + 8] & 0xFF) << 8) | (data[at + 9] & 0xFF);
                long protocol = ((data[at + 12] & 0xFFL) << 24) | ((data[at + 13] & 0xFF) << 16) | ((data[at + 14] & 0xFF) << 8) | (data[at + 15] & 0xFF);
                data(direction, fromClient, flags, tsn, stream, protocol, data, at + 16, chunkLength - 16, timestampMicros);
            }
            // chunks are padded to 4 bytes
            at += (chunkLength + 3) & ~3;
        }
    }

    private void data(Direction direction, boolean fromClient, int flags, long tsn, int stream, long protocol, byte[] data, int offset, int length,
            long timestampMicros)
    {
        if (!direction.seen.add(tsn)) {
            return;
        }
        direction.order.addLast(tsn);
        if (direction.order.size() > REMEMBERED_TSNS) {
            direction.seen.remove(direction.order.removeFirst());
        }
        boolean begin = (flags & 0x02) != 0;
        boolean end = (flags & 0x01) != 0;
        if (begin && end) {
            byte[] message = new byte[length];
            System.arraycopy(data, offset, message, 0, length);
            consumer.message(fromClient, stream, protocol, message, timestampMicros);
            return;
        }
        ByteArrayOutputStream fragments = direction.fragments.get(stream);
        if (begin) {
            if (fragments != null) {
                consumer.anomaly("sctp.fragments_incomplete");
            }
            else if (direction.fragments.size() >= MAX_PARTIAL_MESSAGES) {
                consumer.anomaly("sctp.too_many_partial_messages");
                return;
            }
            fragments = new ByteArrayOutputStream();
            direction.fragments.put(stream, fragments);
        }
        else if (fragments == null || direction.nextTsn.getOrDefault(stream, -1L) != tsn) {
            // a middle or end without its beginning (lost, or out of order): the message cannot be rebuilt
            consumer.anomaly("sctp.fragments_incomplete");
            direction.fragments.remove(stream);
            return;
        }
        if (fragments.size() + length > MAX_MESSAGE) {
            consumer.anomaly("sctp.message_too_large");
            direction.fragments.remove(stream);
            return;
        }
        fragments.write(data, offset, length);
        direction.nextTsn.put(stream, (tsn + 1) & 0xFFFFFFFFL);
        if (end) {
            direction.fragments.remove(stream);
            consumer.message(fromClient, stream, protocol, fragments.toByteArray(), timestampMicros);
        }
    }
}
