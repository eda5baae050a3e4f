package io.wirelake.catalog.evidence;

import io.wirelake.catalog.evidence.testing.Commands;
import io.wirelake.catalog.evidence.testing.TestTimestampAuthority;
import io.wirelake.catalog.snapshot.Manifest;
import io.wirelake.store.LocalObjectStore;
import io.wirelake.store.ObjectStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Evidence bundles: written from a sealed, timestamped snapshot, unpacked by GNU tar, and verified
 * by running exactly the command lines of their README (real sha256sum, openssl and bash), and by
 * {@link BundleVerifier}. Then each kind of tampering is made on the bundle, and both catch it.
 */
class EvidenceBundleTest
{
    private static TestTimestampAuthority tsa;
    private static Path work;
    private static Evidence evidence;
    private static Path caFile;

    @BeforeAll
    static void seal()
            throws Exception
    {
        tsa = TestTimestampAuthority.start();
        work = Files.createTempDirectory("bundles");
        ObjectStore store = new LocalObjectStore(work.resolve("lake"));
        SealingTest.importDemo(store, work);
        caFile = tsa.writeCaCertificate(work.resolve("tsa-ca.pem"));
        evidence = new Evidence(store, new EvidenceSettings(work.resolve("keys/seal.pem"), Optional.of(tsa.url()), Optional.of(caFile), "analyst@lab"));
        evidence.snapshots().create("before", Optional.empty(), Optional.empty(), List.of(), line -> {});
        evidence.snapshots().create("incident", Optional.empty(), Optional.empty(), List.of(), line -> {});
    }

    @AfterAll
    static void stop()
    {
        tsa.close();
    }

    private record Run(List<Commands.Result> results)
    {
        boolean allPassed()
        {
            return results.stream().allMatch(result -> result.exit() == 0);
        }

        String output()
        {
            return String.join("\n", results.stream().map(result -> "[" + result.exit() + "] " + result.output()).toList());
        }
    }

    /** Unpacks with GNU tar and runs every "$ " line of the README, each in its own bash. */
    private static Run runReadme(Path bundle)
            throws Exception
    {
        Path directory = Files.createTempDirectory(work, "unpacked");
        Commands.Result untar = Commands.run(directory, List.of("tar", "-xf", bundle.toString()));
        assertThat(untar.exit()).as(untar.output()).isZero();
        Path root;
        try (var entries = Files.list(directory)) {
            root = entries.findFirst().orElseThrow();
        }
        List<Commands.Result> results = new ArrayList<>();
        for (String line : Files.readAllLines(root.resolve(EvidenceBundle.README))) {
            if (line.startsWith("$ ")) {
                results.add(Commands.bash(root, line.substring(2)));
            }
        }
        assertThat(results).hasSizeGreaterThan(5);
        return new Run(results);
    }

    @Test
    void theReadmesCommandsVerifyABundleAndRefuseEveryTamper()
            throws Exception
    {
        Path bundle = work.resolve("incident.tar");
        EvidenceBundle.Result result = new EvidenceBundle(evidence).write("incident", bundle, Optional.empty(), line -> {});
        assertThat(result.timestamped()).isTrue();
        assertThat(result.filtered()).isFalse();

        Run readme = runReadme(bundle);
        assertThat(readme.allPassed()).as(readme.output()).isTrue();
        assertThat(readme.output()).contains("files: OK", "key: OK", "Signature Verified Successfully", "objects: OK", "Verification: OK", "Time stamp:",
                "chain link: OK", "custody: 3 lines linked");

        VerificationReport report = BundleVerifier.verify(bundle, new BundleVerifier.Options(Optional.of(caFile), List.of()));
        assertThat(report.failures()).as(report.findings().toString()).isEmpty();
        assertThat(report.snapshot()).isEqualTo("incident");
        String fingerprint = SealCheck.parse(read(bundle).get(EvidenceBundle.MANIFEST)).chain().keyFingerprint();
        assertThat(BundleVerifier.verify(bundle, new BundleVerifier.Options(Optional.empty(), List.of(fingerprint))).failures()).isEmpty();
        assertThat(BundleVerifier.verify(bundle, new BundleVerifier.Options(Optional.empty(), List.of("0".repeat(64)))).failures())
                .anySatisfy(finding -> assertThat(finding.message()).contains("is not one of the trusted keys"));

        Manifest manifest = SealCheck.parse(read(bundle).get(EvidenceBundle.MANIFEST));
        String capture = EvidenceBundle.OBJECTS + manifest.captures().get(0).key();

        // A changed byte in a capture.
        Path changed = tamper(bundle, "changed", files -> {
            byte[] content = files.get(capture).clone();
            content[content.length / 2] ^= 1;
            files.put(capture, content);
            return files;
        });
        assertCaught(changed, Finding.Check.OBJECTS, manifest.captures().get(0).key() + ": SHA-256");

        // A removed object (SHA256SUMS made to agree, so only the manifest can tell).
        Path removed = tamper(bundle, "removed", files -> {
            files.remove(capture);
            return resum(files);
        });
        assertCaught(removed, Finding.Check.OBJECTS, manifest.captures().get(0).key() + ": missing from the bundle");

        // A replaced manifest: the object list edited, SHA256SUMS and the object listing made to agree.
        Path replaced = tamper(bundle, "replaced", files -> {
            String text = new String(files.get(EvidenceBundle.MANIFEST), StandardCharsets.UTF_8);
            String key = manifest.captures().get(0).key();
            files.put(EvidenceBundle.MANIFEST, text.replace("\"key\":\"" + key + "\"", "\"key\":\"" + key.replace(".pcap", "0.pcap") + "\"").getBytes(StandardCharsets.UTF_8));
            files.put(EvidenceBundle.OBJECTS + key.replace(".pcap", "0.pcap"), files.remove(capture));
            return resum(files);
        });
        assertCaught(replaced, Finding.Check.SIGNATURE, "the Ed25519 signature does not verify");
        assertCaught(replaced, Finding.Check.TIMESTAMP, "the token is for SHA-256");
        assertCaught(replaced, Finding.Check.CUSTODY, "custody log line 1");

        // Re-signed with another key, which replaces the bundle's public key.
        SealKey intruder = SealKey.create(work.resolve("intruder-" + System.nanoTime() + ".pem"));
        Path resigned = tamper(bundle, "resigned", files -> {
            files.put(EvidenceBundle.SIGNATURE, intruder.sign(files.get(EvidenceBundle.MANIFEST)));
            files.put(EvidenceBundle.PUBLIC_KEY, SealKey.publicKeyPem(intruder.publicKey()).getBytes(StandardCharsets.US_ASCII));
            return resum(files);
        });
        assertCaught(resigned, Finding.Check.SIGNATURE, "re-signed with another key");

        // A broken chain link: the previous manifest is not the one linked.
        Path broken = tamper(bundle, "broken", files -> {
            String previous = new String(files.get(EvidenceBundle.PREVIOUS), StandardCharsets.UTF_8);
            files.put(EvidenceBundle.PREVIOUS, previous.replace("\"id\":\"before\"", "\"id\":\"befor3\"").getBytes(StandardCharsets.UTF_8));
            return resum(files);
        });
        assertCaught(broken, Finding.Check.CHAIN, "broken link #2 incident -> #1 before");

        // A token for another hash: the previous snapshot's token.
        byte[] otherToken = evidence.store().read(io.wirelake.store.Layout.timestampToken("before"));
        Path otherHash = tamper(bundle, "token", files -> {
            files.put(EvidenceBundle.TOKEN, otherToken);
            return resum(files);
        });
        assertCaught(otherHash, Finding.Check.TIMESTAMP, "the token is for SHA-256 " + Hashes.sha256(files(evidence, "before")));
    }

    @Test
    void aBpfBundleCarriesTheExportInsteadOfTheCaptures()
            throws Exception
    {
        Path bundle = work.resolve("filtered.tar");
        EvidenceBundle.Result result = new EvidenceBundle(evidence).write("incident", bundle, Optional.of("tcp port 8080"), line -> {});
        assertThat(result.filtered()).isTrue();
        Map<String, byte[]> files = read(bundle);
        assertThat(files).containsKey(EvidenceBundle.EXPORT);
        assertThat(files.keySet()).noneMatch(name -> name.startsWith(EvidenceBundle.OBJECTS + "raw/"));
        assertThat(files.keySet()).anyMatch(name -> name.startsWith(EvidenceBundle.OBJECTS + "meta/"));
        Run readme = runReadme(bundle);
        assertThat(readme.allPassed()).as(readme.output()).isTrue();
        assertThat(BundleVerifier.verify(bundle, new BundleVerifier.Options(Optional.of(caFile), List.of())).failures()).isEmpty();
        assertThat(new String(files.get(EvidenceBundle.CUSTODY), StandardCharsets.UTF_8)).contains("\"bpf\":\"tcp port 8080\"")
                .contains("\"exportSha256\":\"" + Hashes.sha256(files.get(EvidenceBundle.EXPORT)) + "\"");
        Path swapped = tamper(bundle, "swapped", entries -> {
            byte[] export = entries.get(EvidenceBundle.EXPORT).clone();
            export[export.length - 1] ^= 1;
            entries.put(EvidenceBundle.EXPORT, export);
            return resum(entries);
        });
        assertCaught(swapped, Finding.Check.OBJECTS, "export.pcap");
    }

    private static byte[] files(Evidence evidence, String id)
            throws Exception
    {
        return evidence.store().read(io.wirelake.store.Layout.manifest(id));
    }

    private static void assertCaught(Path bundle, Finding.Check check, String message)
            throws Exception
    {
        VerificationReport report = BundleVerifier.verify(bundle, new BundleVerifier.Options(Optional.of(caFile), List.of()));
        assertThat(report.ok()).as(bundle.getFileName() + " must fail").isFalse();
        assertThat(report.failures()).as(report.findings().toString()).anySatisfy(finding -> {
            assertThat(finding.check()).isEqualTo(check);
            assertThat(finding.message()).contains(message);
        });
        Run readme = runReadme(bundle);
        assertThat(readme.allPassed()).as("the README's commands on " + bundle.getFileName() + ":\n" + readme.output()).isFalse();
    }

    /** The bundle's files by name relative to its directory. */
    static Map<String, byte[]> read(Path bundle)
            throws Exception
    {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (InputStream input = Files.newInputStream(bundle)) {
            Tar.read(input, (name, size, content) -> files.put(name.substring(name.indexOf('/') + 1), content.readAllBytes()), 100_000);
        }
        return files;
    }

    private static Path tamper(Path bundle, String name, UnaryOperator<Map<String, byte[]>> change)
            throws Exception
    {
        Map<String, byte[]> files = change.apply(read(bundle));
        String directory;
        try (InputStream input = Files.newInputStream(bundle)) {
            String[] first = {null};
            Tar.read(input, (entry, size, content) -> {
                if (first[0] == null) {
                    first[0] = entry.substring(0, entry.indexOf('/') + 1);
                }
                content.transferTo(OutputStream.nullOutputStream());
            }, 100_000);
            directory = first[0];
        }
        Path tampered = work.resolve(name + ".tar");
        try (OutputStream output = Files.newOutputStream(tampered)) {
            Tar.Writer writer = new Tar.Writer(output, Instant.now());
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                writer.add(directory + file.getKey(), file.getValue());
            }
            writer.finish();
        }
        return tampered;
    }

    /** SHA256SUMS recomputed for the files as they now are, as a careful forger would. */
    private static Map<String, byte[]> resum(Map<String, byte[]> files)
    {
        ByteArrayOutputStream sums = new ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> file : files.entrySet()) {
            if (!file.getKey().equals(EvidenceBundle.SUMS) && !file.getKey().equals(EvidenceBundle.README)) {
                sums.writeBytes((Hashes.sha256(file.getValue()) + "  " + file.getKey() + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        files.put(EvidenceBundle.SUMS, sums.toByteArray());
        return files;
    }
}
