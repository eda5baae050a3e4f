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
    record Job(List<String> captures, List<String> metadata, List<String> nodes, long fromMicros, long toMicros, String output) {}

    record Report(Map<String, Long> counters, List<String> damage) {}

    Report dissect(Job job)
            throws Exception;
}
