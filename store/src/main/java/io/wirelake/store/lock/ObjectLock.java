package io.wirelake.store.lock;

import java.time.Instant;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The lock on one object: a retention (mode and date) and a legal hold, each optional, as S3
 * Object Lock has them.
 */
public record ObjectLock(Optional<LockMode> mode, Optional<Instant> retainUntil, boolean legalHold)
{
    public static final ObjectLock NONE = new ObjectLock(Optional.empty(), Optional.empty(), false);

    public ObjectLock
    {
        requireNonNull(mode, "mode is null");
        requireNonNull(retainUntil, "retainUntil is null");
        if (mode.isPresent() != retainUntil.isPresent()) {
            throw new IllegalArgumentException("a retention has both a mode and a date");
        }
    }

    public static ObjectLock retention(LockMode mode, Instant until, boolean legalHold)
    {
        return new ObjectLock(Optional.of(mode), Optional.of(until), legalHold);
    }

    /** Whether the retention still runs at {@code now}. */
    public boolean retainedAt(Instant now)
    {
        return retainUntil.map(now::isBefore).orElse(false);
    }

    /** Why the object cannot be deleted or overwritten at {@code now}, if it cannot. */
    public Optional<String> refusal(Instant now, boolean bypassGovernance)
    {
        if (legalHold) {
            return Optional.of("it is under legal hold");
        }
        if (retainedAt(now) && (mode.orElseThrow() == LockMode.COMPLIANCE || !bypassGovernance)) {
            return Optional.of("it is retained in " + mode.orElseThrow().label() + " mode until " + retainUntil.orElseThrow()
                    + (mode.orElseThrow() == LockMode.GOVERNANCE ? " (governance mode can be bypassed only explicitly)" : ""));
        }
        return Optional.empty();
    }

    public ObjectLock withLegalHold(boolean on)
    {
        return new ObjectLock(mode, retainUntil, on);
    }
}
