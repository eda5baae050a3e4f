package io.wirelake.cli;

import io.wirelake.dissect.cluster.StandaloneFlinkCluster;
import io.wirelake.store.testing.SharedS3Proxy;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * One Flink standalone session cluster per test JVM, started on first use: a JobManager and two
 * TaskManagers with two slots each, as separate processes on loopback, with the S3 plugin and the
 * shared S3Proxy's endpoint in the cluster's configuration and its test credentials in the
 * processes' environment (the AWS chain, as on a real cluster). Stopped when the JVM exits.
 */
final class SharedFlinkCluster
{
    static final int TASK_MANAGERS = 2;
    static final int SLOTS_PER_TASK_MANAGER = 2;
    private static StandaloneFlinkCluster cluster;

    private SharedFlinkCluster() {}

    static synchronized StandaloneFlinkCluster get()
            throws Exception
    {
        if (cluster == null) {
            String plugins = System.getProperty("wirelake.flink.plugins.dir");
            if (plugins == null || !java.nio.file.Files.isDirectory(Path.of(plugins, "s3-fs-hadoop"))) {
                throw new IllegalStateException("the Flink S3 plugin is missing (wirelake.flink.plugins.dir=" + plugins + "): build through Maven");
            }
            Map<String, String> configuration = Map.of("s3.endpoint", SharedS3Proxy.endpoint(), "s3.path.style.access", "true",
                    "s3.endpoint.region", "us-east-1");
            Map<String, String> environment = Map.of("AWS_ACCESS_KEY_ID", SharedS3Proxy.IDENTITY, "AWS_SECRET_ACCESS_KEY", SharedS3Proxy.CREDENTIAL,
                    "AWS_REGION", "us-east-1");
            cluster = StandaloneFlinkCluster.start(StandaloneFlinkCluster.Settings.of(TASK_MANAGERS, SLOTS_PER_TASK_MANAGER,
                            Path.of("target", "flink-cluster-" + ProcessHandle.current().pid()))
                    .withPlugins(Optional.of(Path.of(plugins)))
                    .withConfiguration(configuration, environment)
                    .withTaskManagerMemory("1536m"));
            StandaloneFlinkCluster started = cluster;
            Runtime.getRuntime().addShutdownHook(new Thread(started::close, "flink-cluster-stop"));
        }
        return cluster;
    }
}
