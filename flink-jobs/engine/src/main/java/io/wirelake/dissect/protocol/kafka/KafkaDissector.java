package io.wirelake.dissect.protocol.kafka;

import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.dissect.protocol.DirectionalDissector;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.PendingRequests;
import io.wirelake.dissect.protocol.Protocol;
import io.wirelake.dissect.protocol.toolkit.LengthPrefixedFramer;
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

    /** The four-byte size before each message (the Kafka protocol guide's "message size"), within Kafka's own limit. */
    private static final LengthPrefixedFramer.Format FORMAT = LengthPrefixedFramer.lengthField(0, 4, 0, 4, MAX_MESSAGE, "kafka.bad_message_size");

    /** One direction's size-prefixed messages, the first {@value #MAX_KEPT} bytes of each kept. */
    private final class Framing
            extends Direction
            implements LengthPrefixedFramer.Frames
    {
        final boolean fromClient;
        private final LengthPrefixedFramer framer = new LengthPrefixedFramer(FORMAT, true, MAX_KEPT, this);

        Framing(boolean fromClient)
        {
            this.fromClient = fromClient;
        }

        @Override
        protected void read(byte[] data, int offset, int length, long timestamp)
        {
            framer.read(data, offset, length, timestamp);
        }

        @Override
        public boolean frame(byte[] bytes, int kept, long length, long firstByteTime, long lastByteTime)
        {
            message(fromClient, bytes, kept, length, firstByteTime);
            return true;
        }

        @Override
        public void malformed(String problem)
        {
            context.anomaly(problem);
            lose();
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

    /** One message: its first {@code kept} bytes (after the size), of {@code size} in all. */
    private void message(boolean fromClient, byte[] kept, int keptFill, long size, long firstByteTime)
    {
        if (fromClient) {
            KafkaRequest request = KafkaRequest.parse(kept, keptFill, size + 4);
            if (request == null) {
                context.anomaly("kafka.short_request");
                return;
            }
            if (request.topicsCut && request.topics.isEmpty() && (request.apiKey <= 3 || request.apiKey == 8)) {
                context.anomaly("kafka.topics_unreadable");
            }
            pending.add(request.correlationId, new Pending(request, firstByteTime));
            return;
        }
        if (keptFill < 4) {
            context.anomaly("kafka.short_response");
            return;
        }
        int correlationId = ((kept[0] & 0xFF) << 24) | ((kept[1] & 0xFF) << 16) | ((kept[2] & 0xFF) << 8) | (kept[3] & 0xFF);
        Pending request = pending.take(correlationId);
        if (request == null) {
            context.anomaly("kafka.unsolicited_response");
            emit(null, firstByteTime, firstByteTime, size + 4);
            return;
        }
        if (request.request().apiKey == 3 && !topicIds.learn(kept, keptFill, request.request().apiVersion) && keptFill == size) {
            context.anomaly("kafka.bad_metadata_response");
        }
        emit(request.request(), request.timestampMicros(), firstByteTime, size + 4);
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
