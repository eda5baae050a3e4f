package io.wirelake.collector;

/**
 * When a segment ends: after {@code seconds} of capture time or {@code bytes} of file, whichever
 * comes first. Time is the packets' own (so an import of old captures rotates like the live
 * capture did), and a quiet interface still rotates on the wall clock (see {@link SegmentWriter#tick}).
 */
public record Rotation(long seconds, long bytes)
{
    public static final Rotation DEFAULT = new Rotation(60, 64L << 20);
    /** The largest object S3 takes in one PutObject (and CopyObject, which snapshots use). */
    public static final long MAX_BYTES = 5L << 30;

    public Rotation
    {
        if (seconds <= 0) {
            throw new IllegalArgumentException("--rotate-seconds must be positive: " + seconds);
        }
        if (bytes < 4096) {
            throw new IllegalArgumentException("--rotate-bytes must be at least 4096: " + bytes);
        }
        if (bytes > MAX_BYTES) {
            // Refused before capturing, not discovered at the first upload hours later.
            throw new IllegalArgumentException("--rotate-bytes must be at most 5GiB (" + MAX_BYTES + "), the largest object S3 takes in one upload: " + bytes);
        }
    }

    long micros()
    {
        return seconds * 1_000_000L;
    }
}
