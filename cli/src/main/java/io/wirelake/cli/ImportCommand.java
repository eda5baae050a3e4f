package io.wirelake.cli;

import io.wirelake.collector.Importer;
import io.wirelake.collector.Rotation;
import io.wirelake.store.ObjectStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code wirelake import --node NAME FILE...}: existing captures become a node's segments, as the collector writes them. */
@Command(name = "import", mixinStandardHelpOptions = true,
        description = {"Import capture files as a node's segments (raw/<node>/...), cut and named exactly as the collector does.",
                "Files ending in .jsonl are Kubernetes metadata (workload events) and become the node's metadata segments."})
final class ImportCommand
        implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--node", required = true, paramLabel = "NAME", description = "The node the captures come from.")
    String node;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "pcap/pcapng captures, and .jsonl metadata.")
    List<Path> files;

    @Option(names = "--rotate-seconds", defaultValue = "60", paramLabel = "N", description = "Segment length in capture time (default: ${DEFAULT-VALUE}).")
    long rotateSeconds;

    @Option(names = "--rotate-bytes", defaultValue = "64MiB", paramLabel = "SIZE", description = "Largest segment (default: ${DEFAULT-VALUE}).")
    String rotateBytes;

    @Override
    public Integer call()
            throws Exception
    {
        List<Path> captures = new ArrayList<>();
        List<Path> metadata = new ArrayList<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new java.nio.file.NoSuchFileException(file.toString());
            }
            (file.getFileName().toString().endsWith(".jsonl") ? metadata : captures).add(file);
        }
        try (ObjectStore store = Wirelake.openStore(spec)) {
            Importer.Result result = CaptureImport.run(store, node, captures, metadata, new Rotation(rotateSeconds, Sizes.parse(rotateBytes)));
            return result.packets() == 0 && result.metadataEvents() == 0 ? 1 : 0;
        }
    }
}
