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
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * The numbers an engineer asks for first, per group of calls of one or more snapshots: requests,
 * errors and error rate, latency percentiles, bytes and the rate over the snapshot's window. One
 * SQL query over the snapshots' partitions of {@code api_calls} (a second one, with exact
 * percentiles, when the first finds few enough latencies to sort); groups are named by
 * {@link Subjects}.
 */
public final class Stats
{
    /** How calls are grouped. */
    public enum GroupBy
    {
        SERVICE, ENDPOINT, NAMESPACE, EDGE, PROTOCOL, STATUS;

        public static GroupBy of(String name)
        {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            }
            catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("group by one of service, endpoint, namespace, edge, protocol, status; not " + name);
            }
        }

        String sql()
        {
            return switch (this) {
                case SERVICE -> Subjects.service();
                case ENDPOINT -> Subjects.endpoint();
                case NAMESPACE -> "(CASE WHEN " + Subjects.namespace() + " = '' THEN '(outside the cluster)' ELSE " + Subjects.namespace() + " END)";
                case EDGE -> Subjects.edge();
                case PROTOCOL -> "\"protocol\"";
                case STATUS -> Subjects.status();
            };
        }

        public String label()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One group's numbers in one snapshot. Latencies are NaN when no call of the group had one. */
    public record Metrics(long requests, long errors, double p50Millis, double p95Millis, double p99Millis, long bytes, double ratePerSecond)
    {
        public double errorRate()
        {
            return requests == 0 ? 0 : (double) errors / requests;
        }
    }

    /** One group, with its numbers per snapshot (absent where the snapshot has no such calls). */
    public record Group(String key, Map<String, Metrics> bySnapshot)
    {
        public Group
        {
            requireNonNull(key, "key is null");
            bySnapshot = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(bySnapshot));
        }

        long totalRequests()
        {
            return bySnapshot.values().stream().mapToLong(Metrics::requests).sum();
        }
    }

    /**
     * @param exactPercentiles whether p50, p95 and p99 are exact nearest-rank values, or Trino's
     * sketch ({@code approx_percentile}) because the selection held more latencies than exact
     * percentiles are computed for ({@link #EXACT_PERCENTILES_UP_TO})
     */
    public record Result(List<String> snapshots, GroupBy groupBy, Optional<String> kfl, Map<String, Window> windows, List<Group> groups, boolean exactPercentiles)
    {
        public Result
        {
            snapshots = List.copyOf(snapshots);
            windows = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(windows));
            groups = List.copyOf(groups);
        }

        /** The same result with only these groups (the busiest, say). */
        public Result withGroups(List<Group> shown)
        {
            return new Result(snapshots, groupBy, kfl, windows, shown, exactPercentiles);
        }
    }

    /**
     * Latencies up to which percentiles are exact by default. Exact percentiles sort every latency of
     * a group (on Trino, an array per group): 5.3-6.6 s instead of 3.1-3.4 s for stats by service
     * on ten million calls on two cores (docs/BENCHMARKS.md, "Reports on Trino"). Below this many,
     * the sort takes under half a second.
     */
    public static final long EXACT_PERCENTILES_UP_TO = 1_000_000;

    private Stats() {}

    /** The nearest-rank percentile of the sorted latencies; NULL without any. */
    private static String rank(String fraction)
    {
        return "element_at(latencies, greatest(1, CAST(ceil(" + fraction + " * cardinality(latencies)) AS integer)))";
    }

    /**
     * @param windows each snapshot's window (rates are per second of it)
     * @param filter an optional KFL filter on api_calls
     */
    public static Result compute(LakeSession session, Map<String, Window> windows, GroupBy groupBy, Optional<CompiledFilter> filter)
            throws Exception
    {
        return compute(session, windows, groupBy, filter, EXACT_PERCENTILES_UP_TO);
    }

    /**
     * @param exactUpTo exact percentiles when the selection holds at most this many calls with a
     * latency ({@code Long.MAX_VALUE}: always), else Trino's {@code approx_percentile}
     */
    public static Result compute(LakeSession session, Map<String, Window> windows, GroupBy groupBy, Optional<CompiledFilter> filter, long exactUpTo)
            throws Exception
    {
        filter.ifPresent(compiled -> {
            if (compiled.table() != Table.API_CALLS) {
                throw new IllegalArgumentException("stats are over api_calls; the filter addresses " + compiled.table().sqlName());
            }
        });
        List<String> snapshots = List.copyOf(windows.keySet());
        String where = session.scope() + filter.map(compiled -> " AND (" + compiled.predicate() + ")").orElse("");
        boolean exact = exactUpTo == Long.MAX_VALUE;
        List<List<Object>> rows = session.rows(sql(session, where, groupBy, exact));
        if (!exact && rows.stream().mapToLong(row -> ((Number) row.get(6)).longValue()).sum() <= exactUpTo) {
            // Few enough latencies to sort them all: the exact answer replaces the sketch's (a second query, on little data).
            exact = true;
            rows = session.rows(sql(session, where, groupBy, true));
        }
        Map<String, Map<String, Metrics>> bySubject = new TreeMap<>();
        for (List<Object> row : rows) {
            String snapshot = (String) row.get(0);
            String subject = (String) row.get(1);
            long requests = ((Number) row.get(2)).longValue();
            double[] percentiles = {Double.NaN, Double.NaN, Double.NaN};
            if (row.get(4) instanceof List<?> values) {
                for (int index = 0; index < 3; index++) {
                    percentiles[index] = values.get(index) == null ? Double.NaN : ((Number) values.get(index)).doubleValue();
                }
            }
            Metrics metrics = new Metrics(requests, ((Number) row.get(3)).longValue(), percentiles[0], percentiles[1], percentiles[2],
                    row.get(5) == null ? 0 : ((Number) row.get(5)).longValue(), requests / windows.get(snapshot).seconds());
            bySubject.computeIfAbsent(subject, key -> new LinkedHashMap<>()).put(snapshot, metrics);
        }
        List<Group> groups = new ArrayList<>();
        bySubject.forEach((subject, metrics) -> {
            Map<String, Metrics> ordered = new LinkedHashMap<>();
            snapshots.stream().filter(metrics::containsKey).forEach(snapshot -> ordered.put(snapshot, metrics.get(snapshot)));
            groups.add(new Group(subject, ordered));
        });
        // Busiest first; ties by name, so the order is stable.
        groups.sort(java.util.Comparator.comparingLong(Group::totalRequests).reversed().thenComparing(Group::key));
        return new Result(snapshots, groupBy, filter.map(CompiledFilter::kfl), windows, groups, exact);
    }

    /** Per snapshot and group: calls, errors, p50/p95/p99 (exact or sketched), bytes, and calls with a latency. */
    private static String sql(LakeSession session, String where, GroupBy groupBy, boolean exact)
    {
        // Percentiles by nearest rank (the value at rank ceil(p * n) of the sorted latencies): exact, as an engineer reading p99 expects.
        String latencies = exact
                ? "array_sort(array_agg(" + Subjects.latencyMillis() + ") FILTER (WHERE " + Subjects.latencyMillis() + " IS NOT NULL))"
                : "approx_percentile(" + Subjects.latencyMillis() + ", ARRAY[0.5, 0.95, 0.99])";
        return "WITH groups AS (SELECT " + SqlText.identifier(LakeTables.PARTITION_COLUMN) + " AS snapshot, " + groupBy.sql() + " AS subject, count(*) AS calls, "
                + "count_if(" + Subjects.error() + ") AS errors, sum(" + Subjects.bytes() + ") AS bytes, " + latencies + " AS latencies, "
                + "count(" + Subjects.latencyMillis() + ") AS timed FROM " + session.table(Table.API_CALLS) + " WHERE " + where + " GROUP BY 1, 2) "
                + "SELECT snapshot, subject, calls, errors, " + (exact ? "ARRAY[" + rank("0.5") + ", " + rank("0.95") + ", " + rank("0.99") + "]" : "latencies")
                + ", bytes, timed FROM groups";
    }
}
