package io.wirelake.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.catalog.Directories;
import io.wirelake.dissect.job.DissectionJob;
import io.wirelake.dissect.job.JobJars;
import io.wirelake.dissect.job.ScanUnit;
import io.wirelake.dissect.job.ScanUnits;
import io.wirelake.dissect.redact.Redaction;
import io.wirelake.dissect.scan.ScanReport;
import io.wirelake.store.ObjectStore;
import io.wirelake.store.dissection.DissectionSpec;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

import static java.util.Objects.requireNonNull;

/**
 * Submits a dissection spec to a running Flink cluster through its REST API (flink-clients'
 * REST client, as {@code flink run} does): the job graph is built here, and the job's jar and its
 * dependencies (less Flink's own, see {@link JobJars}) go with it. Follows the job until it ends,
 * reporting its state changes and the capture bytes its tasks have read (sent to the JobManager
 * with the TaskManagers' heartbeats), and returns the job's report from its accumulators. The
 * catalog writes the snapshot's status, as for a local run.
 *
 * <p>The cluster reads the captures and writes the tables itself, at the spec's URIs: an
 * {@code s3://} store needs the cluster's S3 file-system plugin and its S3 settings (endpoint,
 * credentials) in the cluster's own configuration; a directory store needs the same path on
 * every TaskManager (one machine, or a shared file system).
 */
final class RemoteFlinkLauncher
        implements FlinkLauncher
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration POLL = Duration.ofMillis(500);
    private static final Duration ACCUMULATOR_POLL = Duration.ofSeconds(2);

    private final URI rest;
    private final DissectionSettings settings;
    /** Serialized into the job graph with the scan function: the rules and the store's key reach the cluster with the job, never in the store. */
    private final Redaction redaction;
    private final Consumer<String> events;
    private final LongConsumer progress;
    private ScanReport report;
    private long wallMillis;

    /**
     * @param rest the cluster's REST API, {@code http://host:port}
     * @param events job state changes, one line each
     * @param progress capture bytes read so far
     */
    RemoteFlinkLauncher(URI rest, DissectionSettings settings, Redaction redaction, Consumer<String> events, LongConsumer progress)
    {
        this.redaction = requireNonNull(redaction, "redaction is null");
        this.rest = requireNonNull(rest, "rest is null");
        if (!"http".equals(rest.getScheme()) || rest.getHost() == null || rest.getPort() < 0) {
            throw new IllegalArgumentException("--flink takes the REST API of a Flink cluster as http://HOST:PORT, not '" + rest + "'");
        }
        this.settings = requireNonNull(settings, "settings is null");
        this.events = requireNonNull(events, "events is null");
        this.progress = requireNonNull(progress, "progress is null");
    }

    /** The cluster reads the store's URIs itself (never a local staging directory it cannot see). */
    @Override
    public boolean readsInPlace(ObjectStore store)
    {
        return true;
    }

    @Override
    public DissectionSpec shape(DissectionSpec spec)
    {
        return settings.apply(spec);
    }

    @Override
    public Report dissect(DissectionSpec spec)
            throws Exception
    {
        JsonNode overview = overview();
        int slots = overview.path("slots-total").asInt();
        List<ScanUnit> units = ScanUnits.of(spec);
        if (units.isEmpty()) {
            throw new IllegalArgumentException("no capture files to dissect");
        }
        int tasks = DissectionJob.tasks(spec, units, Math.max(1, slots));
        Path scratch = Files.createTempDirectory("wirelake-job-jars");
        long start = System.nanoTime();
        try {
            List<Path> jars = JobJars.shipped(scratch);
            StreamExecutionEnvironment environment = StreamExecutionEnvironment.createRemoteEnvironment(rest.getHost(), rest.getPort(), new Configuration(),
                    jars.stream().map(Path::toString).toArray(String[]::new));
            DissectionJob.define(environment, spec, redaction, units, UUID.randomUUID().toString(), tasks);
            events.accept(String.format("submitting to the Flink cluster at %s (Flink %s, %d slots): %d scan unit(s), %d task(s), %d jar(s)", rest,
                    overview.path("flink-version").asText("?"), slots, units.size(), tasks, jars.size()));
            JobClient client = environment.executeAsync("wirelake dissect" + (spec.snapshot().isEmpty() ? "" : " " + spec.snapshot()));
            events.accept("job " + client.getJobID() + " submitted; " + rest + "/#/job/running/" + client.getJobID() + "/overview");
            JobExecutionResult result = follow(client);
            report = DissectionJob.report(result.getAllAccumulatorResults());
            wallMillis = (System.nanoTime() - start) / 1_000_000;
            return new Report(report.counters(), report.damageMessages());
        }
        finally {
            Directories.deleteTree(scratch);
        }
    }

    /** Waits for the job's end, reporting state changes and bytes read; the job's failure becomes this call's. */
    private JobExecutionResult follow(JobClient client)
            throws Exception
    {
        CompletableFuture<JobExecutionResult> completion = client.getJobExecutionResult();
        JobStatus shown = null;
        long lastAccumulators = 0;
        while (true) {
            try {
                return completion.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (TimeoutException e) {
                JobStatus status = client.getJobStatus().get(10, TimeUnit.SECONDS);
                if (status != shown) {
                    events.accept("job " + client.getJobID() + " " + status);
                    shown = status;
                }
                if (System.nanoTime() - lastAccumulators > ACCUMULATOR_POLL.toNanos()) {
                    lastAccumulators = System.nanoTime();
                    Map<String, Object> accumulators = client.getAccumulators().get(10, TimeUnit.SECONDS);
                    if (accumulators.get(DissectionJob.PROGRESS_ACCUMULATOR) instanceof Number bytes) {
                        progress.accept(bytes.longValue());
                    }
                }
            }
        }
    }

    /** The cluster's overview ({@code /overview}): its version and slots; an unreachable or non-Flink URL is a clear error. */
    private JsonNode overview()
            throws IOException, InterruptedException
    {
        HttpResponse<String> response;
        try {
            response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build()
                    .send(HttpRequest.newBuilder(rest.resolve("/overview")).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        }
        catch (IOException e) {
            throw new IOException("no Flink REST API at " + rest + ": " + e.getMessage(), e);
        }
        JsonNode overview = response.statusCode() == 200 ? JSON.readTree(response.body()) : null;
        if (overview == null || !overview.has("slots-total")) {
            throw new IOException("no Flink REST API at " + rest + " (GET /overview: HTTP " + response.statusCode() + ")");
        }
        return overview;
    }

    @Override
    public String description()
    {
        return "the Flink cluster at " + rest;
    }

    @Override
    public ScanReport report()
    {
        return report;
    }

    @Override
    public long wallMillis()
    {
        return wallMillis;
    }

    @Override
    public boolean measuresCpuInProcess()
    {
        return false;
    }
}
