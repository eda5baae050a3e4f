package io.wirelake.cli;

import io.wirelake.demo.DriftOptions;
import io.wirelake.demo.DriftTruth;
import io.wirelake.demo.GeneratorOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

/** {@code wirelake generate}: demo traffic from a small fictional cluster. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Generate demo traffic: valid captures (one per node) of a small fictional Kubernetes cluster,",
                "with DNS lookups and HTTP/1.1 calls between services and injectable errors and latency. Deterministic per --seed.",
                "--scenario drift writes two days of the cluster instead, with planted changes and their ground truth (docs/DEMO.md)."})
final class GenerateCommand
        implements Callable<Integer>
{
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for <node>.pcap files.")
    Path output;

    @Option(names = "--size", defaultValue = "16MB", paramLabel = "SIZE", description = "Total capture size, e.g. 100MB or 1GB (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--error-rate", defaultValue = "0.03", description = "Fraction of HTTP responses that are 5xx (default: ${DEFAULT-VALUE}).")
    double errorRate;

    @Option(names = "--slow-rate", defaultValue = "0.02", description = "Fraction of HTTP responses delayed by --slow-ms (default: ${DEFAULT-VALUE}).")
    double slowRate;

    @Option(names = "--slow-ms", defaultValue = "2500", description = "Delay of slow responses in milliseconds (default: ${DEFAULT-VALUE}).")
    long slowMillis;

    @Option(names = "--dns-failure-rate", defaultValue = "0.02", description = "Fraction of lookups answered NXDOMAIN (default: ${DEFAULT-VALUE}).")
    double dnsFailureRate;

    @Option(names = "--cross-node-copies", description = "Also write traffic between pods on two nodes into the other node's capture, as collectors on both nodes see it.")
    boolean crossNodeCopies;

    @Option(names = "--concurrency", defaultValue = "64", description = "Connections open at once (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--start", defaultValue = "2026-03-14T22:00:00Z", description = "Capture start time, ISO-8601 (default: ${DEFAULT-VALUE}).")
    Instant start;

    @Option(names = "--scenario", paramLabel = "NAME", description = {"drift: a baseline day (DIR/baseline) and an incident day 24 h later (DIR/incident) of the",
            "same cluster, one planted change for each drift check, and their ground truth DIR/" + DriftTruth.FILE + ". --size is per day;",
            "--seed, --start and --cross-node-copies apply, the rates and --concurrency do not."})
    String scenario;

    @Override
    public Integer call()
            throws Exception
    {
        if (scenario != null) {
            if (!scenario.equals("drift")) {
                throw new IllegalArgumentException("unknown scenario '" + scenario + "' (known: drift)");
            }
            DriftTraffic.generate(DriftOptions.ofSize(Sizes.parse(size), seed).withStart(start).withCrossNodeCopies(crossNodeCopies), output, System.out,
                    System.err);
            return 0;
        }
        GeneratorOptions options = new GeneratorOptions(Sizes.parse(size), seed, errorRate, slowRate, slowMillis, dnsFailureRate, concurrency, start, crossNodeCopies);
        DemoTraffic.generate(options, output, System.out, System.err);
        return 0;
    }
}
