package io.wirelake.catalog.snapshot;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.wirelake.store.Layout;
import io.wirelake.store.ObjectInfo;
import io.wirelake.store.ObjectStore;
import io.wirelake.store.lock.ObjectLock;
import io.wirelake.store.lock.ObjectLocks;
import io.wirelake.store.meta.CaptureSession;
import io.wirelake.store.meta.WorkloadEvent;
import io.wirelake.store.meta.WorkloadEvents;
import io.wirelake.store.meta.Workloads;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Snapshots of the lake: a time window of nodes' capture segments and the cluster's metadata,
 * frozen by server-side copy into {@code snapshots/<id>/} with a SHA-256 manifest, so FIFO
 * eviction and later changes cannot touch them.
 */
public final class Snapshots
{
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    private final ObjectStore store;
    private final ManifestSealing sealing;

    /** Snapshots whose manifests are written unsealed. */
    public Snapshots(ObjectStore store)
    {
        this(store, ManifestSealing.UNSEALED);
    }

    /** Snapshots whose new manifests are written through {@code sealing} (the evidence package's seal). */
    public Snapshots(ObjectStore store, ManifestSealing sealing)
    {
        this.store = requireNonNull(store, "store is null");
        this.sealing = requireNonNull(sealing, "sealing is null");
    }

    public ObjectStore store()
    {
        return store;
    }

    /** The oldest and newest capture a node holds in the store. */
    public record NodeBoundary(String node, int segments, long bytes, long oldestMicros, long newestMicros) {}

    /** A snapshot as listed: its manifest and current status. */
    public record Summary(Manifest manifest, SnapshotStatus status) {}

    /** What {@link #verify} found: every object checked, and the ones that differ. */
    public record Verification(int objects, long bytes, List<String> problems)
    {
        public boolean ok()
        {
            return problems.isEmpty();
        }
    }

    public List<NodeBoundary> boundaries()
            throws IOException
    {
        List<NodeBoundary> boundaries = new ArrayList<>();
        for (Map.Entry<String, List<Segment>> node : segmentsByNode(Layout.RAW).entrySet()) {
            List<Segment> segments = node.getValue();
            Segment last = segments.get(segments.size() - 1);
            long newest;
            try (InputStream input = store.open(last.key())) {
                ObjectDigest digest = ObjectDigest.of(input, true);
                newest = digest.packets() > 0 ? digest.lastPacketMicros() : last.segment().startMicros();
            }
            boundaries.add(new NodeBoundary(node.getKey(), segments.size(), segments.stream().mapToLong(Segment::size).sum(),
                    segments.get(0).segment().startMicros(), newest));
        }
        return boundaries;
    }

    /**
     * Freezes a window. Capture segments of the chosen nodes (all by default) that may hold packets
     * in [from, to] are copied, with every node's metadata segments needed to resolve them (the one
     * in force at {@code from} and the later ones up to {@code to}).
     *
     * <p>The name is claimed first, by writing the {@code creating} status only if the snapshot has
     * none (S3's {@code If-None-Match: *}, an exclusive link in a directory): of two creates of one
     * name, one claims it and the other is refused before it writes anything, so a failing create
     * only ever cleans up the prefix it owns, never another's finished snapshot.
     */
    public Manifest create(String name, Optional<Long> from, Optional<Long> to, List<String> nodes, Consumer<String> progress)
            throws IOException
    {
        String id = Layout.checkName("snapshot", name);
        long start = from.orElse(Long.MIN_VALUE);
        long end = to.orElse(Long.MAX_VALUE);
        if (start > end) {
            throw new SnapshotException("the window is empty: --from " + format(start) + " is after --to " + format(end));
        }
        claim(id);
        try {
            return createClaimed(id, start, end, nodes, progress);
        }
        catch (IOException | RuntimeException e) {
            // No half-made snapshot stays behind. Everything under the prefix is this run's: the claim kept others out.
            try {
                for (ObjectInfo object : store.list(Layout.snapshotPrefix(id))) {
                    if (!object.key().equals(Layout.status(id))) {
                        store.delete(object.key());
                    }
                }
                // The claim goes last: while it stands, nobody else writes under the prefix.
                store.delete(Layout.status(id));
            }
            catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /** Claims a snapshot's name, or says why it cannot: it exists, or another create holds it. */
    private void claim(String id)
            throws IOException
    {
        SnapshotStatus claim = SnapshotStatus.of(id, SnapshotStatus.CREATING);
        if (!store.putIfAbsent(Layout.status(id), JSON.writeValueAsBytes(claim))) {
            SnapshotStatus holder = null;
            try {
                holder = JSON.readValue(store.read(Layout.status(id)), SnapshotStatus.class);
            }
            catch (IOException e) {
                // deleted in between, or unreadable: the plain refusal below says enough
            }
            if (holder != null && holder.state().equals(SnapshotStatus.CREATING)) {
                throw new SnapshotException("snapshot " + id + " is being created in " + store.location() + " (claimed at " + holder.updatedAt()
                        + "); choose another name, or if that run died, 'wirelake snapshot delete " + id + "' removes what it left");
            }
            throw new SnapshotException("snapshot " + id + " already exists in " + store.location() + "; choose another name or delete it first");
        }
        if (store.stat(Layout.manifest(id)).isPresent()) {
            // A snapshot with a manifest and no status (copied by an older wirelake): it exists.
            store.delete(Layout.status(id));
            throw new SnapshotException("snapshot " + id + " already exists in " + store.location() + "; choose another name or delete it first");
        }
    }

    private Manifest createClaimed(String id, long start, long end, List<String> nodes, Consumer<String> progress)
            throws IOException
    {
        Map<String, List<Segment>> raw = segmentsByNode(Layout.RAW);
        if (raw.isEmpty()) {
            throw new SnapshotException("no captures in " + store.location() + ": run a collector or 'wirelake import' first");
        }
        List<String> chosen = nodes.isEmpty() ? new ArrayList<>(raw.keySet()) : nodes;
        for (String node : chosen) {
            if (!raw.containsKey(node)) {
                throw new SnapshotException("no captures of node " + node + " in " + store.location() + "; nodes with data: " + String.join(", ", raw.keySet()));
            }
        }
        List<Segment> selected = new ArrayList<>();
        for (String node : chosen) {
            List<Segment> segments = raw.get(node);
            for (int i = 0; i < segments.size(); i++) {
                long segmentStart = segments.get(i).segment().startMicros();
                long nextStart = i + 1 < segments.size() ? segments.get(i + 1).segment().startMicros() : Long.MAX_VALUE;
                if (segmentStart <= end && nextStart > start) {
                    selected.add(segments.get(i));
                }
            }
        }
        if (selected.isEmpty()) {
            throw emptyWindow(chosen, start, end, raw);
        }
        List<Segment> metadata = new ArrayList<>();
        for (List<Segment> segments : segmentsByNode(Layout.META).values()) {
            int inForce = -1;
            for (int i = 0; i < segments.size(); i++) {
                if (segments.get(i).segment().startMicros() <= start) {
                    inForce = i;
                }
            }
            for (int i = Math.max(inForce, 0); i < segments.size(); i++) {
                if (segments.get(i).segment().startMicros() <= end) {
                    metadata.add(segments.get(i));
                }
            }
        }
        String prefix = Layout.snapshotPrefix(id);
        List<Manifest.Entry> entries = new ArrayList<>();
        int done = 0;
        List<Segment> all = new ArrayList<>(selected);
        all.addAll(metadata);
        for (Segment segment : all) {
            try {
                store.copy(segment.key(), prefix + segment.key());
            }
            catch (NoSuchFileException e) {
                throw new SnapshotException(segment.key() + " was evicted while the snapshot was made; choose a later --from");
            }
            // The manifest describes the frozen copy, as read back from the store.
            try (InputStream input = store.open(prefix + segment.key())) {
                ObjectDigest digest = ObjectDigest.of(input, segment.segment().kind() == Layout.Kind.RAW);
                boolean outside = digest.packets() > 0 && (digest.lastPacketMicros() < start || digest.firstPacketMicros() > end);
                if (segment.segment().kind() == Layout.Kind.RAW && outside) {
                    // Its name said it might reach into the window; its packets say it does not.
                    store.delete(prefix + segment.key());
                    progress.accept("skipped " + segment.key() + " (no packet in the window)");
                    continue;
                }
                entries.add(new Manifest.Entry(segment.key(), digest.size(), digest.sha256(), digest.firstPacketMicros(), digest.lastPacketMicros(), digest.packets()));
            }
            progress.accept("froze " + ++done + "/" + all.size() + " " + segment.key());
        }
        List<String> capturedNodes = entries.stream().filter(Manifest.Entry::isCapture).map(entry -> Layout.parse(entry.key()).orElseThrow().node())
                .distinct().sorted().toList();
        if (capturedNodes.isEmpty()) {
            throw emptyWindow(chosen, start, end, raw);
        }
        long first = entries.stream().filter(Manifest.Entry::isCapture).filter(entry -> entry.packets() > 0).mapToLong(Manifest.Entry::firstPacketMicros).min().orElse(0);
        long last = entries.stream().filter(Manifest.Entry::isCapture).mapToLong(Manifest.Entry::lastPacketMicros).max().orElse(0);
        Manifest manifest = new Manifest(Manifest.VERSION, id, Instant.now().toString(), Math.max(start, first), Math.min(end, last), capturedNodes, entries,
                sessions(capturedNodes, start, end), null);
        Manifest written = sealing.write(store, manifest);
        writeStatus(SnapshotStatus.of(id, SnapshotStatus.CREATED));
        return written;
    }

    /**
     * The capture sessions that made a window's segments: per node, the session in force at the
     * window's start and every later one that began before its end.
     */
    private List<CaptureSession> sessions(List<String> nodes, long start, long end)
            throws IOException
    {
        List<CaptureSession> sessions = new ArrayList<>();
        for (String node : nodes) {
            List<CaptureSession> all = new ArrayList<>();
            for (ObjectInfo object : store.list(Layout.SESSIONS + node + "/")) {
                try {
                    all.add(CaptureSession.read(store.read(object.key())));
                }
                catch (IOException e) {
                    // a damaged record says nothing about the captures; the manifest goes without it
                }
            }
            all.sort(java.util.Comparator.comparingLong(CaptureSession::startMicros));
            int inForce = -1;
            for (int i = 0; i < all.size(); i++) {
                if (all.get(i).startMicros() <= start) {
                    inForce = i;
                }
            }
            for (int i = Math.max(inForce, 0); i < all.size(); i++) {
                if (all.get(i).startMicros() <= end) {
                    sessions.add(all.get(i));
                }
            }
        }
        return sessions;
    }

    public List<Summary> list()
            throws IOException
    {
        List<Summary> snapshots = new ArrayList<>();
        for (ObjectInfo object : store.list(Layout.SNAPSHOTS)) {
            if (object.key().endsWith("/manifest.json") && object.key().split("/").length == 3) {
                String id = object.key().split("/")[1];
                snapshots.add(new Summary(manifest(id), status(id)));
            }
        }
        return snapshots;
    }

    public Manifest manifest(String id)
            throws IOException
    {
        try {
            return JSON.readValue(store.read(Layout.manifest(id)), Manifest.class);
        }
        catch (NoSuchFileException e) {
            throw new SnapshotException("no snapshot " + id + " in " + store.location() + (listNames().isEmpty() ? "" : "; snapshots: " + String.join(", ", listNames())));
        }
    }

    public SnapshotStatus status(String id)
            throws IOException
    {
        try {
            return JSON.readValue(store.read(Layout.status(id)), SnapshotStatus.class);
        }
        catch (NoSuchFileException e) {
            manifest(id);
            return SnapshotStatus.of(id, SnapshotStatus.CREATED);
        }
    }

    public void writeStatus(SnapshotStatus status)
            throws IOException
    {
        store.put(Layout.status(status.id()), JSON.writeValueAsBytes(status));
    }

    /** Deletes the snapshot's frozen objects and its table partitions, unless a lock forbids it. */
    public int delete(String id)
            throws IOException
    {
        return delete(id, false);
    }

    /**
     * Deletes the snapshot's frozen objects and its table partitions. A snapshot under legal hold
     * or unexpired retention is refused before anything is deleted; {@code bypassGovernance}
     * deletes one whose retention is in governance mode (the caller logs that it did).
     */
    public int delete(String id, boolean bypassGovernance)
            throws IOException
    {
        if (unfinished(id)) {
            // What a create that died left: its copies, then its claim. Nothing of it was locked or dissected.
            int deleted = 0;
            for (ObjectInfo object : store.list(Layout.snapshotPrefix(id))) {
                if (!object.key().equals(Layout.status(id))) {
                    store.delete(object.key());
                    deleted++;
                }
            }
            store.delete(Layout.status(id));
            return deleted + 1;
        }
        manifest(id);
        checkDeletable(id, bypassGovernance);
        int deleted = 0;
        for (String prefix : List.of(Layout.tablePartition("api_calls", id), Layout.tablePartition("flows", id), Layout.snapshotPrefix(id))) {
            for (ObjectInfo object : store.list(prefix)) {
                if (!object.key().equals(Layout.manifest(id))) {
                    deleteObject(object.key(), bypassGovernance);
                    deleted++;
                }
            }
        }
        // The manifest goes last: a failed delete can be run again.
        deleteObject(Layout.manifest(id), bypassGovernance);
        return deleted + 1;
    }

    /** Whether the name is claimed by a create that has not written the manifest: one that runs now, or one that died. */
    public boolean unfinished(String id)
            throws IOException
    {
        if (store.stat(Layout.manifest(id)).isPresent()) {
            return false;
        }
        try {
            return JSON.readValue(store.read(Layout.status(id)), SnapshotStatus.class).state().equals(SnapshotStatus.CREATING);
        }
        catch (NoSuchFileException e) {
            return false;
        }
    }

    /** Refuses, naming the lock, when the snapshot's manifest (locked with all its objects) cannot be deleted now. */
    public void checkDeletable(String id, boolean bypassGovernance)
            throws IOException
    {
        if (store instanceof ObjectLocks locks && locks.locksEnabled()) {
            ObjectLock lock = locks.lock(Layout.manifest(id));
            java.util.Optional<String> refusal = lock.refusal(locks.now(), bypassGovernance);
            if (refusal.isPresent()) {
                throw new SnapshotException("snapshot " + id + " cannot be deleted: " + refusal.get()
                        + (lock.legalHold() ? "; release it first with 'wirelake snapshot hold " + id + " off'" : "")
                        + (!lock.legalHold() && lock.mode().orElseThrow() == io.wirelake.store.lock.LockMode.GOVERNANCE
                        ? "; to delete it anyway, pass --bypass-governance (recorded in the custody log)" : ""));
            }
        }
    }

    private void deleteObject(String key, boolean bypassGovernance)
            throws IOException
    {
        if (bypassGovernance && store instanceof ObjectLocks locks && locks.locksEnabled() && locks.lock(key).retainedAt(locks.now())) {
            locks.deleteBypassingGovernance(key);
        }
        else {
            store.delete(key);
        }
    }

    /**
     * The frozen objects of a manifest that the store lacks or holds at another size, from one
     * listing and without reading content: the quick check before work on a snapshot
     * ({@link #verify} re-reads every byte).
     */
    public List<String> missingOrResized(Manifest manifest)
            throws IOException
    {
        String prefix = Layout.snapshotPrefix(manifest.id());
        java.util.Map<String, Long> stored = new java.util.HashMap<>();
        for (ObjectInfo object : store.list(prefix)) {
            stored.put(object.key(), object.size());
        }
        List<String> problems = new ArrayList<>();
        for (Manifest.Entry entry : manifest.objects()) {
            Long size = stored.get(prefix + entry.key());
            if (size == null) {
                problems.add(entry.key() + " is missing");
            }
            else if (size != entry.size()) {
                problems.add(entry.key() + " has " + size + " bytes, not the manifest's " + entry.size());
            }
        }
        return problems;
    }

    /** Re-reads every frozen object and compares size and SHA-256 with the manifest. */
    public Verification verify(String id, Consumer<String> progress)
            throws IOException
    {
        Manifest manifest = manifest(id);
        List<String> problems = new ArrayList<>();
        long bytes = 0;
        String prefix = Layout.snapshotPrefix(id);
        for (Manifest.Entry entry : manifest.objects()) {
            try (InputStream input = store.open(prefix + entry.key())) {
                ObjectDigest digest = ObjectDigest.of(input, false);
                bytes += digest.size();
                if (digest.size() != entry.size()) {
                    problems.add(entry.key() + ": size " + digest.size() + " bytes, the manifest says " + entry.size());
                }
                else if (!digest.sha256().equals(entry.sha256())) {
                    problems.add(entry.key() + ": SHA-256 " + digest.sha256() + " differs from the manifest's " + entry.sha256());
                }
            }
            catch (NoSuchFileException e) {
                problems.add(entry.key() + ": missing");
            }
            progress.accept(entry.key());
        }
        TreeSet<String> listed = new TreeSet<>();
        manifest.objects().forEach(entry -> listed.add(prefix + entry.key()));
        for (ObjectInfo object : store.list(prefix)) {
            if (!listed.contains(object.key()) && !Layout.isSnapshotControlFile(id, object.key())) {
                problems.add(object.key().substring(prefix.length()) + ": not in the manifest");
            }
        }
        return new Verification(manifest.objects().size(), bytes, problems);
    }

    /**
     * Copies a snapshot to another store (a cloud bucket, or back into a local directory): its
     * frozen objects, then its manifest. The copy verifies against the same manifest.
     */
    public void copyTo(String id, ObjectStore target, Consumer<String> progress)
            throws IOException
    {
        Manifest manifest = manifest(id);
        if (target.stat(Layout.manifest(id)).isPresent()) {
            throw new SnapshotException("snapshot " + id + " already exists in " + target.location());
        }
        String prefix = Layout.snapshotPrefix(id);
        java.nio.file.Path staging = java.nio.file.Files.createTempFile("wirelake-copy", ".part");
        try {
            int done = 0;
            for (Manifest.Entry entry : manifest.objects()) {
                store.download(prefix + entry.key(), staging);
                target.put(prefix + entry.key(), staging);
                progress.accept("copied " + ++done + "/" + manifest.objects().size() + " " + entry.key());
            }
        }
        finally {
            java.nio.file.Files.deleteIfExists(staging);
        }
        // The seal travels with the manifest, so the copy verifies as the original does.
        for (String control : List.of(Layout.manifestSignature(id), Layout.timestampToken(id), Layout.custodyLog(id))) {
            if (store.stat(control).isPresent()) {
                target.put(control, store.read(control));
            }
        }
        target.put(Layout.manifest(id), store.read(Layout.manifest(id)));
        target.put(Layout.status(id), JSON.writeValueAsBytes(SnapshotStatus.of(id, SnapshotStatus.CREATED)));
    }

    /** The snapshot's Kubernetes metadata, all nodes' events together. */
    public Workloads workloads(String id, Consumer<String> onBadLine)
            throws IOException
    {
        Manifest manifest = manifest(id);
        List<WorkloadEvent> events = new ArrayList<>();
        for (Manifest.Entry entry : manifest.metadata()) {
            try (InputStream input = store.open(Layout.snapshotPrefix(id) + entry.key())) {
                events.addAll(WorkloadEvents.read(input, bad -> onBadLine.accept(entry.key() + ": " + bad)));
            }
        }
        return new Workloads(events);
    }

    /** One IP a workload had, and when (from its first to its last event in the snapshot's metadata). */
    public record Address(String kind, String namespace, String name, String ip, String node, long sinceMicros, long untilMicros) {}

    /**
     * The IPs a pod or service ({@code name} or {@code namespace/name}) had in the snapshot's window.
     * {@code untilMicros} is {@link Long#MAX_VALUE} while the address was still held at the end.
     */
    public List<Address> resolve(String id, String workload)
            throws IOException
    {
        Workloads workloads = workloads(id, bad -> {});
        Map<String, Address> open = new LinkedHashMap<>();
        List<Address> addresses = new ArrayList<>();
        for (WorkloadEvent event : workloads.history(workload)) {
            String key = event.kind() + "|" + event.namespace() + "|" + event.name() + "|" + event.ip();
            Address current = open.get(key);
            if (event.deleted()) {
                if (current != null) {
                    addresses.add(new Address(current.kind(), current.namespace(), current.name(), current.ip(), current.node(), current.sinceMicros(), event.timeMicros()));
                    open.remove(key);
                }
            }
            else if (current == null) {
                open.put(key, new Address(event.kind(), event.namespace(), event.name(), event.ip(), event.node(), event.timeMicros(), Long.MAX_VALUE));
            }
        }
        addresses.addAll(open.values());
        addresses.sort(java.util.Comparator.comparingLong(Address::sinceMicros).thenComparing(Address::ip));
        return addresses;
    }

    private List<String> listNames()
            throws IOException
    {
        List<String> names = new ArrayList<>();
        for (ObjectInfo object : store.list(Layout.SNAPSHOTS)) {
            if (object.key().endsWith("/manifest.json") && object.key().split("/").length == 3) {
                names.add(object.key().split("/")[1]);
            }
        }
        return names;
    }

    private record Segment(String key, long size, Layout.Segment segment) {}

    private Map<String, List<Segment>> segmentsByNode(String prefix)
            throws IOException
    {
        Map<String, List<Segment>> byNode = new TreeMap<>();
        for (ObjectInfo object : store.list(prefix)) {
            Layout.parse(object.key()).ifPresent(segment -> byNode.computeIfAbsent(segment.node(), node -> new ArrayList<>())
                    .add(new Segment(object.key(), object.size(), segment)));
        }
        byNode.values().forEach(segments -> segments.sort(java.util.Comparator.comparing(Segment::segment)));
        return byNode;
    }

    private static SnapshotException emptyWindow(List<String> nodes, long start, long end, Map<String, List<Segment>> raw)
    {
        return new SnapshotException("no capture of " + String.join(", ", nodes) + " in the window " + format(start) + " .. " + format(end)
                + "; the store holds " + describe(raw, nodes) + " (data outside that was evicted by the FIFO budget or never captured)");
    }

    private static String describe(Map<String, List<Segment>> raw, List<String> nodes)
    {
        List<String> parts = new ArrayList<>();
        for (String node : nodes) {
            List<Segment> segments = raw.get(node);
            parts.add(node + " from " + format(segments.get(0).segment().startMicros()) + " (last segment starts " + format(segments.get(segments.size() - 1).segment().startMicros()) + ")");
        }
        return String.join("; ", parts);
    }

    public static String format(long micros)
    {
        if (micros == Long.MIN_VALUE) {
            return "the beginning";
        }
        if (micros == Long.MAX_VALUE) {
            return "now";
        }
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000).toString();
    }
}
