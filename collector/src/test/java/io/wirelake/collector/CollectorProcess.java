package io.wirelake.collector;

import io.wirelake.store.LocalObjectStore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A collector in a process of its own, for the tests that kill it, trace its system calls or run
 * a second one beside it: store, spool, node, port. SIGTERM stops it as {@code collector run} stops.
 */
public final class CollectorProcess
{
    private CollectorProcess() {}

    public static void main(String[] args)
            throws Exception
    {
        Collector collector = new Collector(new Collector.Options(args[2], "lo", Optional.of("udp and dst port " + args[3]), 65535,
                new Rotation(600, 64L << 20), Path.of(args[1]), 0, 0, "127.0.0.1", -1, true, Duration.ofSeconds(10)),
                new LocalObjectStore(Path.of(args[0])), Optional.empty());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            collector.stop();
            try {
                collector.awaitStopped(Duration.ofSeconds(30));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        new Thread(() -> {
            try {
                if (collector.awaitStarted(Duration.ofSeconds(60))) {
                    System.out.println("STARTED");
                    System.out.flush();
                }
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }).start();
        collector.run();
    }
}
