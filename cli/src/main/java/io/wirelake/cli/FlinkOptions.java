package io.wirelake.cli;

import picocli.CommandLine.Option;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/** Where and how a snapshot is dissected: the local MiniCluster or a Flink cluster, tasks, time slices and the protocols detected. */
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

    @Option(names = "--protocols", split = ",", paramLabel = "http,dns,...",
            description = {"Detect only these protocols (Kubeshark's tap.enabledDissectors): http (with HTTP/2, gRPC, GraphQL), ws, dns, tls, redis,",
                    "kafka, amqp, ldap, radius, diameter. Default: all. Flows of the others are still tracked, as TCP/UDP rows; the report says so."})
    List<String> protocols;

    DissectionSettings settings()
    {
        return new DissectionSettings(parallelism, slices, protocols == null ? List.of() : protocols);
    }

    Optional<URI> cluster()
    {
        String url = flink != null ? flink : System.getenv("WIRELAKE_FLINK_URL");
        return url == null || url.isBlank() ? Optional.empty() : Optional.of(URI.create(url.strip()));
    }
}
