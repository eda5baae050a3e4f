package io.wirelake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.kfl.CompiledFilter;
import io.wirelake.kfl.KflCompiler;
import io.wirelake.kfl.KflException;
import io.wirelake.query.report.Drift;
import io.wirelake.query.report.DriftFormat;
import io.wirelake.query.report.DriftReport;
import io.wirelake.query.report.DriftThresholds;
import io.wirelake.query.report.Severity;
import io.wirelake.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code wirelake diff BASELINE CURRENT}: the drift report between two dissected snapshots. */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = {"What changed between two dissected snapshots: new and removed endpoints and edges, latency and error-rate regressions,",
                "401/403 spikes, new external destinations, clear text where TLS was, TLS downgrades, new listeners, volume shifts and handshake",
                "RTT regressions. Exit 3 when a finding reaches --fail-on (for CI gates)."})
final class DiffCommand
        implements Callable<Integer>
{
    /** The exit code when a finding reaches {@code --fail-on}. */
    static final int DRIFT_FOUND = 3;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "BASELINE")
    String baseline;

    @Parameters(index = "1", paramLabel = "CURRENT")
    String current;

    @Option(names = "--kfl", paramLabel = "EXPR", description = "Compare only the calls (or flows) this KFL2 filter selects.")
    String kfl;

    @Option(names = "--format", defaultValue = "md", paramLabel = "FORMAT", description = "md (default), json or html.")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE (the Markdown summary still goes to the terminal).")
    Path output;

    @Option(names = "--fail-on", paramLabel = "SEVERITY", description = "Exit 3 when a finding is at least info, warning or critical.")
    String failOn;

    @Option(names = "--min-requests", defaultValue = "50", paramLabel = "N", description = "Calls per side before latency and error rates compare (default: ${DEFAULT-VALUE}).")
    long minimumRequests;

    @Option(names = "--min-tail-calls", defaultValue = "5", paramLabel = "N",
            description = "Calls beyond a percentile per side before it compares: p95 from 20*N calls, p99 from 100*N (default: ${DEFAULT-VALUE}).")
    long minimumTailCalls;

    @Option(names = "--latency-ratio", defaultValue = "1.5", paramLabel = "X", description = "p95/p99 ratio that flags a regression (default: ${DEFAULT-VALUE}).")
    double latencyRatio;

    @Option(names = "--latency-floor-ms", defaultValue = "50", paramLabel = "MS", description = "...and by at least this much (default: ${DEFAULT-VALUE}).")
    double latencyFloor;

    @Option(names = "--error-rate-increase", defaultValue = "0.02", paramLabel = "F", description = "Error-rate rise that flags, as a fraction (default: ${DEFAULT-VALUE}).")
    double errorRateIncrease;

    @Option(names = "--error-z", defaultValue = "3.0", paramLabel = "Z", description = "...and its two-proportion z statistic at least (default: ${DEFAULT-VALUE}).")
    double errorZ;

    @Option(names = "--min-flows", defaultValue = "20", paramLabel = "N", description = "Flows per side before volume and RTT compare (default: ${DEFAULT-VALUE}).")
    long minimumFlows;

    @Option(names = "--volume-ratio", defaultValue = "2.0", paramLabel = "X", description = "Bytes-per-minute change of a top edge that flags (default: ${DEFAULT-VALUE}).")
    double volumeRatio;

    @Option(names = "--volume-top", defaultValue = "10", paramLabel = "N", description = "Edges compared for volume: the N busiest on either side (default: ${DEFAULT-VALUE}).")
    int volumeTop;

    @Option(names = "--rtt-ratio", defaultValue = "2.0", paramLabel = "X", description = "Handshake RTT p95 ratio that flags (default: ${DEFAULT-VALUE}).")
    double rttRatio;

    @Option(names = "--rtt-floor-us", defaultValue = "500", paramLabel = "US", description = "...and by at least this many microseconds (default: ${DEFAULT-VALUE}).")
    double rttFloor;

    @Option(names = "--cluster-cidrs", split = ",", paramLabel = "CIDR,...",
            description = "The cluster's address ranges (default: the private and special-use ranges); servers outside them are external destinations.")
    List<String> clusterCidrs;

    @Override
    public Integer call()
            throws Exception
    {
        String chosen = format.toLowerCase(Locale.ROOT);
        if (!List.of("md", "json", "html").contains(chosen)) {
            throw new IllegalArgumentException("--format must be md, json or html");
        }
        Optional<Severity> gate = Optional.ofNullable(failOn).map(Severity::of);
        Optional<CompiledFilter> filter;
        try {
            filter = kfl == null || kfl.isBlank() ? Optional.empty() : Optional.of(new KflCompiler().compile(kfl, Optional.empty(), Instant.now()));
        }
        catch (KflException e) {
            System.err.println("wirelake: " + e.getMessage());
            return 2;
        }
        DriftThresholds thresholds = new DriftThresholds(minimumRequests, minimumTailCalls, latencyRatio, latencyFloor, errorRateIncrease, errorZ, minimumFlows, volumeRatio, volumeTop,
                rttRatio, rttFloor, clusterCidrs == null ? DriftThresholds.DEFAULT_CLUSTER_CIDRS : clusterCidrs);
        DriftReport report;
        try (ObjectStore store = Wirelake.openStore(spec)) {
            report = Drift.compare(Wirelake.queryService(spec), store, baseline, current, thresholds, filter);
        }
        String text = switch (chosen) {
            case "json" -> new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(DriftFormat.json(report)) + "\n";
            case "html" -> DriftFormat.html(report);
            default -> DriftFormat.markdown(report);
        };
        if (output != null) {
            Files.writeString(output, text, StandardCharsets.UTF_8);
            if (!chosen.equals("md")) {
                System.out.print(DriftFormat.markdown(report));
            }
            System.err.println("wirelake: drift report written to " + output);
        }
        else {
            System.out.print(text);
        }
        boolean failed = gate.isPresent() && report.worst().filter(worst -> worst.compareTo(gate.get()) >= 0).isPresent();
        return failed ? DRIFT_FOUND : 0;
    }
}
