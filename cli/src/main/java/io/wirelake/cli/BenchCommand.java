package io.wirelake.cli;

import io.wirelake.demo.GeneratorOptions;
import io.wirelake.demo.GeneratorSummary;
import io.wirelake.dissect.flow.FlowTracker;
import io.wirelake.dissect.protocol.ProtocolRegistry;
import io.wirelake.dissect.scan.CaptureScanner;
import io.wirelake.dissect.scan.ScanReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import static java.util.Objects.requireNonNull;

/**
 * {@code wirelake bench}: wirelake and tshark on the same captures in one run. CPU time is the
 * user+sys time of each tool's whole process (its children's rusage, read with bash's
 * {@code times}); the marginal rate is the difference between a larger and a smaller capture of
 * the same traffic, which removes fixed start-up costs (the JVM and Flink for wirelake, dissector
 * registration for tshark).
 *
 * <p>Two corpora: the generator's traffic (small L7-dense packets, where tshark is slowest), and
 * real traffic (real servers and clients recorded once, repeated to 1 GB and 3 GB; see
 * {@link RealCorpus} and {@link RealCorpusSeed}).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure dissection throughput and memory against tshark's field extraction on the same captures.",
                "--corpus generated: the generator's traffic (default); real: real servers' and clients' traffic recorded once",
                "and repeated to --real-sizes (recording needs root and the servers; see docs/BENCHMARKS.md); all: both.",
                "bench kfl: KFL filter latency on Trino against row-by-row CEL evaluation.",
                "bench reports: stats and drift reports on Trino over large snapshots.",
                "bench scale: dissection wall and CPU time against Flink slots, on a MiniCluster and a cluster of separate processes."},
        subcommands = {KflBenchCommand.class, ReportsBenchCommand.class, ScaleBenchCommand.class})
final class BenchCommand
        implements Callable<Integer>
{
    static final List<String> TSHARK_FIELDS = List.of("frame.time_epoch", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "tcp.srcport", "tcp.dstport",
            "udp.srcport", "udp.dstport", "http.request.method", "http.request.uri", "http.host", "http.response.code", "http.content_length",
            "dns.qry.name", "dns.qry.type", "dns.flags.rcode", "dns.a", "http2.headers.path", "http2.headers.status", "resp.bulk_string.value",
            "websocket.opcode", "websocket.payload_length", "kafka.api_key", "kafka.client_id", "amqp.method.class", "amqp.method.method",
            "ldap.protocolOp", "radius.code");
    /** The gRPC port of both corpora and the real corpus's h2c port, where tshark needs to be told it is HTTP/2 (h2c without a preface would not be found). */
    static final List<String> TSHARK_DECODE_AS = List.of("-d", "tcp.port==50051,http2", "-d", "tcp.port==8081,http2");

    /** What the issue asks of wirelake (docs/BENCHMARKS.md): never timed tests, reported by every run. */
    static final double TARGET_REAL_MARGINAL = 10;
    static final double TARGET_REAL_WHOLE = 6;
    static final double TARGET_ENGINE_GENERATED_PACKETS = 1_000_000;
    static final double TARGET_ENGINE_REAL_MB = 400;

    enum Corpus
    {
        generated, real, all
    }

    @Option(names = "--corpus", defaultValue = "generated", paramLabel = "CORPUS",
            description = "generated, real or all (default: ${DEFAULT-VALUE}).")
    Corpus corpus;

    @Option(names = "--size", defaultValue = "1GB", paramLabel = "SIZE", description = "Generated capture size (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--small", defaultValue = "2MB", paramLabel = "SIZE", description = "Small generated capture for fixed costs (default: ${DEFAULT-VALUE}).")
    String small;

    @Option(names = "--real-sizes", defaultValue = "1GB,3GB", split = ",", paramLabel = "SIZE,SIZE",
            description = "The real corpus's two sizes: the whole-run figures are the first's, marginal ones the difference (default: ${DEFAULT-VALUE}).")
    List<String> realSizes;

    @Option(names = "--real-seed", paramLabel = "FILE", description = "A recorded seed capture to repeat instead of recording one.")
    Path realSeed;

    @Option(names = "--dir", defaultValue = "wirelake-bench", paramLabel = "DIR", description = "Working directory; captures are reused (default: ${DEFAULT-VALUE}).")
    Path directory;

    @Option(names = "--heap", paramLabel = "SIZE",
            description = "The dissect JVM's -Xmx; without it the dissect JVM gets this JVM's options, which are bin/wirelake's defaults (WIRELAKE_JAVA_OPTS).")
    String heap;

    @Option(names = "--profile", description = "Record a JFR profile of each dissect run into DIR/profiles/ and print its top frames.")
    boolean profile;

    /** A capture (one or more files) of one corpus. */
    record Input(String corpus, List<Path> files, long bytes, long packets)
    {
        Input
        {
            requireNonNull(corpus, "corpus is null");
            files = List.copyOf(files);
        }
    }

    /** Rows the engine made of an input, per table. */
    record EngineRun(BenchProcesses.Measure measure, long apiCalls, long flows) {}

    /**
     * One corpus's measurements on a smaller and a larger input (index 0 and 1 of the arrays):
     * marginal figures are their difference, whole-run figures the larger's or the smaller's.
     */
    record Result(String corpus, Input first, Input second, boolean wholeOnLarger, BenchProcesses.Measure[] dissect, EngineRun[] engine,
            BenchProcesses.Measure[] tshark)
    {
        int whole()
        {
            return wholeOnLarger ? 1 : 0;
        }

        Input wholeInput()
        {
            return wholeOnLarger ? second : first;
        }
    }

    private BenchProcesses processes;

    @Override
    public Integer call()
            throws Exception
    {
        PrintStream out = System.out;
        if (!BenchProcesses.onPath("tshark")) {
            throw new IllegalStateException("tshark is not installed (Debian: apt-get install tshark); the benchmark compares against it");
        }
        Files.createDirectories(directory);
        processes = new BenchProcesses(directory.resolve("bench.log"));
        Files.deleteIfExists(processes.log());
        String tsharkVersion = BenchProcesses.run(List.of("bash", "-c", "tshark --version 2>/dev/null")).lines().findFirst().orElse("tshark");
        List<Input[]> pairs = new ArrayList<>();
        if (corpus != Corpus.real) {
            Input large = generated(Sizes.parse(size), out);
            Input tiny = generated(Sizes.parse(small), out);
            pairs.add(new Input[] {tiny, large});
        }
        if (corpus != Corpus.generated) {
            if (realSizes.size() != 2) {
                throw new IllegalArgumentException("--real-sizes takes two sizes, such as 1GB,3GB");
            }
            Path seed = RealCorpusSeed.locate(realSeed, directory, out);
            pairs.add(new Input[] {real(seed, Sizes.parse(realSizes.get(0)), out), real(seed, Sizes.parse(realSizes.get(1)), out)});
        }
        classArchive = classArchive(pairs.get(0)[0]);
        out.printf("%nbench: %s; Java %s; %d cores; dissect JVM options: %s%n", tsharkVersion, System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), String.join(" ", dissectJvmOptions()));
        List<Result> results = new ArrayList<>();
        for (Input[] pair : pairs) {
            // generated: whole-run figures on the large capture, marginal ones subtract the small one;
            // real: whole-run figures on the smaller (1 GB) capture, marginal ones between the two
            boolean generatedPair = pair[0].corpus().equals("generated");
            results.add(measure(pair[0].corpus(), pair[0], pair[1], generatedPair));
        }
        for (Result result : results) {
            print(out, result);
        }
        printTargets(out, results);
        return 0;
    }

    private Input generated(long bytes, PrintStream out)
            throws Exception
    {
        Path captures = directory.resolve("capture-" + bytes);
        Path marker = captures.resolve("complete");
        if (!Files.exists(marker)) {
            io.wirelake.catalog.Directories.deleteTree(captures);
            GeneratorSummary summary = DemoTraffic.generate(GeneratorOptions.defaults(bytes), captures, out, System.err);
            Files.writeString(marker, summary.packets() + "\n");
        }
        List<Path> files;
        try (var list = Files.list(captures)) {
            files = list.filter(file -> file.toString().endsWith(".pcap")).sorted().toList();
        }
        long total = 0;
        for (Path file : files) {
            total += Files.size(file);
        }
        return new Input("generated", files, total, Long.parseLong(Files.readString(marker).trim()));
    }

    /** The real corpus at a size, built from the seed once and kept while the seed stays the same. */
    private Input real(Path seed, long bytes, PrintStream out)
            throws IOException
    {
        Path file = directory.resolve("real-" + bytes + ".pcap");
        Path marker = directory.resolve("real-" + bytes + ".complete");
        String seedIdentity = seed.toAbsolutePath() + " " + Files.size(seed) + " " + Files.getLastModifiedTime(seed).toMillis();
        List<String> recorded = Files.exists(marker) ? Files.readAllLines(marker) : List.of();
        if (!Files.exists(file) || recorded.size() != 2 || !recorded.get(0).equals(seedIdentity)) {
            out.printf("bench: building the real corpus at %s from %s ...%n", Sizes.format(bytes), seed);
            RealCorpus.Capture capture = RealCorpus.build(seed, bytes, file);
            Files.write(marker, List.of(seedIdentity, String.valueOf(capture.packets())));
            recorded = Files.readAllLines(marker);
        }
        return new Input("real", List.of(file), Files.size(file), Long.parseLong(recorded.get(1)));
    }

    private Result measure(String name, Input first, Input second, boolean wholeOnLarger)
            throws Exception
    {
        System.err.printf(Locale.ROOT, "bench %s: %s (%s packets) and %s (%s packets)%n", name, Sizes.format(first.bytes()), Sizes.count(first.packets()),
                Sizes.format(second.bytes()), Sizes.count(second.packets()));
        BenchProcesses.Measure[] dissect = {wirelake(first), wirelake(second)};
        EngineRun[] engine = {engine(first), engine(second)};
        BenchProcesses.Measure[] tshark = {tshark(first), tshark(second)};
        return new Result(name, first, second, wholeOnLarger, dissect, engine, tshark);
    }

    /** bin/wirelake's class archive for the dissect JVMs, once {@link #classArchive(Input)} has found or written it. */
    private Path classArchive;

    /**
     * bin/wirelake's class archive for this Java and build (it passes the path when archives are
     * on): a user's first dissect writes it and every later start maps it, so the timed runs use it
     * as users' runs do. If it is missing, an untimed dissect through bin/wirelake writes it first.
     */
    private Path classArchive(Input input)
            throws Exception
    {
        String archive = System.getProperty("wirelake.cds.archive");
        String root = System.getProperty("wirelake.root.dir");
        if (archive == null || root == null) {
            System.err.println("bench: no class archive (WIRELAKE_CDS=off, or not started by bin/wirelake): the dissect runs load every class from the jars");
            return null;
        }
        Path path = Path.of(archive);
        Path failed = Path.of(archive + ".failed");
        if (!Files.exists(path) && Files.exists(failed)) {
            System.err.println("bench: no class archive (bin/wirelake's last try failed, and it waits a day: " + Files.readString(failed).strip()
                    + "); the dissect runs load every class from the jars");
            return null;
        }
        String output = "";
        if (!Files.exists(path)) {
            System.err.printf("bench: writing bin/wirelake's class archive first, with an untimed dissect of %s ...%n", Sizes.format(input.bytes()));
            List<String> command = new ArrayList<>(List.of(Path.of(root, "bin", "wirelake").toString(), "dissect", "--overwrite", "--out",
                    directory.resolve("out").toAbsolutePath().toString()));
            input.files().forEach(file -> command.add(file.toAbsolutePath().toString()));
            output = BenchProcesses.run(command);
        }
        if (!Files.exists(path)) {
            System.err.println("bench: bin/wirelake wrote no class archive; the dissect runs go without. What it said:");
            output.lines().filter(line -> line.startsWith("wirelake:")).forEach(line -> System.err.println("  " + line));
            return null;
        }
        System.err.println("bench: the dissect runs map the class archive " + path);
        return path;
    }

    /** The options this JVM was started with (bin/wirelake's, or WIRELAKE_JAVA_OPTS), with --heap's -Xmx instead of its own if given. */
    private List<String> dissectJvmOptions()
    {
        List<String> options = new ArrayList<>();
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // With --heap, the young generation is sized for that heap below, as bin/wirelake sizes it.
            boolean heapOption = argument.startsWith("-Xmx") || argument.startsWith("-XX:MaxRAMPercentage") || argument.startsWith("-XX:MaxHeapSize")
                    || argument.startsWith("-XX:MaxNewSize");
            boolean vmOption = argument.startsWith("-X") && !argument.startsWith("-XX:StartFlightRecording") && !argument.startsWith("-XX:FlightRecorderOptions")
                    && !argument.startsWith("-XX:SharedArchiveFile") && !argument.startsWith("-Xlog:cds");
            if (vmOption && !(heap != null && heapOption)) {
                options.add(argument);
            }
        }
        if (heap != null) {
            options.add("-Xmx" + heap);
            String replaced = System.getenv("WIRELAKE_JAVA_OPTS");
            if ((replaced == null || replaced.isBlank()) && heapBytes(heap) > YOUNG_CAP_MINIMUM_HEAP) {
                options.add("-XX:MaxNewSize=256m");
            }
        }
        if (classArchive != null) {
            options.addAll(List.of("-XX:SharedArchiveFile=" + classArchive, "-Xlog:cds*=off"));
        }
        return options;
    }

    /** bin/wirelake caps the young generation at 256 MiB only on heaps over this (below, a third of the heap is less). */
    private static final long YOUNG_CAP_MINIMUM_HEAP = 768L << 20;

    /** An -Xmx size (4g, 512m, 1048576k, bytes) in bytes. */
    static long heapBytes(String size)
    {
        String text = size.trim().toLowerCase(java.util.Locale.ROOT);
        if (!text.matches("[0-9]+[kmgt]?")) {
            throw new IllegalArgumentException("--heap takes a size as -Xmx does, such as 4g or 512m, not " + size);
        }
        char unit = text.charAt(text.length() - 1);
        int shift = switch (unit) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            case 't' -> 40;
            default -> 0;
        };
        return Long.parseLong(shift == 0 ? text : text.substring(0, text.length() - 1)) << shift;
    }

    /** The whole command, as users run it: a fresh JVM, Flink MiniCluster, Parquet output. */
    private BenchProcesses.Measure wirelake(Input input)
            throws Exception
    {
        Path output = directory.resolve("out");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(dissectJvmOptions());
        if (profile) {
            Path profiles = Files.createDirectories(directory.resolve("profiles"));
            command.add("-XX:StartFlightRecording=settings=profile,filename=" + profiles.toAbsolutePath().resolve(input.corpus() + "-" + input.bytes() + ".jfr"));
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Wirelake.class.getName(), "dissect", "--overwrite", "--out", output.toString()));
        input.files().forEach(file -> command.add(file.toString()));
        return processes.timed("wirelake dissect " + input.corpus() + " " + Sizes.format(input.bytes()) + " (Flink job, Parquet out)", command);
    }

    /** The scan path alone in this JVM (read, decode, flows, reassembly, every dissector, rows), one thread, no Flink and no Parquet. */
    private EngineRun engine(Input input)
            throws IOException
    {
        var threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long wallStart = System.nanoTime();
        ScanReport report = new ScanReport();
        long[] rows = new long[2];
        CaptureScanner scanner = new CaptureScanner(ProtocolRegistry.standard(), FlowTracker.Settings.defaults("bench", 0), new FlowTracker.RowSink()
        {
            @Override
            public void apiCall(org.apache.avro.generic.GenericData.Record row)
            {
                rows[0]++;
            }

            @Override
            public void flow(org.apache.avro.generic.GenericData.Record row)
            {
                rows[1]++;
            }
        }, report, null);
        for (Path file : input.files()) {
            scanner.scan(CaptureScanner.CaptureSource.of(file));
        }
        scanner.finish();
        double cpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
        double wall = (System.nanoTime() - wallStart) / 1e9;
        String tool = "wirelake engine " + input.corpus() + " " + Sizes.format(input.bytes()) + " (one thread, no Flink, no Parquet)";
        System.err.printf(Locale.ROOT, "  %-70s wall %7.2f s  CPU %7.2f s%n", tool, wall, cpu);
        // it runs inside the bench's own JVM, whose footprint is not the engine's
        return new EngineRun(new BenchProcesses.Measure(tool, wall, cpu, -1), rows[0], rows[1]);
    }

    private BenchProcesses.Measure tshark(Input input)
            throws Exception
    {
        StringBuilder script = new StringBuilder();
        for (Path file : input.files()) {
            List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-T", "fields"));
            command.addAll(TSHARK_DECODE_AS);
            TSHARK_FIELDS.forEach(field -> command.addAll(List.of("-e", field)));
            script.append(String.join(" ", command.stream().map(BenchProcesses::quote).toList())).append(" > /dev/null 2>> ")
                    .append(BenchProcesses.quote(processes.log().toString())).append(" || exit 1\n");
        }
        return processes.timedScript("tshark " + input.corpus() + " " + Sizes.format(input.bytes()) + " (the protocols' fields)", script.toString());
    }

    private static void print(PrintStream out, Result result)
    {
        Input first = result.first();
        Input second = result.second();
        double marginalMegabytes = (second.bytes() - first.bytes()) / 1e6;
        double marginalPackets = second.packets() - first.packets();
        out.printf("%n%s traffic: %s (%s packets) and %s (%s packets)%n%n", result.corpus(), Sizes.format(first.bytes()), Sizes.count(first.packets()),
                Sizes.format(second.bytes()), Sizes.count(second.packets()));
        out.println("| tool | wall s | CPU s | peak RSS | MB per CPU-s | packets per CPU-s | marginal CPU-s per GB | marginal MB per CPU-s | marginal packets per CPU-s |");
        out.println("|---|---|---|---|---|---|---|---|---|");
        BenchProcesses.Measure[][] pairs = {result.dissect(), {result.engine()[0].measure(), result.engine()[1].measure()}, result.tshark()};
        for (BenchProcesses.Measure[] pair : pairs) {
            double marginalCpu = Math.max(pair[1].cpuSeconds() - pair[0].cpuSeconds(), 0.001);
            for (int index = 0; index < 2; index++) {
                BenchProcesses.Measure measure = pair[index];
                Input input = index == 0 ? first : second;
                boolean withMarginal = index == 1;
                out.println("| " + String.join(" | ", measure.tool(), format(measure.wallSeconds()), format(measure.cpuSeconds()),
                        measure.peakBytes() < 0 ? "n/a" : Sizes.format(measure.peakBytes()), format(input.bytes() / 1e6 / measure.cpuSeconds()),
                        Sizes.count((long) (input.packets() / measure.cpuSeconds())),
                        withMarginal ? format(marginalCpu / (marginalMegabytes / 1000)) : "",
                        withMarginal ? format(marginalMegabytes / marginalCpu) : "",
                        withMarginal ? Sizes.count((long) (marginalPackets / marginalCpu)) : "") + " |");
            }
        }
        out.printf("%n| table | rows (%s) | rows per CPU-s, dissect | marginal rows per CPU-s, dissect | rows per CPU-s, engine only |%n", Sizes.format(second.bytes()));
        out.println("|---|---|---|---|---|");
        EngineRun[] engine = result.engine();
        double dissectMarginalCpu = Math.max(result.dissect()[1].cpuSeconds() - result.dissect()[0].cpuSeconds(), 0.001);
        for (String table : List.of("api_calls", "flows")) {
            long rows = table.equals("api_calls") ? engine[1].apiCalls() : engine[1].flows();
            long firstRows = table.equals("api_calls") ? engine[0].apiCalls() : engine[0].flows();
            out.println("| " + String.join(" | ", table, Sizes.count(rows), Sizes.count((long) (rows / result.dissect()[1].cpuSeconds())),
                    Sizes.count((long) ((rows - firstRows) / dissectMarginalCpu)), Sizes.count((long) (rows / engine[1].measure().cpuSeconds()))) + " |");
        }
        out.printf(Locale.ROOT, "%nwirelake dissect vs tshark per CPU-second (%s): %.1fx whole run on %s, %.1fx marginal%n", result.corpus(),
                wholeRatio(result), Sizes.format(result.wholeInput().bytes()), marginalRatio(result));
    }

    /** tshark's CPU time over wirelake's on the whole-run input, Flink's start-up included. */
    static double wholeRatio(Result result)
    {
        return result.tshark()[result.whole()].cpuSeconds() / result.dissect()[result.whole()].cpuSeconds();
    }

    static double marginalRatio(Result result)
    {
        return (result.tshark()[1].cpuSeconds() - result.tshark()[0].cpuSeconds())
                / Math.max(result.dissect()[1].cpuSeconds() - result.dissect()[0].cpuSeconds(), 0.001);
    }

    private static void printTargets(PrintStream out, List<Result> results)
    {
        out.printf("%nTargets (docs/BENCHMARKS.md):%n");
        for (Result result : results) {
            EngineRun[] engine = result.engine();
            double engineCpu = Math.max(engine[1].measure().cpuSeconds() - engine[0].measure().cpuSeconds(), 0.001);
            Input first = result.first();
            Input second = result.second();
            if (result.corpus().equals("real")) {
                target(out, "real traffic, dissect vs tshark per marginal CPU-second", marginalRatio(result), TARGET_REAL_MARGINAL, "x");
                target(out, "real traffic, dissect vs tshark, whole run on " + Sizes.format(result.wholeInput().bytes()), wholeRatio(result), TARGET_REAL_WHOLE, "x");
                target(out, "real traffic, engine alone, marginal MB per CPU-second", (second.bytes() - first.bytes()) / 1e6 / engineCpu, TARGET_ENGINE_REAL_MB, "");
            }
            else {
                target(out, "generated traffic, engine alone, marginal packets per CPU-second", (second.packets() - first.packets()) / engineCpu,
                        TARGET_ENGINE_GENERATED_PACKETS, "");
            }
            for (int index = 0; index < 2; index++) {
                long dissectPeak = result.dissect()[index].peakBytes();
                long tsharkPeak = result.tshark()[index].peakBytes();
                Input input = index == 0 ? first : second;
                if (dissectPeak > 0 && tsharkPeak > 0) {
                    out.printf(Locale.ROOT, "  %-80s %s vs %s: %s%n", result.corpus() + " " + Sizes.format(input.bytes()) + ", peak RSS of dissect at most tshark's",
                            Sizes.format(dissectPeak), Sizes.format(tsharkPeak), dissectPeak <= tsharkPeak ? "met" : "NOT met");
                }
            }
        }
    }

    private static void target(PrintStream out, String what, double value, double target, String unit)
    {
        out.printf(Locale.ROOT, "  %-80s %,.1f%s (target %,.0f%s): %s%n", what, value, unit, target, unit, value >= target ? "met" : "NOT met");
    }

    private static String format(double value)
    {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
