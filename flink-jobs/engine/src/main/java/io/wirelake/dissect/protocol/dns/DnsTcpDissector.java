package io.wirelake.dissect.protocol.dns;

import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.packets.capture.Bytes;

/**
 * DNS over TCP: each message has a two-byte length prefix (RFC 1035 section 4.2.2, RFC 7766).
 * Framing is kept per direction and separate from message parsing, which {@link DnsDissector}
 * does as for UDP.
 */
final class DnsTcpDissector
        implements StreamDissector
{
    private final DnsDissector messages;
    private final Framing fromClient = new Framing();
    private final Framing fromServer = new Framing();
    private final DissectionContext context;

    DnsTcpDissector(DissectionContext context)
    {
        this.context = context;
        this.messages = new DnsDissector(context);
    }

    @Override
    public void data(boolean client, byte[] data, int offset, int length, long timestampMicros)
    {
        (client ? fromClient : fromServer).data(data, offset, length, timestampMicros);
    }

    @Override
    public void gap(boolean client, long bytes, long timestampMicros)
    {
        Framing framing = client ? fromClient : fromServer;
        if (framing.broken) {
            return;
        }
        context.anomaly("dns.gap_in_tcp_stream");
        // Without the lost bytes the length prefixes cannot be followed: stop this direction.
        framing.broken = true;
    }

    @Override
    public void end(long timestampMicros)
    {
        messages.end(timestampMicros);
    }

    private final class Framing
    {
        private byte[] buffer = new byte[512];
        private int length;
        private long firstByteTime;
        boolean broken;

        void data(byte[] data, int offset, int count, long timestampMicros)
        {
            if (broken) {
                return;
            }
            if (length == 0) {
                firstByteTime = timestampMicros;
            }
            if (length + count > buffer.length) {
                buffer = java.util.Arrays.copyOf(buffer, Math.max(buffer.length * 2, length + count));
            }
            System.arraycopy(data, offset, buffer, length, count);
            length += count;
            int at = 0;
            while (length - at >= 2) {
                int size = Bytes.u16(buffer, at);
                if (size < DnsMessageParser.HEADER) {
                    context.anomaly("dns.bad_tcp_length");
                    broken = true;
                    return;
                }
                if (length - at - 2 < size) {
                    break;
                }
                messages.message(buffer, at + 2, size, firstByteTime);
                at += 2 + size;
                firstByteTime = timestampMicros;
            }
            System.arraycopy(buffer, at, buffer, 0, length - at);
            length -= at;
        }
    }
}
