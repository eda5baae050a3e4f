package io.wirelake.catalog.snapshot;

import io.wirelake.catalog.Directories;
import io.wirelake.store.Layout;
import io.wirelake.store.ObjectInfo;
import io.wirelake.store.ObjectStore;
import io.wirelake.store.dissection.DissectionSpec;

import java.io.IOException;
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
 *
 * <p>Each run writes the spec it launched to {@code snapshots/<id>/dissection-spec.json}: a Flink
 * cluster can run the same dissection by itself from there ({@code DissectionJobMain --store URL
 * --snapshot ID}), writing the status as this class does.
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

    /**
     * The spec of the snapshot's dissection, reading and writing the store in place: its frozen
     * captures (with their packet times, for time slicing), metadata, nodes and window, its
     * partition of the store's tables, and its status file (which {@code DissectionJobMain}
     * writes when it runs on a cluster by itself).
     */
    public DissectionSpec spec(String id)
            throws IOException
    {
        return spec(snapshots.manifest(id), key -> snapshots.store().uri(key), snapshots.store().uri(Layout.TABLES.substring(0, Layout.TABLES.length() - 1)));
    }

    private DissectionSpec spec(Manifest manifest, java.util.function.Function<String, String> uris, String output)
    {
        String prefix = Layout.snapshotPrefix(manifest.id());
        List<DissectionSpec.Capture> captures = new ArrayList<>();
        List<String> metadata = new ArrayList<>();
        for (Manifest.Entry entry : manifest.objects()) {
            String uri = uris.apply(prefix + entry.key());
            if (entry.isCapture()) {
                String node = Layout.parse(entry.key()).map(Layout.Segment::node).orElse("");
                boolean timesKnown = entry.packets() > 0 && entry.lastPacketMicros() >= entry.firstPacketMicros();
                captures.add(new DissectionSpec.Capture(uri, node, entry.size(), timesKnown ? entry.firstPacketMicros() : -1,
                        timesKnown ? entry.lastPacketMicros() : -1));
            }
            else {
                metadata.add(uri);
            }
        }
        DissectionSpec plain = DissectionSpec.ofCaptures(captures, output);
        DissectionSpec shaped = launcher.shape(plain);
        return new DissectionSpec(DissectionSpec.VERSION, manifest.id(), captures, metadata, manifest.nodes(), manifest.fromMicros(), manifest.toMicros(),
                output, manifest.id(), shaped.defaultNode(), shaped.captureSource(), shaped.bodyCap(), shaped.parallelism(), shaped.slicing(),
                shaped.protocols(), shaped.redaction(), snapshots.store().uri(Layout.status(manifest.id())));
    }

    /**
     * Writes the snapshot's dissection spec to {@code snapshots/<id>/dissection-spec.json}, where
     * {@code DissectionJobMain --store URL --snapshot ID} finds it (a cluster reading the store in place).
     */
    public DissectionSpec writeSpec(String id)
            throws IOException
    {
        DissectionSpec spec = spec(id);
        snapshots.store().put(Layout.dissectionSpec(id), spec.toJson());
        return spec;
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
            // A new dissection replaces the partitions.
            for (String table : List.of("api_calls", "flows")) {
                for (ObjectInfo old : store.list(Layout.tablePartition(table, id))) {
                    store.delete(old.key());
                }
            }
            DissectionLauncher.Report report;
            if (inPlace) {
                report = launcher.dissect(writeSpec(id));
            }
            else {
                String prefix = Layout.snapshotPrefix(id);
                for (Manifest.Entry entry : manifest.objects()) {
                    store.download(prefix + entry.key(), work.resolve("staging").resolve(prefix + entry.key()));
                }
                progress.accept("staged " + manifest.objects().size() + " objects from " + store.location());
                Path output = work.resolve("tables");
                report = launcher.dissect(spec(manifest, key -> work.resolve("staging").resolve(key).toUri().toString(), output.toUri().toString())
                        .withStatus(""));
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
