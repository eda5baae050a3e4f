package io.wirelake.query.report;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What changed between a baseline snapshot and a current one: findings, each from one named
 * check, about one subject, with the numbers on each side (per minute of each window where counts
 * are compared) and a sentence saying what it means.
 */
public record DriftReport(String baseline, String current, Window baselineWindow, Window currentWindow, Optional<String> kfl,
                          DriftThresholds thresholds, List<Finding> findings, Context context)
{
    /**
     * What the charts of a report show beside the findings: the busiest endpoints on both sides
     * (and those with findings), and the edges between workloads with the side(s) they were seen on.
     */
    public record Context(Stats.Result endpoints, List<EdgePresence> edges)
    {
        public Context
        {
            requireNonNull(endpoints, "endpoints is null");
            edges = List.copyOf(edges);
        }
    }

    public record EdgePresence(String client, String server, boolean inBaseline, boolean inCurrent, long baselineFlows, long currentFlows) {}

    /** The checks, by the names findings carry. */
    public static final List<String> CHECKS = List.of("new_endpoint", "removed_endpoint", "latency_regression", "error_rate_increase",
            "new_edge", "removed_edge", "new_external_destination", "plaintext_appeared", "tls_downgrade", "new_listener",
            "volume_shift", "rtt_regression");

    public record Finding(String check, Severity severity, String subject, Map<String, Object> baseline, Map<String, Object> current, String detail)
    {
        public Finding
        {
            requireNonNull(check, "check is null");
            requireNonNull(severity, "severity is null");
            requireNonNull(subject, "subject is null");
            baseline = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(baseline));
            current = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(current));
            requireNonNull(detail, "detail is null");
            if (!CHECKS.contains(check)) {
                throw new IllegalArgumentException("no such check: " + check);
            }
        }
    }

    public DriftReport
    {
        requireNonNull(baseline, "baseline is null");
        requireNonNull(current, "current is null");
        requireNonNull(context, "context is null");
        findings = findings.stream().sorted(Comparator.comparing(Finding::severity).reversed().thenComparing(finding -> CHECKS.indexOf(finding.check()))
                .thenComparing(Finding::subject)).toList();
    }

    public long count(Severity severity)
    {
        return findings.stream().filter(finding -> finding.severity() == severity).count();
    }

    /** The most severe finding's severity, if any. */
    public Optional<Severity> worst()
    {
        return findings.stream().map(Finding::severity).max(Comparator.naturalOrder());
    }
}
