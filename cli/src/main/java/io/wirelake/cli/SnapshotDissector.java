package io.wirelake.cli;

import io.wirelake.catalog.Directories;
import io.wirelake.catalog.snapshot.Manifest;
import io.wirelake.catalog.snapshot.SnapshotDissection;
import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.dissect.redact.Redaction;
import io.wirelake.dissect.redact.RedactionRules;
import io.wirelake.dissect.scan.ScanReport;
import io.wirelake.query.LakeSession;
import io.wirelake.query.QueryService;
import io.wirelake.query.TableSource;
import io.wirelake.query.TrinoAccess;
import io.wirelake.store.Layout;

import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * Dissects a snapshot on a local MiniCluster or a Flink cluster (through its REST API) with
 * progress on the terminal, prints the job report, and registers the new partitions where queries will look (a local Trino that runs; a
 * remote Trino always).
 */
final class SnapshotDissector
{
    private final Snapshots snapshots;
    private final QueryService queries;
    private final Optional<RedactionRules> redact;

    SnapshotDissector(Snapshots snapshots, QueryService queries)
    {
        this(snapshots, queries, Optional.empty());
    }

    private SnapshotDissector(Snapshots snapshots, QueryService queries, Optional<RedactionRules> redact)
    {
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
        this.queries = requireNonNull(queries, "queries is null");
        this.redact = requireNonNull(redact, "redact is null");
    }

    /** Rules given on the command line ({@code --redact}); without them, the store's settings or the defaults. */
    SnapshotDissector redacting(Optional<RedactionRules> redact)
    {
        return new SnapshotDissector(snapshots, queries, redact);
    }

    ScanReport dissect(String name, int parallelism, PrintStream out)
            throws Exception
    {
        return dissect(name, new DissectionSettings(parallelism, 1), Optional.empty(), out, Map.of());
    }

    /**
     * @param flink a Flink cluster's REST API to submit the job to ({@link RemoteFlinkLauncher}); empty for the local MiniCluster
     */
    ScanReport dissect(String name, DissectionSettings settings, Optional<URI> flink, PrintStream out, Map<String, String> flinkSettings)
            throws Exception
    {
        Manifest manifest = snapshots.manifest(name);
        Terminal terminal = new Terminal(System.err);
        long inputBytes = manifest.captures().stream().mapToLong(Manifest.Entry::size).sum();
        double cpuBefore = JobReportPrinter.processCpuSeconds();
        Path temporary = Files.createTempDirectory("wirelake-flink");
        // the store's own key: equal secrets correlate across this store's snapshots, not across stores
        Redaction redaction = RedactionOptions.redaction(RedactionOptions.forStore(redact, snapshots.store()), snapshots.store().location());
        FlinkLauncher launcher = flink.isPresent()
                ? new RemoteFlinkLauncher(flink.get(), settings, redaction, line -> {
                    terminal.done();
                    System.err.println("wirelake: " + line);
                }, bytes -> terminal.progress("dissecting " + name, bytes, inputBytes))
                : new LocalFlinkLauncher(settings, redaction, temporary, flinkSettings, bytes -> terminal.progress("dissecting " + name, bytes, inputBytes));
        out.printf("wirelake snapshot dissect %s: %d segment(s) of %s, %s, on %s%n", name, manifest.captures().size(), String.join(", ", manifest.nodes()),
                Sizes.format(inputBytes), launcher.description());
        if (launcher instanceof LocalFlinkLauncher && !(snapshots.store() instanceof io.wirelake.store.LocalObjectStore)) {
            out.printf("  reading     %s%n", launcher.readsInPlace(snapshots.store())
                    ? "in place, through Flink's S3 file-system plugin in " + io.wirelake.dissect.job.FileSystems.pluginsDirectory().orElseThrow()
                    : "staged through a local directory (no Flink S3 plugin: set -Dwirelake.flink.plugins.dir or FLINK_PLUGINS_DIR)");
        }
        try {
            new SnapshotDissection(snapshots, launcher, temporary).run(name, terminal::status);
        }
        finally {
            terminal.done();
            Directories.deleteTree(temporary);
        }
        ScanReport report = launcher.report();
        // The custody log of a sealed snapshot records each dissection.
        EvidenceCommands.evidence(snapshots.store()).record(name, io.wirelake.catalog.evidence.CustodyLog.Action.DISSECTED,
                Map.of("packets", String.valueOf(report.get("packets"))));
        JobReportPrinter.print(out, report, inputBytes, launcher.wallMillis(), launcher.measuresCpuInProcess() ? JobReportPrinter.processCpuSeconds() - cpuBefore : -1,
                settings.protocols());
        long duplicates = report.get("dedup.flows_kept_by_other_node");
        if (duplicates > 0) {
            out.printf("  de-duplicated %s flow copies captured on two nodes (kept once, by the client's node)%n", Sizes.count(duplicates));
        }
        out.printf("  tables      %s, %s%n", snapshots.store().uri(Layout.tablePartition("api_calls", name)),
                snapshots.store().uri(Layout.tablePartition("flows", name)));
        register(name, out);
        return report;
    }

    /** The tables are written; registration is a convenience the first query repeats. */
    private void register(String name, PrintStream out)
    {
        if (queries.trino() instanceof TrinoAccess.Local local && !local.trino().isReady()) {
            out.println("  registered  on first query (the local Trino is not running)");
            return;
        }
        try (LakeSession session = queries.open(TableSource.snapshot(snapshots.store(), name))) {
            out.printf("  registered  in %s as %s.{api_calls,flows}, partition snapshot_id='%s'%n", queries.trino().description(), session.schema(), name);
        }
        catch (Exception e) {
            out.printf("  registered  not yet: %s refused (%s); the first query retries%n", queries.trino().description(), Wirelake.message(e));
        }
    }
}
