package io.wirelake.catalog.evidence;

import io.wirelake.catalog.snapshot.Manifest;
import io.wirelake.catalog.snapshot.PcapExport;
import io.wirelake.catalog.snapshot.SnapshotException;
import io.wirelake.store.Layout;
import io.wirelake.store.ObjectInfo;
import io.wirelake.store.ObjectStore;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * A sealed snapshot as one self-contained tar that a stranger can verify with {@code sha256sum}
 * and {@code openssl} alone: the manifest, its signature and public key, its timestamp token and
 * the TSA's CA, the custody log, the previous manifest of the chain, the frozen objects (or, with
 * a BPF filter, the filtered export instead of the captures), the dissected tables, a SHA256SUMS of
 * every file, and a README with the commands. Everything sits under {@code evidence-<id>/}.
 */
public final class EvidenceBundle
{
    /** The files of a bundle, relative to its directory. */
    public static final String README = "README.txt";
    public static final String SUMS = "SHA256SUMS";
    public static final String MANIFEST = "manifest.json";
    public static final String SIGNATURE = "manifest.sig";
    public static final String PUBLIC_KEY = "signing-key.pub";
    public static final String TOKEN = "manifest.tsr";
    public static final String TSA_CA = "tsa-ca.pem";
    public static final String CUSTODY = "custody.jsonl";
    public static final String PREVIOUS = "previous-manifest.json";
    public static final String OBJECTS = "objects/";
    public static final String EXPORT = "export.pcap";
    public static final String TABLES = "tables/";

    private final Evidence evidence;

    public EvidenceBundle(Evidence evidence)
    {
        this.evidence = requireNonNull(evidence, "evidence is null");
    }

    public record Result(Path bundle, int files, long bytes, String sha256, boolean filtered, boolean tables, boolean timestamped) {}

    public static String directory(String id)
    {
        return "evidence-" + id + "/";
    }

    public Result write(String id, Path output, Optional<String> bpf, Consumer<String> progress)
            throws IOException
    {
        ObjectStore store = evidence.store();
        Manifest manifest = evidence.snapshots().manifest(id);
        if (!manifest.sealed()) {
            throw new SnapshotException("snapshot " + id + " is not sealed, so a bundle of it would prove nothing: seal it first ('wirelake snapshot seal " + id + "')");
        }
        VerificationReport verification = evidence.verify(id, key -> {});
        if (!verification.ok()) {
            throw new SnapshotException("snapshot " + id + " does not verify, so it is not bundled as evidence: "
                    + String.join("; ", verification.failures().stream().map(Finding::toString).toList()));
        }
        byte[] manifestBytes = store.read(Layout.manifest(id));
        String manifestSha256 = Hashes.sha256(manifestBytes);
        Path work = Files.createTempDirectory(output.toAbsolutePath().getParent() == null ? Path.of(".") : Files.createDirectories(output.toAbsolutePath().getParent()),
                ".wirelake-bundle-");
        try {
            Optional<Path> export = Optional.empty();
            Map<String, String> details = new LinkedHashMap<>();
            details.put("bundle", output.getFileName().toString());
            if (bpf.isPresent()) {
                Path exported = work.resolve(EXPORT);
                PcapExport.Result result = new PcapExport(evidence.snapshots()).export(new PcapExport.Request(id, exported, bpf, List.of(), Long.MIN_VALUE, Long.MAX_VALUE));
                export = Optional.of(exported);
                details.put("bpf", bpf.get());
                details.put("exportSha256", sha256(exported));
                details.put("exportPackets", String.valueOf(result.packetsWritten()));
                progress.accept("exported " + result.packetsWritten() + " of " + result.packetsRead() + " packets matching '" + bpf.get() + "'");
            }
            List<ObjectInfo> tables = new ArrayList<>();
            for (String table : List.of("api_calls", "flows")) {
                tables.addAll(store.list(Layout.tablePartition(table, id)));
            }
            details.put("tables", String.valueOf(tables.size()));
            // The bundle's own custody entry is inside it: the log says what was handed over, and how.
            evidence.record(id, CustodyLog.Action.EVIDENCE_BUNDLED, details);

            String directory = directory(id);
            Map<String, String> sums = new LinkedHashMap<>();
            Path partial = work.resolve("bundle.tar");
            int files = 0;
            try (OutputStream file = new BufferedOutputStream(Files.newOutputStream(partial), 1 << 16)) {
                Tar.Writer tar = new Tar.Writer(file, Instant.now());
                Map<String, byte[]> small = new LinkedHashMap<>();
                small.put(MANIFEST, manifestBytes);
                small.put(SIGNATURE, store.read(Layout.manifestSignature(id)));
                small.put(PUBLIC_KEY, store.read(Layout.publicKey(manifest.chain().keyFingerprint())));
                optional(store, Layout.timestampToken(id)).ifPresent(token -> small.put(TOKEN, token));
                if (evidence.settings().tsaTrust().isPresent()) {
                    small.put(TSA_CA, Files.readAllBytes(evidence.settings().tsaTrust().get()));
                }
                small.put(CUSTODY, store.read(Layout.custodyLog(id)));
                if (!manifest.chain().first()) {
                    optional(store, Layout.chainEntry(manifest.chain().previousSequence(), manifest.chain().previousSnapshot()))
                            .ifPresent(previous -> small.put(PREVIOUS, previous));
                }
                for (Map.Entry<String, byte[]> entry : small.entrySet()) {
                    tar.add(directory + entry.getKey(), entry.getValue());
                    sums.put(entry.getKey(), Hashes.sha256(entry.getValue()));
                    files++;
                }
                String prefix = Layout.snapshotPrefix(id);
                for (Manifest.Entry entry : manifest.objects()) {
                    if (export.isPresent() && entry.isCapture()) {
                        continue;
                    }
                    sums.put(OBJECTS + entry.key(), copy(tar, directory + OBJECTS + entry.key(), store, prefix + entry.key(), entry.size()));
                    files++;
                    progress.accept("bundled " + entry.key());
                }
                if (export.isPresent()) {
                    try (InputStream input = Files.newInputStream(export.get())) {
                        tar.add(directory + EXPORT, Files.size(export.get()), input);
                    }
                    sums.put(EXPORT, details.get("exportSha256"));
                    files++;
                }
                for (ObjectInfo table : tables) {
                    String name = TABLES + table.key().substring(Layout.TABLES.length()).replace("snapshot_id=" + id + "/", "");
                    sums.put(name, copy(tar, directory + name, store, table.key(), table.size()));
                    files++;
                }
                StringBuilder sumsText = new StringBuilder();
                sums.forEach((name, sha256) -> sumsText.append(sha256).append("  ").append(name).append('\n'));
                tar.add(directory + SUMS, sumsText.toString().getBytes(StandardCharsets.UTF_8));
                tar.add(directory + README, BundleReadme.text(id, manifest, manifestSha256, export.isPresent(), bpf, small.containsKey(TOKEN),
                        small.containsKey(TSA_CA), small.containsKey(PREVIOUS), !tables.isEmpty()).getBytes(StandardCharsets.UTF_8));
                files += 2;
                tar.finish();
            }
            Files.move(partial, output, StandardCopyOption.REPLACE_EXISTING);
            return new Result(output, files, Files.size(output), sha256(output), export.isPresent(), !tables.isEmpty(), sums.containsKey(TOKEN));
        }
        finally {
            io.wirelake.catalog.Directories.deleteTree(work);
        }
    }

    /** Copies an object into the archive, hashing the bytes that go in (not trusting the manifest's word for them). */
    private static String copy(Tar.Writer tar, String name, ObjectStore store, String key, long size)
            throws IOException
    {
        MessageDigest digest = Hashes.sha256();
        try (InputStream input = new DigestInputStream(store.open(key), digest)) {
            tar.add(name, size, input);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static Optional<byte[]> optional(ObjectStore store, String key)
            throws IOException
    {
        try {
            return Optional.of(store.read(key));
        }
        catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    static String sha256(Path file)
            throws IOException
    {
        MessageDigest digest = Hashes.sha256();
        try (InputStream input = new DigestInputStream(Files.newInputStream(file), digest)) {
            input.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
