package io.wirelake.catalog.snapshot;

import io.wirelake.catalog.Directories;
import io.wirelake.store.Layout;
import io.wirelake.store.LocalObjectStore;
import io.wirelake.store.ObjectInfo;
import io.wirelake.store.ObjectStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Dissects a snapshot into its table partitions ({@code tables/<table>/snapshot_id=<id>/}): the
 * frozen captures trimmed to the window, enriched from the frozen metadata. The status records
 * {@code dissecting}, then {@code dissected} with the job's counters and damage, or {@code failed}
 * with the error. Running it again replaces the partitions.
 *
 * <p>A local store is read in place. From S3 the embedded job reads a local staging copy (the
 * snapshot's objects are immutable, so the copy is exact) and uploads the Parquet it wrote; a
 * Flink cluster with the S3 file-system plugin can read {@code s3://} directly instead.
 */
public final class SnapshotDissection
{
    private final Snapshots snapshots;
    private final DissectionLauncher launcher;
    private final Path workDirectory;

    public SnapshotDissection(Snapshots snapshots, DissectionLauncher launcher, Path workDirectory)
    {
        this.snapshots = requireNonNull(snapshots, "snapshots is null");
        this.launcher = requireNonNull(launcher, "launcher is null");
        this.workDirectory = requireNonNull(workDirectory, "workDirectory is null");
    }

    public DissectionLauncher.Report run(String id, Consumer<String> progress)
            throws Exception
    {
        Manifest manifest = snapshots.manifest(id);
        ObjectStore store = snapshots.store();
        snapshots.writeStatus(SnapshotStatus.of(id, SnapshotStatus.DISSECTING));
        Path work = Files.createDirectories(workDirectory).resolve("dissect-" + id + "-" + System.nanoTime());
        try {
            String prefix = Layout.snapshotPrefix(id);
            List<String> captures = new ArrayList<>();
            List<String> metadata = new ArrayList<>();
            for (Manifest.Entry entry : manifest.objects()) {
                String uri;
                if (store instanceof LocalObjectStore) {
                    uri = store.uri(prefix + entry.key());
                }
                else {
                    Path staged = work.resolve("staging").resolve(prefix + entry.key());
                    store.download(prefix + entry.key(), staged);
                    uri = staged.toUri().toString();
                }
                (entry.isCapture() ? captures : metadata).add(uri);
            }
            if (!(store instanceof LocalObjectStore)) {
                progress.accept("staged " + manifest.objects().size() + " objects from " + store.location());
            }
            Path output = work.resolve("tables");
            DissectionLauncher.Report report = launcher.dissect(new DissectionLauncher.Job(captures, metadata, manifest.nodes(),
                    manifest.fromMicros(), manifest.toMicros(), output.toUri().toString()));
            for (String table : List.of("api_calls", "flows")) {
                String partition = Layout.tablePartition(table, id);
                for (ObjectInfo old : store.list(partition)) {
                    store.delete(old.key());
                }
                Path directory = output.resolve(table);
                if (!Files.isDirectory(directory)) {
                    continue;
                }
                try (Stream<Path> files = Files.list(directory)) {
                    for (Path file : files.filter(file -> file.getFileName().toString().endsWith(".parquet")).sorted().toList()) {
                        store.put(partition + file.getFileName(), file);
                    }
                }
            }
            snapshots.writeStatus(new SnapshotStatus(id, SnapshotStatus.DISSECTED, java.time.Instant.now().toString(), report.counters(), report.damage(), null));
            return report;
        }
        catch (Exception e) {
            snapshots.writeStatus(new SnapshotStatus(id, SnapshotStatus.FAILED, java.time.Instant.now().toString(), null, null, String.valueOf(e.getMessage())));
            throw e;
        }
        finally {
            Directories.deleteTree(work);
        }
    }
}
