package io.wirelake.cli;

import io.wirelake.demo.GeneratorOptions;
import io.wirelake.demo.GeneratorSummary;
import io.wirelake.dissect.job.DissectionJob;
import org.apache.avro.generic.GenericRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** {@code wirelake quickstart}: demo traffic, dissected, and what it shows. */
@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = "Run the main job on built-in demo traffic: generate captures of a small fictional cluster, dissect them into Parquet, and show what was found.")
final class QuickstartCommand
        implements Callable<Integer>
{
    @Option(names = "--dir", defaultValue = "wirelake-quickstart", paramLabel = "DIR", description = "Working directory (default: ./${DEFAULT-VALUE}).")
    Path directory;

    @Option(names = "--size", defaultValue = "32MB", paramLabel = "SIZE", description = "Demo traffic size (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--seed", defaultValue = "42", description = "Random seed of the demo traffic (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call()
            throws Exception
    {
        PrintStream out = System.out;
        Path captures = directory.resolve("captures");
        Path tables = directory.resolve("tables");
        out.println("== 1/3 demo traffic ==");
        io.wirelake.catalog.Directories.deleteTree(captures);
        GeneratorSummary summary = GenerateCommand.run(GeneratorOptions.defaults(Sizes.parse(size)).withSeed(seed).withRates(0.04, 0.02, 0.03),
                captures, out, System.err);
        out.println();
        out.println("== 2/3 dissection (Flink, local MiniCluster) ==");
        DissectionJob.Result result = DissectCommand.run(List.of(captures), tables, 0, "", 64 * 1024, "unspecified", true, out, System.err);
        out.println();
        out.println("== 3/3 what was found ==");
        List<GenericRecord> calls = TableReader.read(tables.resolve("api_calls"));
        List<GenericRecord> flows = TableReader.read(tables.resolve("flows"));
        List<GenericRecord> http = select(calls, row -> row.get("protocol").toString().equals("HTTP"));
        List<GenericRecord> dns = select(calls, row -> row.get("protocol").toString().equals("DNS"));

        section(out, "HTTP calls by service", "http", http.size());
        table(out, group(http, row -> service(row)), http, row -> ((Long) row.get("status_code")) >= 500);

        List<GenericRecord> errors = select(http, row -> (Long) row.get("status_code") >= 500);
        section(out, "Server errors by service and endpoint", "http && status_code >= 500", errors.size());
        top(out, group(errors, row -> service(row) + " " + row.get("method") + " " + row.get("path") + " -> " + row.get("status_code")), 8);

        List<GenericRecord> slow = select(http, row -> (Long) row.get("elapsed_time") > 1_000_000);
        section(out, "Slow calls (over 1 s)", "http && elapsed_time > 1000000", slow.size());
        slow.stream().sorted(Comparator.comparingLong(row -> -(Long) row.get("elapsed_time"))).limit(5).forEach(row ->
                out.printf(Locale.ROOT, "    %7.3f s  %s %s %s -> %s%n", (Long) row.get("elapsed_time") / 1e6, service(row), row.get("method"), row.get("url"),
                        row.get("status_code")));

        List<GenericRecord> failedLookups = select(dns, row -> (Boolean) row.get("dns_response") && (Long) row.get("status_code") != 0);
        section(out, "Failed DNS lookups", "dns && dns_response && status_code != 0", failedLookups.size());
        top(out, group(failedLookups, row -> ((List<?>) row.get("dns_questions")).get(0) + " " + row.get("dns_rcode_name") + " (asked by " + row.get("src_ip") + ")"), 6);

        section(out, "Connections", "conn", flows.size());
        top(out, group(flows, row -> row.get("protocol") + " " + row.get("conn_state") + " " + row.get("conn_l7_detected")), 6);

        out.println();
        boolean consistent = http.size() == summary.httpRequests() && dns.size() == summary.dnsQueries();
        out.printf("Generated %s HTTP requests and %s DNS lookups; dissection found %s and %s%s.%n", Sizes.count(summary.httpRequests()),
                Sizes.count(summary.dnsQueries()), Sizes.count(http.size()), Sizes.count(dns.size()), consistent ? " (all of them)" : " (MISMATCH)");
        out.printf("Tables: %s (Parquet; columns in docs/FIELDS.md). Captures: %s.%n", tables.toAbsolutePath(), captures.toAbsolutePath());
        return consistent && result.report().damageMessages().isEmpty() ? 0 : 1;
    }

    private static String service(GenericRecord row)
    {
        String name = row.get("dst_dns").toString();
        return name.isEmpty() ? row.get("dst_ip") + ":" + row.get("dst_port") : name.replace(".svc.cluster.local", "");
    }

    private static List<GenericRecord> select(List<GenericRecord> rows, Predicate<GenericRecord> condition)
    {
        return rows.stream().filter(condition).toList();
    }

    private static Map<String, List<GenericRecord>> group(List<GenericRecord> rows, Function<GenericRecord, String> key)
    {
        return rows.stream().collect(Collectors.groupingBy(key, LinkedHashMap::new, Collectors.toList()));
    }

    private static void section(PrintStream out, String title, String kfl, long count)
    {
        out.printf("%n  %s: %s   [KFL: %s]%n", title, Sizes.count(count), kfl);
    }

    private static void table(PrintStream out, Map<String, List<GenericRecord>> groups, List<GenericRecord> all, Predicate<GenericRecord> error)
    {
        groups.entrySet().stream().sorted(Comparator.comparingInt(entry -> -entry.getValue().size())).forEach(entry -> {
            long errors = entry.getValue().stream().filter(error).count();
            long[] latencies = entry.getValue().stream().mapToLong(row -> (Long) row.get("elapsed_time")).sorted().toArray();
            out.printf(Locale.ROOT, "    %-36s %7s calls  %5.1f%% 5xx  p50 %6.1f ms  p95 %7.1f ms%n", entry.getKey(), Sizes.count(entry.getValue().size()),
                    100.0 * errors / entry.getValue().size(), latencies[latencies.length / 2] / 1000.0, latencies[(int) (latencies.length * 0.95)] / 1000.0);
        });
    }

    private static void top(PrintStream out, Map<String, List<GenericRecord>> groups, int limit)
    {
        groups.entrySet().stream().sorted(Comparator.comparingInt(entry -> -entry.getValue().size())).limit(limit)
                .forEach(entry -> out.printf("    %6s  %s%n", Sizes.count(entry.getValue().size()), entry.getKey()));
        if (groups.size() > limit) {
            out.printf("    ... and %d more%n", groups.size() - limit);
        }
    }
}
