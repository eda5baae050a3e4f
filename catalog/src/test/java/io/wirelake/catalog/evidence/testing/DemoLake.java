package io.wirelake.catalog.evidence.testing;

import io.wirelake.collector.Importer;
import io.wirelake.collector.Rotation;
import io.wirelake.demo.DemoCluster;
import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.demo.GeneratorOptions;
import io.wirelake.store.ObjectStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Demo traffic of the three demo nodes (generated once per test JVM), imported into a store as the collector's import writes it. */
public final class DemoLake
{
    private static Path demo;

    private DemoLake() {}

    private static synchronized Path demo()
            throws Exception
    {
        if (demo == null) {
            Path directory = Files.createTempDirectory("demo-lake");
            DemoTrafficGenerator.generate(GeneratorOptions.defaults(1_000_000), directory, null);
            demo = directory;
        }
        return demo;
    }

    public static void importInto(ObjectStore store, Path spool)
            throws Exception
    {
        Path directory = demo();
        for (DemoCluster.Node node : DemoCluster.NODES) {
            new Importer(store, node.name(), new Rotation(1, 1 << 20), spool.resolve(node.name()))
                    .importFiles(List.of(directory.resolve(node.name() + ".pcap")), List.of(directory.resolve(DemoTrafficGenerator.METADATA_FILE)), line -> {});
        }
    }
}
