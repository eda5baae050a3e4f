package io.wirelake.catalog.snapshot;

/** A snapshot operation that cannot be done as asked: the message says why and what to do. */
public class SnapshotException
        extends RuntimeException
{
    public SnapshotException(String message)
    {
        super(message);
    }
}
