package io.wirelake.dissect.protocol.kafka;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A Kafka request's header and, for Produce, Fetch, ListOffsets, Metadata and OffsetCommit, the topics it names (Kafka's
 * protocol guide: request header v1/v2, and each API's schema by version, compact encodings in
 * the flexible versions; topic ids where newer versions replaced names). Bodies are read only as far as the topics; a request cut by the kept
 * prefix still has its header.
 */
final class KafkaRequest
{
    /** Topic names kept per request. */
    static final int MAX_TOPICS = 16;

    int apiKey;
    int apiVersion;
    int correlationId;
    String clientId = "";
    final List<String> topics = new ArrayList<>();
    /** Which of {@link #topics} are topic ids. */
    final Set<String> topicIds = new HashSet<>(0);
    long size;
    boolean topicsCut;

    private static final String[] NAMES = {
            "PRODUCE", "FETCH", "LIST_OFFSETS", "METADATA", "LEADER_AND_ISR", "STOP_REPLICA", "UPDATE_METADATA", "CONTROLLED_SHUTDOWN",
            "OFFSET_COMMIT", "OFFSET_FETCH", "FIND_COORDINATOR", "JOIN_GROUP", "HEARTBEAT", "LEAVE_GROUP", "SYNC_GROUP", "DESCRIBE_GROUPS",
            "LIST_GROUPS", "SASL_HANDSHAKE", "API_VERSIONS", "CREATE_TOPICS", "DELETE_TOPICS", "DELETE_RECORDS", "INIT_PRODUCER_ID",
            "OFFSET_FOR_LEADER_EPOCH", "ADD_PARTITIONS_TO_TXN", "ADD_OFFSETS_TO_TXN", "END_TXN", "WRITE_TXN_MARKERS", "TXN_OFFSET_COMMIT",
            "DESCRIBE_ACLS", "CREATE_ACLS", "DELETE_ACLS", "DESCRIBE_CONFIGS", "ALTER_CONFIGS", "ALTER_REPLICA_LOG_DIRS", "DESCRIBE_LOG_DIRS",
            "SASL_AUTHENTICATE", "CREATE_PARTITIONS", "CREATE_DELEGATION_TOKEN", "RENEW_DELEGATION_TOKEN", "EXPIRE_DELEGATION_TOKEN",
            "DESCRIBE_DELEGATION_TOKEN", "DELETE_GROUPS", "ELECT_LEADERS", "INCREMENTAL_ALTER_CONFIGS", "ALTER_PARTITION_REASSIGNMENTS",
            "LIST_PARTITION_REASSIGNMENTS", "OFFSET_DELETE", "DESCRIBE_CLIENT_QUOTAS", "ALTER_CLIENT_QUOTAS", "DESCRIBE_USER_SCRAM_CREDENTIALS",
            "ALTER_USER_SCRAM_CREDENTIALS", "VOTE", "BEGIN_QUORUM_EPOCH", "END_QUORUM_EPOCH", "DESCRIBE_QUORUM", "ALTER_PARTITION",
            "UPDATE_FEATURES", "ENVELOPE", "FETCH_SNAPSHOT", "DESCRIBE_CLUSTER", "DESCRIBE_PRODUCERS", "BROKER_REGISTRATION",
            "BROKER_HEARTBEAT", "UNREGISTER_BROKER", "DESCRIBE_TRANSACTIONS", "LIST_TRANSACTIONS", "ALLOCATE_PRODUCER_IDS",
            "CONSUMER_GROUP_HEARTBEAT", "CONSUMER_GROUP_DESCRIBE", "CONTROLLER_REGISTRATION", "GET_TELEMETRY_SUBSCRIPTIONS",
            "PUSH_TELEMETRY", "ASSIGN_REPLICAS_TO_DIRS", "LIST_CLIENT_METRICS_RESOURCES", "DESCRIBE_TOPIC_PARTITIONS"};

    /** The highest API key with a name here; detection accepts keys up to it. */
    static final int LAST_API_KEY = NAMES.length - 1;

    static String name(int apiKey)
    {
        return apiKey >= 0 && apiKey < NAMES.length ? NAMES[apiKey] : "API_" + apiKey;
    }

    /** The first version of each API whose request header is v2 (flexible, with tagged fields); only the APIs read here. */
    private static boolean flexible(int apiKey, int version)
    {
        return switch (apiKey) {
            case 0 -> version >= 9;
            case 1 -> version >= 12;
            case 2 -> version >= 6;
            case 3 -> version >= 9;
            case 8 -> version >= 8;
            default -> false;
        };
    }

    /** Parses a request (the bytes after its 4-byte size); null when not even the header is there. */
    static KafkaRequest parse(byte[] data, int length, long size)
    {
        Reader in = new Reader(data, length);
        KafkaRequest request = new KafkaRequest();
        request.size = size;
        try {
            request.apiKey = in.int16();
            request.apiVersion = in.int16();
            request.correlationId = in.int32();
            int clientIdLength = in.int16();
            request.clientId = clientIdLength < 0 ? "" : in.string(clientIdLength);
        }
        catch (IndexOutOfBoundsException e) {
            return null;
        }
        try {
            boolean flexible = flexible(request.apiKey, request.apiVersion);
            if (flexible) {
                in.skipTags();
            }
            switch (request.apiKey) {
                case 0 -> request.produce(in, flexible);
                case 1 -> request.fetch(in, flexible);
                case 2 -> request.listOffsets(in, flexible);
                case 3 -> request.metadata(in, flexible);
                case 8 -> request.offsetCommit(in, flexible);
                default -> {
                }
            }
        }
        catch (IndexOutOfBoundsException | IllegalStateException e) {
            request.topicsCut = true;
        }
        return request;
    }

    private void produce(Reader in, boolean flexible)
    {
        if (apiVersion >= 3) {
            in.nullableString(flexible);
        }
        in.int16();
        in.int32();
        int topicCount = in.arrayLength(flexible);
        for (int topic = 0; topic < topicCount; topic++) {
            if (apiVersion >= 13) {
                addTopicId(in.uuid());
            }
            else {
                addTopic(in.nullableString(flexible));
            }
            int partitions = in.arrayLength(flexible);
            for (int partition = 0; partition < partitions; partition++) {
                in.int32();
                long records = flexible ? in.unsignedVarint() - 1 : in.int32();
                if (records > 0) {
                    in.skip(records);
                }
                if (flexible) {
                    in.skipTags();
                }
            }
            if (flexible) {
                in.skipTags();
            }
        }
    }

    private void fetch(Reader in, boolean flexible)
    {
        if (apiVersion <= 14) {
            in.int32();
        }
        in.int32();
        in.int32();
        if (apiVersion >= 3) {
            in.int32();
        }
        if (apiVersion >= 4) {
            in.int8();
        }
        if (apiVersion >= 7) {
            in.int32();
            in.int32();
        }
        int topicCount = in.arrayLength(flexible);
        for (int topic = 0; topic < topicCount; topic++) {
            if (apiVersion >= 13) {
                addTopicId(in.uuid());
            }
            else {
                addTopic(in.nullableString(flexible));
            }
            int partitions = in.arrayLength(flexible);
            for (int partition = 0; partition < partitions; partition++) {
                in.int32();
                if (apiVersion >= 9) {
                    in.int32();
                }
                in.skip(8);
                if (apiVersion >= 12) {
                    in.int32();
                }
                if (apiVersion >= 5) {
                    in.skip(8);
                }
                in.int32();
                if (flexible) {
                    in.skipTags();
                }
            }
            if (flexible) {
                in.skipTags();
            }
        }
    }

    private void listOffsets(Reader in, boolean flexible)
    {
        in.int32();
        if (apiVersion >= 2) {
            in.int8();
        }
        int topicCount = in.arrayLength(flexible);
        for (int topic = 0; topic < topicCount; topic++) {
            addTopic(in.nullableString(flexible));
            int partitions = in.arrayLength(flexible);
            for (int partition = 0; partition < partitions; partition++) {
                in.int32();
                if (apiVersion >= 4) {
                    in.int32();
                }
                in.skip(8);
                if (apiVersion == 0) {
                    in.int32();
                }
                if (flexible) {
                    in.skipTags();
                }
            }
            if (flexible) {
                in.skipTags();
            }
        }
    }

    private void offsetCommit(Reader in, boolean flexible)
    {
        in.nullableString(flexible);
        if (apiVersion >= 1) {
            in.int32();
            in.nullableString(flexible);
        }
        if (apiVersion >= 7) {
            in.nullableString(flexible);
        }
        if (apiVersion >= 2 && apiVersion <= 4) {
            in.skip(8);
        }
        int topicCount = in.arrayLength(flexible);
        for (int topic = 0; topic < topicCount; topic++) {
            if (apiVersion >= 10) {
                addTopicId(in.uuid());
            }
            else {
                addTopic(in.nullableString(flexible));
            }
            int partitions = in.arrayLength(flexible);
            for (int partition = 0; partition < partitions; partition++) {
                in.int32();
                in.skip(8);
                if (apiVersion >= 6) {
                    in.int32();
                }
                if (apiVersion == 1) {
                    in.skip(8);
                }
                in.nullableString(flexible);
                if (flexible) {
                    in.skipTags();
                }
            }
            if (flexible) {
                in.skipTags();
            }
        }
    }

    private void metadata(Reader in, boolean flexible)
    {
        int topicCount = in.arrayLength(flexible);
        for (int topic = 0; topic < topicCount; topic++) {
            if (apiVersion >= 10) {
                in.uuid();
            }
            addTopic(in.nullableString(flexible));
            if (flexible) {
                in.skipTags();
            }
        }
    }

    /** A topic named by its id (Fetch 13+, Produce 13+, OffsetCommit 10+): shown by name once a Metadata response has told it. */
    private void addTopicId(String id)
    {
        addTopic(id);
        topicIds.add(id);
    }

    /** The topics, with the ids that {@code ids} knows replaced by their names. */
    List<String> topics(KafkaTopicIds ids)
    {
        if (topicIds.isEmpty()) {
            return topics;
        }
        List<String> named = new ArrayList<>(topics.size());
        for (String topic : topics) {
            String name = topicIds.contains(topic) ? ids.name(topic) : null;
            named.add(name != null ? name : topic);
        }
        return named;
    }

    private void addTopic(String topic)
    {
        if (topic != null && !topics.contains(topic)) {
            if (topics.size() < MAX_TOPICS) {
                topics.add(topic);
            }
            else {
                topicsCut = true;
            }
        }
    }

    /** Big-endian reads over a kept prefix; running past it throws IndexOutOfBoundsException. */
    static final class Reader
    {
        private final byte[] data;
        private final int end;
        private int at;

        Reader(byte[] data, int end)
        {
            this.data = data;
            this.end = end;
        }

        private void need(long count)
        {
            if (count < 0 || at + count > end) {
                throw new IndexOutOfBoundsException();
            }
        }

        int int8()
        {
            need(1);
            return data[at++];
        }

        int int16()
        {
            need(2);
            int value = (short) (((data[at] & 0xFF) << 8) | (data[at + 1] & 0xFF));
            at += 2;
            return value;
        }

        int int32()
        {
            need(4);
            int value = ((data[at] & 0xFF) << 24) | ((data[at + 1] & 0xFF) << 16) | ((data[at + 2] & 0xFF) << 8) | (data[at + 3] & 0xFF);
            at += 4;
            return value;
        }

        void skip(long count)
        {
            need(count);
            at += (int) count;
        }

        long unsignedVarint()
        {
            long value = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                need(1);
                int octet = data[at++] & 0xFF;
                value |= (long) (octet & 0x7F) << shift;
                if ((octet & 0x80) == 0) {
                    return value;
                }
            }
            throw new IllegalStateException("varint too long");
        }

        String string(int length)
        {
            need(length);
            String value = new String(data, at, length, StandardCharsets.UTF_8);
            at += length;
            return value;
        }

        /** STRING/NULLABLE_STRING, or their compact forms in flexible versions; null for null. */
        String nullableString(boolean compact)
        {
            long length = compact ? unsignedVarint() - 1 : int16();
            if (length < 0) {
                return null;
            }
            if (length > Short.MAX_VALUE) {
                throw new IllegalStateException("string too long");
            }
            return string((int) length);
        }

        int arrayLength(boolean compact)
        {
            long count = compact ? unsignedVarint() - 1 : int32();
            if (count > 100_000) {
                throw new IllegalStateException("array too long");
            }
            return (int) Math.max(count, 0);
        }

        /** A UUID as Kafka prints it (URL-safe base64 without padding, as in {@code kafka-topics --describe}). */
        String uuid()
        {
            need(16);
            String value = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOfRange(data, at, at + 16));
            at += 16;
            return value;
        }

        void skipTags()
        {
            long count = unsignedVarint();
            for (long tag = 0; tag < count; tag++) {
                unsignedVarint();
                skip(unsignedVarint());
            }
        }
    }
}
