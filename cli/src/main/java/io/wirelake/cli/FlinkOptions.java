package io.wirelake.cli;

import picocli.CommandLine.Option;

import java.net.URI;
import java.util.Optional;

/** Where and how a snapshot is dissected: the local MiniCluster or a Flink cluster, tasks and time slices. */
final class FlinkOptions
{
    @Option(names = "--parallelism", paramLabel = "N",
            description = "Flink tasks (default: one per core locally, the cluster's slots with --flink; at most one per scan unit).")
    int parallelism;

    @Option(names = "--slices", paramLabel = "N", defaultValue = "1",
            description = "Time slices per node, each a scan unit of its own: one node's captures use up to N tasks (default: ${DEFAULT-VALUE}).")
    int slices;

    @Option(names = "--flink", paramLabel = "URL",
            description = "Submit the job to the Flink cluster whose REST API this is, http://HOST:PORT (default: $WIRELAKE_FLINK_URL, else a local MiniCluster).")
    String flink;

    DissectionSettings settings()
    {
        return new DissectionSettings(parallelism, slices);
    }

    Optional<URI> cluster()
    {
        String url = flink != null ? flink : System.getenv("WIRELAKE_FLINK_URL");
        return url == null || url.isBlank() ? Optional.empty() : Optional.of(URI.create(url.strip()));
    }
}
