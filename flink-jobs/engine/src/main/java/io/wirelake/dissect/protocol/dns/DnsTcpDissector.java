package io.wirelake.dissect.protocol.dns;

import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.protocol.toolkit.LengthPrefixedFramer;

/**
 * DNS over TCP: each message has a two-byte length prefix (RFC 1035 section 4.2.2, RFC 7766).
 * Framing is kept per direction and separate from message parsing, which {@link DnsDissector}
 * does as for UDP.
 */
final class DnsTcpDissector
        implements StreamDissector
{
    /** The two-byte prefix: a message shorter than a DNS header is no message. */
    private static final LengthPrefixedFramer.Format FORMAT = LengthPrefixedFramer.lengthField(0, 2, 0, DnsMessageParser.HEADER, 0xFFFF,
            "dns.bad_tcp_length");

    private final DnsDissector messages;
    private final LengthPrefixedFramer fromClient;
    private final LengthPrefixedFramer fromServer;
    private final DissectionContext context;

    DnsTcpDissector(DissectionContext context)
    {
        this.context = context;
        this.messages = new DnsDissector(context);
        this.fromClient = framer();
        this.fromServer = framer();
    }

    private LengthPrefixedFramer framer()
    {
        return new LengthPrefixedFramer(FORMAT, true, 0xFFFF, new LengthPrefixedFramer.Frames()
        {
            @Override
            public boolean frame(byte[] bytes, int kept, long length, long firstByteTime, long lastByteTime)
            {
                messages.message(bytes, 0, kept, firstByteTime);
                return true;
            }

            @Override
            public void malformed(String problem)
            {
                context.anomaly(problem);
            }
        });
    }

    @Override
    public void data(boolean client, byte[] data, int offset, int length, long timestampMicros)
    {
        (client ? fromClient : fromServer).read(data, offset, length, timestampMicros);
    }

    @Override
    public void gap(boolean client, long bytes, long timestampMicros)
    {
        LengthPrefixedFramer framer = client ? fromClient : fromServer;
        if (framer.done()) {
            return;
        }
        context.anomaly("dns.gap_in_tcp_stream");
        // Without the lost bytes the length prefixes cannot be followed: stop this direction.
        framer.stop();
    }

    @Override
    public void end(long timestampMicros)
    {
        messages.end(timestampMicros);
    }
}
