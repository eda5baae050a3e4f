package io.wirelake.dissect.job;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes scanned so far, per job, for a progress display. Tasks of a local MiniCluster share the
 * launcher's JVM and update it directly; on a remote cluster it stays at zero and the launcher
 * shows elapsed time only.
 */
public final class Progress
{
    private static final Map<String, AtomicLong> BYTES = new ConcurrentHashMap<>();

    private Progress() {}

    public static AtomicLong bytes(String token)
    {
        return BYTES.computeIfAbsent(token, key -> new AtomicLong());
    }

    public static void forget(String token)
    {
        BYTES.remove(token);
    }
}
