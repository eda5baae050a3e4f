package io.wirelake.dissect.protocol.dns;

import io.wirelake.dissect.protocol.Detection;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.PortHintedDetector;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.protocol.Transport;
import io.wirelake.packets.capture.Bytes;

import java.util.Set;

/** DNS over TCP: a length prefix followed by a DNS header; on port 53 a plausible header is enough. */
public final class DnsTcpDetector
        extends PortHintedDetector
{

    public DnsTcpDetector()
    {
        super("DNS", Transport.TCP, Set.of(53, 5353));
    }

    @Override
    public Detection detect(boolean fromClient, byte[] data, int offset, int length, int serverPort)
    {
        if (length < 2 + DnsMessageParser.HEADER) {
            return length > 0 && hintsPort(serverPort) ? Detection.NEED_MORE : Detection.NO_MATCH;
        }
        int size = Bytes.u16(data, offset);
        if (size < DnsMessageParser.HEADER) {
            return Detection.NO_MATCH;
        }
        if (hintsPort(serverPort)) {
            return DnsMessageParser.plausibleHeader(data, offset + 2, length - 2) ? Detection.MATCH : Detection.NO_MATCH;
        }
        if (length - 2 < size) {
            return size <= 512 && DnsMessageParser.plausibleHeader(data, offset + 2, length - 2) ? Detection.NEED_MORE : Detection.NO_MATCH;
        }
        return DnsDetector.looksLikeDns(data, offset + 2, size, false) ? Detection.MATCH : Detection.NO_MATCH;
    }

    @Override
    public StreamDissector newStreamDissector(DissectionContext context)
    {
        return new DnsTcpDissector(context);
    }
}
