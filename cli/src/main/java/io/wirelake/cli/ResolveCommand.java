package io.wirelake.cli;

import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.store.ObjectStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code wirelake resolve SNAPSHOT WORKLOAD}: the IPs a pod or service had at capture time. */
@Command(name = "resolve", mixinStandardHelpOptions = true,
        description = "Show the IPs a pod or service (NAME or NAMESPACE/NAME) had in a snapshot, from its frozen Kubernetes metadata.")
final class ResolveCommand
        implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SNAPSHOT")
    String snapshot;

    @Parameters(index = "1", paramLabel = "WORKLOAD")
    String workload;

    @Override
    public Integer call()
            throws Exception
    {
        try (ObjectStore store = Wirelake.openStore(spec)) {
            List<Snapshots.Address> addresses = new Snapshots(store).resolve(snapshot, workload);
            if (addresses.isEmpty()) {
                System.err.println("wirelake: no pod or service named " + workload + " in snapshot " + snapshot + "'s metadata");
                return 1;
            }
            System.out.printf("%-8s %-48s %-16s %-30s %-27s %s%n", "KIND", "WORKLOAD", "IP", "NODE", "SINCE", "UNTIL");
            for (Snapshots.Address address : addresses) {
                System.out.printf("%-8s %-48s %-16s %-30s %-27s %s%n", address.kind(), address.namespace() + "/" + address.name(), address.ip(),
                        address.node().isEmpty() ? "-" : address.node(), Times.format(address.sinceMicros()),
                        address.untilMicros() == Long.MAX_VALUE ? "(still held)" : Times.format(address.untilMicros()));
            }
            return 0;
        }
    }
}
