package io.wirelake.cli;

import io.wirelake.catalog.Directories;
import io.wirelake.dissect.job.DissectionJob;
import io.wirelake.dissect.job.ScanUnit;
import io.wirelake.dissect.job.ScanUnits;
import io.wirelake.dissect.redact.Redaction;
import io.wirelake.dissect.redact.RedactionRules;
import io.wirelake.store.dissection.DissectionSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/** {@code wirelake dissect FILE|DIR... --out DIR}: captures to Parquet, no object store needed. */
@Command(name = "dissect", mixinStandardHelpOptions = true,
        description = {"Dissect capture files (pcap, pcapng) into Parquet tables: OUT/api_calls/ and OUT/flows/.",
                "Directories are searched for captures; segments in the raw/<node>/... layout are scanned per node in time order."})
final class DissectCommand
        implements Callable<Integer>
{
    @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = "Capture files or directories holding them.")
    List<Path> inputs;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory for api_calls/ and flows/.")
    Path output;

    @Option(names = "--parallelism", paramLabel = "N", description = "Flink tasks (default: one per core, at most one per scan unit).")
    int parallelism;

    @Option(names = "--node", paramLabel = "NAME", defaultValue = "", description = "Node name recorded for captures not in the raw/<node>/ layout.")
    String node;

    @Option(names = "--body-cap", paramLabel = "SIZE", defaultValue = "64KiB", description = "Largest body kept per request or response (default: ${DEFAULT-VALUE}).")
    String bodyCap;

    @Option(names = "--capture-source", paramLabel = "SOURCE", defaultValue = "unspecified",
            description = "capture_source recorded in the rows: unspecified, af_packet, ebpf or ebpf_tls (default: ${DEFAULT-VALUE}).")
    String captureSource;

    @Option(names = "--overwrite", description = "Replace tables already in the output directory.")
    boolean overwrite;

    @Option(names = "--protocols", split = ",", paramLabel = "http,dns,...",
            description = {"Detect only these protocols (Kubeshark's tap.enabledDissectors): http (with HTTP/2, gRPC, GraphQL), ws, dns, tls, redis,",
                    "kafka, amqp, ldap, radius, diameter. Default: all. Flows of the others are still tracked, as TCP/UDP rows; the report says so."})
    List<String> protocols;

    @Option(names = "--redact", paramLabel = "FILE|none",
            description = "Redaction rules (a JSON file, see docs/REDACTION.md), or none; default: the default rules (credentials, cookies, tokens, annotations).")
    String redact;

    @Override
    public Integer call()
            throws Exception
    {
        Redaction redaction = RedactionOptions.redaction(RedactionOptions.fromOption(redact).orElse(RedactionRules.DEFAULTS), "dissect");
        DissectionJob.Result result = run(inputs, output, parallelism, node, (int) Sizes.parse(bodyCap), captureSource, overwrite, protocols == null ? List.of() : protocols,
                redaction, System.out, System.err);
        return result.report().get("packets") == 0 && !result.report().damageMessages().isEmpty() ? 1 : 0;
    }

    static DissectionJob.Result run(List<Path> inputs, Path output, int parallelism, String node, int bodyCap, String captureSource, boolean overwrite,
            PrintStream out, PrintStream err)
            throws Exception
    {
        return run(inputs, output, parallelism, node, bodyCap, captureSource, overwrite, List.of(),
                RedactionOptions.redaction(RedactionRules.DEFAULTS, "dissect"), out, err);
    }

    /**
     * @param protocols the protocols to detect (empty: all)
     * @param redaction what is redacted before rows are written
     */
    static DissectionJob.Result run(List<Path> inputs, Path output, int parallelism, String node, int bodyCap, String captureSource, boolean overwrite,
            List<String> protocols, Redaction redaction, PrintStream out, PrintStream err)
            throws Exception
    {
        if (!List.of("unspecified", "af_packet", "ebpf", "ebpf_tls").contains(captureSource)) {
            throw new IllegalArgumentException("--capture-source must be one of unspecified, af_packet, ebpf, ebpf_tls");
        }
        // An unknown protocol is refused here, before the output directory is touched.
        io.wirelake.dissect.protocol.ProtocolRegistry.standard().only(protocols);
        DissectionSpec spec = DissectionSpec.ofCaptures(ScanUnits.captures(inputs), output.toAbsolutePath().toUri().toString())
                .withNode(node, captureSource, bodyCap).withParallelism(parallelism).withProtocols(protocols);
        List<ScanUnit> units = ScanUnits.of(spec);
        if (units.isEmpty()) {
            throw new IllegalArgumentException("no capture files (pcap or pcapng) found in " + inputs);
        }
        prepareOutput(output, overwrite);
        long inputBytes = units.stream().mapToLong(unit -> unit.bytes).sum();
        out.printf("wirelake dissect: %d capture file(s) in %d scan unit(s), %s -> %s%n",
                units.stream().mapToInt(unit -> unit.paths.length).sum(), units.size(), Sizes.format(inputBytes), output);
        Terminal terminal = new Terminal(err);
        double cpuBefore = JobReportPrinter.processCpuSeconds();
        Path temporary = Files.createTempDirectory("wirelake-flink");
        DissectionJob.Result result;
        try {
            result = DissectionJob.runLocally(spec, redaction, temporary.toString(), bytes -> terminal.progress("dissecting", bytes, inputBytes),
                    new org.apache.flink.configuration.Configuration());
        }
        finally {
            terminal.done();
            Directories.deleteTree(temporary);
        }
        double cpuSeconds = JobReportPrinter.processCpuSeconds() - cpuBefore;
        JobReportPrinter.print(out, result.report(), inputBytes, result.wallMillis(), cpuSeconds, protocols);
        out.printf("  tables      %s (%d files), %s (%d files)%n", output.resolve("api_calls"), parquetFiles(output.resolve("api_calls")),
                output.resolve("flows"), parquetFiles(output.resolve("flows")));
        return result;
    }

    private static void prepareOutput(Path output, boolean overwrite)
            throws IOException
    {
        for (String table : List.of("api_calls", "flows")) {
            Path directory = output.resolve(table);
            if (Files.exists(directory)) {
                if (!overwrite) {
                    throw new IllegalArgumentException(directory + " already exists; use --overwrite to replace it or choose another --out");
                }
                Directories.deleteTree(directory);
            }
        }
        Files.createDirectories(output);
    }

    static long parquetFiles(Path directory)
            throws IOException
    {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".parquet")).count();
        }
    }

}
