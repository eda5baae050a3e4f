package io.wirelake.cli;

import io.wirelake.catalog.snapshot.SnapshotDissection;
import io.wirelake.catalog.snapshot.SnapshotStatus;
import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.collector.Importer;
import io.wirelake.collector.Rotation;
import io.wirelake.demo.DemoCluster;
import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.demo.GeneratorOptions;
import io.wirelake.dissect.cluster.StandaloneFlinkCluster;
import io.wirelake.dissect.job.JobJars;
import io.wirelake.store.Layout;
import io.wirelake.store.S3ObjectStore;
import io.wirelake.store.testing.SharedS3Proxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A snapshot on S3 (S3Proxy) dissected on a real Flink cluster of separate processes (a
 * JobManager and two TaskManagers, {@link SharedFlinkCluster}) writes the same tables, row for
 * row, as the local MiniCluster's run: submitted through the REST API by
 * {@link RemoteFlinkLauncher}, and run by {@code flink run} ({@code CliFrontend}, Flink's own
 * client) as {@code DissectionJobMain --store URL --snapshot ID}, which reads the spec the catalog
 * wrote and writes the snapshot's status itself.
 */
class RemoteFlinkDissectionTest
{
    /** The task's name differs between runs (which subtask ran a unit); nothing else may. */
    private static final Set<String> TASK_NAME = Set.of("worker");
    private static final String SNAPSHOT = "day";

    static Path work;
    static String prefix;
    static S3ObjectStore store;
    static Snapshots snapshots;
    static List<String> localCalls;
    static List<String> localFlows;
    static SnapshotStatus localStatus;

    @BeforeAll
    static void snapshotOnS3DissectedLocally()
            throws Exception
    {
        work = Path.of("target", "remote-flink").toAbsolutePath();
        io.wirelake.catalog.Directories.deleteTree(work);
        Path captures = work.resolve("captures");
        DemoTrafficGenerator.generate(GeneratorOptions.defaults(3_000_000).withSeed(11).withCrossNodeCopies(true), captures, null);
        prefix = "remote-flink-" + UUID.randomUUID();
        store = SharedS3Proxy.store(prefix);
        for (DemoCluster.Node node : DemoCluster.NODES) {
            new Importer(store, node.name(), new Rotation(5, 64L << 20), Files.createDirectories(work.resolve("spool-" + node.name())))
                    .importFiles(List.of(captures.resolve(node.name() + ".pcap")), List.of(captures.resolve(DemoTrafficGenerator.METADATA_FILE)), line -> {});
        }
        snapshots = new Snapshots(store);
        snapshots.create(SNAPSHOT, Optional.empty(), Optional.empty(), List.of(), line -> {});
        Map<String, String> s3 = Map.of("s3.endpoint", SharedS3Proxy.endpoint(), "s3.path.style.access", "true", "s3.endpoint.region", "us-east-1",
                "s3.access-key", SharedS3Proxy.IDENTITY, "s3.secret-key", SharedS3Proxy.CREDENTIAL);
        LocalFlinkLauncher local = new LocalFlinkLauncher(new DissectionSettings(2, 1), io.wirelake.dissect.redact.Redaction.DEFAULTS_WITHOUT_KEY, Files.createDirectories(work.resolve("tmp")), s3, bytes -> {});
        new SnapshotDissection(snapshots, local, work).run(SNAPSHOT, line -> {});
        localCalls = rows("api_calls");
        localFlows = rows("flows");
        localStatus = snapshots.status(SNAPSHOT);
        assertThat(localStatus.state()).isEqualTo(SnapshotStatus.DISSECTED);
        assertThat(localCalls).hasSizeGreaterThan(500);
        assertThat(localFlows).hasSizeGreaterThan(300);
    }

    @AfterAll
    static void close()
    {
        if (store != null) {
            store.close();
        }
    }

    @Test
    void submittedThroughTheRestApiWritesTheLocalRunsRows()
            throws Exception
    {
        StandaloneFlinkCluster cluster = SharedFlinkCluster.get();
        List<String> events = new CopyOnWriteArrayList<>();
        AtomicLong progress = new AtomicLong();
        RemoteFlinkLauncher remote = new RemoteFlinkLauncher(URI.create(cluster.restUrl()), new DissectionSettings(0, 1), io.wirelake.dissect.redact.Redaction.DEFAULTS_WITHOUT_KEY, events::add, progress::set);
        snapshots.writeStatus(SnapshotStatus.of(SNAPSHOT, SnapshotStatus.CREATED));
        double clusterCpu = cluster.cpuSeconds();

        new SnapshotDissection(snapshots, remote, work).run(SNAPSHOT, line -> {});

        assertThat(rows("api_calls")).containsExactlyElementsOf(localCalls);
        assertThat(rows("flows")).containsExactlyElementsOf(localFlows);
        SnapshotStatus status = snapshots.status(SNAPSHOT);
        assertThat(status.state()).isEqualTo(SnapshotStatus.DISSECTED);
        assertThat(status.stats()).isEqualTo(localStatus.stats());
        assertThat(remote.report().counters()).isEqualTo(localStatus.stats());
        assertThat(events).anySatisfy(event -> assertThat(event).startsWith("submitting to the Flink cluster at " + cluster.restUrl()).contains("4 slots"))
                .anySatisfy(event -> assertThat(event).endsWith(" RUNNING"));
        // The TaskManagers did the work: they used the CPU, and the JobManager lists the finished job.
        assertThat(cluster.cpuSeconds() - clusterCpu).isGreaterThan(1.0);
        assertThat(cluster.get("/jobs/overview")).contains("\"name\":\"wirelake dissect " + SNAPSHOT + "\"").contains("\"state\":\"FINISHED\"");
        // The spec the run used is in the store, where a cluster finds it by itself.
        assertThat(new String(store.read(Layout.dissectionSpec(SNAPSHOT)), StandardCharsets.UTF_8))
                .contains("\"snapshot\" : \"" + SNAPSHOT + "\"").contains("s3://" + SharedS3Proxy.BUCKET + "/" + prefix + "/snapshots/" + SNAPSHOT + "/raw/");
    }

    /** {@code flink run -C <dependency> ... -c DissectionJobMain wirelake-flink-job.jar --store s3://... --snapshot day}, with Flink's own client. */
    @Test
    void flinkRunOfTheJobMainDissectsTheSnapshotFromItsSpecAndWritesItsStatus()
            throws Exception
    {
        StandaloneFlinkCluster cluster = SharedFlinkCluster.get();
        new SnapshotDissection(snapshots, new RemoteFlinkLauncher(URI.create(cluster.restUrl()), DissectionSettings.DEFAULTS, io.wirelake.dissect.redact.Redaction.DEFAULTS_WITHOUT_KEY, line -> {}, bytes -> {}), work)
                .writeSpec(SNAPSHOT);
        snapshots.writeStatus(SnapshotStatus.of(SNAPSHOT, SnapshotStatus.CREATED));

        List<Path> jars = JobJars.shipped(work.resolve("jars"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(StandaloneFlinkCluster.JAVA_OPTIONS);
        command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, StandaloneFlinkCluster.classPath().stream().map(Path::toString).toList()),
                "org.apache.flink.client.cli.CliFrontend", "run"));
        for (Path dependency : jars.subList(1, jars.size())) {
            command.addAll(List.of("-C", dependency.toUri().toString()));
        }
        command.addAll(List.of("-c", "io.wirelake.dissect.job.DissectionJobMain", jars.get(0).toString(),
                "--store", "s3://" + SharedS3Proxy.BUCKET + "/" + prefix, "--snapshot", SNAPSHOT));
        Path log = work.resolve("flink-run.log");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("FLINK_CONF_DIR", cluster.configurationDirectory().toString());
        builder.environment().put("FLINK_PLUGINS_DIR", Path.of(System.getProperty("wirelake.flink.plugins.dir")).toAbsolutePath().toString());
        builder.environment().put("AWS_ACCESS_KEY_ID", SharedS3Proxy.IDENTITY);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", SharedS3Proxy.CREDENTIAL);
        Process process = builder.start();
        assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("flink run ends").isTrue();
        assertThat(process.exitValue()).as("flink run's exit; its output:\n" + Files.readString(log)).isZero();

        assertThat(Files.readString(log)).contains("Job has been submitted with JobID").contains("packets\t" + localStatus.stats().get("packets"));
        SnapshotStatus status = snapshots.status(SNAPSHOT);
        assertThat(status.state()).isEqualTo(SnapshotStatus.DISSECTED);
        assertThat(status.stats()).isEqualTo(localStatus.stats());
        assertThat(rows("api_calls")).containsExactlyElementsOf(localCalls);
        assertThat(rows("flows")).containsExactlyElementsOf(localFlows);
    }

    private static List<String> rows(String table)
            throws Exception
    {
        return TableRows.lines(SharedS3Proxy.bucketDirectory().resolve(prefix).resolve(Layout.tablePartition(table, SNAPSHOT)), TASK_NAME);
    }
}
