package io.wirelake.cli;

import io.wirelake.catalog.snapshot.Manifest;
import io.wirelake.catalog.snapshot.PcapExport;
import io.wirelake.catalog.snapshot.SnapshotException;
import io.wirelake.catalog.snapshot.SnapshotStatus;
import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.dissect.scan.ScanReport;
import io.wirelake.store.ObjectStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code wirelake snapshot ...}: freeze, inspect, verify, dissect, export and copy time windows of the lake. */
@Command(name = "snapshot", mixinStandardHelpOptions = true, description = "Freeze a time window of the store and work with it.",
        subcommands = {SnapshotCommand.Create.class, SnapshotCommand.ListCommand.class, SnapshotCommand.Get.class, SnapshotCommand.Delete.class,
                SnapshotCommand.Verify.class, SnapshotCommand.Dissect.class, SnapshotCommand.Export.class, SnapshotCommand.Copy.class,
                SnapshotCommand.Prune.class,
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
            description = {"Freeze a window of the nodes' captures and the cluster's metadata into snapshots/NAME/ (server-side copies, SHA-256 manifest),",
                    "then dissect it into its table partitions (unless --no-dissect)."})
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

        @Option(names = "--no-dissect", description = "Only freeze; dissect later with 'snapshot dissect'.")
        boolean noDissect;

        @CommandLine.Mixin
        FlinkOptions flink;

        @Option(names = "--class", paramLabel = "CLASS", description = "Apply a retention class of the store ('snapshot classes' lists them).")
        String retentionClass;

        @Option(names = "--redact", paramLabel = "FILE|none",
                description = "Redaction rules for the dissection (a JSON file, see docs/REDACTION.md), or none; default: the store's settings/redaction.json, else the default rules.")
        String redact;

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
            if (noDissect) {
                // A Flink cluster can run it by itself from the store (DissectionJobMain --store URL --snapshot NAME).
                new io.wirelake.catalog.snapshot.SnapshotDissection(snapshots, new SpecOnly(flink.settings()), Path.of(System.getProperty("java.io.tmpdir")))
                        .writeSpec(manifest.id());
                System.out.printf("  not dissected (--no-dissect): run 'wirelake snapshot dissect %s' to query it; its dissection spec is %s%n", manifest.id(),
                        snapshots.store().uri(io.wirelake.store.Layout.dissectionSpec(manifest.id())));
                return 0;
            }
            ScanReport report = new SnapshotDissector(snapshots, Wirelake.queryService(spec)).redacting(RedactionOptions.fromOption(redact))
                    .dissect(manifest.id(), flink.settings(), flink.cluster(),
                    System.out, Map.of());
            return report.get("packets") == 0 ? 1 : 0;
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
            if (!status.protocols().isEmpty()) {
                out.printf("protocols  only %s detected; not detected: %s%n", String.join(", ", status.protocols()),
                        String.join(", ", JobReportPrinter.notDetected(status.protocols())));
            }
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
            unregister(spec, snapshots, name);
            return 0;
        }
    }

    @Command(name = "prune", mixinStandardHelpOptions = true,
            description = {"Delete old snapshots and their table partitions, keeping the newest of each of the last --keep-daily days and of each of the",
                    "last --keep-monthly months (by window start, UTC), the newest snapshot, and any under retention or legal hold."})
    static final class Prune
            extends StoreCommand
    {
        @Option(names = "--keep-daily", defaultValue = "30", paramLabel = "N", description = "Days to keep one snapshot of (default: ${DEFAULT-VALUE}).")
        int keepDaily;

        @Option(names = "--keep-monthly", defaultValue = "12", paramLabel = "N", description = "Months to keep one snapshot of (default: ${DEFAULT-VALUE}).")
        int keepMonthly;

        @Option(names = "--prefix", paramLabel = "PREFIX", description = "Only snapshots named PREFIX-... (e.g. daily, the schedule's); default: all.")
        String prefix;

        @Option(names = "--dry-run", description = "Say what would be deleted, delete nothing.")
        boolean dryRun;

        @Option(names = "--bypass-governance", description = "Also delete snapshots under governance-mode retention (recorded in their custody logs); "
                + "compliance mode and legal holds still protect.")
        boolean bypassGovernance;

        @Override
        int run(Snapshots snapshots)
                throws Exception
        {
            List<io.wirelake.catalog.schedule.Pruning.Candidate> candidates = new java.util.ArrayList<>();
            for (Snapshots.Summary summary : snapshots.list()) {
                String id = summary.manifest().id();
                if (prefix != null && !id.startsWith(prefix + "-")) {
                    continue;
                }
                candidates.add(new io.wirelake.catalog.schedule.Pruning.Candidate(id, Times.instant(summary.manifest().fromMicros()),
                        protection(snapshots, id, bypassGovernance)));
            }
            List<io.wirelake.catalog.schedule.Pruning.Decision> plan = io.wirelake.catalog.schedule.Pruning.plan(candidates, keepDaily, keepMonthly);
            int deleted = 0;
            for (io.wirelake.catalog.schedule.Pruning.Decision decision : plan) {
                if (decision.keep()) {
                    System.out.printf("keep    %-32s %s%n", decision.name(), decision.reason());
                    continue;
                }
                System.out.printf("%s  %-32s %s%n", dryRun ? "would delete" : "delete", decision.name(), decision.reason());
                if (!dryRun) {
                    EvidenceCommands.evidence(snapshots.store()).delete(decision.name(), bypassGovernance);
                    unregister(spec, snapshots, decision.name());
                    deleted++;
                }
            }
            System.out.printf("%s%d of %d snapshot(s)%n", dryRun ? "would delete " : "deleted ", dryRun ? plan.stream().filter(decision -> !decision.keep()).count() : deleted,
                    plan.size());
            return 0;
        }

        /** Why a snapshot may not be deleted now, if anything says so (retention, legal hold). */
        static Optional<String> protection(Snapshots snapshots, String id, boolean bypassGovernance)
                throws java.io.IOException
        {
            try {
                snapshots.checkDeletable(id, bypassGovernance);
                return Optional.empty();
            }
            catch (SnapshotException e) {
                return Optional.of("protected: " + e.getMessage());
            }
        }
    }

    /** A registered partition of deleted files would answer with nothing; take it away where it may be registered. */
    static void unregister(CommandLine.Model.CommandSpec spec, Snapshots snapshots, String name)
            throws Exception
    {
        io.wirelake.query.QueryService queries = Wirelake.queryService(spec);
        if (!(queries.trino() instanceof io.wirelake.query.TrinoAccess.Local local) || local.trino().isReady()) {
            try {
                queries.unregister(snapshots.store(), name);
                System.out.println("  unregistered its partitions from " + queries.trino().description());
            }
            catch (java.sql.SQLException e) {
                // never registered there (or no such tables): nothing to take away
            }
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
                    "with Kubernetes context from its frozen metadata; registers the partitions in the local Trino when it is running.",
                    "Runs on a local MiniCluster, or with --flink on a Flink cluster (submitted through its REST API)."})
    static final class Dissect
            extends StoreCommand
    {
        @Parameters(paramLabel = "NAME")
        String name;

        @CommandLine.Mixin
        FlinkOptions flink;


        @Option(names = "--redact", paramLabel = "FILE|none",
                description = "Redaction rules for the dissection (a JSON file, see docs/REDACTION.md), or none; default: the store's settings/redaction.json, else the default rules.")
        String redact;

        @Override
        int run(Snapshots snapshots)
                throws Exception
        {
            ScanReport report = new SnapshotDissector(snapshots, Wirelake.queryService(spec)).redacting(RedactionOptions.fromOption(redact))
                    .dissect(name, flink.settings(), flink.cluster(), System.out,
                    Map.of());
            return report.get("packets") == 0 ? 1 : 0;
        }
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

    /** Shapes a spec as the command line asked, for writing it; it launches nothing. */
    private record SpecOnly(DissectionSettings settings)
            implements io.wirelake.catalog.snapshot.DissectionLauncher
    {
        @Override
        public boolean readsInPlace(ObjectStore store)
        {
            return true;
        }

        @Override
        public io.wirelake.store.dissection.DissectionSpec shape(io.wirelake.store.dissection.DissectionSpec spec)
        {
            return settings.apply(spec);
        }

        @Override
        public Report dissect(io.wirelake.store.dissection.DissectionSpec spec)
        {
            throw new UnsupportedOperationException("writes the spec only");
        }
    }
}
