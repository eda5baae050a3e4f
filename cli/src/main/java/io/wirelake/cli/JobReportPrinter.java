package io.wirelake.cli;

import io.wirelake.dissect.scan.ScanReport;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Prints a dissection's job report: what was read, found, skipped and damaged, and how fast. */
final class JobReportPrinter
{
    private JobReportPrinter() {}

    /** @param cpuSeconds the job's CPU time, or negative when it ran elsewhere (a Flink cluster) */
    static void print(PrintStream out, ScanReport report, long inputBytes, long wallMillis, double cpuSeconds)
    {
        print(out, report, inputBytes, wallMillis, cpuSeconds, List.of());
    }

    /** @param protocols the protocols the dissection was limited to (empty: all) */
    static void print(PrintStream out, ScanReport report, long inputBytes, long wallMillis, double cpuSeconds, List<String> protocols)
    {
        out.printf("  captures    %s files, %s scan units, %s%n", Sizes.count(report.get("files")), Sizes.count(report.get("units")), Sizes.format(inputBytes));
        if (!protocols.isEmpty()) {
            out.printf("  protocols   only %s detected (--protocols); not detected: %s%n", String.join(", ", protocols), String.join(", ", notDetected(protocols)));
        }
        out.printf("  packets     %s (%s captured)%n", Sizes.count(report.get("packets")), Sizes.format(report.get("bytes")));
        Map<String, Long> flows = report.withPrefix("flows.");
        long flowTotal = flows.entrySet().stream().filter(entry -> entry.getKey().equals(entry.getKey().toUpperCase(Locale.ROOT)))
                .mapToLong(Map.Entry::getValue).sum();
        out.printf("  flows       %s (%s)%n", Sizes.count(flowTotal), join(flows));
        Map<String, Long> rows = report.withPrefix("rows.");
        out.printf("  api calls   %s (%s)%n", Sizes.count(rows.values().stream().mapToLong(Long::longValue).sum()), rows.isEmpty() ? "none" : join(rows));
        long retransmissions = report.get("tcp.retransmissions");
        long gaps = report.get("tcp.gaps");
        if (retransmissions > 0 || gaps > 0) {
            out.printf("  tcp         %s retransmitted segments, %s gaps in reassembly%n", Sizes.count(retransmissions), Sizes.count(gaps));
        }
        if (report.get("ip.fragments_reassembled") > 0 || report.get("ip.fragments_incomplete") > 0) {
            out.printf("  ip          %s datagrams reassembled from fragments, %s incomplete%n", Sizes.count(report.get("ip.fragments_reassembled")),
                    Sizes.count(report.get("ip.fragments_incomplete")));
        }
        Map<String, Long> fragmentsDropped = report.withPrefix("ip.fragments_dropped.");
        if (!fragmentsDropped.isEmpty()) {
            out.printf("  fragments   datagrams given up: %s%n", join(fragmentsDropped));
        }
        Map<String, Long> evicted = report.withPrefix("flows.evicted.");
        long overBudget = report.get("tcp.held_bytes_over_budget");
        if (!evicted.isEmpty() || overBudget > 0) {
            // hostile or simply huge traffic: the scan's budgets ended flows early (see docs/DISSECTION.md#budgets)
            out.printf("  budgets     flows ended early to stay within the flow budget: %s; streams that let holes go for the held-bytes budget: %s%n",
                    evicted.isEmpty() ? "none" : join(evicted), Sizes.count(overBudget));
        }
        Map<String, Long> redacted = report.withPrefix("redacted.");
        out.printf("  redacted    %s%n", redacted.isEmpty() ? "nothing" : join(redacted) + " (values replaced by their length and keyed hash)");
        Map<String, Long> anomalies = report.withPrefix("anomaly.");
        out.printf("  anomalies   %s%n", anomalies.isEmpty() ? "none" : join(anomalies));
        Map<String, Long> skipped = report.withPrefix("skipped.");
        out.printf("  skipped     %s%n", skipped.isEmpty() ? "nothing" : join(skipped));
        if (report.get("dissector_errors") > 0) {
            Map<String, Long> defects = report.withPrefix("dissector_errors.");
            out.printf("  defects     %s dissector failures (%s): the rest of those flows was skipped and the job went on; the log has the first"
                    + " stack trace of each, please report it%n", Sizes.count(report.get("dissector_errors")), join(defects));
        }
        for (String damage : report.damageMessages()) {
            out.printf("  damaged     %s%n", damage);
        }
        double wallSeconds = Math.max(wallMillis / 1000.0, 0.001);
        double megabytes = inputBytes / 1e6;
        if (cpuSeconds < 0) {
            // The job ran on a cluster: its CPU time is the TaskManagers', not this process's.
            out.printf(Locale.ROOT, "  throughput  %.1f s wall (submission to end), %.1f MB/s%n", wallSeconds, megabytes / wallSeconds);
            return;
        }
        out.printf(Locale.ROOT, "  throughput  %.1f s wall, %.1f MB/s; %.1f CPU-s, %.1f MB and %s packets per CPU-second (includes Flink start-up)%n",
                wallSeconds, megabytes / wallSeconds, cpuSeconds, megabytes / Math.max(cpuSeconds, 0.001),
                Sizes.count((long) (report.get("packets") / Math.max(cpuSeconds, 0.001))));
    }

    /** The selectable protocols a limited dissection left out ({@code tlsx} stands for {@code tls}). */
    static List<String> notDetected(List<String> protocols)
    {
        java.util.Set<String> enabled = new java.util.HashSet<>();
        protocols.forEach(name -> enabled.add(name.strip().toLowerCase(Locale.ROOT).equals("tlsx") ? "tls" : name.strip().toLowerCase(Locale.ROOT)));
        return io.wirelake.dissect.protocol.ProtocolRegistry.selectable().stream().filter(name -> !enabled.contains(name)).toList();
    }

    private static String join(Map<String, Long> counts)
    {
        return counts.entrySet().stream().map(entry -> entry.getKey() + " " + Sizes.count(entry.getValue())).collect(Collectors.joining(", "));
    }

    /** CPU time of this process so far, in seconds. */
    static double processCpuSeconds()
    {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime() / 1e9;
        }
        return 0;
    }
}
