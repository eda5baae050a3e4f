package io.wirelake.catalog.snapshot;

import java.util.List;
import java.util.Map;

/**
 * The narrow boundary through which the catalog runs a dissection: capture and metadata URIs in,
 * Parquet tables ({@code api_calls/}, {@code flows/}) under an output URI out. The catalog does
 * not know the parsers; the CLI plugs in the Flink job (a local MiniCluster or a cluster).
 */
public interface DissectionLauncher
{
    /**
     * @param output where the tables go: {@code <output>/<table>/}, or with a partition
     *        {@code <output>/<table>/snapshot_id=<partition>/} (the lake's layout, written in place)
     */
    record Job(List<String> captures, List<String> metadata, List<String> nodes, long fromMicros, long toMicros, String output, String partition) {}

    /** Whether the job reads and writes this store's URIs itself (else the catalog stages through a local directory). */
    default boolean readsInPlace(io.wirelake.store.ObjectStore store)
    {
        return store instanceof io.wirelake.store.LocalObjectStore;
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

    Report dissect(Job job)
            throws Exception;
}
