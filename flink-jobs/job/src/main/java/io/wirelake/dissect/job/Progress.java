package io.wirelake.dissect.job;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes scanned so far, per job, for a local progress display: the tasks of a local MiniCluster
 * share the launcher's JVM and register their counters here. A remote launcher reads the same
 * counters as the job's {@value DissectionJob#PROGRESS_ACCUMULATOR} accumulator instead.
 */
public final class Progress
{
    private static final Map<String, List<AtomicLong>> COUNTERS = new ConcurrentHashMap<>();

    private Progress() {}

    static void register(String token, AtomicLong counter)
    {
        COUNTERS.computeIfAbsent(token, key -> new CopyOnWriteArrayList<>()).add(counter);
    }

    /** Bytes the job's tasks in this JVM have read. */
    public static long bytes(String token)
    {
        return COUNTERS.getOrDefault(token, List.of()).stream().mapToLong(AtomicLong::get).sum();
    }

    public static void forget(String token)
    {
        COUNTERS.remove(token);
    }
}
