package io.wirelake.catalog.evidence;

import io.wirelake.catalog.snapshot.Manifest;
import io.wirelake.catalog.snapshot.ManifestSealing;
import io.wirelake.catalog.snapshot.SnapshotException;
import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.store.Layout;
import io.wirelake.store.ObjectInfo;
import io.wirelake.store.ObjectStore;
import io.wirelake.store.lock.LockMode;
import io.wirelake.store.lock.ObjectLock;
import io.wirelake.store.lock.ObjectLocks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * Snapshots as evidence: sealed when created (canonical manifest, Ed25519 signature, a link in the
 * store's hash chain, an RFC 3161 timestamp when a TSA is configured), a custody log of what was
 * done with them, retention nobody can shorten (S3 Object Lock, or the local store's lock records),
 * retention classes, and verification of all of it. The CLI and the scheduler reach snapshots
 * through {@link #snapshots()}, so every snapshot they create is sealed.
 */
public final class Evidence
{
    private final ObjectStore store;
    private final EvidenceSettings settings;
    private final Snapshots snapshots;

    public Evidence(ObjectStore store, EvidenceSettings settings)
    {
        this.store = requireNonNull(store, "store is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.snapshots = new Snapshots(store, sealing());
    }

    /** The store's snapshots, whose {@link Snapshots#create} seals. */
    public Snapshots snapshots()
    {
        return snapshots;
    }

    public ObjectStore store()
    {
        return store;
    }

    public EvidenceSettings settings()
    {
        return settings;
    }

    /** What sealing a manifest did. */
    public record SealReport(Manifest manifest, String sha256, String keyFingerprint, Optional<Instant> timestamp, Optional<String> timestampProblem) {}

    /**
     * Creates a snapshot (sealed) and applies a retention class to it: the entry point for the
     * scheduler and {@code snapshot create --class}.
     */
    public Manifest create(String name, Optional<Long> from, Optional<Long> to, List<String> nodes, Optional<String> retentionClass, Consumer<String> progress)
            throws IOException
    {
        Optional<RetentionClass> chosen = Optional.empty();
        if (retentionClass.isPresent()) {
            // Checked first: an unknown class must not leave a snapshot behind without the retention it asked for.
            chosen = RetentionClasses.find(store, retentionClass.get());
            if (chosen.isEmpty()) {
                throw new SnapshotException("no retention class '" + retentionClass.get() + "' in " + store.location() + "; classes: " + classNames());
            }
            requireLocks();
        }
        Manifest manifest = snapshots.create(name, from, to, nodes, progress);
        if (chosen.isPresent()) {
            applyClass(manifest.id(), chosen.get());
        }
        return manifest;
    }

    private ManifestSealing sealing()
    {
        return (target, manifest) -> seal(manifest).manifest();
    }

    /** How often a seal takes the next link again after another seal took the one it wanted. */
    private static final int LINK_ATTEMPTS = 20;

    /**
     * Seals a manifest: links it to the store's newest chain link, signs its canonical bytes, writes
     * its chain entry, claims the link with a conditional write (of seals racing for one sequence
     * number exactly one wins; the others link after the winner), writes the manifest and signature,
     * starts the custody log, asks the TSA for a token, and moves the head last.
     */
    private SealReport seal(Manifest manifest)
            throws IOException
    {
        SealKey key = SealKey.loadOrCreate(settings.keyFile());
        key.publish(store);
        String id = manifest.id();
        for (int attempt = 1; ; attempt++) {
            Optional<ChainHead> head = ChainHead.newest(store);
            Manifest.Chain chain = new Manifest.Chain(head.map(ChainHead::sequence).orElse(0L) + 1, head.map(ChainHead::snapshot).orElse(""),
                    head.map(ChainHead::sequence).orElse(0L), head.map(ChainHead::sha256).orElse(""), key.fingerprint(), Instant.now().toString());
            Manifest sealed = manifest.withChain(chain);
            byte[] bytes = CanonicalJson.of(sealed);
            String sha256 = Hashes.sha256(bytes);
            ChainHead link = new ChainHead(id, chain.sequence(), sha256);
            // The entry first: whoever finds the link claimed can read the manifest it stands for.
            store.put(Layout.chainEntry(chain.sequence(), id), bytes);
            if (!link.claim(store)) {
                store.delete(Layout.chainEntry(chain.sequence(), id));
                if (attempt == LINK_ATTEMPTS) {
                    throw new SnapshotException("link #" + chain.sequence() + " of the chain in " + store.location() + " was taken by another seal "
                            + LINK_ATTEMPTS + " times in a row; create " + id + " again");
                }
                continue;
            }
            store.put(Layout.manifestSignature(id), key.sign(bytes));
            store.put(Layout.manifest(id), bytes);
            link.write(store);
            return sealed(sealed, id, bytes, sha256, key, chain);
        }
    }

    private SealReport sealed(Manifest sealed, String id, byte[] bytes, String sha256, SealKey key, Manifest.Chain chain)
            throws IOException
    {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("manifestSha256", sha256);
        details.put("key", key.fingerprint());
        details.put("sequence", String.valueOf(chain.sequence()));
        details.put("previous", chain.first() ? "" : "#" + chain.previousSequence() + " " + chain.previousSnapshot() + " " + chain.previousSha256());
        CustodyLog.append(store, id, sha256, settings.actor(), CustodyLog.Action.SEALED, details);
        TimestampOutcome outcome = timestamp(id, bytes);
        return new SealReport(sealed, sha256, key.fingerprint(), outcome.time(), outcome.problem());
    }

    private record TimestampOutcome(Optional<Instant> time, Optional<String> problem) {}

    private TimestampOutcome timestamp(String id, byte[] manifestBytes)
            throws IOException
    {
        String sha256 = Hashes.sha256(manifestBytes);
        if (settings.tsaUrl().isEmpty()) {
            String problem = "no TSA configured (set WIRELAKE_TSA_URL)";
            CustodyLog.append(store, id, sha256, settings.actor(), CustodyLog.Action.TIMESTAMP_MISSING, Map.of("reason", problem));
            return new TimestampOutcome(Optional.empty(), Optional.of(problem));
        }
        byte[] response;
        try {
            response = Timestamps.request(settings.tsaUrl().get(), Hashes.sha256Bytes(manifestBytes));
        }
        catch (IOException e) {
            CustodyLog.append(store, id, sha256, settings.actor(), CustodyLog.Action.TIMESTAMP_MISSING, Map.of("reason", e.getMessage()));
            return new TimestampOutcome(Optional.empty(), Optional.of(e.getMessage()));
        }
        Timestamps.Check check = Timestamps.verify(response, Hashes.sha256Bytes(manifestBytes), tsaTrust());
        if (!check.ok()) {
            String problem = "the TSA's token does not verify: " + String.join("; ", check.problems());
            CustodyLog.append(store, id, sha256, settings.actor(), CustodyLog.Action.TIMESTAMP_MISSING, Map.of("reason", problem));
            return new TimestampOutcome(Optional.empty(), Optional.of(problem));
        }
        store.put(Layout.timestampToken(id), response);
        lockLikeTheSnapshot(id, Layout.timestampToken(id));
        CustodyLog.append(store, id, sha256, settings.actor(), CustodyLog.Action.TIMESTAMPED, Map.of("tsa", settings.tsaUrl().get().toString(),
                "time", check.time().orElseThrow().toString(), "tokenSha256", Hashes.sha256(response)));
        return new TimestampOutcome(check.time(), Optional.empty());
    }

    /**
     * Seals a snapshot made before sealing (after verifying its objects), or adds the timestamp a
     * sealed one lacks. A sealed and timestamped snapshot is left as it is.
     */
    public SealReport seal(String id, Consumer<String> progress)
            throws IOException
    {
        Manifest manifest = snapshots.manifest(id);
        if (!manifest.sealed()) {
            Snapshots.Verification verification = snapshots.verify(id, progress);
            if (!verification.ok()) {
                throw new SnapshotException("snapshot " + id + " does not verify, so it cannot be sealed: " + String.join("; ", verification.problems()));
            }
            return seal(manifest);
        }
        byte[] bytes = store.read(Layout.manifest(id));
        String sha256 = Hashes.sha256(bytes);
        if (store.stat(Layout.timestampToken(id)).isPresent()) {
            return new SealReport(manifest, sha256, manifest.chain().keyFingerprint(), Timestamps.time(store.read(Layout.timestampToken(id))), Optional.empty());
        }
        TimestampOutcome outcome = timestamp(id, bytes);
        return new SealReport(manifest, sha256, manifest.chain().keyFingerprint(), outcome.time(), outcome.problem());
    }

    /** A snapshot's seal, timestamp and retention, as {@code snapshot get} shows them. */
    public record State(boolean sealed, String manifestSha256, long sequence, String keyFingerprint, Optional<Instant> timestamp, RetentionRecord retention,
                        int custodyEntries) {}

    public State state(String id)
            throws IOException
    {
        Manifest manifest = snapshots.manifest(id);
        byte[] bytes = store.read(Layout.manifest(id));
        Optional<Instant> time = Optional.empty();
        try {
            time = Timestamps.time(store.read(Layout.timestampToken(id)));
        }
        catch (NoSuchFileException e) {
            // not timestamped
        }
        int entries = 0;
        try {
            entries = CustodyLog.read(store.read(Layout.custodyLog(id)), Hashes.sha256(bytes)).entries().size();
        }
        catch (NoSuchFileException e) {
            // no custody log (not sealed)
        }
        return new State(manifest.sealed(), Hashes.sha256(bytes), manifest.sealed() ? manifest.chain().sequence() : 0,
                manifest.sealed() ? manifest.chain().keyFingerprint() : "", time, RetentionRecord.read(store, id), entries);
    }

    /** Appends an event to the snapshot's custody log (a no-op for an unsealed snapshot, which has none). */
    public void record(String id, CustodyLog.Action action, Map<String, String> details)
            throws IOException
    {
        Manifest manifest = snapshots.manifest(id);
        if (manifest.sealed()) {
            CustodyLog.append(store, id, Hashes.sha256(store.read(Layout.manifest(id))), settings.actor(), action, details);
        }
    }

    public byte[] custodyLog(String id)
            throws IOException
    {
        return store.read(Layout.custodyLog(id));
    }

    // ---- retention

    /**
     * The keys a snapshot's retention locks: its frozen objects, its manifest and its seal; not the
     * files that change (status, custody log, retention record, the last launch's dissection spec).
     */
    private List<String> lockedKeys(String id)
            throws IOException
    {
        List<String> keys = new ArrayList<>();
        String prefix = Layout.snapshotPrefix(id);
        for (ObjectInfo object : store.list(prefix)) {
            String name = object.key().substring(prefix.length());
            if (!name.equals("status.json") && !name.equals("custody.jsonl") && !name.equals("retention.json") && !name.equals("dissection-spec.json")) {
                keys.add(object.key());
            }
        }
        return keys;
    }

    private ObjectLocks requireLocks()
            throws IOException
    {
        if (!(store instanceof ObjectLocks locks) || !locks.locksEnabled()) {
            throw new SnapshotException("retention needs Object Lock, and the bucket of " + store.location() + " was not created with it:"
                    + " create one with Object Lock enabled (aws s3api create-bucket --object-lock-enabled-for-bucket, which also turns versioning on)");
        }
        return locks;
    }

    /**
     * Sets a retention on every object of the snapshot. It can only be extended, except a
     * governance retention with {@code bypassGovernance}, which the custody log records.
     */
    public RetentionRecord archive(String id, LockMode mode, Instant until, boolean bypassGovernance, Optional<String> retentionClass)
            throws IOException
    {
        snapshots.manifest(id);
        ObjectLocks locks = requireLocks();
        if (!until.isAfter(locks.now())) {
            throw new SnapshotException("--retain-until " + until + " is not in the future");
        }
        RetentionRecord current = RetentionRecord.read(store, id);
        List<String> keys = lockedKeys(id);
        boolean shortened = current.until().map(until::isBefore).orElse(false) && current.lockMode().orElse(mode) == LockMode.GOVERNANCE;
        if (shortened && bypassGovernance) {
            record(id, CustodyLog.Action.GOVERNANCE_BYPASSED, Map.of("operation", "shorten retention", "from", current.retainUntil(), "to", until.toString()));
        }
        for (String key : keys) {
            locks.retain(key, mode, until, bypassGovernance);
        }
        RetentionRecord record = new RetentionRecord(mode.label(), until.toString(), current.legalHold(), retentionClass.orElse(current.retentionClass()),
                Instant.now().toString(), settings.actor());
        record.write(store, id);
        record(id, CustodyLog.Action.ARCHIVED, Map.of("mode", mode.label(), "retainUntil", until.toString(), "objects", String.valueOf(keys.size()),
                "class", record.retentionClass()));
        return record;
    }

    public RetentionRecord hold(String id, boolean on)
            throws IOException
    {
        snapshots.manifest(id);
        ObjectLocks locks = requireLocks();
        List<String> keys = lockedKeys(id);
        for (String key : keys) {
            locks.legalHold(key, on);
        }
        RetentionRecord current = RetentionRecord.read(store, id);
        RetentionRecord record = new RetentionRecord(current.mode(), current.retainUntil(), on, current.retentionClass(), Instant.now().toString(), settings.actor());
        record.write(store, id);
        record(id, on ? CustodyLog.Action.HOLD_SET : CustodyLog.Action.HOLD_RELEASED, Map.of("objects", String.valueOf(keys.size())));
        return record;
    }

    /** Applies a retention class to a snapshot: its retention from now, its legal hold. */
    public RetentionRecord applyClass(String id, RetentionClass retentionClass)
            throws IOException
    {
        RetentionRecord record = RetentionRecord.read(store, id);
        if (!retentionClass.mode().isEmpty()) {
            record = archive(id, LockMode.parse(retentionClass.mode()), requireLocks().now().plus(java.time.Duration.ofDays(retentionClass.days())), false,
                    Optional.of(retentionClass.name()));
        }
        if (retentionClass.legalHold()) {
            record = hold(id, true);
        }
        RetentionRecord classed = new RetentionRecord(record.mode(), record.retainUntil(), record.legalHold(), retentionClass.name(), record.updatedAt(), record.updatedBy());
        classed.write(store, id);
        return classed;
    }

    private String classNames()
            throws IOException
    {
        return String.join(", ", RetentionClasses.read(store).stream().map(RetentionClass::name).toList());
    }

    /** A snapshot's token added after it was archived is locked as its other objects are. */
    private void lockLikeTheSnapshot(String id, String key)
            throws IOException
    {
        RetentionRecord record = RetentionRecord.read(store, id);
        if (record.any() && store instanceof ObjectLocks locks) {
            if (record.lockMode().isPresent() && record.until().orElseThrow().isAfter(locks.now())) {
                locks.retain(key, record.lockMode().get(), record.until().get(), false);
            }
            if (record.legalHold()) {
                locks.legalHold(key, true);
            }
        }
    }

    /**
     * Deletes a snapshot unless a lock forbids it. Its chain entry stays (the chain still links
     * across it) and its custody log is kept beside it, ending with the deletion.
     */
    public int delete(String id, boolean bypassGovernance)
            throws IOException
    {
        if (snapshots.unfinished(id)) {
            // A create that died before sealing: nothing was sealed, so there is no custody to keep.
            return snapshots.delete(id, bypassGovernance);
        }
        Manifest manifest = snapshots.manifest(id);
        snapshots.checkDeletable(id, bypassGovernance);
        if (manifest.sealed()) {
            boolean bypassing = false;
            if (bypassGovernance && store instanceof ObjectLocks locks && locks.locksEnabled()) {
                ObjectLock lock = locks.lock(Layout.manifest(id));
                bypassing = lock.retainedAt(locks.now());
            }
            if (bypassing) {
                record(id, CustodyLog.Action.GOVERNANCE_BYPASSED, Map.of("operation", "delete"));
            }
            record(id, CustodyLog.Action.DELETED, Map.of());
            store.put(Layout.chainCustodyLog(manifest.chain().sequence(), id), store.read(Layout.custodyLog(id)));
        }
        return snapshots.delete(id, bypassGovernance);
    }

    /**
     * Copies a snapshot to another store with its seal: the objects, manifest, signature, token and
     * custody log ({@link Snapshots#copyTo}), the public key, and the chain's records of it and of
     * its predecessor, so the copy verifies there as it does here. The custody log records the copy.
     */
    public void copy(String id, ObjectStore target, Consumer<String> progress)
            throws IOException
    {
        Manifest manifest = snapshots.manifest(id);
        if (manifest.sealed()) {
            record(id, CustodyLog.Action.COPIED, Map.of("to", target.location()));
        }
        snapshots.copyTo(id, target, progress);
        if (manifest.sealed()) {
            Manifest.Chain chain = manifest.chain();
            List<String> keys = new ArrayList<>(List.of(Layout.publicKey(chain.keyFingerprint()), Layout.chainEntry(chain.sequence(), id)));
            if (!chain.first()) {
                keys.add(Layout.chainEntry(chain.previousSequence(), chain.previousSnapshot()));
            }
            for (String key : keys) {
                Optional<byte[]> content = read(key);
                if (content.isPresent() && target.stat(key).isEmpty()) {
                    target.put(key, content.get());
                }
            }
        }
    }

    // ---- verification

    /** Verifies a snapshot in the store: every object, the signature, both chain links, the token and the custody log. */
    public VerificationReport verify(String id, Consumer<String> progress)
            throws IOException
    {
        Manifest manifest = snapshots.manifest(id);
        byte[] bytes = store.read(Layout.manifest(id));
        String sha256 = Hashes.sha256(bytes);
        List<Finding> findings = new ArrayList<>();
        Snapshots.Verification objects = snapshots.verify(id, progress);
        objects.problems().forEach(problem -> findings.add(Finding.failed(Finding.Check.OBJECTS, problem)));
        if (objects.ok()) {
            findings.add(Finding.passed(Finding.Check.OBJECTS, objects.objects() + " objects, " + objects.bytes() + " bytes, every size and SHA-256 as the manifest says"));
        }
        if (!manifest.sealed()) {
            findings.add(Finding.note(Finding.Check.SIGNATURE, "not sealed (made before sealing): only the objects were checked; seal it with 'wirelake snapshot seal " + id + "'"));
            return new VerificationReport(id, sha256, findings);
        }
        Manifest.Chain chain = manifest.chain();
        Optional<byte[]> previous = chain.first() ? Optional.empty() : read(Layout.chainEntry(chain.previousSequence(), chain.previousSnapshot()));
        List<String> trusted = new ArrayList<>();
        for (ObjectInfo key : store.list(Layout.KEYS)) {
            String name = key.key().substring(Layout.KEYS.length());
            if (name.endsWith(".pub")) {
                trusted.add(name.substring(0, name.length() - 4));
            }
        }
        findings.addAll(SealCheck.check(manifest, new SealCheck.Material(bytes, read(Layout.manifestSignature(id)), read(Layout.publicKey(chain.keyFingerprint())),
                store.uri(Layout.publicKey(chain.keyFingerprint())), read(Layout.timestampToken(id)), tsaTrust(), tsaTrustWhere(), read(Layout.custodyLog(id)),
                previous, chain.first() ? "" : store.uri(Layout.chainEntry(chain.previousSequence(), chain.previousSnapshot())), trusted)));
        Optional<byte[]> signature = read(Layout.manifestSignature(id));
        if (signature.isPresent() && !trusted.contains(chain.keyFingerprint()) || signature.isPresent() && findings.stream().anyMatch(finding ->
                finding.check() == Finding.Check.SIGNATURE && finding.severity() == Finding.Severity.FAILED)) {
            // Say which key did sign, if one of the store's did.
            for (String fingerprint : trusted) {
                Optional<byte[]> pem = read(Layout.publicKey(fingerprint));
                if (!fingerprint.equals(chain.keyFingerprint()) && pem.isPresent()
                        && SealKey.verify(SealKey.parsePublicKey(pem.get(), Layout.publicKey(fingerprint)), bytes, signature.get())) {
                    findings.add(Finding.failed(Finding.Check.SIGNATURE, "the signature was made with key " + fingerprint + ", not with " + chain.keyFingerprint()
                            + " that the manifest names: re-signed with another key"));
                }
            }
        }
        // The chain's own copy of this manifest, and the next manifest's link to it.
        Optional<byte[]> own = read(Layout.chainEntry(chain.sequence(), id));
        if (own.isEmpty()) {
            findings.add(Finding.failed(Finding.Check.CHAIN, "#" + chain.sequence() + " " + id + " is missing from the chain (" + Layout.chainEntry(chain.sequence(), id) + ")"));
        }
        else if (!java.util.Arrays.equals(own.get(), bytes)) {
            findings.add(Finding.failed(Finding.Check.CHAIN, "#" + chain.sequence() + " " + id + ": the manifest differs from the one the chain recorded when it was sealed"
                    + " (SHA-256 " + sha256 + ", the chain's " + Hashes.sha256(own.get()) + "): the manifest was replaced"));
        }
        for (ObjectInfo entry : store.list(Layout.CHAIN + "manifests/" + "%010d".formatted(chain.sequence() + 1) + "-")) {
            Manifest next = SealCheck.parse(store.read(entry.key()));
            if (next.sealed() && !next.chain().previousSha256().equals(sha256)) {
                findings.add(Finding.failed(Finding.Check.CHAIN, "broken link #" + next.chain().sequence() + " " + next.id() + " -> #" + chain.sequence() + " " + id
                        + ": the next manifest links SHA-256 " + next.chain().previousSha256() + ", this one is " + sha256));
            }
            else if (next.sealed()) {
                findings.add(Finding.passed(Finding.Check.CHAIN, "link #" + next.chain().sequence() + " " + next.id() + " -> #" + chain.sequence() + " " + id + " holds"));
            }
        }
        return new VerificationReport(id, sha256, findings);
    }

    /** Verifies and records the verification in the custody log. */
    public VerificationReport verifyAndRecord(String id, Consumer<String> progress)
            throws IOException
    {
        VerificationReport report = verify(id, progress);
        if (snapshots.manifest(id).sealed() && store.stat(Layout.custodyLog(id)).isPresent()) {
            record(id, CustodyLog.Action.VERIFIED, Map.of("result", report.ok() ? "ok" : "failed", "failures", String.valueOf(report.failures().size())));
        }
        return report;
    }

    List<X509Certificate> tsaTrust()
            throws IOException
    {
        return settings.tsaTrust().isPresent() ? Timestamps.certificates(Files.readAllBytes(settings.tsaTrust().get())) : List.of();
    }

    private String tsaTrustWhere()
    {
        return settings.tsaTrust().map(Object::toString).orElse("");
    }

    private Optional<byte[]> read(String key)
            throws IOException
    {
        try {
            return Optional.of(store.read(key));
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
