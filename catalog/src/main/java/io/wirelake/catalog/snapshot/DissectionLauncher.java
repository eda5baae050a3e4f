package io.wirelake.catalog.snapshot;

import io.wirelake.store.dissection.DissectionSpec;

import java.util.List;
import java.util.Map;

/**
 * The narrow boundary through which the catalog runs a dissection: a {@link DissectionSpec}
 * (capture and metadata URIs, window, output) in, Parquet tables ({@code api_calls/},
 * {@code flows/}) under the spec's output out. The catalog does not know the parsers; the CLI
 * plugs in the Flink job (a local MiniCluster, or a Flink cluster through its REST API).
 */
public interface DissectionLauncher
{
    /** Whether the job reads and writes this store's URIs itself (else the catalog stages through a local directory). */
    default boolean readsInPlace(io.wirelake.store.ObjectStore store)
    {
        return store instanceof io.wirelake.store.LocalObjectStore;
    }

    /** How the launcher would have the spec shaped (parallelism, slicing, body cap) before the catalog fills in the snapshot. */
    default DissectionSpec shape(DissectionSpec spec)
    {
        return spec;
    }

    /**
     * @param protocols the protocols the job detected, when it was limited to some (empty: all)
     */
    record Report(Map<String, Long> counters, List<String> damage, List<String> protocols)
    {
        public Report
        {
            counters = Map.copyOf(counters);
            damage = List.copyOf(damage);
            protocols = List.copyOf(protocols);
        }

        public Report(Map<String, Long> counters, List<String> damage)
        {
            this(counters, damage, List.of());
        }
    }

    Report dissect(DissectionSpec spec)
            throws Exception;
}
