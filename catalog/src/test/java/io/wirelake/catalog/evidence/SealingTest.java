package io.wirelake.catalog.evidence;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.catalog.evidence.testing.Commands;
import io.wirelake.catalog.evidence.testing.DemoLake;
import io.wirelake.catalog.evidence.testing.TestTimestampAuthority;
import io.wirelake.catalog.snapshot.Manifest;
import io.wirelake.demo.DemoCluster;
import io.wirelake.store.Layout;
import io.wirelake.store.LocalObjectStore;
import io.wirelake.store.ObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sealing on a local store with demo traffic of three nodes: snapshots chained, signed and
 * timestamped by a TSA on loopback; the signature checked by {@code openssl pkeyutl} and the token
 * by {@code openssl ts -verify} (independent implementations); then each kind of tampering made on
 * the store and caught by verification, naming the object or link.
 */
class SealingTest
{
    private static TestTimestampAuthority tsa;

    @TempDir
    Path temporary;

    @BeforeAll
    static void startTsa()
            throws Exception
    {
        tsa = TestTimestampAuthority.start();
    }

    @AfterAll
    static void stopTsa()
    {
        tsa.close();
    }

    static void importDemo(ObjectStore store, Path spool)
            throws Exception
    {
        DemoLake.importInto(store, spool);
    }

    private Evidence evidence(ObjectStore store, boolean withTsa)
            throws Exception
    {
        Path ca = tsa.writeCaCertificate(temporary.resolve("tsa-ca.pem"));
        EvidenceSettings settings = new EvidenceSettings(temporary.resolve("home/keys/seal.pem"), Optional.empty(), Optional.empty(), "tester@lab");
        return new Evidence(store, withTsa ? settings.withTsa(tsa.url(), Optional.of(ca)) : settings);
    }

    @Test
    void sealsChainsTimestampsAndCatchesEveryTamper()
            throws Exception
    {
        ObjectStore store = new LocalObjectStore(temporary.resolve("lake"));
        importDemo(store, temporary);
        Evidence evidence = evidence(store, true);
        Manifest first = evidence.snapshots().create("first", Optional.empty(), Optional.empty(), List.of(), line -> {});
        long start = first.fromMicros();
        Manifest second = evidence.snapshots().create("second", Optional.of(start), Optional.of(start + 300_000), List.of(), line -> {});
        Manifest third = evidence.snapshots().create("third", Optional.of(start + 300_000), Optional.empty(), List.of(DemoCluster.NODE_B.name()), line -> {});

        // The key: created 0600 under the home, its public key in the store under its fingerprint.
        Path keyFile = temporary.resolve("home/keys/seal.pem");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(keyFile.getParent()))).isEqualTo("rwx------");
        String fingerprint = first.chain().keyFingerprint();
        assertThat(store.stat(Layout.publicKey(fingerprint))).isPresent();

        // The chain: each manifest links the previous one's SHA-256.
        assertThat(first.chain().first()).isTrue();
        assertThat(second.chain().previousSnapshot()).isEqualTo("first");
        assertThat(second.chain().previousSha256()).isEqualTo(Hashes.sha256(store.read(Layout.manifest("first"))));
        assertThat(third.chain().sequence()).isEqualTo(3);
        assertThat(third.chain().previousSha256()).isEqualTo(Hashes.sha256(store.read(Layout.manifest("second"))));

        // The manifest is stored in canonical form and names how its captures were made.
        byte[] bytes = store.read(Layout.manifest("second"));
        assertThat(CanonicalJson.of(new ObjectMapper().readTree(bytes))).isEqualTo(bytes);
        assertThat(second.sessions()).extracting(session -> session.node()).containsExactlyInAnyOrderElementsOf(
                DemoCluster.NODES.stream().map(DemoCluster.Node::name).toList());
        assertThat(second.sessions()).allSatisfy(session -> {
            assertThat(session.mode()).isEqualTo("import");
            assertThat(session.collectorVersion()).isNotEmpty();
            assertThat(session.source()).endsWith(".pcap");
        });

        // openssl checks the signature and the token independently.
        Path check = Files.createDirectories(temporary.resolve("check"));
        Files.write(check.resolve("manifest.json"), bytes);
        Files.write(check.resolve("manifest.sig"), store.read(Layout.manifestSignature("second")));
        Files.write(check.resolve("key.pub"), store.read(Layout.publicKey(fingerprint)));
        Files.write(check.resolve("manifest.tsr"), store.read(Layout.timestampToken("second")));
        tsa.writeCaCertificate(check.resolve("ca.pem"));
        Commands.Result signature = Commands.run(check, List.of("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "key.pub", "-rawin", "-in", "manifest.json",
                "-sigfile", "manifest.sig"));
        assertThat(signature.exit()).as(signature.output()).isZero();
        assertThat(signature.output()).contains("Signature Verified Successfully");
        Commands.Result token = Commands.run(check, List.of("openssl", "ts", "-verify", "-data", "manifest.json", "-in", "manifest.tsr", "-CAfile", "ca.pem"));
        assertThat(token.exit()).as(token.output()).isZero();
        assertThat(token.output()).contains("Verification: OK");
        // ... and refuses them for other bytes.
        Files.write(check.resolve("manifest.json"), store.read(Layout.manifest("first")));
        assertThat(Commands.run(check, List.of("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", "key.pub", "-rawin", "-in", "manifest.json",
                "-sigfile", "manifest.sig")).exit()).isNotZero();
        assertThat(Commands.run(check, List.of("openssl", "ts", "-verify", "-data", "manifest.json", "-in", "manifest.tsr", "-CAfile", "ca.pem")).exit()).isNotZero();

        // Custody: sealed, then timestamped, each line linked to the one before, the first to the manifest.
        CustodyLog.Reading custody = CustodyLog.read(store.read(Layout.custodyLog("second")), Hashes.sha256(bytes));
        assertThat(custody.problems()).isEmpty();
        assertThat(custody.entries()).extracting(CustodyLog.Entry::action).containsExactly("sealed", "timestamped");
        assertThat(custody.entries()).allSatisfy(entry -> assertThat(entry.actor()).isEqualTo("tester@lab"));

        for (String id : List.of("first", "second", "third")) {
            VerificationReport report = evidence.verify(id, key -> {});
            assertThat(report.failures()).as(id).isEmpty();
            assertThat(report.findings()).extracting(Finding::check).contains(Finding.Check.OBJECTS, Finding.Check.SIGNATURE, Finding.Check.CHAIN,
                    Finding.Check.TIMESTAMP, Finding.Check.CUSTODY);
        }

        // A changed byte in a capture: the object is named.
        String capture = Layout.snapshotPrefix("second") + second.captures().get(0).key();
        byte[] original = store.read(capture);
        byte[] changed = original.clone();
        changed[changed.length - 3] ^= 0x10;
        store.put(capture, changed);
        assertFails(evidence, "second", Finding.Check.OBJECTS, second.captures().get(0).key() + ": SHA-256");
        store.put(capture, original);

        // A removed object.
        store.delete(capture);
        assertFails(evidence, "second", Finding.Check.OBJECTS, second.captures().get(0).key() + ": missing");
        store.put(capture, original);

        // A replaced manifest (an entry dropped, the rest kept): the signature, the chain's copy, the next link and the token all disagree.
        Map<String, Object> edited = new ObjectMapper().readValue(bytes, Map.class);
        ((List<?>) edited.get("objects")).remove(0);
        store.put(Layout.manifest("second"), CanonicalJson.of(edited));
        VerificationReport replaced = evidence.verify("second", key -> {});
        assertThat(replaced.failures()).extracting(Finding::check).contains(Finding.Check.SIGNATURE, Finding.Check.CHAIN, Finding.Check.TIMESTAMP);
        assertThat(replaced.failures()).anySatisfy(finding -> assertThat(finding.message()).contains("the manifest was replaced"));
        assertThat(replaced.failures()).anySatisfy(finding -> assertThat(finding.message()).contains("broken link #3 third -> #2 second"));
        store.put(Layout.manifest("second"), bytes);

        // Re-signed with another key, the manifest naming the new key (published too): the chain and token still hold the original.
        SealKey intruder = SealKey.create(temporary.resolve("intruder.pem"));
        Map<String, Object> resigned = new ObjectMapper().readValue(bytes, Map.class);
        ((Map<String, Object>) resigned.get("chain")).put("keyFingerprint", intruder.fingerprint());
        byte[] resignedBytes = CanonicalJson.of(resigned);
        byte[] originalSignature = store.read(Layout.manifestSignature("second"));
        intruder.publish(store);
        store.put(Layout.manifest("second"), resignedBytes);
        store.put(Layout.manifestSignature("second"), intruder.sign(resignedBytes));
        VerificationReport resignedReport = evidence.verify("second", key -> {});
        assertThat(resignedReport.failures()).extracting(Finding::check).contains(Finding.Check.CHAIN, Finding.Check.TIMESTAMP, Finding.Check.CUSTODY);
        // Re-signed without changing the manifest: the key does not match the one the manifest names.
        store.put(Layout.manifest("second"), bytes);
        store.put(Layout.manifestSignature("second"), intruder.sign(bytes));
        assertFails(evidence, "second", Finding.Check.SIGNATURE, "re-signed with another key");
        store.put(Layout.manifestSignature("second"), originalSignature);

        // A broken chain link: the chain's record of "first" replaced.
        String firstEntry = Layout.chainEntry(1, "first");
        byte[] firstBytes = store.read(firstEntry);
        store.put(firstEntry, store.read(Layout.manifest("third")));
        assertFails(evidence, "second", Finding.Check.CHAIN, "broken link #2 second -> #1 first");
        store.put(firstEntry, firstBytes);

        // A token for another hash.
        byte[] secondToken = store.read(Layout.timestampToken("second"));
        store.put(Layout.timestampToken("second"), store.read(Layout.timestampToken("first")));
        assertFails(evidence, "second", Finding.Check.TIMESTAMP, "the token is for SHA-256 " + Hashes.sha256(store.read(Layout.manifest("first"))));
        store.put(Layout.timestampToken("second"), secondToken);

        // A custody line edited.
        byte[] log = store.read(Layout.custodyLog("second"));
        store.put(Layout.custodyLog("second"), new String(log, java.nio.charset.StandardCharsets.UTF_8).replace("tester@lab", "someone@else").getBytes());
        assertFails(evidence, "second", Finding.Check.CUSTODY, "custody log line 2");
        store.put(Layout.custodyLog("second"), log);

        VerificationReport restored = evidence.verifyAndRecord("second", key -> {});
        assertThat(restored.failures()).isEmpty();
        assertThat(CustodyLog.read(store.read(Layout.custodyLog("second")), Hashes.sha256(bytes)).entries()).last()
                .satisfies(entry -> assertThat(entry.action()).isEqualTo("verified"));
    }

    @Test
    void withoutATsaSealsAndSaysTheTokenIsMissingThenAddsItLater()
            throws Exception
    {
        ObjectStore store = new LocalObjectStore(temporary.resolve("lake"));
        importDemo(store, temporary);
        Evidence unstamped = evidence(store, false);
        Manifest manifest = unstamped.snapshots().create("quiet", Optional.empty(), Optional.empty(), List.of(), line -> {});
        assertThat(manifest.sealed()).isTrue();
        assertThat(store.stat(Layout.timestampToken("quiet"))).isEmpty();
        VerificationReport report = unstamped.verify("quiet", key -> {});
        assertThat(report.ok()).isTrue();
        assertThat(report.findings()).anySatisfy(finding -> {
            assertThat(finding.check()).isEqualTo(Finding.Check.TIMESTAMP);
            assertThat(finding.severity()).isEqualTo(Finding.Severity.NOTE);
            assertThat(finding.message()).contains("no RFC 3161 token");
        });
        assertThat(new String(store.read(Layout.custodyLog("quiet")))).contains("\"action\":\"timestamp missing\"").contains("no TSA configured");

        int before = tsa.requests();
        Evidence.SealReport later = evidence(store, true).seal("quiet", key -> {});
        assertThat(later.timestamp()).isPresent();
        assertThat(tsa.requests()).isEqualTo(before + 1);
        assertThat(evidence(store, true).verify("quiet", key -> {}).findings()).anySatisfy(finding -> {
            assertThat(finding.check()).isEqualTo(Finding.Check.TIMESTAMP);
            assertThat(finding.severity()).isEqualTo(Finding.Severity.PASSED);
        });

        // A snapshot made before sealing verifies by its hashes, and seals after the fact into the chain.
        var plain = new io.wirelake.catalog.snapshot.Snapshots(store).create("old", Optional.empty(), Optional.empty(), List.of(), line -> {});
        assertThat(plain.sealed()).isFalse();
        VerificationReport old = unstamped.verify("old", key -> {});
        assertThat(old.ok()).isTrue();
        assertThat(old.findings()).anySatisfy(finding -> assertThat(finding.message()).contains("not sealed"));
        Evidence.SealReport sealed = unstamped.seal("old", key -> {});
        assertThat(sealed.manifest().chain().previousSnapshot()).isEqualTo("quiet");
        assertThat(unstamped.verify("old", key -> {}).failures()).isEmpty();
    }

    @Test
    void rotationKeepsOldKeysSoOldSealsVerify()
            throws Exception
    {
        ObjectStore store = new LocalObjectStore(temporary.resolve("lake"));
        importDemo(store, temporary);
        Evidence evidence = evidence(store, false);
        Manifest before = evidence.snapshots().create("before", Optional.empty(), Optional.empty(), List.of(), line -> {});
        SealKey rotated = SealKey.rotate(temporary.resolve("home/keys/seal.pem"));
        Manifest after = evidence.snapshots().create("after", Optional.empty(), Optional.empty(), List.of(), line -> {});
        assertThat(after.chain().keyFingerprint()).isEqualTo(rotated.fingerprint()).isNotEqualTo(before.chain().keyFingerprint());
        assertThat(store.list(Layout.KEYS)).hasSize(2);
        assertThat(evidence.verify("before", key -> {}).failures()).isEmpty();
        assertThat(evidence.verify("after", key -> {}).failures()).isEmpty();
    }

    static void assertFails(Evidence evidence, String id, Finding.Check check, String message)
            throws Exception
    {
        VerificationReport report = evidence.verify(id, key -> {});
        assertThat(report.ok()).as("verification after tampering").isFalse();
        assertThat(report.failures()).as(report.findings().toString()).anySatisfy(finding -> {
            assertThat(finding.check()).isEqualTo(check);
            assertThat(finding.message()).contains(message);
        });
    }
}
