package io.wirelake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.columns.Table;
import io.wirelake.kfl.CompiledFilter;
import io.wirelake.kfl.KflCompiler;
import io.wirelake.kfl.KflException;
import io.wirelake.query.LakeSession;
import io.wirelake.query.TableSource;
import io.wirelake.query.report.Stats;
import io.wirelake.query.report.StatsJson;
import io.wirelake.query.report.SnapshotWindows;
import io.wirelake.query.report.Window;
import io.wirelake.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code wirelake stats SNAPSHOT...}: requests, errors, latency, bytes and rate per group of calls. */
@Command(name = "stats", mixinStandardHelpOptions = true,
        description = {"Requests, errors, error rate, latency percentiles, bytes and rate per service, endpoint, namespace, edge, protocol or status",
                "of dissected snapshots; several snapshots side by side. Errors: HTTP 5xx, gRPC status != 0, DNS rcode != 0, Redis error replies,",
                "LDAP failures, RADIUS Access-Reject, Diameter result >= 3000. Endpoints are service + method + path template (ids become {id})."})
final class StatsCommand
        implements Callable<Integer>
{
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SNAPSHOT", arity = "1..*", description = "Dissected snapshot(s); several give a column group per snapshot.")
    List<String> snapshots;

    @Option(names = "--kfl", paramLabel = "EXPR", description = "Only calls this KFL2 filter selects.")
    String kfl;

    @Option(names = "--group-by", defaultValue = "service", paramLabel = "GROUP",
            description = "service (default), endpoint, namespace, edge, protocol or status.")
    String groupBy;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT", description = "table (default), csv or json.")
    String format;

    @Option(names = "--limit", defaultValue = "0", paramLabel = "N", description = "Show the N busiest groups (default: all).")
    int limit;

    @Option(names = "--exact-up-to", paramLabel = "CALLS|all",
            description = "Exact nearest-rank percentiles when at most CALLS calls of the selection have a latency (default: "
                    + Stats.EXACT_PERCENTILES_UP_TO + "; all: always), Trino's approx_percentile beyond: exact ones sort every latency, "
                    + "5.3-6.6 s instead of 3.1-3.4 s for ten million calls on two cores (docs/BENCHMARKS.md).")
    String exactUpTo;

    @Override
    public Integer call()
            throws Exception
    {
        Stats.GroupBy grouping = Stats.GroupBy.of(groupBy);
        String chosenFormat = format.toLowerCase(Locale.ROOT);
        if (!List.of("table", "csv", "json").contains(chosenFormat)) {
            throw new IllegalArgumentException("--format must be table, csv or json");
        }
        long exactLimit;
        try {
            exactLimit = exactUpTo == null ? Stats.EXACT_PERCENTILES_UP_TO
                    : exactUpTo.equalsIgnoreCase("all") ? Long.MAX_VALUE
                    : Long.parseLong(exactUpTo.replace("_", "").replace(",", ""));
        }
        catch (NumberFormatException e) {
            exactLimit = -1;
        }
        if (exactLimit < 0) {
            throw new IllegalArgumentException("--exact-up-to takes a number of calls (0 or more) or all, not " + exactUpTo);
        }
        Optional<CompiledFilter> filter;
        try {
            filter = kfl == null || kfl.isBlank() ? Optional.empty() : Optional.of(new KflCompiler().compile(kfl, Optional.of(Table.API_CALLS), Instant.now()));
        }
        catch (KflException e) {
            System.err.println("wirelake: " + e.getMessage());
            return 2;
        }
        Stats.Result result;
        try (ObjectStore store = Wirelake.openStore(spec)) {
            Map<String, Window> windows = SnapshotWindows.of(new Snapshots(store), snapshots);
            try (LakeSession session = Wirelake.queryService(spec).open(TableSource.snapshots(store, snapshots))) {
                result = Stats.compute(session, windows, grouping, filter, exactLimit);
            }
        }
        List<Stats.Group> groups = limit > 0 ? result.groups().subList(0, Math.min(limit, result.groups().size())) : result.groups();
        if (chosenFormat.equals("json")) {
            Stats.Result shown = result.withGroups(groups);
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(StatsJson.of(shown)));
            return 0;
        }
        boolean several = result.snapshots().size() > 1;
        List<String> columns = new ArrayList<>();
        columns.add(grouping.label());
        for (String snapshot : result.snapshots()) {
            for (String metric : List.of("requests", "errors", "error_rate", "p50_ms", "p95_ms", "p99_ms", "bytes", "rate_per_s")) {
                columns.add(several ? metric + "@" + snapshot : metric);
            }
        }
        ResultPrinter printer = new ResultPrinter(System.out, chosenFormat, columns);
        for (Stats.Group group : groups) {
            List<Object> row = new ArrayList<>();
            row.add(group.key());
            for (String snapshot : result.snapshots()) {
                Stats.Metrics metrics = group.bySnapshot().get(snapshot);
                if (metrics == null) {
                    for (int index = 0; index < 8; index++) {
                        row.add(chosenFormat.equals("csv") ? "" : "-");
                    }
                    continue;
                }
                row.add(metrics.requests());
                row.add(metrics.errors());
                row.add(String.format(Locale.ROOT, "%.4f", metrics.errorRate()));
                row.add(millis(metrics.p50Millis()));
                row.add(millis(metrics.p95Millis()));
                row.add(millis(metrics.p99Millis()));
                row.add(metrics.bytes());
                row.add(String.format(Locale.ROOT, "%.3f", metrics.ratePerSecond()));
            }
            printer.row(row);
        }
        printer.finish();
        if (chosenFormat.equals("table")) {
            System.err.printf(Locale.ROOT, "%d group(s) by %s over %s%s%n", groups.size(), grouping.label(), String.join(", ", result.snapshots()),
                    groups.size() < result.groups().size() ? " (of " + result.groups().size() + ")" : "");
        }
        if (!result.exactPercentiles() && !chosenFormat.equals("json")) {
            System.err.printf(Locale.ROOT, "percentiles are approximate (Trino's approx_percentile): more than %,d calls have a latency; --exact-up-to all sorts them all%n",
                    exactLimit);
        }
        return 0;
    }

    private static String millis(double value)
    {
        return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.1f", value);
    }
}
