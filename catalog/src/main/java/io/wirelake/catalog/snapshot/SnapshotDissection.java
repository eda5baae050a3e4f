package io.wirelake.catalog.snapshot;

import io.wirelake.catalog.Directories;
import io.wirelake.store.Layout;
import io.wirelake.store.LocalObjectStore;
import io.wirelake.store.ObjectInfo;
import io.wirelake.store.ObjectStore;
import io.wirelake.store.dissection.DissectionSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * Dissects a snapshot into its table partitions ({@code tables/<table>/snapshot_id=<id>/}): the
 * frozen captures trimmed to the window, enriched from the frozen metadata. The status records
 * {@code dissecting}, then {@code dissected} with the job's counters and damage, or {@code failed}
 * with the error.
 *
 * <p>The job writes into a staging prefix of its own ({@link Layout#dissectionStaging}), never into
 * the partitions queries read; only when it has succeeded do its tables replace the partitions.
 * A job that fails (or a process that dies) leaves the previous dissection's tables and status as
 * they were. In a directory the replacement is two renames; S3 has no rename, so there the new
 * files are copied in (server-side) and then the old ones deleted: a reader during those seconds
 * may see both, and a swap the store interrupts is reported as failed and repaired by running the
 * dissection again. Multipart uploads a failed or killed writer left under the staging prefix are
 * aborted (by this run, or by the next one when the store was down).
 *
 * <p>A launcher that reads the store in place (a local directory; S3 with Flink's S3 file-system
 * plugin) reads the frozen objects and writes the staging prefix directly. Otherwise the snapshot
 * is staged through a local directory (its objects are immutable, so the copy is exact) and the
 * Parquet uploaded to the staging prefix.
 *
 * <p>Each run writes the spec of the snapshot's dissection to {@code snapshots/<id>/dissection-spec.json}:
 * a Flink cluster can run the same dissection by itself from there ({@code DissectionJobMain --store
 * URL --snapshot ID}), writing the status as this class does; that run writes the partitions
 * directly, without the staging swap.
 */
public final class SnapshotDissection
{
    private static final List<String> TABLES = List.of("api_calls", "flows");

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
        SnapshotStatus before = snapshots.status(id);
        clearEarlierRuns(id, progress);
        String run = UUID.randomUUID().toString();
        String staging = Layout.dissectionStaging(id, run);
        snapshots.writeStatus(SnapshotStatus.of(id, SnapshotStatus.DISSECTING));
        Path work = Files.createDirectories(workDirectory).resolve("dissect-" + id + "-" + run);
        boolean inPlace = launcher.readsInPlace(store);
        DissectionLauncher.Report report;
        try {
            report = dissectInto(manifest, staging, work, inPlace, progress);
        }
        catch (Exception e) {
            discard(store, staging, e);
            // The partitions were not touched: what the last good dissection made still stands.
            snapshots.writeStatus(before.state().equals(SnapshotStatus.DISSECTED)
                    ? new SnapshotStatus(id, SnapshotStatus.DISSECTED, before.updatedAt(), before.stats(), before.damage(),
                    "dissecting again failed at " + java.time.Instant.now() + " (the tables are the previous dissection's): " + e.getMessage(), before.protocols())
                    : new SnapshotStatus(id, SnapshotStatus.FAILED, java.time.Instant.now().toString(), null, null, String.valueOf(e.getMessage())));
            throw e;
        }
        finally {
            Directories.deleteTree(work);
        }
        try {
            for (String table : TABLES) {
                replacePartition(store, staging, table, id);
            }
            deleteAll(store, staging);
        }
        catch (Exception e) {
            snapshots.writeStatus(new SnapshotStatus(id, SnapshotStatus.FAILED, java.time.Instant.now().toString(), null, null,
                    "replacing the tables failed (" + e.getMessage() + "): run the dissection again"));
            throw e;
        }
        snapshots.writeStatus(new SnapshotStatus(id, SnapshotStatus.DISSECTED, java.time.Instant.now().toString(), report.counters(), report.damage(), null,
                report.protocols()));
        return report;
    }

    /**
     * A job reading in place would count a missing capture as damage and carry on; a frozen object
     * that is gone or changed size means the snapshot itself is damaged, so nothing is dissected.
     * (The staged path fails the same way when it downloads.)
     */
    private void requireFrozenObjects(Manifest manifest)
            throws IOException
    {
        List<String> problems = snapshots.missingOrResized(manifest);
        if (!problems.isEmpty()) {
            throw new IOException("snapshot " + manifest.id() + " is damaged in " + snapshots.store().location() + ": " + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
                    + (problems.size() > 5 ? " (and " + (problems.size() - 5) + " more)" : "") + "; wirelake snapshot verify " + manifest.id() + " lists every difference");
        }
    }

    private DissectionLauncher.Report dissectInto(Manifest manifest, String staging, Path work, boolean inPlace, Consumer<String> progress)
            throws Exception
    {
        ObjectStore store = snapshots.store();
        String id = manifest.id();
        if (inPlace) {
            requireFrozenObjects(manifest);
            writeSpec(id);
            // This run's partitions go to its staging prefix; the status is this class's to write.
            return launcher.dissect(spec(manifest, store::uri, store.uri(staging.substring(0, staging.length() - 1))).withStatus(""));
        }
        String prefix = Layout.snapshotPrefix(id);
        for (Manifest.Entry entry : manifest.objects()) {
            store.download(prefix + entry.key(), work.resolve("staging").resolve(prefix + entry.key()));
        }
        progress.accept("staged " + manifest.objects().size() + " objects from " + store.location());
        Path output = work.resolve("tables");
        DissectionLauncher.Report report = launcher.dissect(spec(manifest, key -> work.resolve("staging").resolve(key).toUri().toString(), output.toUri().toString())
                .withStatus(""));
        for (String table : TABLES) {
            Path directory = output.resolve(table).resolve("snapshot_id=" + id);
            if (!Files.isDirectory(directory)) {
                continue;
            }
            try (Stream<Path> files = Files.list(directory)) {
                for (Path file : files.filter(file -> file.getFileName().toString().endsWith(".parquet")).sorted().toList()) {
                    store.put(stagedPartition(staging, table, id) + file.getFileName(), file);
                }
            }
        }
        return report;
    }

    private static String stagedPartition(String staging, String table, String id)
    {
        return staging + table + "/snapshot_id=" + id + "/";
    }

    /**
     * The staged tables take the partition's place. In a directory: the old partition is renamed
     * aside, the staged one renamed in, the old one deleted. Elsewhere: the new files are copied
     * in, then the files of the old dissection deleted.
     */
    private static void replacePartition(ObjectStore store, String staging, String table, String id)
            throws IOException
    {
        String partition = Layout.tablePartition(table, id);
        if (store instanceof LocalObjectStore local) {
            Path live = local.file(partition.substring(0, partition.length() - 1));
            Path staged = local.file(stagedPartition(staging, table, id).substring(0, stagedPartition(staging, table, id).length() - 1));
            Path retired = local.file(staging + "retired-" + table);
            if (Files.isDirectory(live)) {
                Files.move(live, retired, StandardCopyOption.ATOMIC_MOVE);
            }
            if (Files.isDirectory(staged)) {
                Files.createDirectories(live.getParent());
                Files.move(staged, live, StandardCopyOption.ATOMIC_MOVE);
            }
            Directories.deleteTree(retired);
            return;
        }
        Set<String> fresh = new HashSet<>();
        String from = stagedPartition(staging, table, id);
        for (ObjectInfo object : store.list(from)) {
            String name = object.key().substring(from.length());
            store.copy(object.key(), partition + name);
            fresh.add(partition + name);
        }
        for (ObjectInfo old : store.list(partition)) {
            if (!fresh.contains(old.key())) {
                store.delete(old.key());
            }
        }
    }

    /** What a failed run wrote: its staged objects, and the multipart uploads its writers never completed. */
    private static void discard(ObjectStore store, String staging, Exception failure)
    {
        try {
            store.abortIncompleteUploads(staging);
            deleteAll(store, staging);
        }
        catch (IOException | RuntimeException e) {
            // The store may be what failed: the next run clears it (clearEarlierRuns).
            failure.addSuppressed(e);
        }
    }

    /** Runs of this snapshot that died (SIGKILL, a store outage during clean-up) left staging: it goes now. */
    private void clearEarlierRuns(String id, Consumer<String> progress)
            throws IOException
    {
        ObjectStore store = snapshots.store();
        String earlier = Layout.dissectionStagingOf(id);
        int aborted = store.abortIncompleteUploads(earlier);
        List<ObjectInfo> left = store.list(earlier);
        if (aborted > 0 || !left.isEmpty()) {
            progress.accept("cleared what an earlier dissection of " + id + " left: " + left.size() + " staged objects, " + aborted + " incomplete uploads");
        }
        if (store instanceof LocalObjectStore local) {
            // The whole tree, with the directories Flink made.
            Directories.deleteTree(local.file(earlier.substring(0, earlier.length() - 1)));
            return;
        }
        for (ObjectInfo object : left) {
            store.delete(object.key());
        }
    }

    private static void deleteAll(ObjectStore store, String prefix)
            throws IOException
    {
        if (store instanceof LocalObjectStore local) {
            Directories.deleteTree(local.file(prefix.substring(0, prefix.length() - 1)));
            return;
        }
        for (ObjectInfo object : store.list(prefix)) {
            store.delete(object.key());
        }
    }
}
