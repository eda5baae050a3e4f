package io.wirelake.collector;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;

/** Numbered marker datagrams to a port of its own on loopback, for a collector filtering on that port. */
final class LoopbackTraffic
        implements AutoCloseable
{
    final DatagramSocket receiver = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    final DatagramSocket sender = new DatagramSocket();

    LoopbackTraffic()
            throws IOException
    {
    }

    int port()
    {
        return receiver.getLocalPort();
    }

    void send(int from, int to, Duration pause)
            throws Exception
    {
        send(from, to, pause, 200);
    }

    /** Markers {@code from} to {@code to - 1}, each padded to about {@code padding} bytes. */
    void send(int from, int to, Duration pause, int padding)
            throws Exception
    {
        for (int i = from; i < to; i++) {
            byte[] payload = Segments.marker(i, padding);
            sender.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), port()));
            if (!pause.isZero()) {
                Thread.sleep(pause.toMillis());
            }
        }
    }

    @Override
    public void close()
    {
        receiver.close();
        sender.close();
    }
}
