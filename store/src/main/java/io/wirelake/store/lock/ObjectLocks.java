package io.wirelake.store.lock;

import java.io.IOException;

/**
 * Retention and legal hold on single objects: S3 Object Lock on a bucket that has it, and lock
 * records that the local store enforces itself. The rules are S3's: a compliance retention can
 * only be extended; a governance retention can be shortened or removed only with
 * {@code bypassGovernance}; a legal hold has no date and blocks deletes until it is released.
 */
public interface ObjectLocks
{
    /** Sets (or extends) the object's retention. */
    void retain(String key, LockMode mode, java.time.Instant until, boolean bypassGovernance)
            throws IOException;

    void legalHold(String key, boolean on)
            throws IOException;

    /** The object's lock; {@link ObjectLock#NONE} when it has none. */
    ObjectLock lock(String key)
            throws IOException;

    /** Deletes an object whose governance retention still runs (refused under compliance or legal hold). */
    void deleteBypassingGovernance(String key)
            throws IOException;

    /** The time retentions are judged at: the local store's clock, or this machine's for S3 (whose server judges for itself). */
    default java.time.Instant now()
    {
        return java.time.Instant.now();
    }

    /**
     * Whether retention can be set at all: always on the local store; on S3 only when the bucket
     * was created with Object Lock (which also turns versioning on).
     */
    boolean locksEnabled()
            throws IOException;
}
