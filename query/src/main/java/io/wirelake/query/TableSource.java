package io.wirelake.query;

import io.wirelake.store.ObjectStore;

import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/** What a query reads: the tables of a {@code dissect} output directory, or snapshots' partitions of a store's tables. */
public sealed interface TableSource
{
    /** The tables {@code wirelake dissect --out DIR} wrote: {@code DIR/api_calls/}, {@code DIR/flows/}. */
    record Directory(Path path)
            implements TableSource
    {
        public Directory
        {
            requireNonNull(path, "path is null");
            path = path.toAbsolutePath().normalize();
        }
    }

    /** Dissected snapshots of a store, read through their partitions of the store's tables. */
    record Snapshots(ObjectStore store, List<String> ids)
            implements TableSource
    {
        public Snapshots
        {
            requireNonNull(store, "store is null");
            ids = List.copyOf(ids);
            if (ids.isEmpty()) {
                throw new IllegalArgumentException("name at least one snapshot");
            }
        }
    }

    static TableSource directory(Path path)
    {
        return new Directory(path);
    }

    static TableSource snapshot(ObjectStore store, String id)
    {
        return new Snapshots(store, List.of(id));
    }

    static TableSource snapshots(ObjectStore store, List<String> ids)
    {
        return new Snapshots(store, ids);
    }
}
