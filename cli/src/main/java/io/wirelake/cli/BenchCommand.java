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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code wirelake bench}: wirelake and tshark on the same generated capture in one run. CPU time is
 * the user+sys time of each tool's whole process (its children's rusage, read with bash's
 * {@code times}); the marginal rate subtracts a run on a small capture, which removes fixed
 * start-up costs (the JVM and Flink for wirelake, dissector registration for tshark).
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure dissection throughput against tshark's field extraction on the same generated capture.",
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
    /** The demo's gRPC port, where tshark needs to be told it is HTTP/2 (h2c without the preface would not be found). */
    static final List<String> TSHARK_DECODE_AS = List.of("-d", "tcp.port==50051,http2");
    private static final Pattern TIMES = Pattern.compile("(\\d+)m([0-9.]+)s\\s+(\\d+)m([0-9.]+)s");

    @Option(names = "--size", defaultValue = "1GB", paramLabel = "SIZE", description = "Capture size (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--small", defaultValue = "2MB", paramLabel = "SIZE", description = "Small capture for fixed costs (default: ${DEFAULT-VALUE}).")
    String small;

    @Option(names = "--dir", defaultValue = "wirelake-bench", paramLabel = "DIR", description = "Working directory; generated captures are reused (default: ${DEFAULT-VALUE}).")
    Path directory;

    @Option(names = "--heap", defaultValue = "4g", paramLabel = "SIZE",
            description = "The dissect JVM's -Xmx, as bin/wirelake's default (default: ${DEFAULT-VALUE}); the JVM grows its heap toward it, so peak memory follows it.")
    String heap;

    /** @param peakBytes the largest peak resident set of the tool's processes; -1 when not measured */
    record Measure(String tool, double wallSeconds, double cpuSeconds, long peakBytes) {}

    @Override
    public Integer call()
            throws Exception
    {
        PrintStream out = System.out;
        if (!onPath("tshark")) {
            throw new IllegalStateException("tshark is not installed (Debian: apt-get install tshark); the benchmark compares against it");
        }
        Input large = input(Sizes.parse(size), out);
        Input tiny = input(Sizes.parse(small), out);
        String tsharkVersion = run(List.of("bash", "-c", "tshark --version 2>/dev/null")).lines().findFirst().orElse("tshark");
        Files.deleteIfExists(log());
        out.printf("%nbench: %s, %s packets in %d files; small run %s. %s; Java %s; %d cores%n", Sizes.format(large.bytes()), Sizes.count(large.packets()),
                large.files().size(), Sizes.format(tiny.bytes()), tsharkVersion, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());

        List<String[]> table = new ArrayList<>();
        Measure wirelakeLarge = wirelake(large);
        Measure wirelakeSmall = wirelake(tiny);
        Measure engineLarge = engine(large);
        Measure engineSmall = engine(tiny);
        Measure tsharkLarge = tshark(large);
        Measure tsharkSmall = tshark(tiny);
        double marginalBytes = (large.bytes() - tiny.bytes()) / 1e6;
        double marginalPackets = large.packets() - tiny.packets();
        for (Measure[] pair : new Measure[][] {{wirelakeLarge, wirelakeSmall}, {engineLarge, engineSmall}, {tsharkLarge, tsharkSmall}}) {
            Measure whole = pair[0];
            double marginalCpu = Math.max(whole.cpuSeconds() - pair[1].cpuSeconds(), 0.001);
            table.add(new String[] {whole.tool(), format(whole.wallSeconds()), format(whole.cpuSeconds()),
                    whole.peakBytes() < 0 ? "n/a" : Sizes.format(whole.peakBytes()),
                    format(large.bytes() / 1e6 / whole.cpuSeconds()), Sizes.count((long) (large.packets() / whole.cpuSeconds())),
                    format(marginalBytes / marginalCpu), Sizes.count((long) (marginalPackets / marginalCpu))});
        }
        double wholeRatio = tsharkLarge.cpuSeconds() / wirelakeLarge.cpuSeconds();
        double marginalRatio = (tsharkLarge.cpuSeconds() - tsharkSmall.cpuSeconds()) / Math.max(wirelakeLarge.cpuSeconds() - wirelakeSmall.cpuSeconds(), 0.001);
        out.println();
        out.println("| tool | wall s | CPU s | peak RSS | MB per CPU-s | packets per CPU-s | marginal MB per CPU-s | marginal packets per CPU-s |");
        out.println("|---|---|---|---|---|---|---|---|");
        for (String[] row : table) {
            out.println("| " + String.join(" | ", row) + " |");
        }
        out.printf(Locale.ROOT, "%nwirelake dissect vs tshark per CPU-second: %.1fx whole run, %.1fx marginal%n", wholeRatio, marginalRatio);
        return 0;
    }

    record Input(List<Path> files, long bytes, long packets) {}

    private Input input(long bytes, PrintStream out)
            throws Exception
    {
        Path captures = directory.resolve("capture-" + bytes);
        Path marker = captures.resolve("complete");
        GeneratorSummary summary;
        if (!Files.exists(marker)) {
            io.wirelake.catalog.Directories.deleteTree(captures);
            summary = DemoTraffic.generate(GeneratorOptions.defaults(bytes), captures, out, System.err);
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
        return new Input(files, total, Long.parseLong(Files.readString(marker).trim()));
    }

    /** The whole command, as users run it: a fresh JVM, Flink MiniCluster, Parquet output. */
    private Measure wirelake(Input input)
            throws Exception
    {
        Path output = directory.resolve("out");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + heap, "-XX:+UseParallelGC",
                "-cp", System.getProperty("java.class.path"), Wirelake.class.getName(), "dissect", "--overwrite", "--out", output.toString()));
        input.files().forEach(file -> command.add(file.toString()));
        return timed("wirelake dissect (Flink job, Parquet out, -Xmx" + heap + ")", command);
    }

    /** The scan path alone in this JVM (read, decode, flows, reassembly, HTTP/DNS, rows), one thread, no Flink and no Parquet. */
    private Measure engine(Input input)
            throws IOException
    {
        var threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long wallStart = System.nanoTime();
        ScanReport report = new ScanReport();
        long[] rows = new long[1];
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
                rows[0]++;
            }
        }, report, null);
        for (Path file : input.files()) {
            scanner.scan(CaptureScanner.CaptureSource.of(file));
        }
        scanner.finish();
        // it runs inside the bench's own JVM, whose footprint is not the engine's
        return new Measure("wirelake engine only (one thread, no Flink, no Parquet)", (System.nanoTime() - wallStart) / 1e9,
                (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9, -1);
    }

    private Measure tshark(Input input)
            throws Exception
    {
        StringBuilder script = new StringBuilder();
        for (Path file : input.files()) {
            List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", file.toString(), "-T", "fields"));
            command.addAll(TSHARK_DECODE_AS);
            TSHARK_FIELDS.forEach(field -> command.addAll(List.of("-e", field)));
            script.append(String.join(" ", command.stream().map(BenchCommand::quote).toList())).append(" > /dev/null 2>> ")
                    .append(quote(log().toString())).append(" || exit 1\n");
        }
        return timedScript("tshark field extraction (HTTP, HTTP/2, DNS, Redis, WebSocket, Kafka, AMQP, LDAP, RADIUS fields)", script.toString());
    }

    private Measure timed(String tool, List<String> command)
            throws Exception
    {
        return timedScript(tool, String.join(" ", command.stream().map(BenchCommand::quote).toList()) + " >> " + quote(log().toString()) + " 2>&1 || exit 1\n");
    }

    /** Where the tools' own output goes (shown when one fails). */
    private Path log()
    {
        return directory.toAbsolutePath().resolve("bench.log");
    }

    /** Runs a bash script and reads its children's CPU time from {@code times}. */
    private Measure timedScript(String tool, String script)
            throws Exception
    {
        long start = System.nanoTime();
        String output;
        PeakMemory peak = new PeakMemory();
        try {
            output = run(List.of("bash", "-c", script + "times\n"), peak);
        }
        catch (IllegalStateException failure) {
            List<String> lines = Files.exists(log()) ? Files.readAllLines(log()) : List.of();
            throw new IllegalStateException(tool + " failed; the end of " + log() + ":\n  "
                    + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
        }
        double wall = (System.nanoTime() - start) / 1e9;
        String[] lines = output.strip().split("\n");
        Matcher matcher = TIMES.matcher(lines[lines.length - 1]);
        if (!matcher.find()) {
            throw new IllegalStateException("could not read CPU times from: " + output);
        }
        double cpu = Integer.parseInt(matcher.group(1)) * 60 + Double.parseDouble(matcher.group(2)) + Integer.parseInt(matcher.group(3)) * 60
                + Double.parseDouble(matcher.group(4));
        System.err.printf(Locale.ROOT, "  %-60s wall %7.2f s  CPU %7.2f s  peak RSS %s%n", tool, wall, cpu,
                peak.bytes() < 0 ? "n/a" : Sizes.format(peak.bytes()));
        return new Measure(tool, wall, cpu, peak.bytes());
    }

    private static String run(List<String> command)
            throws Exception
    {
        return run(command, null);
    }

    /** Runs a command to its end; with {@code peak}, samples its processes' memory while it runs. */
    private static String run(List<String> command, PeakMemory peak)
            throws Exception
    {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread sampler = null;
        if (peak != null) {
            sampler = new Thread(() -> peak.sample(process), "bench-memory");
            sampler.setDaemon(true);
            sampler.start();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (sampler != null) {
            sampler.join();
        }
        if (exit != 0) {
            throw new IllegalStateException("command failed: " + String.join(" ", command) + "\n" + output);
        }
        return output;
    }

    /**
     * The largest peak resident set (Linux's VmHWM, a high-water mark) among a command's
     * processes, read from /proc every 20 ms while it runs: growth in a process's last 20 ms can
     * be missed. -1 where /proc is not there.
     */
    static final class PeakMemory
    {
        private volatile long bytes = -1;

        long bytes()
        {
            return bytes;
        }

        void sample(Process process)
        {
            if (!Files.isDirectory(Path.of("/proc/self"))) {
                return;
            }
            long largest = 0;
            while (process.isAlive()) {
                for (ProcessHandle child : (Iterable<ProcessHandle>) process.descendants()::iterator) {
                    largest = Math.max(largest, highWaterMark(child.pid()));
                }
                bytes = largest;
                try {
                    Thread.sleep(20);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private static long highWaterMark(long pid)
        {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                    if (line.startsWith("VmHWM:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            }
            catch (IOException | NumberFormatException e) {
                // the process ended between the listing and the read
            }
            return 0;
        }
    }

    private static boolean onPath(String program)
    {
        try {
            return new ProcessBuilder("bash", "-c", "command -v " + program).start().waitFor() == 0;
        }
        catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String quote(String text)
    {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static String format(double value)
    {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
