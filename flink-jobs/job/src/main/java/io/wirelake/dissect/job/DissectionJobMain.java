package io.wirelake.dissect.job;

import io.wirelake.dissect.flow.FlowTracker;
import io.wirelake.dissect.scan.ScanReport;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The job's entry point on a Flink cluster ({@code flink run -c io.wirelake.dissect.job.DissectionJobMain
 * wirelake-flink-jobs.jar --out s3://bucket/tables/ s3://bucket/raw/}): the same operators as the
 * local run, on whatever environment Flink provides. Prints the job report's counters.
 *
 * <p>Arguments: {@code --out URI [--parallelism N] [--node NAME] [--capture-source SOURCE] INPUT...}
 */
public final class DissectionJobMain
{
    private DissectionJobMain() {}

    public static void main(String[] arguments)
            throws Exception
    {
        String output = null;
        int parallelism = 0;
        String node = "";
        String captureSource = "unspecified";
        List<String> inputs = new ArrayList<>();
        for (int index = 0; index < arguments.length; index++) {
            switch (arguments[index]) {
                case "--out" -> output = value(arguments, ++index, "--out");
                case "--parallelism" -> parallelism = Integer.parseInt(value(arguments, ++index, "--parallelism"));
                case "--node" -> node = value(arguments, ++index, "--node");
                case "--capture-source" -> captureSource = value(arguments, ++index, "--capture-source");
                default -> inputs.add(arguments[index]);
            }
        }
        if (output == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("usage: DissectionJobMain --out URI [--parallelism N] [--node NAME] [--capture-source SOURCE] INPUT...");
        }
        List<ScanUnit> units = ScanUnits.discoverUris(inputs, node);
        if (units.isEmpty()) {
            throw new IllegalArgumentException("no capture files found in " + inputs);
        }
        StreamExecutionEnvironment environment = StreamExecutionEnvironment.getExecutionEnvironment();
        int tasks = Math.max(1, Math.min(parallelism > 0 ? parallelism : environment.getParallelism(), units.size()));
        DissectionJob.define(environment, units, new DissectionJob.Options(output, tasks,
                FlowTracker.Settings.defaults(node, 0).withCaptureSource(captureSource)), UUID.randomUUID().toString(), tasks);
        JobExecutionResult result = environment.execute("wirelake dissect");
        ScanReport report = DissectionJob.report(result.getAllAccumulatorResults());
        report.counters().forEach((name, count) -> System.out.println(name + "\t" + count));
        report.damageMessages().forEach(message -> System.out.println("damaged\t" + message));
    }

    private static String value(String[] arguments, int index, String option)
    {
        if (index >= arguments.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return arguments[index];
    }
}
