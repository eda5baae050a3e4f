package io.wirelake.dissect.protocol.kafka;

import java.util.HashMap;
import java.util.Map;

/**
 * Topic names by topic id, learned from Metadata responses (version 10 and later carry both).
 * Newer requests name topics by id only (Fetch 13+, Produce 13+, OffsetCommit 10+), and a client
 * asks for metadata on one connection and fetches on another: one instance serves every
 * connection of a scan.
 */
final class KafkaTopicIds
{
    /** Ids kept; a cluster with more topics than this shows the rest by id. */
    static final int MAX_IDS = 100_000;
    private static final String ZERO = "AAAAAAAAAAAAAAAAAAAAAA";

    private final Map<String, String> names = new HashMap<>();

    /** The topic's name, or null when no Metadata response seen so far told it. */
    String name(String id)
    {
        return names.get(id);
    }

    int size()
    {
        return names.size();
    }

    /**
     * Learns the ids of a Metadata response's topics (the kept prefix of the message after its
     * size). Only the fields before and around the topics are read; a cut or malformed response
     * teaches what was read before the cut.
     *
     * @return false when the response could not be read to its end
     */
    boolean learn(byte[] data, int length, int version)
    {
        if (version < 10) {
            return true;
        }
        KafkaRequest.Reader in = new KafkaRequest.Reader(data, length);
        boolean flexible = version >= 9;
        try {
            in.int32();
            if (flexible) {
                in.skipTags();
            }
            in.int32();
            int brokers = in.arrayLength(flexible);
            for (int broker = 0; broker < brokers; broker++) {
                in.int32();
                in.nullableString(flexible);
                in.int32();
                in.nullableString(flexible);
                in.skipTags();
            }
            in.nullableString(flexible);
            in.int32();
            int topics = in.arrayLength(flexible);
            for (int topic = 0; topic < topics; topic++) {
                in.int16();
                String name = in.nullableString(flexible);
                String id = in.uuid();
                in.int8();
                int partitions = in.arrayLength(flexible);
                for (int partition = 0; partition < partitions; partition++) {
                    in.skip(2 + 4 + 4 + 4);
                    for (int nodes = 0; nodes < 3; nodes++) {
                        in.skip(4L * in.arrayLength(flexible));
                    }
                    in.skipTags();
                }
                in.int32();
                in.skipTags();
                if (name != null && !id.equals(ZERO) && (names.size() < MAX_IDS || names.containsKey(id))) {
                    names.put(id, name);
                }
            }
            return true;
        }
        catch (IndexOutOfBoundsException | IllegalStateException e) {
            return false;
        }
    }
}
