package io.wirelake.dissect.protocol.tls;

import io.wirelake.dissect.protocol.Detection;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.PortHintedDetector;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.protocol.Transport;

import java.util.Set;

/** TLS by content: a handshake record (22, version 3.x) carrying a ClientHello (1) from the client, or a ServerHello (2) from the server. */
public final class TlsDetector
        extends PortHintedDetector
{
    private static final Set<Integer> PORTS = Set.of(443, 8443, 6443, 9443, 993, 995, 465, 636, 853);

    public TlsDetector()
    {
        super("TLS", Transport.TCP, PORTS);
    }

    @Override
    public Detection detect(boolean fromClient, byte[] data, int offset, int length, int serverPort)
    {
        int[] expected = {22, 3, -1, -1, -1, fromClient ? 1 : 2};
        for (int index = 0; index < Math.min(length, expected.length); index++) {
            int value = data[offset + index] & 0xFF;
            if (expected[index] >= 0 && value != expected[index]) {
                return Detection.NO_MATCH;
            }
            if (index == 2 && value > 4) {
                return Detection.NO_MATCH;
            }
        }
        return length >= expected.length ? Detection.MATCH : Detection.NEED_MORE;
    }

    @Override
    public StreamDissector newStreamDissector(DissectionContext context)
    {
        return new TlsDissector(context);
    }
}
