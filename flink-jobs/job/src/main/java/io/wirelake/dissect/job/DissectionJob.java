package io.wirelake.dissect.job;

import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.dissect.redact.Redaction;
import io.wirelake.dissect.scan.ScanReport;
import io.wirelake.store.dissection.DissectionSpec;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.Path;
import org.apache.flink.formats.avro.typeutils.GenericRecordAvroTypeInfo;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.BasePathBucketAssigner;
import org.apache.flink.util.OutputTag;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The dissection job: scan units in, {@code api_calls} and {@code flows} Parquet out, in Flink's
 * BATCH mode. Each unit is scanned by one task from start to end (the scan shape: parallelism
 * comes from nodes and capture sessions, not from a per-packet shuffle); rows stay in that task
 * through to its Parquet writer. Runs on a local MiniCluster by default and unchanged on a cluster.
 */
public final class DissectionJob
{
    /** What the job did, summed over its tasks. */
    public record Result(ScanReport report, long wallMillis)
    {
        public Result
        {
            requireNonNull(report, "report is null");
        }
    }

    /** The accumulator with the capture bytes the tasks have read so far (a remote launcher's progress). */
    public static final String PROGRESS_ACCUMULATOR = "progress.bytes";

    private DissectionJob() {}

    /**
     * Adds the job's operators to an environment (a local one or a cluster's) and sets what the
     * job needs: BATCH mode, no generic types (no silent Kryo), object reuse (rows go to chained
     * writers without copies).
     */
    public static void define(StreamExecutionEnvironment environment, DissectionSpec spec, List<ScanUnit> units, String progressToken, int parallelism)
    {
        define(environment, spec, Redaction.DEFAULTS_WITHOUT_KEY, units, progressToken, parallelism);
    }

    /**
     * The job with the redaction a launcher chose (rules and the store's key; see docs/REDACTION.md).
     * Without one, the default rules apply with markers of lengths only.
     */
    public static void define(StreamExecutionEnvironment environment, DissectionSpec spec, Redaction redaction, List<ScanUnit> units, String progressToken,
            int parallelism)
    {
        environment.configure(pipelineSettings());
        ScanFunction.registry(spec.protocols());
        OutputTag<GenericRecord> flowsTag = new OutputTag<>("flows", new GenericRecordAvroTypeInfo(TableSchema.of(Table.FLOWS).avroSchema()));
        SingleOutputStreamOperator<GenericRecord> calls = environment
                .fromData(TypeInformation.of(ScanUnit.class), units.toArray(ScanUnit[]::new))
                .name("scan units")
                .rebalance()
                .process(new ScanFunction(flowsTag, spec, redaction, progressToken))
                .returns(new GenericRecordAvroTypeInfo(TableSchema.of(Table.API_CALLS).avroSchema()))
                .name("scan and dissect")
                .setParallelism(parallelism);
        calls.sinkTo(sink(spec.output(), Table.API_CALLS, spec.partition())).name("api_calls parquet").setParallelism(parallelism);
        calls.getSideOutput(flowsTag).sinkTo(sink(spec.output(), Table.FLOWS, spec.partition())).name("flows parquet").setParallelism(parallelism);
    }

    /** The tasks of a run: the spec's parallelism, else {@code available} (cores, or the cluster's default), at most one per unit. */
    public static int tasks(DissectionSpec spec, List<ScanUnit> units, int available)
    {
        return Math.max(1, Math.min(spec.parallelism() > 0 ? spec.parallelism() : available, units.size()));
    }

    private static FileSink<GenericRecord> sink(String output, Table table, String partition)
    {
        String base = output.endsWith("/") ? output : output + "/";
        String directory = base + table.sqlName() + (partition.isEmpty() ? "" : "/snapshot_id=" + partition);
        return FileSink.forBulkFormat(new Path(directory), ParquetTableWriters.forTable(table))
                // Files directly in the table directory (the default assigner adds a wall-clock date directory).
                .withBucketAssigner(new BasePathBucketAssigner<>())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("part").withPartSuffix(".parquet").build())
                .build();
    }

    /** Runs on a local MiniCluster; {@code onProgress} is called about once a second with the bytes scanned so far. */
    public static Result runLocally(DissectionSpec spec, String temporaryDirectory, Consumer<Long> onProgress)
            throws Exception
    {
        return runLocally(spec, temporaryDirectory, onProgress, new Configuration());
    }

    /**
     * Runs on a local MiniCluster with extra Flink settings (for example {@code s3.endpoint} and
     * {@code s3.path.style.access} for {@code s3://} inputs and outputs, read through the S3 file
     * system plugin; see {@link FileSystems}).
     */
    public static Result runLocally(DissectionSpec spec, String temporaryDirectory, Consumer<Long> onProgress, Configuration extra)
            throws Exception
    {
        return runLocally(spec, Redaction.DEFAULTS_WITHOUT_KEY, temporaryDirectory, onProgress, extra);
    }

    /** Runs on a local MiniCluster with the redaction a launcher chose. */
    public static Result runLocally(DissectionSpec spec, Redaction redaction, String temporaryDirectory, Consumer<Long> onProgress, Configuration extra)
            throws Exception
    {
        List<ScanUnit> units = ScanUnits.of(spec);
        if (units.isEmpty()) {
            throw new IllegalArgumentException("no capture files to dissect");
        }
        int parallelism = tasks(spec, units, Runtime.getRuntime().availableProcessors());
        Configuration configuration = pipelineSettings();
        configuration.addAll(extra);
        FileSystems.initialize(configuration);
        configuration.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        configuration.set(TaskManagerOptions.NUM_TASK_SLOTS, parallelism);
        if (temporaryDirectory != null) {
            configuration.set(CoreOptions.TMP_DIRS, temporaryDirectory);
        }
        StreamExecutionEnvironment environment = StreamExecutionEnvironment.createLocalEnvironment(parallelism, configuration);
        String token = UUID.randomUUID().toString();
        define(environment, spec, redaction, units, token, parallelism);
        long start = System.nanoTime();
        try {
            JobClient client = environment.executeAsync("wirelake dissect");
            var completion = client.getJobExecutionResult();
            while (!completion.isDone()) {
                try {
                    completion.get(Duration.ofMillis(500).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                }
                catch (java.util.concurrent.TimeoutException e) {
                    if (onProgress != null) {
                        onProgress.accept(Progress.bytes(token));
                    }
                }
            }
            JobExecutionResult result = completion.get();
            return new Result(report(result.getAllAccumulatorResults()), (System.nanoTime() - start) / 1_000_000);
        }
        finally {
            Progress.forget(token);
        }
    }

    private static Configuration pipelineSettings()
    {
        Configuration configuration = new Configuration();
        configuration.set(ExecutionOptions.RUNTIME_MODE, RuntimeExecutionMode.BATCH);
        configuration.set(PipelineOptions.GENERIC_TYPES, false);
        configuration.set(PipelineOptions.OBJECT_REUSE, true);
        return configuration;
    }

    /** The job report from the job's accumulators (counters, damage), as the tasks published them. */
    public static ScanReport report(Map<String, Object> accumulators)
    {
        ScanReport report = new ScanReport();
        accumulators.forEach((name, value) -> {
            if (name.startsWith("counter.")) {
                report.add(name.substring("counter.".length()), ((Number) value).longValue());
            }
            else if (name.equals(ScanFunction.DAMAGE_ACCUMULATOR) && value instanceof List<?> messages) {
                for (Object message : messages) {
                    report.damageMessage(message.toString());
                }
            }
        });
        return report;
    }
}
