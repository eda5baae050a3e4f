package io.wirelake.store;

import static java.util.Objects.requireNonNull;

/** One object of a store: its key (relative to the store's root) and size in bytes. */
public record ObjectInfo(String key, long size)
{
    public ObjectInfo
    {
        requireNonNull(key, "key is null");
    }
}
