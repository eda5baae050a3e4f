package io.wirelake.catalog.schedule;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.store.ObjectStore;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static java.util.Objects.requireNonNull;

/**
 * A lock held as an object of the store ({@code locks/<name>.json}), so that processes on
 * different machines sharing one store take turns: created with a conditional write (one winner),
 * released by its owner, and taken over once it has expired (a holder that died). The object
 * says who holds it, from where, and until when.
 */
public final class StoreLock
        implements AutoCloseable
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ObjectStore store;
    private final String key;
    private final byte[] content;
    private boolean held = true;

    private StoreLock(ObjectStore store, String key, byte[] content)
    {
        this.store = store;
        this.key = key;
        this.content = content;
    }

    /** The lock if it is free (or expired), else empty: someone else holds it. */
    public static Optional<StoreLock> tryAcquire(ObjectStore store, String name, Duration lease, Instant now)
            throws IOException
    {
        requireNonNull(store, "store is null");
        String key = "locks/" + io.wirelake.store.Layout.checkName("lock", name) + ".json";
        byte[] content = JSON.writeValueAsBytes(Map.of("owner", UUID.randomUUID().toString(), "host", host(), "pid", ProcessHandle.current().pid(),
                "acquired", now.toString(), "expires", now.plus(lease).toString()));
        if (store.putIfAbsent(key, content)) {
            return Optional.of(new StoreLock(store, key, content));
        }
        Optional<Holder> holder = holder(store, key);
        if (holder.isPresent() && holder.get().expires().isBefore(now)) {
            // The holder's lease ran out: take the lock over, if nobody else did first.
            byte[] seen = store.read(key);
            if (Arrays.equals(seen, holder.get().raw())) {
                store.delete(key);
                if (store.putIfAbsent(key, content)) {
                    return Optional.of(new StoreLock(store, key, content));
                }
            }
        }
        return Optional.empty();
    }

    /** Who holds a lock, for messages. */
    public static Optional<Holder> holder(ObjectStore store, String name)
            throws IOException
    {
        String key = name.startsWith("locks/") ? name : "locks/" + name + ".json";
        byte[] raw;
        try {
            raw = store.read(key);
        }
        catch (java.nio.file.NoSuchFileException e) {
            return Optional.empty();
        }
        Map<?, ?> values = JSON.readValue(raw, Map.class);
        return Optional.of(new Holder(String.valueOf(values.get("host")), String.valueOf(values.get("pid")), Instant.parse(String.valueOf(values.get("expires"))), raw));
    }

    public record Holder(String host, String pid, Instant expires, byte[] raw) {}

    @Override
    public void close()
            throws IOException
    {
        if (!held) {
            return;
        }
        held = false;
        // Release only our own lock: after an expiry another process may hold it now.
        try {
            if (Arrays.equals(store.read(key), content)) {
                store.delete(key);
            }
        }
        catch (java.nio.file.NoSuchFileException e) {
            // already taken away
        }
    }

    private static String host()
    {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        }
        catch (IOException e) {
            return "unknown";
        }
    }
}
