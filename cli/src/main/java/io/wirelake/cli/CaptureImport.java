package io.wirelake.cli;

import io.wirelake.collector.Importer;
import io.wirelake.collector.Rotation;
import io.wirelake.store.ObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Captures and metadata imported as a node's segments, with a line on what was imported. */
final class CaptureImport
{
    private CaptureImport() {}

    static Importer.Result run(ObjectStore store, String node, List<Path> captures, List<Path> metadata, Rotation rotation)
            throws Exception
    {
        Path spool = Files.createTempDirectory("wirelake-import");
        try {
            Importer.Result result = new Importer(store, node, rotation, spool).importFiles(captures, metadata, line -> System.err.println("  " + line));
            System.out.printf("imported %s packets (%s) as %d segment(s) and %s metadata events of node %s into %s%n", Sizes.count(result.packets()),
                    Sizes.format(result.bytes()), result.segments(), Sizes.count(result.metadataEvents()), node, store.location());
            result.damage().forEach(damage -> System.out.println("  skipped: " + damage));
            return result;
        }
        finally {
            io.wirelake.catalog.Directories.deleteTree(spool);
        }
    }
}
