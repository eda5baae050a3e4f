package io.wirelake.mcp;

import io.wirelake.catalog.evidence.Evidence;
import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.query.QueryService;
import io.wirelake.store.ObjectStore;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * What the tools work on: the store's snapshots through the evidence package (so a snapshot a tool
 * creates is sealed, and what is done with it enters its custody log), the query layer, and a
 * directory for temporary files.
 */
public record Lake(Evidence evidence, QueryService queries, Path workDirectory)
{
    public Lake
    {
        requireNonNull(evidence, "evidence is null");
        requireNonNull(queries, "queries is null");
        requireNonNull(workDirectory, "workDirectory is null");
    }

    public ObjectStore store()
    {
        return evidence.store();
    }

    public Snapshots snapshots()
    {
        return evidence.snapshots();
    }
}
