package io.wirelake.dissect.protocol.kafka;

import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.dissect.protocol.DirectionalDissector;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.PendingRequests;
import io.wirelake.dissect.protocol.Protocol;
import io.wirelake.dissect.rows.Rows;
import org.apache.avro.generic.GenericData;

/**
 * Kafka's wire protocol over TCP: size-prefixed messages per direction; requests (header with API
 * key, version, correlation id and client id; topics of Produce, Fetch, ListOffsets, Metadata and
 * OffsetCommit, by name even where newer versions send topic ids, once a Metadata response of the
 * scan has told the name) paired with responses by correlation id. Bodies are kept only as far as the topics need; record batches are
 * counted, not kept.
 */
final class KafkaDissector
        extends DirectionalDissector
{
    static final Protocol KAFKA = new Protocol("Kafka", Columns.KAFKA);
    /** Kafka's own default limit for a request (socket.request.max.bytes). */
    static final long MAX_MESSAGE = 100L << 20;
    /** The prefix of each message kept for parsing. */
    static final int MAX_KEPT = 64 * 1024;
    static final int MAX_PENDING = 1024;

    private record Pending(KafkaRequest request, long timestampMicros) {}

    private final TableSchema calls = TableSchema.of(Table.API_CALLS);
    private final Framing requests = new Framing(true);
    private final Framing responses = new Framing(false);
    private final PendingRequests<Integer, Pending> pending = new PendingRequests<>(MAX_PENDING,
            unanswered -> emit(unanswered.request(), unanswered.timestampMicros(), -1, 0));

    /** One direction's size-prefixed messages. */
    private final class Framing
            extends Direction
    {
        final boolean fromClient;
        final byte[] prefix = new byte[4];
        int prefixFill;
        long remaining;
        long size;
        byte[] kept;
        int keptFill;
        long firstByteTime;

        Framing(boolean fromClient)
        {
            this.fromClient = fromClient;
        }

        @Override
        protected void read(byte[] data, int offset, int length, long timestamp)
        {
            int at = offset;
            int end = offset + length;
            while (at < end && !lost()) {
                if (prefixFill < 4) {
                    if (prefixFill == 0) {
                        firstByteTime = timestamp;
                    }
                    prefix[prefixFill++] = data[at++];
                    if (prefixFill == 4) {
                        size = ((prefix[0] & 0xFFL) << 24) | ((prefix[1] & 0xFF) << 16) | ((prefix[2] & 0xFF) << 8) | (prefix[3] & 0xFF);
                        if (size < 4 || size > MAX_MESSAGE) {
                            context.anomaly("kafka.bad_message_size");
                            lose();
                            return;
                        }
                        remaining = size;
                        kept = new byte[(int) Math.min(size, MAX_KEPT)];
                        keptFill = 0;
                    }
                    continue;
                }
                int take = (int) Math.min(end - at, remaining);
                int keep = Math.min(take, kept.length - keptFill);
                System.arraycopy(data, at, kept, keptFill, keep);
                keptFill += keep;
                at += take;
                remaining -= take;
                if (remaining == 0) {
                    prefixFill = 0;
                    message(this);
                }
            }
        }
    }

    private final KafkaTopicIds topicIds;

    KafkaDissector(DissectionContext context)
    {
        super(context, "kafka");
        topicIds = context.scanState(KafkaTopicIds.class, KafkaTopicIds::new);
    }

    @Override
    protected Direction direction(boolean fromClient)
    {
        return fromClient ? requests : responses;
    }

    @Override
    public void end(long timestampMicros)
    {
        pending.flush();
    }

    private void message(Framing framing)
    {
        if (framing.fromClient) {
            KafkaRequest request = KafkaRequest.parse(framing.kept, framing.keptFill, framing.size + 4);
            if (request == null) {
                context.anomaly("kafka.short_request");
                return;
            }
            if (request.topicsCut && request.topics.isEmpty() && (request.apiKey <= 3 || request.apiKey == 8)) {
                context.anomaly("kafka.topics_unreadable");
            }
            pending.add(request.correlationId, new Pending(request, framing.firstByteTime));
            return;
        }
        if (framing.keptFill < 4) {
            context.anomaly("kafka.short_response");
            return;
        }
        int correlationId = ((framing.kept[0] & 0xFF) << 24) | ((framing.kept[1] & 0xFF) << 16) | ((framing.kept[2] & 0xFF) << 8) | (framing.kept[3] & 0xFF);
        Pending request = pending.take(correlationId);
        if (request == null) {
            context.anomaly("kafka.unsolicited_response");
            emit(null, framing.firstByteTime, framing.firstByteTime, framing.size + 4);
            return;
        }
        if (request.request().apiKey == 3 && !topicIds.learn(framing.kept, framing.keptFill, request.request().apiVersion)
                && framing.keptFill == framing.size) {
            context.anomaly("kafka.bad_metadata_response");
        }
        emit(request.request(), request.timestampMicros(), framing.firstByteTime, framing.size + 4);
    }

    /** @param responseTime -1 when unanswered */
    private void emit(KafkaRequest request, long requestTime, long responseTime, long responseSize)
    {
        GenericData.Record row = context.newCall(KAFKA, request != null ? requestTime : responseTime);
        Rows rows = Rows.of(calls, row);
        boolean answered = responseTime >= 0;
        if (request != null) {
            rows.set(Columns.KAFKA_API_KEY, (long) request.apiKey);
            rows.set(Columns.KAFKA_API_KEY_NAME, KafkaRequest.name(request.apiKey));
            rows.set(Columns.KAFKA_CLIENT_ID, request.clientId);
            rows.set(Columns.KAFKA_REQUEST, true);
            rows.set(Columns.KAFKA_REQUEST_SIZE, request.size);
            rows.set(Columns.KAFKA_REQUEST_SUMMARY, String.join(", ", request.topics(topicIds)));
            rows.set(Columns.KAFKA_SIZE, request.size);
        }
        else {
            rows.set(Columns.KAFKA_API_KEY, -1L);
            rows.set(Columns.KAFKA_SIZE, responseSize);
        }
        if (answered) {
            rows.set(Columns.KAFKA_RESPONSE, true);
            rows.set(Columns.KAFKA_RESPONSE_SIZE, responseSize);
            if (request != null) {
                rows.set(Columns.ELAPSED_TIME, Math.max(0, responseTime - requestTime));
            }
        }
        context.emit(row);
    }
}
