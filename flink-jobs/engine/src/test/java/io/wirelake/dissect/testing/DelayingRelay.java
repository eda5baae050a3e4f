package io.wirelake.dissect.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on loopback, like a network path between a client and a server, whose two
 * directions can be congested for a while: bytes that arrive during a congested interval are
 * forwarded only after a delay (order kept), as a queue on a loaded link holds them. A client
 * talks to {@link #port()}; each connection it opens is relayed to the server as a connection of
 * its own, so a capture on loopback sees both legs: the client's side and the server's.
 */
public final class DelayingRelay
        implements AutoCloseable
{
    private record Chunk(byte[] bytes, long deliverAtNanos) {}

    private final ServerSocket listener;
    private final int serverPort;
    private volatile long congestedFromNanos = Long.MAX_VALUE;
    private volatile long congestedUntilNanos = Long.MIN_VALUE;
    private volatile long delayNanos;
    private final Thread acceptor;

    public DelayingRelay(int serverPort)
            throws IOException
    {
        this.serverPort = serverPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "relay-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port()
    {
        return listener.getLocalPort();
    }

    /** From {@code after} from now, for {@code length}, both directions' bytes wait {@code delay} before they go on. */
    public void congest(Duration after, Duration length, Duration delay)
    {
        long now = System.nanoTime();
        delayNanos = delay.toNanos();
        congestedFromNanos = now + after.toNanos();
        congestedUntilNanos = now + after.toNanos() + length.toNanos();
    }

    private void accept()
    {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket();
                server.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort));
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                AtomicInteger open = new AtomicInteger(2);
                pump(client, server, open);
                pump(server, client, open);
            }
            catch (IOException e) {
                // closed
            }
        }
    }

    /** One direction: a reader stamps each chunk with when it may go on, a writer sends it then. */
    private void pump(Socket from, Socket to, AtomicInteger open)
            throws IOException
    {
        BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        InputStream input = from.getInputStream();
        OutputStream output = to.getOutputStream();
        Thread reader = new Thread(() -> {
            byte[] buffer = new byte[65536];
            long lastDelivery = 0;
            try {
                int read;
                while ((read = input.read(buffer)) >= 0) {
                    long now = System.nanoTime();
                    long deliverAt = Math.max(lastDelivery, now >= congestedFromNanos && now < congestedUntilNanos ? now + delayNanos : now);
                    lastDelivery = deliverAt;
                    queue.add(new Chunk(Arrays.copyOf(buffer, read), deliverAt));
                }
            }
            catch (IOException e) {
                // the connection ended
            }
            queue.add(new Chunk(null, lastDelivery));
        }, "relay-read");
        Thread writer = new Thread(() -> {
            try {
                while (true) {
                    Chunk chunk = queue.take();
                    long wait = chunk.deliverAtNanos() - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    if (chunk.bytes() == null) {
                        to.shutdownOutput();
                        break;
                    }
                    output.write(chunk.bytes());
                    output.flush();
                }
            }
            catch (IOException | InterruptedException e) {
                // the connection ended
            }
            // both directions done: the sockets go
            if (open.decrementAndGet() == 0) {
                closeQuietly(from);
                closeQuietly(to);
            }
        }, "relay-write");
        reader.setDaemon(true);
        writer.setDaemon(true);
        reader.start();
        writer.start();
    }

    private static void closeQuietly(Socket socket)
    {
        try {
            socket.close();
        }
        catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close()
            throws IOException
    {
        listener.close();
    }
}
