package io.wirelake.catalog.evidence;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.catalog.snapshot.Manifest;

import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The checks that are the same for a snapshot in a store and in a bundle: the signature over the
 * manifest's bytes with the key it names, the chain link to the previous sealed manifest, the
 * timestamp token over the manifest's SHA-256, and the custody log's links. Each result is a
 * {@link Finding} that names what it is about.
 */
final class SealCheck
{
    static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** What there is to check; empty parts are reported missing. */
    record Material(byte[] manifestBytes, Optional<byte[]> signature, Optional<byte[]> publicKeyPem, String publicKeyWhere, Optional<byte[]> timestamp,
                    List<X509Certificate> tsaTrust, String tsaTrustWhere, Optional<byte[]> custody, Optional<byte[]> previousManifest, String previousWhere,
                    List<String> trustedKeys) {}

    private SealCheck() {}

    static Manifest parse(byte[] manifestBytes)
            throws IOException
    {
        return JSON.readValue(manifestBytes, Manifest.class);
    }

    static List<Finding> check(Manifest manifest, Material material)
    {
        List<Finding> findings = new ArrayList<>();
        String sha256 = Hashes.sha256(material.manifestBytes());
        if (!manifest.sealed()) {
            findings.add(Finding.failed(Finding.Check.SIGNATURE, "manifest " + sha256 + " is not sealed (no chain link, no key): seal it with 'wirelake snapshot seal "
                    + manifest.id() + "'"));
            return findings;
        }
        Manifest.Chain chain = manifest.chain();
        findings.addAll(signature(manifest, material));
        if (chain.first()) {
            findings.add(Finding.passed(Finding.Check.CHAIN, "#" + chain.sequence() + " is the first sealed manifest of its store"));
        }
        else if (material.previousManifest().isEmpty()) {
            findings.add(Finding.failed(Finding.Check.CHAIN, "link #" + chain.sequence() + " " + manifest.id() + " -> #" + chain.previousSequence() + " "
                    + chain.previousSnapshot() + ": the previous sealed manifest is missing from " + material.previousWhere()));
        }
        else {
            String previous = Hashes.sha256(material.previousManifest().get());
            if (previous.equals(chain.previousSha256())) {
                findings.add(Finding.passed(Finding.Check.CHAIN, "link #" + chain.sequence() + " " + manifest.id() + " -> #" + chain.previousSequence() + " "
                        + chain.previousSnapshot() + " holds (SHA-256 " + previous + ")"));
            }
            else {
                findings.add(Finding.failed(Finding.Check.CHAIN, "broken link #" + chain.sequence() + " " + manifest.id() + " -> #" + chain.previousSequence() + " "
                        + chain.previousSnapshot() + ": the manifest links SHA-256 " + chain.previousSha256() + " but " + material.previousWhere()
                        + " has " + previous + " (replaced or changed)"));
            }
        }
        if (material.timestamp().isEmpty()) {
            findings.add(Finding.note(Finding.Check.TIMESTAMP, "no RFC 3161 token: no TSA was configured or reachable when it was sealed; the time rests on the seal alone"
                    + " (add one with 'wirelake snapshot seal " + manifest.id() + "' once WIRELAKE_TSA_URL is set)"));
        }
        else {
            Timestamps.Check token = Timestamps.verify(material.timestamp().get(), Hashes.sha256Bytes(material.manifestBytes()), material.tsaTrust());
            token.problems().forEach(problem -> findings.add(Finding.failed(Finding.Check.TIMESTAMP, problem)));
            if (token.ok()) {
                findings.add(Finding.passed(Finding.Check.TIMESTAMP, "the manifest's SHA-256 existed at " + token.time().orElseThrow() + " (TSA " + token.tsa() + ")"
                        + (material.tsaTrust().isEmpty() ? "" : ", its certificate chains to " + material.tsaTrustWhere())));
                if (material.tsaTrust().isEmpty()) {
                    findings.add(Finding.note(Finding.Check.TIMESTAMP, "the TSA's certificate was not checked against a trusted CA (set WIRELAKE_TSA_CA or --tsa-ca)"));
                }
            }
        }
        if (material.custody().isEmpty()) {
            findings.add(Finding.failed(Finding.Check.CUSTODY, "the custody log is missing"));
        }
        else {
            CustodyLog.Reading reading = CustodyLog.read(material.custody().get(), sha256);
            reading.problems().forEach(problem -> findings.add(Finding.failed(Finding.Check.CUSTODY, problem)));
            if (reading.problems().isEmpty()) {
                findings.add(Finding.passed(Finding.Check.CUSTODY, reading.entries().size() + " entries, every link holds, the first on the manifest"));
                if (!reading.entries().get(0).action().equals(CustodyLog.Action.SEALED.label())) {
                    findings.add(Finding.failed(Finding.Check.CUSTODY, "custody log line 1 is '" + reading.entries().get(0).action() + "', not 'sealed'"));
                }
            }
        }
        return findings;
    }

    private static List<Finding> signature(Manifest manifest, Material material)
    {
        String named = manifest.chain().keyFingerprint();
        if (material.signature().isEmpty()) {
            return List.of(Finding.failed(Finding.Check.SIGNATURE, "the signature of the manifest is missing"));
        }
        if (material.publicKeyPem().isEmpty()) {
            return List.of(Finding.failed(Finding.Check.SIGNATURE, "the public key " + named + " that the manifest names is missing from " + material.publicKeyWhere()));
        }
        PublicKey key;
        try {
            key = SealKey.parsePublicKey(material.publicKeyPem().get(), material.publicKeyWhere());
        }
        catch (IOException e) {
            return List.of(Finding.failed(Finding.Check.SIGNATURE, e.getMessage()));
        }
        String fingerprint = SealKey.fingerprint(key);
        List<Finding> findings = new ArrayList<>();
        if (!fingerprint.equals(named)) {
            findings.add(Finding.failed(Finding.Check.SIGNATURE, "the key in " + material.publicKeyWhere() + " is " + fingerprint + " but the manifest was sealed by "
                    + named + " (re-signed with another key?)"));
        }
        if (!SealKey.verify(key, material.manifestBytes(), material.signature().get())) {
            findings.add(Finding.failed(Finding.Check.SIGNATURE, "the Ed25519 signature does not verify over the manifest's bytes with key " + fingerprint
                    + " (the manifest or the signature was changed)"));
        }
        else if (findings.isEmpty()) {
            findings.add(Finding.passed(Finding.Check.SIGNATURE, "Ed25519 signature over the manifest verifies with key " + fingerprint));
        }
        if (!material.trustedKeys().isEmpty() && !material.trustedKeys().contains(fingerprint)) {
            findings.add(Finding.failed(Finding.Check.SIGNATURE, "key " + fingerprint + " is not one of the trusted keys " + String.join(", ", material.trustedKeys())));
        }
        else if (material.trustedKeys().isEmpty() && findings.stream().noneMatch(finding -> finding.severity() == Finding.Severity.FAILED)) {
            findings.add(Finding.note(Finding.Check.SIGNATURE, "key " + fingerprint + " was not pinned: compare it with the fingerprint the store's operator published"
                    + " ('wirelake snapshot key show'), or pass --trusted-key"));
        }
        return findings;
    }
}
