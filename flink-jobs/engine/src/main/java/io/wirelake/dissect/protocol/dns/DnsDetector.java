package io.wirelake.dissect.protocol.dns;

import io.wirelake.dissect.protocol.DatagramDissector;
import io.wirelake.dissect.protocol.Detection;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.PortHintedDetector;
import io.wirelake.dissect.protocol.Transport;

import java.util.Set;

/**
 * DNS over UDP: on DNS ports (53, mDNS 5353, LLMNR 5355) a plausible header is enough; elsewhere
 * the whole message must parse, with one question whose name is a host name.
 */
public final class DnsDetector
        extends PortHintedDetector
{
    static final Set<Integer> PORTS = Set.of(53, 5353, 5355);

    public DnsDetector()
    {
        super("DNS", Transport.UDP, PORTS);
    }

    @Override
    public Detection detect(boolean fromClient, byte[] data, int offset, int length, int serverPort)
    {
        return looksLikeDns(data, offset, length, hintsPort(serverPort)) ? Detection.MATCH : Detection.NO_MATCH;
    }

    static boolean looksLikeDns(byte[] data, int offset, int length, boolean onDnsPort)
    {
        if (!DnsMessageParser.plausibleHeader(data, offset, length)) {
            return false;
        }
        if (onDnsPort) {
            return true;
        }
        // Off the DNS ports the whole message must parse: one question whose name is a host name.
        DnsMessage message = DnsMessageParser.parse(data, offset, length);
        return message != null && message.complete() && message.questions().size() == 1 && length <= 4096
                && message.questions().get(0).matches("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*\\.?");
    }

    @Override
    public DatagramDissector newDatagramDissector(DissectionContext context)
    {
        return new DnsDissector(context);
    }
}
