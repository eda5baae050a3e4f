package io.wirelake.cli;

import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.store.ObjectStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code wirelake boundaries}: the oldest and newest capture per node. */
@Command(name = "boundaries", mixinStandardHelpOptions = true, description = "Show the oldest and newest capture each node holds in the store.")
final class BoundariesCommand
        implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call()
            throws Exception
    {
        try (ObjectStore store = Wirelake.openStore(spec)) {
            List<Snapshots.NodeBoundary> boundaries = new Snapshots(store).boundaries();
            if (boundaries.isEmpty()) {
                System.out.println("no captures in " + store.location());
                return 1;
            }
            System.out.printf("%-32s %-27s %-27s %8s %10s%n", "NODE", "OLDEST", "NEWEST", "SEGMENTS", "SIZE");
            for (Snapshots.NodeBoundary boundary : boundaries) {
                System.out.printf("%-32s %-27s %-27s %8d %10s%n", boundary.node(), Times.format(boundary.oldestMicros()), Times.format(boundary.newestMicros()),
                        boundary.segments(), Sizes.format(boundary.bytes()));
            }
            return 0;
        }
    }
}
