package io.wirelake.catalog.evidence;

import io.wirelake.catalog.snapshot.Manifest;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static java.util.Objects.requireNonNull;

/**
 * Verifies an evidence bundle on its own, with nothing but the tar: every file against
 * SHA256SUMS, every object against the signed manifest, the signature (and that the key is the one
 * the manifest names, and a pinned one if any are given), the chain link to the previous manifest,
 * the timestamp token, and the custody log. The archive is read once, streaming: captures are
 * hashed as they pass, only the small files are kept.
 */
public final class BundleVerifier
{
    /** The small files are kept in memory up to this size; a larger one is refused. */
    private static final int MAX_SMALL_FILE = 64 << 20;
    private static final int MAX_ENTRIES = 1_000_000;

    /**
     * @param tsaCa the CA certificates the TSA must chain to (else the bundle's own tsa-ca.pem, with a note)
     * @param trustedKeys fingerprints of the keys that may have sealed it (else any, with a note)
     */
    public record Options(Optional<Path> tsaCa, List<String> trustedKeys)
    {
        public Options
        {
            requireNonNull(tsaCa, "tsaCa is null");
            trustedKeys = List.copyOf(trustedKeys);
        }
    }

    private record Content(long size, String sha256, byte[] bytes) {}

    private BundleVerifier() {}

    public static VerificationReport verify(Path bundle, Options options)
            throws IOException
    {
        Map<String, Content> files = new LinkedHashMap<>();
        List<Finding> findings = new ArrayList<>();
        TreeSet<String> directories = new TreeSet<>();
        try (InputStream input = new BufferedInputStream(Files.newInputStream(bundle), 1 << 16)) {
            Tar.read(input, (name, size, content) -> {
                int slash = name.indexOf('/');
                if (slash <= 0) {
                    findings.add(Finding.failed(Finding.Check.BUNDLE, name + " is outside the bundle's directory"));
                    content.transferTo(OutputStream.nullOutputStream());
                    return;
                }
                directories.add(name.substring(0, slash));
                String relative = name.substring(slash + 1);
                MessageDigest digest = Hashes.sha256();
                boolean small = !relative.startsWith(EvidenceBundle.OBJECTS) && !relative.startsWith(EvidenceBundle.TABLES) && !relative.equals(EvidenceBundle.EXPORT);
                if (small && size > MAX_SMALL_FILE) {
                    throw new IOException(name + " is " + size + " bytes: too large for a " + relative);
                }
                ByteArrayOutputStream kept = small ? new ByteArrayOutputStream((int) size) : null;
                try (OutputStream sink = new DigestOutputStream(small ? kept : OutputStream.nullOutputStream(), digest)) {
                    content.transferTo(sink);
                }
                if (files.put(relative, new Content(size, HexFormat.of().formatHex(digest.digest()), small ? kept.toByteArray() : null)) != null) {
                    findings.add(Finding.failed(Finding.Check.BUNDLE, relative + " appears twice in the archive"));
                }
            }, MAX_ENTRIES);
        }
        catch (IOException e) {
            return new VerificationReport("?", "", List.of(Finding.failed(Finding.Check.BUNDLE, bundle + " is not a readable evidence bundle: " + e.getMessage())));
        }
        if (directories.size() > 1) {
            findings.add(Finding.failed(Finding.Check.BUNDLE, "the archive holds more than one directory: " + String.join(", ", directories)));
        }
        Content manifestContent = files.get(EvidenceBundle.MANIFEST);
        if (manifestContent == null) {
            findings.add(Finding.failed(Finding.Check.BUNDLE, "manifest.json is missing"));
            return new VerificationReport("?", "", findings);
        }
        Manifest manifest;
        try {
            manifest = SealCheck.parse(manifestContent.bytes());
        }
        catch (IOException e) {
            findings.add(Finding.failed(Finding.Check.BUNDLE, "manifest.json is not a manifest: " + e.getMessage()));
            return new VerificationReport("?", manifestContent.sha256(), findings);
        }
        findings.addAll(sums(files));
        findings.addAll(objects(manifest, files));

        List<X509Certificate> anchors = List.of();
        String anchorsWhere = "";
        Optional<byte[]> caFile = options.tsaCa().isPresent() ? Optional.of(Files.readAllBytes(options.tsaCa().get())) : bytes(files, EvidenceBundle.TSA_CA);
        if (caFile.isPresent()) {
            try {
                anchors = Timestamps.certificates(caFile.get());
                anchorsWhere = options.tsaCa().map(Path::toString).orElse("the bundle's tsa-ca.pem");
            }
            catch (IOException e) {
                findings.add(Finding.failed(Finding.Check.TIMESTAMP, anchorsWhere + ": " + e.getMessage()));
            }
        }
        findings.addAll(SealCheck.check(manifest, new SealCheck.Material(manifestContent.bytes(), bytes(files, EvidenceBundle.SIGNATURE),
                bytes(files, EvidenceBundle.PUBLIC_KEY), EvidenceBundle.PUBLIC_KEY, bytes(files, EvidenceBundle.TOKEN), anchors, anchorsWhere,
                bytes(files, EvidenceBundle.CUSTODY), bytes(files, EvidenceBundle.PREVIOUS), EvidenceBundle.PREVIOUS, options.trustedKeys())));
        if (options.tsaCa().isEmpty() && caFile.isPresent() && files.containsKey(EvidenceBundle.TOKEN)) {
            findings.add(Finding.note(Finding.Check.TIMESTAMP, "the TSA was checked against the CA the bundle carries; pass --tsa-ca with your TSA's published CA to trust it"));
        }
        Content export = files.get(EvidenceBundle.EXPORT);
        if (export != null) {
            String custody = bytes(files, EvidenceBundle.CUSTODY).map(content -> new String(content, StandardCharsets.UTF_8)).orElse("");
            if (custody.contains("\"exportSha256\":\"" + export.sha256() + "\"")) {
                findings.add(Finding.passed(Finding.Check.OBJECTS, "export.pcap is the BPF export the custody log records (SHA-256 " + export.sha256() + ")"));
            }
            else {
                findings.add(Finding.failed(Finding.Check.OBJECTS, "export.pcap (SHA-256 " + export.sha256() + ") is not an export the custody log records"));
            }
        }
        return new VerificationReport(manifest.id(), manifestContent.sha256(), findings);
    }

    private static List<Finding> sums(Map<String, Content> files)
    {
        List<Finding> findings = new ArrayList<>();
        Content sums = files.get(EvidenceBundle.SUMS);
        if (sums == null) {
            return List.of(Finding.failed(Finding.Check.BUNDLE, "SHA256SUMS is missing"));
        }
        Map<String, String> listed = new LinkedHashMap<>();
        int number = 0;
        for (String line : new String(sums.bytes(), StandardCharsets.UTF_8).split("\n")) {
            number++;
            if (line.isEmpty()) {
                continue;
            }
            if (!line.matches("[0-9a-f]{64}  .+")) {
                findings.add(Finding.failed(Finding.Check.BUNDLE, "SHA256SUMS line " + number + " is not '<sha256>  <file>'"));
                continue;
            }
            listed.put(line.substring(66), line.substring(0, 64));
        }
        int matching = 0;
        for (Map.Entry<String, String> entry : listed.entrySet()) {
            Content content = files.get(entry.getKey());
            if (content == null) {
                findings.add(Finding.failed(Finding.Check.BUNDLE, entry.getKey() + ": listed in SHA256SUMS but missing from the bundle"));
            }
            else if (!content.sha256().equals(entry.getValue())) {
                findings.add(Finding.failed(Finding.Check.BUNDLE, entry.getKey() + ": SHA-256 " + content.sha256() + " differs from SHA256SUMS' " + entry.getValue()));
            }
            else {
                matching++;
            }
        }
        for (String name : files.keySet()) {
            if (!listed.containsKey(name) && !name.equals(EvidenceBundle.SUMS) && !name.equals(EvidenceBundle.README)) {
                findings.add(Finding.failed(Finding.Check.BUNDLE, name + ": in the bundle but not in SHA256SUMS"));
            }
        }
        if (findings.isEmpty()) {
            findings.add(Finding.passed(Finding.Check.BUNDLE, matching + " files as SHA256SUMS lists them"));
        }
        return findings;
    }

    private static List<Finding> objects(Manifest manifest, Map<String, Content> files)
    {
        List<Finding> findings = new ArrayList<>();
        boolean filtered = files.containsKey(EvidenceBundle.EXPORT);
        int checked = 0;
        long bytes = 0;
        TreeSet<String> expected = new TreeSet<>();
        for (Manifest.Entry entry : manifest.objects()) {
            String name = EvidenceBundle.OBJECTS + entry.key();
            expected.add(name);
            Content content = files.get(name);
            if (content == null) {
                if (!(filtered && entry.isCapture())) {
                    findings.add(Finding.failed(Finding.Check.OBJECTS, entry.key() + ": missing from the bundle"));
                }
                continue;
            }
            if (content.size() != entry.size()) {
                findings.add(Finding.failed(Finding.Check.OBJECTS, entry.key() + ": size " + content.size() + " bytes, the manifest says " + entry.size()));
            }
            else if (!content.sha256().equals(entry.sha256())) {
                findings.add(Finding.failed(Finding.Check.OBJECTS, entry.key() + ": SHA-256 " + content.sha256() + " differs from the manifest's " + entry.sha256()));
            }
            else {
                checked++;
                bytes += content.size();
            }
        }
        for (String name : files.keySet()) {
            if (name.startsWith(EvidenceBundle.OBJECTS) && !expected.contains(name)) {
                findings.add(Finding.failed(Finding.Check.OBJECTS, name.substring(EvidenceBundle.OBJECTS.length()) + ": in the bundle but not in the manifest"));
            }
        }
        if (findings.isEmpty()) {
            findings.add(Finding.passed(Finding.Check.OBJECTS, checked + " objects, " + bytes + " bytes, every size and SHA-256 as the signed manifest says"
                    + (filtered ? " (the captures are replaced by the BPF export)" : "")));
        }
        return findings;
    }

    private static Optional<byte[]> bytes(Map<String, Content> files, String name)
    {
        return Optional.ofNullable(files.get(name)).map(Content::bytes);
    }
}
