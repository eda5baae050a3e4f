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
 * <p>A launcher that reads the store in place (a local directory; S3 with Flink's S3 file-system
 * plugin) reads the frozen objects and writes the partitions directly. Otherwise the snapshot is
 * staged through a local directory (its objects are immutable, so the copy is exact) and the
 * Parquet uploaded.
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
        boolean inPlace = launcher.readsInPlace(store);
        try {
            String prefix = Layout.snapshotPrefix(id);
            List<String> captures = new ArrayList<>();
            List<String> metadata = new ArrayList<>();
            for (Manifest.Entry entry : manifest.objects()) {
                String uri;
                if (inPlace) {
                    uri = store.uri(prefix + entry.key());
                }
                else {
                    Path staged = work.resolve("staging").resolve(prefix + entry.key());
                    store.download(prefix + entry.key(), staged);
                    uri = staged.toUri().toString();
                }
                (entry.isCapture() ? captures : metadata).add(uri);
            }
            if (!inPlace) {
                progress.accept("staged " + manifest.objects().size() + " objects from " + store.location());
            }
            // A new dissection replaces the partitions.
            for (String table : List.of("api_calls", "flows")) {
                for (ObjectInfo old : store.list(Layout.tablePartition(table, id))) {
                    store.delete(old.key());
                }
            }
            DissectionLauncher.Report report;
            if (inPlace) {
                report = launcher.dissect(new DissectionLauncher.Job(captures, metadata, manifest.nodes(), manifest.fromMicros(), manifest.toMicros(),
                        store.uri(Layout.TABLES.substring(0, Layout.TABLES.length() - 1)), id));
            }
            else {
                Path output = work.resolve("tables");
                report = launcher.dissect(new DissectionLauncher.Job(captures, metadata, manifest.nodes(), manifest.fromMicros(), manifest.toMicros(),
                        output.toUri().toString(), id));
                for (String table : List.of("api_calls", "flows")) {
                    Path directory = output.resolve(table).resolve("snapshot_id=" + id);
                    if (!Files.isDirectory(directory)) {
                        continue;
                    }
                    try (Stream<Path> files = Files.list(directory)) {
                        for (Path file : files.filter(file -> file.getFileName().toString().endsWith(".parquet")).sorted().toList()) {
                            store.put(Layout.tablePartition(table, id) + file.getFileName(), file);
                        }
                    }
                }
            }
            snapshots.writeStatus(new SnapshotStatus(id, SnapshotStatus.DISSECTED, java.time.Instant.now().toString(), report.counters(), report.damage(), null,
                    report.protocols()));
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
