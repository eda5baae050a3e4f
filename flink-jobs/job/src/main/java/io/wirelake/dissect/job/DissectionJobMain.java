package io.wirelake.dissect.job;

import io.wirelake.dissect.scan.ScanReport;
import io.wirelake.store.Layout;
import io.wirelake.store.dissection.DissectionSpec;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The job's entry point on a Flink cluster, run by {@code flink run}, an application cluster
 * (the Flink Kubernetes Operator's FlinkDeployment) or a session job. Three forms:
 * <pre>
 * --store URL --snapshot ID [--parallelism N]   the spec a launcher wrote to URL/snapshots/ID/dissection-spec.json
 * --spec URL [--parallelism N]                  a spec anywhere Flink's file systems reach
 * --out URL [--parallelism N] [--node NAME] [--capture-source SOURCE] INPUT...   plain capture files
 * </pre>
 * The store URL is {@code s3://bucket/prefix} or a directory ({@code file:///...}). A spec's
 * partition is replaced: its old files are deleted before the job writes. With no wirelake
 * command waiting for the job, this main writes the snapshot's {@code status.json} itself (when
 * the spec names it): {@code dissecting}, then {@code dissected} with the counters or
 * {@code failed} with the error. Prints the job report's counters.
 */
public final class DissectionJobMain
{
    static final String USAGE = "usage: DissectionJobMain --store URL --snapshot ID [--parallelism N]\n"
            + "       DissectionJobMain --spec URL [--parallelism N]\n"
            + "       DissectionJobMain --out URL [--parallelism N] [--node NAME] [--capture-source SOURCE] INPUT...";

    private DissectionJobMain() {}

    public static void main(String[] arguments)
            throws Exception
    {
        DissectionSpec spec = spec(arguments);
        StatusFile status = new StatusFile(spec.status(), spec.snapshot());
        status.dissecting();
        try {
            ScanReport report = run(spec, StreamExecutionEnvironment.getExecutionEnvironment());
            status.dissected(report);
            report.counters().forEach((name, count) -> System.out.println(name + "\t" + count));
            report.damageMessages().forEach(message -> System.out.println("damaged\t" + message));
        }
        catch (Exception | Error e) {
            status.failed(String.valueOf(e.getMessage()));
            throw e;
        }
    }

    /** Runs the spec's dissection on an environment and returns the job report. */
    static ScanReport run(DissectionSpec spec, StreamExecutionEnvironment environment)
            throws Exception
    {
        List<ScanUnit> units = ScanUnits.of(spec);
        if (units.isEmpty()) {
            throw new IllegalArgumentException("no capture files to dissect in the spec");
        }
        clearPartition(spec);
        int tasks = DissectionJob.tasks(spec, units, environment.getParallelism());
        DissectionJob.define(environment, spec, units, UUID.randomUUID().toString(), tasks);
        JobExecutionResult result = environment.execute("wirelake dissect" + (spec.snapshot().isEmpty() ? "" : " " + spec.snapshot()));
        return DissectionJob.report(result.getAllAccumulatorResults());
    }

    /** A new dissection replaces the partition: files of an earlier one would otherwise stay beside the new ones. */
    static void clearPartition(DissectionSpec spec)
            throws IOException
    {
        if (spec.partition().isEmpty()) {
            return;
        }
        String base = spec.output().endsWith("/") ? spec.output() : spec.output() + "/";
        for (String table : List.of("api_calls", "flows")) {
            Path directory = new Path(base + table + "/snapshot_id=" + Layout.checkName("snapshot", spec.partition()));
            if (directory.getFileSystem().exists(directory)) {
                directory.getFileSystem().delete(directory, true);
            }
        }
    }

    static DissectionSpec spec(String[] arguments)
            throws IOException
    {
        String output = null;
        String specLocation = null;
        String store = null;
        String snapshot = null;
        int parallelism = -1;
        String node = "";
        String captureSource = "unspecified";
        List<String> inputs = new ArrayList<>();
        for (int index = 0; index < arguments.length; index++) {
            switch (arguments[index]) {
                case "--out" -> output = value(arguments, ++index, "--out");
                case "--spec" -> specLocation = value(arguments, ++index, "--spec");
                case "--store" -> store = value(arguments, ++index, "--store");
                case "--snapshot" -> snapshot = value(arguments, ++index, "--snapshot");
                case "--parallelism" -> parallelism = parallelism(value(arguments, ++index, "--parallelism"));
                case "--node" -> node = value(arguments, ++index, "--node");
                case "--capture-source" -> captureSource = value(arguments, ++index, "--capture-source");
                default -> {
                    if (arguments[index].startsWith("--")) {
                        throw new IllegalArgumentException("unknown option " + arguments[index] + "\n" + USAGE);
                    }
                    inputs.add(arguments[index]);
                }
            }
        }
        DissectionSpec spec;
        if (store != null || snapshot != null) {
            if (store == null || snapshot == null || specLocation != null || output != null || !inputs.isEmpty()) {
                throw new IllegalArgumentException("--store and --snapshot go together, without --spec, --out or inputs\n" + USAGE);
            }
            spec = read(storeUri(store) + Layout.dissectionSpec(snapshot), "snapshot " + snapshot + " has no dissection spec in " + store
                    + " (a wirelake launcher writes it: 'wirelake snapshot create' or 'snapshot dissect')");
        }
        else if (specLocation != null) {
            if (output != null || !inputs.isEmpty()) {
                throw new IllegalArgumentException("--spec goes without --out or inputs\n" + USAGE);
            }
            spec = read(specLocation, "no dissection spec at " + specLocation);
        }
        else {
            if (output == null || inputs.isEmpty()) {
                throw new IllegalArgumentException(USAGE);
            }
            spec = DissectionSpec.ofCaptures(ScanUnits.discoverUris(inputs), output).withNode(node, captureSource, DissectionSpec.DEFAULT_BODY_CAP);
        }
        return parallelism >= 0 ? spec.withParallelism(parallelism) : spec;
    }

    /** A store location as a URI prefix ending in {@code /}: {@code s3://bucket/prefix/}, or a directory as {@code file:///...}. */
    static String storeUri(String store)
    {
        String uri = store.contains("://") ? store : java.nio.file.Path.of(store).toAbsolutePath().normalize().toUri().toString();
        return uri.endsWith("/") ? uri : uri + "/";
    }

    private static DissectionSpec read(String location, String missing)
            throws IOException
    {
        Path path = new Path(location);
        if (!path.getFileSystem().exists(path)) {
            throw new java.nio.file.NoSuchFileException(location, null, missing);
        }
        try (FSDataInputStream input = path.getFileSystem().open(path)) {
            return DissectionSpec.fromJson(input.readAllBytes());
        }
    }

    private static int parallelism(String text)
    {
        try {
            int value = Integer.parseInt(text);
            if (value >= 0) {
                return value;
            }
        }
        catch (NumberFormatException e) {
            // the message below
        }
        throw new IllegalArgumentException("--parallelism needs a number of tasks (0 for the cluster's default), not '" + text + "'");
    }

    private static String value(String[] arguments, int index, String option)
    {
        if (index >= arguments.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return arguments[index];
    }
}
