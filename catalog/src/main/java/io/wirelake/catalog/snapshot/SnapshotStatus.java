package io.wirelake.catalog.snapshot;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A snapshot's lifecycle ({@code creating → created → dissecting → dissected | failed}) and what
 * the last dissection reported. The only file of a snapshot that changes. Its first version,
 * {@code creating}, is written with a conditional write: it claims the name (see
 * {@link Snapshots#create}).
 *
 * @param protocols the protocols the last dissection was limited to (empty: all it knows)
 */
public record SnapshotStatus(String id, String state, String updatedAt, Map<String, Long> stats, java.util.List<String> damage, String error,
                             java.util.List<String> protocols)
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
        // A status written before dissections could be limited has none: it detected everything.
        protocols = protocols == null ? java.util.List.of() : java.util.List.copyOf(protocols);
    }

    public SnapshotStatus(String id, String state, String updatedAt, Map<String, Long> stats, java.util.List<String> damage, String error)
    {
        this(id, state, updatedAt, stats, damage, error, java.util.List.of());
    }

    public static SnapshotStatus of(String id, String state)
    {
        return new SnapshotStatus(id, state, java.time.Instant.now().toString(), Map.of(), null, null);
    }
}
