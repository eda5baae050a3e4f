package io.wirelake.collector;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;

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
            sendMarker(i, padding);
            if (!pause.isZero()) {
                Thread.sleep(pause.toMillis());
            }
        }
    }

    /**
     * How far a burst may run ahead of what the receiving socket got. libpcap captures loopback
     * traffic on the receive side, after the kernel's backlog queue ({@code netdev_max_backlog},
     * 1,000 packets by default): a sender unchecked on a busy machine, where the queue is served
     * late, overflows it, and those packets are lost before any capture could see them.
     */
    private static final int BURST_WINDOW = 64;
    /** The longest a burst waits for the receiver before it sends anyway (a datagram the socket dropped never arrives). */
    private static final long BURST_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    /** The longest a burst waits at its end for the receiver to have every marker. */
    private static final long BURST_SETTLE_NANOS = TimeUnit.SECONDS.toNanos(5);

    /**
     * Markers {@code from} to {@code to - 1} as fast as one thread sends, but at most
     * {@link #BURST_WINDOW} ahead of the receiving socket, so every one passes the capture point;
     * returns once the socket has had every one (at most {@link #BURST_SETTLE_NANOS} after the last).
     */
    void burst(int from, int to)
            throws Exception
    {
        AtomicInteger received = new AtomicInteger(from - 1);
        // the markers the socket got, each once: the burst ends when all have passed the capture point
        java.util.BitSet got = new java.util.BitSet(to - from);
        AtomicInteger gotCount = new AtomicInteger();
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[2048];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                receiver.setSoTimeout(200);
                while (gotCount.get() < to - from) {
                    try {
                        receiver.receive(packet);
                    }
                    catch (SocketTimeoutException e) {
                        if (Thread.interrupted()) {
                            return;
                        }
                        continue;
                    }
                    Matcher matcher = Segments.MARKER.matcher(new String(buffer, 0, packet.getLength(), StandardCharsets.ISO_8859_1));
                    if (matcher.find()) {
                        int marker = Integer.parseInt(matcher.group(1));
                        received.accumulateAndGet(marker, Math::max);
                        if (marker >= from && marker < to && !got.get(marker - from)) {
                            got.set(marker - from);
                            gotCount.incrementAndGet();
                        }
                    }
                }
            }
            catch (IOException e) {
                // closed: the burst is over
            }
        }, "loopback-receiver");
        reader.setDaemon(true);
        reader.start();
        try {
            for (int i = from; i < to; i++) {
                long giveUp = System.nanoTime() + BURST_WAIT_NANOS;
                while (i - received.get() > BURST_WINDOW && System.nanoTime() < giveUp) {
                    LockSupport.parkNanos(20_000);
                }
                sendMarker(i, 200);
            }
            // A datagram sent has not necessarily passed the capture point yet: on a busy machine the other core's
            // backlog queue may be served late. Until the socket has them all (or a few seconds, as the socket itself
            // may drop some), a stop that follows could come before the kernel showed them to any capture.
            long giveUp = System.nanoTime() + BURST_SETTLE_NANOS;
            while (gotCount.get() < to - from && System.nanoTime() < giveUp) {
                LockSupport.parkNanos(100_000);
            }
        }
        finally {
            reader.interrupt();
            reader.join(Duration.ofSeconds(5).toMillis());
        }
    }

    private void sendMarker(int number, int padding)
            throws IOException
    {
        byte[] payload = Segments.marker(number, padding);
        sender.send(new DatagramPacket(payload, payload.length, InetAddress.getLoopbackAddress(), port()));
    }

    /** Packets the kernel dropped from its backlog queues so far (all CPUs; {@code /proc/net/softnet_stat}, second column). */
    static long backlogDrops()
            throws IOException
    {
        long drops = 0;
        for (String line : Files.readAllLines(Path.of("/proc/net/softnet_stat"))) {
            drops += Long.parseLong(line.trim().split("\\s+")[1], 16);
        }
        return drops;
    }

    @Override
    public void close()
    {
        receiver.close();
        sender.close();
    }
}
