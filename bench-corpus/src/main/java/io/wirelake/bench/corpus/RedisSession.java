package io.wirelake.bench.corpus;

import java.nio.file.Path;
import java.util.List;

/**
 * redis-server (port 6379) and redis-benchmark: a cache's strings of a few hundred bytes, lists
 * read a hundred elements at a time, hashes, counters, some pipelined clients, and values of tens
 * of kilobytes.
 */
final class RedisSession
        implements Session
{
    static final int PORT = 6379;

    private Process server;

    @Override
    public String name()
    {
        return "redis (redis-server, redis-benchmark)";
    }

    @Override
    public void start(Path directory)
            throws Exception
    {
        Path log = directory.resolve("redis.log");
        java.nio.file.Files.createDirectories(directory);
        server = Processes.start(log, List.of("redis-server", "--port", String.valueOf(PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                "--dir", directory.toString()));
        Processes.waitForTcp(PORT, server, log);
    }

    @Override
    public void run(double scale)
            throws Exception
    {
        String port = String.valueOf(PORT);
        Processes.run(List.of("redis-benchmark", "-h", "127.0.0.1", "-p", port, "-q", "-r", "10000", "-c", "8", "-n", String.valueOf(Session.scaled(4_000, scale)),
                "-d", "300", "-t", "set,get,incr,lpush,hset"));
        Processes.run(List.of("redis-benchmark", "-h", "127.0.0.1", "-p", port, "-q", "-c", "4", "-n", String.valueOf(Session.scaled(400, scale)),
                "-d", "300", "-t", "lpush,lrange_100"));
        Processes.run(List.of("redis-benchmark", "-h", "127.0.0.1", "-p", port, "-q", "-r", "10000", "-c", "4", "-P", "16", "-n", String.valueOf(Session.scaled(10_000, scale)),
                "-d", "120", "-t", "set,get,mset"));
        Processes.run(List.of("redis-benchmark", "-h", "127.0.0.1", "-p", port, "-q", "-r", "200", "-c", "2", "-n", String.valueOf(Session.scaled(200, scale)),
                "-d", "40000", "-t", "set,get"));
    }

    @Override
    public void close()
            throws Exception
    {
        Processes.stop(server);
    }
}
