package io.wirelake.dissect.protocol.radius;

import io.wirelake.dissect.protocol.DatagramDissector;
import io.wirelake.dissect.protocol.Detection;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.PortHintedDetector;
import io.wirelake.dissect.protocol.Transport;

import java.util.Set;

/**
 * RADIUS on its ports (1812, 1813, the old 1645 and 1646, CoA 3799): a packet whose code is a
 * RADIUS code and whose length and attributes fit the datagram exactly. On other ports the first
 * datagram must also be an Access- or Accounting-Request from the client with a User-Name.
 */
public final class RadiusDetector
        extends PortHintedDetector
{
    public RadiusDetector()
    {
        super("RADIUS", Transport.UDP, Set.of(1812, 1813, 1645, 1646, 3799));
    }

    @Override
    public Detection detect(boolean fromClient, byte[] data, int offset, int length, int serverPort)
    {
        RadiusMessage message = RadiusMessage.parse(data, offset, length);
        if (message == null || message.length() != length) {
            return Detection.NO_MATCH;
        }
        if (hintsPort(serverPort)) {
            return Detection.MATCH;
        }
        // Elsewhere: an Access- or Accounting-Request from the client that names its user.
        return fromClient && (message.code() == 1 || message.code() == 4) && !message.userName().isEmpty() ? Detection.MATCH : Detection.NO_MATCH;
    }

    @Override
    public DatagramDissector newDatagramDissector(DissectionContext context)
    {
        return new RadiusDissector(context);
    }
}
