package io.wirelake.dissect.protocol.kafka;

import io.wirelake.dissect.protocol.Detection;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.PortHintedDetector;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.protocol.Transport;

import java.util.Set;

/**
 * A Kafka request from the client: a size, a known API key, a plausible version, and a client id
 * of printable characters. Off the Kafka ports the first message must also fill the first
 * segment exactly. On a Kafka port, a response that frames the first segment exactly also counts
 * (the capture began after the request).
 */
public final class KafkaDetector
        extends PortHintedDetector
{
    private static final Set<Integer> PORTS = Set.of(9092, 9093, 9094, 29092);
    /** The highest API version any API had when this was written, with room to grow. */
    private static final int MAX_VERSION = 20;

    public KafkaDetector()
    {
        super("Kafka", Transport.TCP, PORTS);
    }

    @Override
    public Detection detect(boolean fromClient, byte[] data, int offset, int length, int serverPort)
    {
        if (!fromClient) {
            // A capture that begins with a response (its request was before the capture): on a
            // Kafka port, a size that frames the first segment exactly is enough.
            if (!hintsPort(serverPort) || length < 8) {
                return Detection.NO_MATCH;
            }
            long size = ((data[offset] & 0xFFL) << 24) | ((data[offset + 1] & 0xFF) << 16) | ((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF);
            return size >= 4 && size == length - 4 ? Detection.MATCH : Detection.NO_MATCH;
        }
        if (length < 14) {
            return Detection.NEED_MORE;
        }
        long size = ((data[offset] & 0xFFL) << 24) | ((data[offset + 1] & 0xFF) << 16) | ((data[offset + 2] & 0xFF) << 8) | (data[offset + 3] & 0xFF);
        int apiKey = (short) (((data[offset + 4] & 0xFF) << 8) | (data[offset + 5] & 0xFF));
        int version = (short) (((data[offset + 6] & 0xFF) << 8) | (data[offset + 7] & 0xFF));
        int clientIdLength = (short) (((data[offset + 12] & 0xFF) << 8) | (data[offset + 13] & 0xFF));
        if (size < 10 || size > KafkaDissector.MAX_MESSAGE || apiKey < 0 || apiKey > KafkaRequest.LAST_API_KEY || version < 0 || version > MAX_VERSION
                || clientIdLength < -1 || clientIdLength > size - 10) {
            return Detection.NO_MATCH;
        }
        int printable = Math.min(Math.max(clientIdLength, 0), length - 14);
        for (int i = 0; i < printable; i++) {
            int c = data[offset + 14 + i] & 0xFF;
            if (c < 0x20 || c > 0x7E) {
                return Detection.NO_MATCH;
            }
        }
        if (hintsPort(serverPort)) {
            return Detection.MATCH;
        }
        if (length - 4 < size) {
            return size < 4096 ? Detection.NEED_MORE : Detection.NO_MATCH;
        }
        return length - 4 == size ? Detection.MATCH : Detection.NO_MATCH;
    }

    @Override
    public StreamDissector newStreamDissector(DissectionContext context)
    {
        return new KafkaDissector(context);
    }
}
