package io.wirelake.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.wirelake.collector.Collector;
import io.wirelake.collector.Rotation;
import io.wirelake.store.ObjectStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code wirelake collector run}: the node agent. */
@Command(name = "collector", mixinStandardHelpOptions = true, description = "The node agent.", subcommands = CollectorCommand.Run.class)
final class CollectorCommand
        implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "run", mixinStandardHelpOptions = true,
            description = {"Capture an interface into rotating segments and upload them to the store (raw/<node>/...), with Kubernetes metadata (meta/<node>/...).",
                    "Runs until SIGTERM or Ctrl-C: the open segment is then finished and uploaded."})
    static final class Run
            implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--node", required = true, paramLabel = "NAME", description = "This node's name (in Kubernetes: spec.nodeName).")
        String node;

        @Option(names = "--interface", required = true, paramLabel = "IF", description = "Interface to capture (any, eth0, lo, ...).")
        String interfaceName;

        @Option(names = "--filter", paramLabel = "BPF", description = "libpcap capture filter, e.g. 'tcp or udp port 53'.")
        String filter;

        @Option(names = "--snaplen", defaultValue = "262144", paramLabel = "N", description = "Bytes kept per packet (default: ${DEFAULT-VALUE}).")
        int snapLength;

        @Option(names = "--rotate-seconds", defaultValue = "60", paramLabel = "N", description = "Segment length (default: ${DEFAULT-VALUE}).")
        long rotateSeconds;

        @Option(names = "--rotate-bytes", defaultValue = "64MiB", paramLabel = "SIZE", description = "Largest segment (default: ${DEFAULT-VALUE}).")
        String rotateBytes;

        @Option(names = "--storage-size", defaultValue = "0", paramLabel = "SIZE", description = "This node's FIFO budget in the store; oldest segments are deleted beyond it (default: unlimited).")
        String storageSize;

        @Option(names = "--spool", paramLabel = "DIR", description = "Local spool for segments waiting for upload (default: ~/.wirelake/spool/<node>).")
        Path spool;

        @Option(names = "--spool-size", defaultValue = "2GiB", paramLabel = "SIZE",
                description = "The most the spool holds while the store is away; the oldest waiting segments are dropped (and counted) beyond it; 0: no cap (default: ${DEFAULT-VALUE}).")
        String spoolSize;

        @Option(names = "--metrics-port", defaultValue = "9464", paramLabel = "PORT", description = "Prometheus /metrics port; -1 to disable (default: ${DEFAULT-VALUE}).")
        int metricsPort;

        @Option(names = "--metrics-address", defaultValue = "0.0.0.0", paramLabel = "ADDRESS", description = "Address the metrics server binds (default: ${DEFAULT-VALUE}).")
        String metricsAddress;

        @Option(names = "--kubernetes", defaultValue = "auto", paramLabel = "MODE",
                description = "Watch Kubernetes for pod/service IPs: auto (when in a cluster or KUBECONFIG is set), on, off (default: ${DEFAULT-VALUE}).")
        String kubernetes;

        @Option(names = "--kubernetes-scope", defaultValue = "node", paramLabel = "SCOPE", description = "Pods watched: node (this node's; every node reports its own) or cluster (default: ${DEFAULT-VALUE}).")
        String scope;

        @Override
        public Integer call()
                throws Exception
        {
            Path spoolDirectory = spool != null ? spool : Path.of(System.getProperty("user.home"), ".wirelake", "spool", node);
            boolean watch = switch (kubernetes) {
                case "on" -> true;
                case "off" -> false;
                case "auto" -> System.getenv("KUBERNETES_SERVICE_HOST") != null || System.getenv("KUBECONFIG") != null;
                default -> throw new IllegalArgumentException("--kubernetes must be auto, on or off");
            };
            if (!scope.equals("node") && !scope.equals("cluster")) {
                throw new IllegalArgumentException("--kubernetes-scope must be node or cluster");
            }
            Collector.Options options = new Collector.Options(node, interfaceName, Optional.ofNullable(filter), snapLength,
                    new Rotation(rotateSeconds, Sizes.parse(rotateBytes)), spoolDirectory, Sizes.parse(storageSize), Sizes.parse(spoolSize), metricsAddress, metricsPort,
                    scope.equals("node"), Duration.ofSeconds(30));
            try (ObjectStore store = Wirelake.openStore(spec);
                    KubernetesClient client = watch ? new KubernetesClientBuilder().build() : null) {
                Collector collector = new Collector(options, store, Optional.ofNullable(client));
                Thread hook = new Thread(() -> {
                    collector.stop();
                    try {
                        collector.awaitStopped(Duration.ofSeconds(60));
                    }
                    catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "wirelake-shutdown");
                Runtime.getRuntime().addShutdownHook(hook);
                collector.run();
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                }
                catch (IllegalStateException e) {
                    // shutting down already
                }
            }
            return 0;
        }
    }
}
