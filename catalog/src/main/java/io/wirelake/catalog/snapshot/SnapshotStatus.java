package io.wirelake.catalog.snapshot;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A snapshot's lifecycle ({@code creating → created → dissecting → dissected | failed}) and what
 * the last dissection reported. The only file of a snapshot that changes. Its first version,
 * {@code creating}, is written with a conditional write: it claims the name (see
 * {@link Snapshots#create}).
 */
public record SnapshotStatus(String id, String state, String updatedAt, Map<String, Long> stats, java.util.List<String> damage, String error)
{
    /** The name is claimed and the objects are being frozen; no manifest yet. */
    public static final String CREATING = "creating";
    public static final String CREATED = "created";
    public static final String DISSECTING = "dissecting";
    public static final String DISSECTED = "dissected";
    public static final String FAILED = "failed";

    public SnapshotStatus
    {
        requireNonNull(id, "id is null");
        requireNonNull(state, "state is null");
        stats = stats == null ? Map.of() : Map.copyOf(stats);
        damage = damage == null ? java.util.List.of() : java.util.List.copyOf(damage);
        error = error == null ? "" : error;
    }

    public static SnapshotStatus of(String id, String state)
    {
        return new SnapshotStatus(id, state, java.time.Instant.now().toString(), Map.of(), null, null);
    }
}
