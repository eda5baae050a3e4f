package io.wirelake.cli;

import io.wirelake.catalog.Directories;
import io.wirelake.catalog.LocalTrino;
import io.wirelake.catalog.snapshot.DissectionLauncher;
import io.wirelake.catalog.snapshot.Manifest;
import io.wirelake.catalog.snapshot.PcapExport;
import io.wirelake.catalog.snapshot.SnapshotDissection;
import io.wirelake.catalog.snapshot.SnapshotException;
import io.wirelake.catalog.snapshot.SnapshotStatus;
import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.dissect.flow.FlowTracker;
import io.wirelake.dissect.job.DissectionJob;
import io.wirelake.dissect.job.ScanUnit;
import io.wirelake.dissect.job.ScanUnits;
import io.wirelake.dissect.scan.ScanReport;
import io.wirelake.store.ObjectStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code wirelake snapshot ...}: freeze, inspect, verify, dissect, export and copy time windows of the lake. */
@Command(name = "snapshot", mixinStandardHelpOptions = true, description = "Freeze a time window of the store and work with it.",
        subcommands = {SnapshotCommand.Create.class, SnapshotCommand.ListCommand.class, SnapshotCommand.Get.class, SnapshotCommand.Delete.class,
                SnapshotCommand.Verify.class, SnapshotCommand.Dissect.class, SnapshotCommand.Export.class, SnapshotCommand.Copy.class,
                EvidenceCommands.Seal.class, EvidenceCommands.Archive.class, EvidenceCommands.Hold.class, EvidenceCommands.Bundle.class,
                EvidenceCommands.Custody.class, EvidenceCommands.Key.class, EvidenceCommands.Classes.class})
final class SnapshotCommand
        implements Runnable
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run()
    {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    abstract static class StoreCommand
            implements Callable<Integer>
    {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call()
                throws Exception
        {
            try (ObjectStore store = Wirelake.openStore(spec)) {
                // Through the evidence package: a snapshot created here is sealed.
                return run(EvidenceCommands.evidence(store).snapshots());
            }
        }

        abstract int run(Snapshots snapshots)
                throws Exception;
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Freeze a window of the nodes' captures and the cluster's metadata into snapshots/NAME/ (server-side copies, SHA-256 manifest).")
    static final class Create
            extends StoreCommand
    {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--from", paramLabel = "TIME", description = "Window start, ISO-8601 (default: the oldest capture).")
        String from;

        @Option(names = "--to", paramLabel = "TIME", description = "Window end, ISO-8601 or now (default: the newest capture).")
        String to;

        @Option(names = "--nodes", split = ",", paramLabel = "A,B", description = "Nodes whose captures to freeze (default: all).")
        List<String> nodes;

        @Option(names = "--class", paramLabel = "CLASS", description = "Apply a retention class of the store ('snapshot classes' lists them).")
        String retentionClass;

        @Override
        int run(Snapshots snapshots)
                throws Exception
        {
            Terminal terminal = new Terminal(System.err);
            Manifest manifest;
            io.wirelake.catalog.evidence.Evidence evidence = EvidenceCommands.evidence(snapshots.store());
            try {
                manifest = evidence.create(name, Times.parse("--from", from), Times.parse("--to", to), nodes == null ? List.of() : nodes,
                        Optional.ofNullable(retentionClass), line -> terminal.status(line));
            }
            finally {
                terminal.done();
            }
            System.out.printf("snapshot %s: %d capture segment(s) of %s, %d metadata segment(s), %s packets, %s, window %s .. %s%n", manifest.id(),
                    manifest.captures().size(), String.join(", ", manifest.nodes()), manifest.metadata().size(), Sizes.count(manifest.packets()),
                    Sizes.format(manifest.bytes()), Times.format(manifest.fromMicros()), Times.format(manifest.toMicros()));
            EvidenceCommands.printState(System.out, evidence.state(manifest.id()));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the snapshots with their status.")
    static final class ListCommand
            extends StoreCommand
    {
        @Override
        int run(Snapshots snapshots)
                throws Exception
        {
            List<Snapshots.Summary> all = snapshots.list();
            if (all.isEmpty()) {
                System.out.println("no snapshots in " + snapshots.store().location());
                return 0;
            }
            io.wirelake.catalog.evidence.Evidence evidence = EvidenceCommands.evidence(snapshots.store());
            System.out.printf("%-24s %-11s %-27s %-27s %-6s %12s %10s  %-6s %s%n", "NAME", "STATUS", "FROM", "TO", "NODES", "PACKETS", "SIZE", "SEALED", "RETENTION");
            for (Snapshots.Summary summary : all) {
                Manifest manifest = summary.manifest();
                io.wirelake.catalog.evidence.Evidence.State state = evidence.state(manifest.id());
                System.out.printf("%-24s %-11s %-27s %-27s %-6d %12s %10s  %-6s %s%n", manifest.id(), summary.status().state(), Times.format(manifest.fromMicros()),
                        Times.format(manifest.toMicros()), manifest.nodes().size(), Sizes.count(manifest.packets()), Sizes.format(manifest.bytes()),
                        state.sealed() ? (state.timestamp().isPresent() ? "yes+ts" : "yes") : "no", state.retention().describe());
            }
            return 0;
        }
    }

    @Command(name = "get", mixinStandardHelpOptions = true, description = "Show a snapshot: window, nodes, objects, status and the last dissection's report.")
    static final class Get
            extends StoreCommand
    {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        int run(Snapshots snapshots)
                throws Exception
        {
            Manifest manifest = snapshots.manifest(name);
            SnapshotStatus status = snapshots.status(name);
            PrintStream out = System.out;
            out.printf("snapshot   %s%n", manifest.id());
            out.printf("created    %s%n", manifest.createdAt());
            out.printf("window     %s .. %s%n", Times.format(manifest.fromMicros()), Times.format(manifest.toMicros()));
            out.printf("nodes      %s%n", String.join(", ", manifest.nodes()));
            out.printf("objects    %d capture segment(s), %d metadata segment(s), %s, %s packets%n", manifest.captures().size(), manifest.metadata().size(),
                    Sizes.format(manifest.bytes()), Sizes.count(manifest.packets()));
            EvidenceCommands.printState(out, EvidenceCommands.evidence(snapshots.store()).state(name));
            out.printf("status     %s (since %s)%n", status.state(), status.updatedAt());
            if (!status.error().isEmpty()) {
                out.printf("error      %s%n", status.error());
            }
            status.stats().entrySet().stream().filter(entry -> !entry.getKey().startsWith("anomaly.") && !entry.getKey().startsWith("rows."))
                    .sorted(Map.Entry.comparingByKey()).forEach(entry -> out.printf("  %-36s %s%n", entry.getKey(), Sizes.count(entry.getValue())));
            status.stats().entrySet().stream().filter(entry -> entry.getKey().startsWith("rows."))
                    .sorted(Map.Entry.comparingByKey()).forEach(entry -> out.printf("  %-36s %s%n", entry.getKey(), Sizes.count(entry.getValue())));
            status.damage().forEach(damage -> out.printf("  skipped: %s%n", damage));
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a snapshot's frozen objects and its table partitions; refused under legal hold or unexpired retention.")
    static final class Delete
            extends StoreCommand
    {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--bypass-governance", description = "Delete despite a governance-mode retention (recorded in the custody log, which the chain keeps).")
        boolean bypassGovernance;

        @Override
        int run(Snapshots snapshots)
                throws Exception
        {
            int deleted = EvidenceCommands.evidence(snapshots.store()).delete(name, bypassGovernance);
            System.out.printf("deleted snapshot %s (%d objects)%n", name, deleted);
            if (LocalTrino.fromEnvironment().isReady()) {
                // A registered partition of deleted files would answer with nothing; take it away.
                try (Connection connection = LocalTrino.fromEnvironment().connect(); java.sql.Statement statement = connection.createStatement()) {
                    for (String call : io.wirelake.catalog.TrinoTables.unregisterPartition(LocalTrinoSession.schemaForStore(snapshots.store()), name)) {
                        statement.execute(call);
                    }
                    System.out.println("  unregistered its partitions from the local Trino");
                }
                catch (java.sql.SQLException e) {
                    // never registered there (or no such tables): nothing to take away
                }
            }
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Recompute every frozen object's SHA-256 against the manifest, and check the seal: signature, both chain links,",
                    "the RFC 3161 token and the custody log (which records the verification). Exit 4 names each failure."})
    static final class Verify
            extends StoreCommand
    {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        int run(Snapshots snapshots)
                throws Exception
        {
            io.wirelake.catalog.evidence.VerificationReport report = EvidenceCommands.evidence(snapshots.store()).verifyAndRecord(name, key -> {});
            return EvidenceCommands.printVerification(System.out, "snapshot " + name, report);
        }
    }

    @Command(name = "dissect", mixinStandardHelpOptions = true,
            description = {"Dissect a snapshot with the Flink job into tables/api_calls/snapshot_id=NAME/ and tables/flows/snapshot_id=NAME/,",
                    "with Kubernetes context from its frozen metadata; registers the partitions in the local Trino when it is running."})
    static final class Dissect
            extends StoreCommand
    {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--parallelism", paramLabel = "N", description = "Flink tasks (default: one per core, at most one per node).")
        int parallelism;

        @Override
        int run(Snapshots snapshots)
                throws Exception
        {
            ScanReport report = dissect(snapshots, name, parallelism, System.out);
            EvidenceCommands.evidence(snapshots.store()).record(name, io.wirelake.catalog.evidence.CustodyLog.Action.DISSECTED,
                    Map.of("packets", String.valueOf(report.get("packets"))));
            return report.get("packets") == 0 ? 1 : 0;
        }
    }

    /** Runs the dissection of a snapshot on a local MiniCluster and prints the job report. */
    static ScanReport dissect(Snapshots snapshots, String name, int parallelism, PrintStream out)
            throws Exception
    {
        return dissect(snapshots, name, parallelism, out, Map.of());
    }

    /**
     * @param flinkSettings extra Flink settings, over those derived from the environment
     *        ({@code s3.endpoint}, {@code s3.path.style.access}, {@code s3.endpoint.region} from WIRELAKE_S3_*)
     */
    static ScanReport dissect(Snapshots snapshots, String name, int parallelism, PrintStream out, Map<String, String> flinkSettings)
            throws Exception
    {
        Manifest manifest = snapshots.manifest(name);
        Terminal terminal = new Terminal(System.err);
        long inputBytes = manifest.captures().stream().mapToLong(Manifest.Entry::size).sum();
        ScanReport[] report = {null};
        long[] wall = {0};
        double cpuBefore = JobReportPrinter.processCpuSeconds();
        Path temporary = Files.createTempDirectory("wirelake-flink");
        org.apache.flink.configuration.Configuration flink = flinkConfiguration(flinkSettings);
        DissectionLauncher launcher = new DissectionLauncher()
        {
            @Override
            public boolean readsInPlace(ObjectStore store)
            {
                // s3:// needs Flink's S3 file-system plugin; without it the catalog stages the snapshot locally.
                return store instanceof io.wirelake.store.LocalObjectStore || io.wirelake.dissect.job.FileSystems.pluginsDirectory().isPresent();
            }

            @Override
            public Report dissect(Job job)
                    throws Exception
            {
                io.wirelake.dissect.job.FileSystems.initialize(flink);
                List<ScanUnit> units = ScanUnits.discoverUris(job.captures(), "");
                FlowTracker.Settings settings = FlowTracker.Settings.defaults("", 0);
                DissectionJob.Result result = DissectionJob.runLocally(units, new DissectionJob.Options(job.output(), parallelism, settings,
                        new DissectionJob.SnapshotContext(job.metadata(), job.nodes(), job.fromMicros(), job.toMicros(), job.partition())),
                        temporary.toString(), bytes -> terminal.progress("dissecting " + name, bytes, inputBytes), flink);
                report[0] = result.report();
                wall[0] = result.wallMillis();
                return new Report(result.report().counters(), result.report().damageMessages());
            }
        };
        out.printf("wirelake snapshot dissect %s: %d segment(s) of %s, %s%n", name, manifest.captures().size(), String.join(", ", manifest.nodes()), Sizes.format(inputBytes));
        try {
            new SnapshotDissection(snapshots, launcher, temporary).run(name, line -> terminal.status(line));
        }
        finally {
            terminal.done();
            Directories.deleteTree(temporary);
        }
        JobReportPrinter.print(out, report[0], inputBytes, wall[0], JobReportPrinter.processCpuSeconds() - cpuBefore);
        long duplicates = report[0].get("dedup.flows_kept_by_other_node");
        if (duplicates > 0) {
            out.printf("  de-duplicated %s flow copies captured on two nodes (kept once, by the client's node)%n", Sizes.count(duplicates));
        }
        out.printf("  tables      %s, %s%n", snapshots.store().uri(io.wirelake.store.Layout.tablePartition("api_calls", name)),
                snapshots.store().uri(io.wirelake.store.Layout.tablePartition("flows", name)));
        if (LocalTrino.fromEnvironment().isReady()) {
            // The tables are written; registration is a convenience the first query repeats.
            try (Connection connection = LocalTrinoSession.connect(snapshots.store(), name)) {
                out.printf("  registered  in the local Trino as %s.{api_calls,flows}, partition snapshot_id='%s'%n", connection.getSchema(), name);
            }
            catch (java.sql.SQLException e) {
                out.printf("  registered  not yet: the local Trino refused (%s); the first query retries%n", Wirelake.message(e));
            }
        }
        else {
            out.println("  registered  on first query (the local Trino is not running)");
        }
        return report[0];
    }

    /** Flink's view of S3, from the same environment as the store's (credentials stay in the AWS chain). */
    static org.apache.flink.configuration.Configuration flinkConfiguration(Map<String, String> overrides)
    {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        io.wirelake.store.S3Settings s3 = io.wirelake.store.S3Settings.fromEnvironment(System.getenv());
        s3.endpoint().ifPresent(endpoint -> settings.put("s3.endpoint", endpoint));
        settings.put("s3.endpoint.region", s3.region());
        settings.put("s3.path.style.access", String.valueOf(s3.pathStyle()));
        settings.putAll(overrides);
        return org.apache.flink.configuration.Configuration.fromMap(settings);
    }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Write a snapshot's captures as one PCAP, merged across nodes in time order, optionally filtered with a BPF expression (libpcap's syntax).")
    static final class Export
            extends StoreCommand
    {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--out", required = true, paramLabel = "FILE")
        Path output;

        @Option(names = "--bpf", paramLabel = "EXPR", description = "Keep only packets matching, e.g. 'tcp port 8080 and host 10.244.1.21'.")
        String bpf;

        @Option(names = "--nodes", split = ",", paramLabel = "A,B", description = "Nodes to include (default: all of the snapshot's).")
        List<String> nodes;

        @Option(names = "--from", paramLabel = "TIME")
        String from;

        @Option(names = "--to", paramLabel = "TIME")
        String to;

        @Override
        int run(Snapshots snapshots)
                throws Exception
        {
            PcapExport.Result result = new PcapExport(snapshots).export(new PcapExport.Request(name, output, Optional.ofNullable(bpf),
                    nodes == null ? List.of() : nodes, Times.parse("--from", from).orElse(Long.MIN_VALUE), Times.parse("--to", to).orElse(Long.MAX_VALUE)));
            System.out.printf("exported %s of %s packets to %s (%s)%n", Sizes.count(result.packetsWritten()), Sizes.count(result.packetsRead()), output,
                    Sizes.format(result.bytesWritten()));
            EvidenceCommands.evidence(snapshots.store()).record(name, io.wirelake.catalog.evidence.CustodyLog.Action.EXPORTED,
                    Map.of("file", output.getFileName().toString(), "bpf", bpf == null ? "" : bpf, "packets", String.valueOf(result.packetsWritten())));
            result.damage().forEach(damage -> System.out.println("  skipped: " + damage));
            return 0;
        }
    }

    @Command(name = "copy", mixinStandardHelpOptions = true,
            description = "Copy a snapshot to another store (e.g. --to s3://bucket/prefix, or from S3 into a directory); the copy verifies against the same manifest.")
    static final class Copy
            extends StoreCommand
    {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--to", required = true, paramLabel = "DIR|s3://BUCKET/PREFIX")
        String target;

        @Override
        int run(Snapshots snapshots)
                throws Exception
        {
            try (ObjectStore destination = Wirelake.openStore(target)) {
                Terminal terminal = new Terminal(System.err);
                try {
                    EvidenceCommands.evidence(snapshots.store()).copy(name, destination, line -> terminal.status(line));
                }
                finally {
                    terminal.done();
                }
                Snapshots.Verification verification = new Snapshots(destination).verify(name, key -> {});
                if (!verification.ok()) {
                    throw new SnapshotException("the copy in " + destination.location() + " does not verify: " + verification.problems());
                }
                System.out.printf("copied snapshot %s to %s: %d objects, %s, verified%n", name, destination.location(), verification.objects(),
                        Sizes.format(verification.bytes()));
            }
            return 0;
        }
    }
}
