package io.wirelake.dissect.protocol.amqp;

import io.wirelake.dissect.protocol.Detection;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.PortHintedDetector;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.protocol.Transport;

import java.util.Set;

/**
 * AMQP 0-9-1: the client's protocol header ({@code AMQP 0 0 9 1}) is proof. On the AMQP ports a
 * connection picked up mid-way is recognised by a whole method frame (type 1, frame-end 0xCE
 * right where its size says) from either side.
 */
public final class AmqpDetector
        extends PortHintedDetector
{
    private static final byte[] HEADER = {'A', 'M', 'Q', 'P', 0, 0, 9, 1};
    private static final Set<Integer> PORTS = Set.of(5672, 5671);

    public AmqpDetector()
    {
        super("AMQP", Transport.TCP, PORTS);
    }

    @Override
    public Detection detect(boolean fromClient, byte[] data, int offset, int length, int serverPort)
    {
        if (fromClient && length > 0 && data[offset] == 'A') {
            int compared = Math.min(length, HEADER.length);
            for (int i = 0; i < compared; i++) {
                if (data[offset + i] != HEADER[i]) {
                    return Detection.NO_MATCH;
                }
            }
            return compared == HEADER.length ? Detection.MATCH : Detection.NEED_MORE;
        }
        if (!hintsPort(serverPort) || length < 8) {
            return Detection.NO_MATCH;
        }
        long size = ((data[offset + 3] & 0xFFL) << 24) | ((data[offset + 4] & 0xFF) << 16) | ((data[offset + 5] & 0xFF) << 8) | (data[offset + 6] & 0xFF);
        if (data[offset] != 1 || size < 4 || size > AmqpDissector.MAX_FRAME) {
            return Detection.NO_MATCH;
        }
        if (7 + size + 1 > length) {
            return Detection.NEED_MORE;
        }
        return (data[(int) (offset + 7 + size)] & 0xFF) == 0xCE ? Detection.MATCH : Detection.NO_MATCH;
    }

    @Override
    public StreamDissector newStreamDissector(DissectionContext context)
    {
        return new AmqpDissector(context);
    }
}
