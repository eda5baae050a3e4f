package io.wirelake.dissect.protocol.diameter;

import io.wirelake.dissect.protocol.Detection;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.PortHintedDetector;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.protocol.Transport;

import java.util.Set;

/**
 * Diameter over TCP: a version-1 header with a plausible length and no reserved flag bits; off
 * the Diameter ports (3868, 3869 for TLS is not cleartext) the first message must parse whole
 * with a known command.
 */
public final class DiameterDetector
        extends PortHintedDetector
{
    public DiameterDetector()
    {
        super("Diameter", Transport.TCP, Set.of(3868));
    }

    /** Diameter's payload protocol identifier (RFC 6733 section 2.1; 47 is Diameter over DTLS, not cleartext). */
    @Override
    public Set<Long> sctpPayloadProtocols()
    {
        return Set.of(46L);
    }

    @Override
    public Detection detect(boolean fromClient, byte[] data, int offset, int length, int serverPort)
    {
        if (length < 1 || data[offset] != 1) {
            return Detection.NO_MATCH;
        }
        if (length < DiameterMessage.HEADER) {
            return Detection.NEED_MORE;
        }
        int messageLength = DiameterMessage.u24(data, offset + 1);
        boolean plausible = messageLength >= DiameterMessage.HEADER && messageLength <= DiameterDissector.MAX_MESSAGE && (data[offset + 4] & 0x0F) == 0;
        if (!plausible) {
            return Detection.NO_MATCH;
        }
        if (hintsPort(serverPort)) {
            return Detection.MATCH;
        }
        if (length < messageLength) {
            return Detection.NEED_MORE;
        }
        DiameterMessage message = DiameterMessage.parse(data, offset, messageLength);
        return message != null && !DiameterMessage.commandName(message.commandCode()).startsWith("Command-") ? Detection.MATCH : Detection.NO_MATCH;
    }

    @Override
    public StreamDissector newStreamDissector(DissectionContext context)
    {
        return new DiameterDissector(context);
    }
}
