package io.wirelake.query.report;

import io.wirelake.columns.Table;
import io.wirelake.kfl.CompiledFilter;
import io.wirelake.kfl.SqlText;
import io.wirelake.query.LakeSession;
import io.wirelake.query.LakeTables;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The drift checks between a baseline snapshot (B) and a current one (C). Each check is one SQL
 * query on Trino over both snapshots' partitions; counts are compared per minute of each
 * window. The vocabulary (endpoints, workloads, errors) is {@link Subjects}'.
 */
public final class DriftChecks
{
    /** L7 protocols whose payload travels in clear text when seen (DNS, RADIUS and Diameter are left out: they are never TLS here). */
    static final List<String> CLEARTEXT = List.of("HTTP", "HTTP/2", "WebSocket", "GraphQL", "gRPC", "Redis", "Kafka", "AMQP", "LDAP");

    /** Endpoints the charts show besides those with findings: the busiest. */
    private static final int CHART_ENDPOINTS = 12;

    private final LakeSession session;
    private final String baseline;
    private final String current;
    private final Window baselineWindow;
    private final Window currentWindow;
    private final DriftThresholds thresholds;
    private final Optional<CompiledFilter> filter;

    public DriftChecks(LakeSession session, String baseline, Window baselineWindow, String current, Window currentWindow, DriftThresholds thresholds,
            Optional<CompiledFilter> filter)
    {
        this.session = requireNonNull(session, "session is null");
        this.baseline = requireNonNull(baseline, "baseline is null");
        this.current = requireNonNull(current, "current is null");
        this.baselineWindow = requireNonNull(baselineWindow, "baselineWindow is null");
        this.currentWindow = requireNonNull(currentWindow, "currentWindow is null");
        this.thresholds = requireNonNull(thresholds, "thresholds is null");
        this.filter = requireNonNull(filter, "filter is null");
        if (baseline.equals(current)) {
            throw new IllegalArgumentException("compare two different snapshots, not " + baseline + " with itself");
        }
    }

    public DriftReport run()
            throws Exception
    {
        List<DriftReport.Finding> findings = new ArrayList<>();
        endpoints(findings);
        latency(findings);
        errors(findings);
        edges(findings);
        externalDestinations(findings);
        plaintext(findings);
        tlsDowngrades(findings);
        listeners(findings);
        volume(findings);
        handshakeRtt(findings);
        return new DriftReport(baseline, current, baselineWindow, currentWindow, filter.map(CompiledFilter::kfl), thresholds, findings, context(findings));
    }

    /** The numbers the report's charts draw: endpoints side by side, and the edge graph. */
    private DriftReport.Context context(List<DriftReport.Finding> findings)
            throws Exception
    {
        Map<String, Window> windows = new LinkedHashMap<>();
        windows.put(baseline, baselineWindow);
        windows.put(current, currentWindow);
        Stats.Result all = Stats.compute(session, windows, Stats.GroupBy.ENDPOINT, filter.filter(compiled -> compiled.table() == Table.API_CALLS));
        java.util.Set<String> subjects = findings.stream().map(DriftReport.Finding::subject).collect(Collectors.toSet());
        List<Stats.Group> shown = new ArrayList<>();
        for (Stats.Group group : all.groups()) {
            if (shown.size() < CHART_ENDPOINTS || subjects.contains(group.key())) {
                shown.add(group);
            }
        }
        Stats.Result endpoints = all.withGroups(shown);
        List<DriftReport.EdgePresence> edges = new ArrayList<>();
        for (List<Object> row : session.rows("SELECT " + Subjects.workload("src") + ", " + Subjects.server() + ", count_if(" + inBaseline() + "), count_if("
                + inCurrent() + ") FROM " + flows() + " AND " + Subjects.inCluster("src") + " GROUP BY 1, 2 ORDER BY 1, 2")) {
            long before = number(row.get(2));
            long after = number(row.get(3));
            edges.add(new DriftReport.EdgePresence((String) row.get(0), (String) row.get(1), before > 0, after > 0, before, after));
        }
        return new DriftReport.Context(endpoints, edges);
    }

    // 1. new_endpoint / removed_endpoint
    private void endpoints(List<DriftReport.Finding> findings)
            throws Exception
    {
        String sql = "SELECT " + Subjects.endpoint() + ", count_if(" + inBaseline() + "), count_if(" + inCurrent() + ") FROM " + calls()
                + " GROUP BY 1 HAVING count_if(" + inBaseline() + ") = 0 OR count_if(" + inCurrent() + ") = 0";
        for (List<Object> row : session.rows(sql)) {
            String endpoint = (String) row.get(0);
            long before = number(row.get(1));
            long after = number(row.get(2));
            if (after > 0) {
                findings.add(new DriftReport.Finding("new_endpoint", volumeSeverity(Severity.INFO, after, thresholds.minimumRequests()), endpoint,
                        Map.of("requests", 0), counts("requests", after, currentWindow),
                        String.format(Locale.ROOT, "called %d times (%.2f per minute) in %s, never in %s", after, after / currentWindow.minutes(), current, baseline)));
            }
            else {
                findings.add(new DriftReport.Finding("removed_endpoint", volumeSeverity(Severity.INFO, before, thresholds.minimumRequests()), endpoint,
                        counts("requests", before, baselineWindow), Map.of("requests", 0),
                        String.format(Locale.ROOT, "called %d times (%.2f per minute) in %s, never in %s", before, before / baselineWindow.minutes(), baseline, current)));
            }
        }
    }

    // 2. latency_regression: p95 (and p99) per endpoint up by a ratio and a floor
    private void latency(List<DriftReport.Finding> findings)
            throws Exception
    {
        String sql = "SELECT " + Subjects.endpoint() + ", count_if(" + inBaseline() + "), count_if(" + inCurrent() + "), "
                + "approx_percentile(CASE WHEN " + inBaseline() + " THEN " + Subjects.latencyMillis() + " END, ARRAY[0.5, 0.95, 0.99]), "
                + "approx_percentile(CASE WHEN " + inCurrent() + " THEN " + Subjects.latencyMillis() + " END, ARRAY[0.5, 0.95, 0.99]) FROM " + calls()
                + " GROUP BY 1 HAVING count_if(" + inBaseline() + ") >= " + thresholds.minimumRequests() + " AND count_if(" + inCurrent() + ") >= "
                + thresholds.minimumRequests();
        for (List<Object> row : session.rows(sql)) {
            if (!(row.get(3) instanceof List<?> before) || !(row.get(4) instanceof List<?> after)) {
                continue;
            }
            List<String> regressed = new ArrayList<>();
            double worstRatio = 0;
            long calls = Math.min(number(row.get(1)), number(row.get(2)));
            for (int index = 1; index <= 2; index++) {
                double tail = index == 1 ? 0.05 : 0.01;
                if (calls * tail < thresholds.minimumTailCalls()) {
                    continue;
                }
                double was = ((Number) before.get(index)).doubleValue();
                double is = ((Number) after.get(index)).doubleValue();
                if (is > thresholds.latencyRatio() * was && is - was > thresholds.latencyFloorMillis()) {
                    regressed.add(String.format(Locale.ROOT, "p%d %.1f ms -> %.1f ms (%.1fx)", index == 1 ? 95 : 99, was, is, is / Math.max(was, 1e-9)));
                    worstRatio = Math.max(worstRatio, is / Math.max(was, 1e-9));
                }
            }
            if (!regressed.isEmpty()) {
                Severity severity = worstRatio >= 2 * thresholds.latencyRatio() ? Severity.CRITICAL : Severity.WARNING;
                findings.add(new DriftReport.Finding("latency_regression", severity, (String) row.get(0), latencies(number(row.get(1)), before),
                        latencies(number(row.get(2)), after), String.join("; ", regressed)));
            }
        }
    }

    // 3. error_rate_increase (with a two-proportion z test): server errors, and 401/403 spikes on their own
    private void errors(List<DriftReport.Finding> findings)
            throws Exception
    {
        String auth = "(\"http\" AND \"status_code\" IN (401, 403))";
        String sql = "SELECT " + Subjects.endpoint() + ", count_if(" + inBaseline() + "), count_if(" + inCurrent() + "), count_if(" + inBaseline() + " AND "
                + Subjects.error() + "), count_if(" + inCurrent() + " AND " + Subjects.error() + "), count_if(" + inBaseline() + " AND " + auth + "), count_if("
                + inCurrent() + " AND " + auth + ") FROM " + calls() + " GROUP BY 1 HAVING count_if(" + inBaseline() + ") >= " + thresholds.minimumRequests()
                + " AND count_if(" + inCurrent() + ") >= " + thresholds.minimumRequests();
        for (List<Object> row : session.rows(sql)) {
            String endpoint = (String) row.get(0);
            long baselineCalls = number(row.get(1));
            long currentCalls = number(row.get(2));
            proportion(findings, "error_rate_increase", "error rate", endpoint, baselineCalls, number(row.get(3)), currentCalls, number(row.get(4)));
            proportion(findings, "error_rate_increase", "401/403 rate", endpoint, baselineCalls, number(row.get(5)), currentCalls, number(row.get(6)));
        }
    }

    private void proportion(List<DriftReport.Finding> findings, String check, String what, String endpoint, long baselineCalls, long baselineHits,
            long currentCalls, long currentHits)
    {
        double before = (double) baselineHits / baselineCalls;
        double after = (double) currentHits / currentCalls;
        double pooled = (double) (baselineHits + currentHits) / (baselineCalls + currentCalls);
        double standardError = Math.sqrt(pooled * (1 - pooled) * (1.0 / baselineCalls + 1.0 / currentCalls));
        double z = standardError == 0 ? 0 : (after - before) / standardError;
        if (after - before >= thresholds.errorRateIncrease() && z >= thresholds.errorZ()) {
            Severity severity = after >= 0.10 && after - before >= 0.05 ? Severity.CRITICAL : Severity.WARNING;
            Map<String, Object> was = new LinkedHashMap<>(Map.of("requests", baselineCalls, "errors", baselineHits, "rate", round(before)));
            Map<String, Object> is = new LinkedHashMap<>(Map.of("requests", currentCalls, "errors", currentHits, "rate", round(after)));
            findings.add(new DriftReport.Finding(check, severity, endpoint, was, is, String.format(Locale.ROOT, "%s %.2f%% -> %.2f%% (%d of %d calls; z = %.1f)",
                    what, 100 * before, 100 * after, currentHits, currentCalls, z)));
        }
    }

    // 4. new_edge / removed_edge: workload -> server (transport, port), from flows
    private void edges(List<DriftReport.Finding> findings)
            throws Exception
    {
        String sql = "SELECT " + edge() + ", count_if(" + inBaseline() + "), count_if(" + inCurrent() + ") FROM " + edgeFlows() + " GROUP BY 1 HAVING count_if("
                + inBaseline() + ") = 0 OR count_if(" + inCurrent() + ") = 0";
        for (List<Object> row : session.rows(sql)) {
            long before = number(row.get(1));
            long after = number(row.get(2));
            boolean added = after > 0;
            long volume = added ? after : before;
            findings.add(new DriftReport.Finding(added ? "new_edge" : "removed_edge", volumeSeverity(Severity.INFO, volume, thresholds.minimumFlows()),
                    (String) row.get(0), added ? Map.of("flows", 0) : counts("flows", before, baselineWindow), added ? counts("flows", after, currentWindow) : Map.of("flows", 0),
                    String.format(Locale.ROOT, "%d connection(s) in %s, none in %s", volume, added ? current : baseline, added ? baseline : current)));
        }
    }

    // 5. new_external_destination: servers outside the cluster, by TLS server name or DNS name
    private void externalDestinations(List<DriftReport.Finding> findings)
            throws Exception
    {
        String sql = "WITH external AS (SELECT \"snapshot_id\", \"dst_ip\", \"dst_dns\", \"dst_port\" FROM " + flows() + " AND NOT " + Subjects.inCluster("dst")
                + " AND NOT " + inClusterRanges("\"dst_ip\"") + "), names AS (SELECT \"snapshot_id\", \"dst_ip\", max(\"tls_sni\") AS sni FROM "
                + session.table(Table.API_CALLS) + " WHERE " + session.scope() + " AND \"tls_sni\" <> '' GROUP BY 1, 2) "
                + "SELECT coalesce(nullif(names.sni, ''), nullif(external.\"dst_dns\", ''), external.\"dst_ip\"), count_if(external." + inBaseline() + "), count_if(external."
                + inCurrent() + "), array_join(array_sort(array_distinct(array_agg(external.\"dst_ip\" || ':' || CAST(external.\"dst_port\" AS varchar)))), ', ') "
                + "FROM external LEFT JOIN names ON external.\"snapshot_id\" = names.\"snapshot_id\" AND external.\"dst_ip\" = names.\"dst_ip\" "
                + "GROUP BY 1 HAVING count_if(external." + inBaseline() + ") = 0 AND count_if(external." + inCurrent() + ") > 0";
        for (List<Object> row : session.rows(sql)) {
            long after = number(row.get(2));
            findings.add(new DriftReport.Finding("new_external_destination", volumeSeverity(Severity.WARNING, after, thresholds.minimumFlows()), (String) row.get(0),
                    Map.of("flows", 0), counts("flows", after, currentWindow),
                    String.format(Locale.ROOT, "%d connection(s) to %s, a destination outside the cluster not contacted in %s", after, row.get(3), baseline)));
        }
    }

    // 6. plaintext_appeared: an edge that was all TLS now carries clear text
    private void plaintext(List<DriftReport.Finding> findings)
            throws Exception
    {
        String tls = "contains(\"conn_l7_detected\", 'TLS')";
        String clear = "(NOT " + tls + " AND cardinality(filter(\"conn_l7_detected\", detected -> detected IN ("
                + CLEARTEXT.stream().map(SqlText::string).collect(Collectors.joining(", ")) + "))) > 0)";
        String sql = "SELECT " + edge() + ", count_if(" + inBaseline() + " AND " + tls + "), count_if("
                + inBaseline() + " AND " + clear + "), count_if(" + inCurrent() + " AND " + tls + "), count_if(" + inCurrent() + " AND " + clear + "), "
                + "array_join(array_sort(array_distinct(flatten(array_agg(CASE WHEN " + inCurrent() + " AND " + clear + " THEN \"conn_l7_detected\" END)))), ', ') FROM "
                + flows() + " GROUP BY 1 HAVING count_if(" + inBaseline() + " AND " + tls + ") > 0 AND count_if(" + inBaseline() + " AND " + clear
                + ") = 0 AND count_if(" + inCurrent() + " AND " + clear + ") > 0";
        for (List<Object> row : session.rows(sql)) {
            long clearFlows = number(row.get(4));
            findings.add(new DriftReport.Finding("plaintext_appeared", volumeSeverity(Severity.WARNING, clearFlows, thresholds.minimumFlows()), (String) row.get(0),
                    Map.of("tls_flows", number(row.get(1)), "cleartext_flows", number(row.get(2))),
                    Map.of("tls_flows", number(row.get(3)), "cleartext_flows", clearFlows),
                    String.format(Locale.ROOT, "all TLS in %s; %d connection(s) in clear text (%s) in %s", baseline, clearFlows, row.get(5), current)));
        }
    }

    // 7. tls_downgrade: a server negotiating an older version or a weaker cipher
    private void tlsDowngrades(List<DriftReport.Finding> findings)
            throws Exception
    {
        String version = "(CASE \"tls_version\" WHEN 'TLSv1.3' THEN 4 WHEN 'TLSv1.2' THEN 3 WHEN 'TLSv1.1' THEN 2 WHEN 'TLSv1.0' THEN 1 ELSE 0 END)";
        String cipher = TlsStrength.sql("\"tls_cipher\"");
        // A server of the cluster by its workload, one outside by its address and port; then the name the client asked for.
        String server = "((CASE WHEN " + Subjects.inCluster("dst") + " THEN " + Subjects.workload("dst") + " ELSE \"dst_ip\" || ':' || CAST(\"dst_port\" AS varchar) END)"
                + " || CASE WHEN \"tls_sni\" <> '' THEN ' ' || \"tls_sni\" ELSE '' END)";
        String sql = "SELECT " + server + ", min(CASE WHEN " + inBaseline() + " THEN " + version + " END), min(CASE WHEN " + inCurrent() + " THEN " + version + " END), "
                + "min(CASE WHEN " + inBaseline() + " THEN " + cipher + " END), min(CASE WHEN " + inCurrent() + " THEN " + cipher + " END), "
                + "min_by(CASE WHEN " + inBaseline() + " THEN \"tls_version\" || ' ' || \"tls_cipher\" END, CASE WHEN " + inBaseline() + " THEN " + version + " * 10 + " + cipher + " END), "
                + "min_by(CASE WHEN " + inCurrent() + " THEN \"tls_version\" || ' ' || \"tls_cipher\" END, CASE WHEN " + inCurrent() + " THEN " + version + " * 10 + " + cipher + " END), "
                + "count_if(" + inCurrent() + ") FROM " + session.table(Table.API_CALLS) + " WHERE " + session.scope() + " AND \"tls\" AND \"tls_cipher\" <> '' GROUP BY 1 "
                + "HAVING count_if(" + inBaseline() + ") > 0 AND count_if(" + inCurrent() + ") > 0";
        for (List<Object> row : session.rows(sql)) {
            long versionBefore = number(row.get(1));
            long versionAfter = number(row.get(2));
            long cipherBefore = number(row.get(3));
            long cipherAfter = number(row.get(4));
            if (versionAfter >= versionBefore && cipherAfter >= cipherBefore) {
                continue;
            }
            Severity severity = versionAfter < 3 || cipherAfter == 0 ? Severity.CRITICAL : Severity.WARNING;
            findings.add(new DriftReport.Finding("tls_downgrade", severity, (String) row.get(0), Map.of("weakest", String.valueOf(row.get(5))),
                    Map.of("weakest", String.valueOf(row.get(6)), "handshakes", number(row.get(7))),
                    "the weakest handshake went from " + row.get(5) + " to " + row.get(6)));
        }
    }

    // 8. new_listener: a workload serving a port or protocol it did not serve
    private void listeners(List<DriftReport.Finding> findings)
            throws Exception
    {
        String sql = "SELECT " + Subjects.server() + " || ' ' || \"protocol\" || ' ' || CAST(\"dst_port\" AS varchar) || CASE WHEN detected = '' THEN '' ELSE ' ' || detected END, "
                + "count_if(" + inBaseline() + "), count_if(" + inCurrent() + ") FROM " + session.table(Table.FLOWS)
                + " CROSS JOIN UNNEST(CASE WHEN cardinality(\"conn_l7_detected\") = 0 THEN ARRAY[''] ELSE \"conn_l7_detected\" END) AS listener(detected) WHERE "
                + session.scope() + flowFilter() + " AND " + Subjects.inCluster("dst") + " GROUP BY 1 HAVING count_if(" + inBaseline() + ") = 0 AND count_if("
                + inCurrent() + ") > 0";
        for (List<Object> row : session.rows(sql)) {
            long after = number(row.get(2));
            findings.add(new DriftReport.Finding("new_listener", volumeSeverity(Severity.INFO, after, thresholds.minimumFlows()), (String) row.get(0),
                    Map.of("flows", 0), counts("flows", after, currentWindow),
                    String.format(Locale.ROOT, "served %d connection(s) in %s, none in %s", after, current, baseline)));
        }
    }

    // 9. volume_shift: bytes per minute of a top edge changed more than the ratio either way
    private void volume(List<DriftReport.Finding> findings)
            throws Exception
    {
        String bytes = "(\"flow_local_bytes\" + \"flow_remote_bytes\")";
        String sql = "WITH edges AS (SELECT " + edge() + " AS edge, "
                + "count_if(" + inBaseline() + ") AS baseline_flows, count_if(" + inCurrent() + ") AS current_flows, "
                + "coalesce(sum(CASE WHEN " + inBaseline() + " THEN " + bytes + " END), 0) AS baseline_bytes, "
                + "coalesce(sum(CASE WHEN " + inCurrent() + " THEN " + bytes + " END), 0) AS current_bytes FROM " + edgeFlows() + " GROUP BY 1), "
                + "ranked AS (SELECT *, rank() OVER (ORDER BY baseline_bytes DESC) AS baseline_rank, rank() OVER (ORDER BY current_bytes DESC) AS current_rank FROM edges) "
                + "SELECT edge, baseline_flows, current_flows, baseline_bytes, current_bytes FROM ranked WHERE (baseline_rank <= " + thresholds.volumeTopEdges()
                + " OR current_rank <= " + thresholds.volumeTopEdges() + ") AND baseline_flows >= " + thresholds.minimumFlows() + " AND current_flows >= "
                + thresholds.minimumFlows();
        for (List<Object> row : session.rows(sql)) {
            double before = number(row.get(3)) / baselineWindow.minutes();
            double after = number(row.get(4)) / currentWindow.minutes();
            double ratio = after / Math.max(before, 1e-9);
            if (ratio >= thresholds.volumeRatio() || ratio <= 1 / thresholds.volumeRatio()) {
                findings.add(new DriftReport.Finding("volume_shift", Severity.WARNING, (String) row.get(0),
                        Map.of("flows", number(row.get(1)), "bytes", number(row.get(3)), "bytes_per_minute", round(before)),
                        Map.of("flows", number(row.get(2)), "bytes", number(row.get(4)), "bytes_per_minute", round(after)),
                        String.format(Locale.ROOT, "%.0f -> %.0f bytes per minute (%.2fx)", before, after, ratio)));
            }
        }
    }

    // 10. rtt_regression: handshake RTT p95 of an edge up by the ratio and the floor
    private void handshakeRtt(List<DriftReport.Finding> findings)
            throws Exception
    {
        String rtt = "(CASE WHEN \"tcp_handshake_rtt\" > 0 THEN \"tcp_handshake_rtt\" END)";
        String sql = "SELECT " + edge() + ", "
                + "count_if(" + inBaseline() + " AND \"tcp_handshake_rtt\" > 0), count_if(" + inCurrent() + " AND \"tcp_handshake_rtt\" > 0), "
                + "approx_percentile(CASE WHEN " + inBaseline() + " THEN " + rtt + " END, 0.95), approx_percentile(CASE WHEN " + inCurrent() + " THEN " + rtt
                + " END, 0.95) FROM " + edgeFlows() + " GROUP BY 1 HAVING count_if(" + inBaseline() + " AND \"tcp_handshake_rtt\" > 0) >= " + thresholds.minimumFlows()
                + " AND count_if(" + inCurrent() + " AND \"tcp_handshake_rtt\" > 0) >= " + thresholds.minimumFlows();
        for (List<Object> row : session.rows(sql)) {
            double before = ((Number) row.get(3)).doubleValue();
            double after = ((Number) row.get(4)).doubleValue();
            if (after > thresholds.rttRatio() * before && after - before > thresholds.rttFloorMicros()) {
                findings.add(new DriftReport.Finding("rtt_regression", Severity.WARNING, (String) row.get(0),
                        Map.of("handshakes", number(row.get(1)), "rtt_p95_us", round(before)), Map.of("handshakes", number(row.get(2)), "rtt_p95_us", round(after)),
                        String.format(Locale.ROOT, "TCP handshake RTT p95 %.0f µs -> %.0f µs (%.1fx)", before, after, after / Math.max(before, 1e-9))));
            }
        }
    }

    /** An edge between two workloads of the cluster: {@code client -> server TCP 8080}. */
    private static String edge()
    {
        return "(" + Subjects.workload("src") + " || ' -> ' || " + Subjects.server() + " || ' ' || \"protocol\" || ' ' || CAST(\"dst_port\" AS varchar))";
    }

    /** Flows between workloads of the cluster (edges); an address outside it is a destination, not a workload. */
    private String edgeFlows()
    {
        return flows() + " AND " + Subjects.inCluster("src") + " AND " + Subjects.inCluster("dst");
    }

    /** The calls of endpoints (TLS handshakes and unclaimed flows have none), selected by the filter. */
    private String calls()
    {
        return session.table(Table.API_CALLS) + " WHERE " + session.scope() + " AND " + Subjects.isCall() + filter.filter(compiled -> compiled.table() == Table.API_CALLS)
                .map(compiled -> " AND (" + compiled.predicate() + ")").orElse("");
    }

    private String flows()
    {
        return session.table(Table.FLOWS) + " WHERE " + session.scope() + flowFilter();
    }

    private String flowFilter()
    {
        return filter.filter(compiled -> compiled.table() == Table.FLOWS).map(compiled -> " AND (" + compiled.predicate() + ")").orElse("");
    }

    private String inBaseline()
    {
        return SqlText.identifier(LakeTables.PARTITION_COLUMN) + " = " + SqlText.string(baseline);
    }

    private String inCurrent()
    {
        return SqlText.identifier(LakeTables.PARTITION_COLUMN) + " = " + SqlText.string(current);
    }

    private String inClusterRanges(String address)
    {
        if (thresholds.clusterCidrs().isEmpty()) {
            return "false";
        }
        return "(" + thresholds.clusterCidrs().stream().map(cidr -> "contains(" + SqlText.string(cidr) + ", CAST(" + address + " AS IPADDRESS))")
                .collect(Collectors.joining(" OR ")) + ")";
    }

    private static Severity volumeSeverity(Severity base, long volume, long minimum)
    {
        return volume >= minimum ? base.raised() : base;
    }

    private static Map<String, Object> counts(String name, long count, Window window)
    {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put(name, count);
        values.put(name + "_per_minute", round(count / window.minutes()));
        return values;
    }

    private static Map<String, Object> latencies(long requests, List<?> percentiles)
    {
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("requests", requests);
        values.put("p50_ms", round(((Number) percentiles.get(0)).doubleValue()));
        values.put("p95_ms", round(((Number) percentiles.get(1)).doubleValue()));
        values.put("p99_ms", round(((Number) percentiles.get(2)).doubleValue()));
        return values;
    }

    private static long number(Object value)
    {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static double round(double value)
    {
        return StatsJson.round(value, 3);
    }
}
