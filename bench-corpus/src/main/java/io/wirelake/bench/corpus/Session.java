package io.wirelake.bench.corpus;

import java.nio.file.Path;

/**
 * One real server and its real clients. The server starts (and is ready) before the capture
 * starts, so the capture holds the clients' traffic and not the servers' start-up; the clients'
 * traffic runs while tcpdump records; the server stops after the capture.
 */
interface Session
        extends AutoCloseable
{
    String name();

    /** Starts the server in a directory of its own and waits until it serves. */
    void start(Path directory)
            throws Exception;

    /**
     * The clients' traffic, scaled: {@code scale} 1 is the corpus's size, smaller values make a
     * smaller corpus of the same kinds of traffic (for a quick check of the recipe).
     */
    void run(double scale)
            throws Exception;

    @Override
    void close()
            throws Exception;

    /** A count scaled, at least one. */
    static int scaled(int count, double scale)
    {
        return Math.max(1, (int) Math.round(count * scale));
    }
}
