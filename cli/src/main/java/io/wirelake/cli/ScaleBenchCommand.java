package io.wirelake.cli;

import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.collector.Rotation;
import io.wirelake.demo.DemoCluster;
import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.demo.GeneratorOptions;
import io.wirelake.dissect.cluster.StandaloneFlinkCluster;
import io.wirelake.store.LocalObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code wirelake bench scale}: the dissection of one snapshot of generated traffic on a local
 * MiniCluster with 1 and 2 tasks, and on a standalone Flink cluster of separate processes (a
 * JobManager and TaskManagers on this machine) with 1, 2 and 4 slots, for wall time and CPU time
 * against slots. Every run dissects the same snapshot with the same time slices (so the same
 * scan units). CPU is the whole of what the run cost: the command's own process (its children's
 * rusage, through bash's {@code times}) and, on the cluster, the JobManager's and TaskManagers'
 * CPU time while it ran. Nothing here depends on this machine: on a 16- or 64-core machine, give
 * larger {@code --slots} and {@code --local}.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = {"Measure dissection wall and CPU time against Flink slots: a local MiniCluster with --local tasks, and a standalone",
                "cluster of separate processes (JobManager and TaskManagers on this machine) with --slots slots, on one generated snapshot."})
final class ScaleBenchCommand
        implements Callable<Integer>
{
    private static final Pattern TIMES = Pattern.compile("(\\d+)m([0-9.]+)s\\s+(\\d+)m([0-9.]+)s");

    @Option(names = "--size", defaultValue = "1GB", paramLabel = "SIZE", description = "Capture size (default: ${DEFAULT-VALUE}).")
    String size;

    @Option(names = "--dir", defaultValue = "wirelake-bench", paramLabel = "DIR",
            description = "Working directory; the generated capture and the snapshot are reused (default: ${DEFAULT-VALUE}).")
    Path directory;

    @Option(names = "--local", split = ",", defaultValue = "1,2", paramLabel = "N,N", description = "MiniCluster task counts (default: ${DEFAULT-VALUE}).")
    List<Integer> local;

    @Option(names = "--slots", split = ",", defaultValue = "1,2,4", paramLabel = "N,N",
            description = "Cluster slot counts; two slots per TaskManager above one slot, and one TaskManager with two slots as well (default: ${DEFAULT-VALUE}).")
    List<Integer> slots;

    @Option(names = "--slices", defaultValue = "2", paramLabel = "N",
            description = {"Time slices per node, the same in every run (default: ${DEFAULT-VALUE}: with three nodes, 6 scan units).",
                    "A first run without slices (one task) shows what slicing costs: each slice re-reads 330 s before its start."})
    int slices;

    @Option(names = "--heap", defaultValue = "2g", paramLabel = "SIZE", description = "The MiniCluster command's -Xmx (default: ${DEFAULT-VALUE}).")
    String heap;

    @Option(names = "--task-manager-memory", defaultValue = "2048m", paramLabel = "SIZE",
            description = "Each TaskManager's taskmanager.memory.process.size (default: ${DEFAULT-VALUE}).")
    String taskManagerMemory;

    record Measure(String run, String layout, int tasks, double wallSeconds, double cpuSeconds) {}

    @Override
    public Integer call()
            throws Exception
    {
        PrintStream out = System.out;
        Path work = directory.toAbsolutePath();
        Path store = prepare(work, out);
        long bytes = Long.parseLong(Files.readString(work.resolve("scale-snapshot-bytes")).strip());
        out.printf("%nbench scale: snapshot of %s in %d nodes, %d slices per node; Java %s; %d cores%n", Sizes.format(bytes), DemoCluster.NODES.size(), slices,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        List<Measure> measures = new ArrayList<>();
        measures.add(miniCluster(work, store, 1, 1));
        for (int tasks : local) {
            measures.add(miniCluster(work, store, tasks, slices));
        }
        for (int count : slots) {
            List<int[]> layouts = count == 1 ? List.of(new int[] {1, 1}) : count == 2 ? List.of(new int[] {1, 2}, new int[] {2, 1})
                    : List.of(new int[] {(count + 1) / 2, 2});
            for (int[] layout : layouts) {
                measures.add(cluster(work, store, layout[0], layout[1]));
            }
        }
        out.println();
        out.println("| run | layout | tasks | wall s | CPU s | MB/s (wall) | MB per CPU-s | speed-up vs 1 task |");
        out.println("|---|---|---|---|---|---|---|---|");
        for (Measure measure : measures) {
            Measure base = measures.stream().filter(other -> other.run().equals(measure.run()) && other.tasks() == 1).findFirst().orElse(measure);
            out.printf(Locale.ROOT, "| %s | %s | %d | %.1f | %.1f | %.1f | %.1f | %.2f |%n", measure.run(), measure.layout(), measure.tasks(), measure.wallSeconds(),
                    measure.cpuSeconds(), bytes / 1e6 / measure.wallSeconds(), bytes / 1e6 / measure.cpuSeconds(), base.wallSeconds() / measure.wallSeconds());
        }
        return 0;
    }

    /** The capture (generated once), imported as the collectors write segments, frozen into the snapshot {@code scale}. */
    private Path prepare(Path work, PrintStream out)
            throws Exception
    {
        Path captures = work.resolve("scale-capture-" + Sizes.parse(size));
        Path store = work.resolve("scale-store-" + Sizes.parse(size));
        Path marker = store.resolve("complete");
        if (Files.exists(marker)) {
            return store;
        }
        io.wirelake.catalog.Directories.deleteTree(captures);
        io.wirelake.catalog.Directories.deleteTree(store);
        DemoTraffic.generate(GeneratorOptions.defaults(Sizes.parse(size)).withCrossNodeCopies(true), captures, out, System.err);
        try (LocalObjectStore objects = new LocalObjectStore(store)) {
            for (DemoCluster.Node node : DemoCluster.NODES) {
                CaptureImport.run(objects, node.name(), List.of(captures.resolve(node.name() + ".pcap")), List.of(captures.resolve(DemoTrafficGenerator.METADATA_FILE)),
                        Rotation.DEFAULT);
            }
            var manifest = new Snapshots(objects).create("scale", Optional.empty(), Optional.empty(), List.of(), line -> {});
            Files.writeString(work.resolve("scale-snapshot-bytes"), manifest.captures().stream().mapToLong(entry -> entry.size()).sum() + "\n");
        }
        // The snapshot holds copies: the generated files and the live segments are not needed again.
        io.wirelake.catalog.Directories.deleteTree(captures);
        try (LocalObjectStore objects = new LocalObjectStore(store)) {
            for (var object : objects.list("raw/")) {
                objects.delete(object.key());
            }
        }
        Files.writeString(marker, "");
        return store;
    }

    private Measure miniCluster(Path work, Path store, int tasks, int slicesPerNode)
            throws Exception
    {
        List<String> command = command(store, "-Xmx" + heap, slicesPerNode);
        command.addAll(List.of("--parallelism", String.valueOf(tasks)));
        Timed timed = timed(work, command);
        System.err.printf(Locale.ROOT, "  MiniCluster, %d task(s), %d slice(s) per node: wall %.1f s, CPU %.1f s%n", tasks, slicesPerNode, timed.wall(), timed.cpu());
        return new Measure(slicesPerNode == 1 ? "MiniCluster, no slices (a unit per node)" : "MiniCluster (in the command's JVM)", "1 JVM", tasks,
                timed.wall(), timed.cpu());
    }

    private Measure cluster(Path work, Path store, int taskManagers, int slotsPerTaskManager)
            throws Exception
    {
        Path clusterDirectory = work.resolve("scale-cluster");
        io.wirelake.catalog.Directories.deleteTree(clusterDirectory);
        try (StandaloneFlinkCluster cluster = StandaloneFlinkCluster.start(StandaloneFlinkCluster.Settings.of(taskManagers, slotsPerTaskManager, clusterDirectory)
                .withTaskManagerMemory(taskManagerMemory))) {
            double before = cluster.cpuSeconds();
            List<String> command = command(store, "-Xmx512m", slices);
            command.addAll(List.of("--flink", cluster.restUrl()));
            Timed timed = timed(work, command);
            double clusterCpu = cluster.cpuSeconds() - before;
            System.err.printf(Locale.ROOT, "  cluster, %d TaskManager(s) x %d slot(s): wall %.1f s, CPU %.1f s (cluster %.1f, client %.1f)%n", taskManagers,
                    slotsPerTaskManager, timed.wall(), timed.cpu() + clusterCpu, clusterCpu, timed.cpu());
            return new Measure("standalone cluster (JobManager + TaskManagers, client)", taskManagers + " TM x " + slotsPerTaskManager + " slots",
                    taskManagers * slotsPerTaskManager, timed.wall(), timed.cpu() + clusterCpu);
        }
        finally {
            io.wirelake.catalog.Directories.deleteTree(clusterDirectory);
        }
    }

    private List<String> command(Path store, String heapOption, int slicesPerNode)
    {
        return new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), heapOption, "-XX:+UseParallelGC",
                "-cp", System.getProperty("java.class.path"), Wirelake.class.getName(), "--store", store.toString(), "snapshot", "dissect", "scale",
                "--slices", String.valueOf(slicesPerNode)));
    }

    record Timed(double wall, double cpu) {}

    /** Runs the command through bash and reads its CPU time (user + system, children included) from {@code times}. */
    private static Timed timed(Path work, List<String> command)
            throws Exception
    {
        Path log = work.resolve("bench-scale.log");
        String script = String.join(" ", command.stream().map(ScaleBenchCommand::quote).toList()) + " >> " + quote(log.toString()) + " 2>&1 || exit 1\ntimes\n";
        long start = System.nanoTime();
        Process process = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            throw new IllegalStateException("a run failed; the end of " + log + ":\n  " + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 20), lines.size())));
        }
        double wall = (System.nanoTime() - start) / 1e9;
        String[] lines = output.strip().split("\n");
        Matcher matcher = TIMES.matcher(lines[lines.length - 1]);
        if (!matcher.find()) {
            throw new IOException("could not read CPU times from: " + output);
        }
        double cpu = Integer.parseInt(matcher.group(1)) * 60 + Double.parseDouble(matcher.group(2)) + Integer.parseInt(matcher.group(3)) * 60
                + Double.parseDouble(matcher.group(4));
        return new Timed(wall, cpu);
    }

    private static String quote(String text)
    {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
