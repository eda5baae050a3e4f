package io.wirelake.catalog.evidence;

import io.wirelake.catalog.snapshot.Manifest;
import io.wirelake.catalog.snapshot.Snapshots;

import java.util.Optional;

/**
 * The README of an evidence bundle: what it holds, and the commands that verify it with
 * {@code sha256sum} and {@code openssl} alone. Each command line starts with {@code $ } and exits
 * non-zero when its check fails; the tests run exactly these lines.
 */
final class BundleReadme
{
    /** The line that reproduces a sha256sum list from the signed manifest (its canonical form puts each object's fields in this order). */
    static final String MANIFEST_SUMS = "grep -o '\"key\":\"[^\"]*\",\"lastPacketMicros\":-\\?[0-9]*,\"packets\":[0-9]*,\"sha256\":\"[0-9a-f]\\{64\\}\"' manifest.json"
            + " | sed 's/^\"key\":\"\\([^\"]*\\)\".*\"sha256\":\"\\([0-9a-f]*\\)\"$/\\2  objects\\/\\1/' > manifest.sha256";

    private BundleReadme() {}

    static String text(String id, Manifest manifest, String manifestSha256, boolean filtered, Optional<String> bpf, boolean token, boolean tsaCa,
            boolean previous, boolean tables)
    {
        Manifest.Chain chain = manifest.chain();
        StringBuilder text = new StringBuilder();
        text.append("""
                Evidence bundle of wirelake snapshot %s
                =======================================

                Window:    %s .. %s
                Nodes:     %s
                Manifest:  SHA-256 %s
                Sealed:    %s, link #%d of its store's chain%s
                Key:       Ed25519, fingerprint %s
                           (SHA-256 of the public key's DER; compare it with the one the store's operator published)

                Files
                  manifest.json           what was frozen: every object with its size and SHA-256, the window,
                                          the nodes, how the captures were made (collector version, capture
                                          filter); canonical JSON (RFC 8785 style: sorted keys, no whitespace, UTF-8)
                  manifest.sig            Ed25519 signature (RFC 8032) over the bytes of manifest.json
                  signing-key.pub         the public key (X.509 SubjectPublicKeyInfo, PEM)
                """.formatted(id, Snapshots.format(manifest.fromMicros()), Snapshots.format(manifest.toMicros()), String.join(", ", manifest.nodes()),
                manifestSha256, chain.sealedAt(), chain.sequence(), chain.first() ? " (its first)" : ", after #" + chain.previousSequence() + " "
                        + chain.previousSnapshot(), chain.keyFingerprint()));
        if (token) {
            text.append("  manifest.tsr            RFC 3161 timestamp response over the SHA-256 of manifest.json\n");
        }
        if (tsaCa) {
            text.append("  tsa-ca.pem              the CA the timestamp authority's certificate chains to (as configured\n"
                    + "                          where the bundle was made: check it is the one your TSA publishes)\n");
        }
        text.append("  custody.jsonl           chain of custody: one JSON line per event, each with the SHA-256 of the\n"
                + "                          line before it (the first: of manifest.json)\n");
        if (previous) {
            text.append("  previous-manifest.json  the store's previous sealed manifest, whose SHA-256 manifest.json links\n");
        }
        text.append(filtered
                ? "  objects/meta/...        the frozen Kubernetes metadata, byte for byte\n"
                + "  export.pcap             the captures filtered with BPF '" + bpf.orElseThrow() + "' (derived: its SHA-256 is in the\n"
                + "                          custody log's 'evidence bundled' entry, not in the manifest)\n"
                : "  objects/raw/...         the frozen captures, byte for byte\n"
                + "  objects/meta/...        the frozen Kubernetes metadata, byte for byte\n");
        if (tables) {
            text.append("  tables/...              the dissected tables (Parquet), derived from the captures\n");
        }
        text.append("""
                  SHA256SUMS              the SHA-256 of every file above

                Verify it (in this directory; each command fails loudly if its check fails)

                1. Every file is intact:
                $ sha256sum -c --quiet SHA256SUMS && echo "files: OK"

                2. The public key is the one the manifest names, and it signed manifest.json:
                $ test "$(openssl pkey -pubin -in signing-key.pub -outform DER | sha256sum | cut -d' ' -f1)" = "%s" && grep -q '"keyFingerprint":"%s"' manifest.json && echo "key: OK"
                $ openssl pkeyutl -verify -pubin -inkey signing-key.pub -rawin -in manifest.json -sigfile manifest.sig

                3. The objects are the ones the signed manifest lists:
                $ %s
                $ sha256sum -c --quiet %smanifest.sha256 && echo "objects: OK"
                """.formatted(chain.keyFingerprint(), chain.keyFingerprint(), MANIFEST_SUMS, filtered ? "--ignore-missing " : ""));
        if (filtered) {
            text.append("$ grep -q \"\\\"exportSha256\\\":\\\"$(sha256sum export.pcap | cut -d' ' -f1)\\\"\" custody.jsonl"
                    + " && echo \"export: OK (the one the custody log records)\"\n");
        }
        int step = 4;
        if (token) {
            text.append("""

                    %d. The manifest existed at the time the TSA signed (RFC 3161):
                    $ openssl ts -verify -data manifest.json -in manifest.tsr -CAfile tsa-ca.pem
                    $ openssl ts -reply -in manifest.tsr -text | grep 'Time stamp:'
                    """.formatted(step++));
        }
        if (previous) {
            text.append("""

                    %d. The chain link to the previous sealed manifest holds:
                    $ grep -q "\\"previousSha256\\":\\"$(sha256sum previous-manifest.json | cut -d' ' -f1)\\"" manifest.json && echo "chain link: OK"
                    """.formatted(step++));
        }
        text.append("""

                %d. The custody log is unbroken, its first line hanging off the manifest:
                $ prev=$(sha256sum manifest.json | cut -d' ' -f1); n=0; while IFS= read -r line; do n=$((n+1)); case "$line" in *"\\"previousSha256\\":\\"$prev\\""*) ;; *) echo "custody line $n is not linked to the one before"; exit 1;; esac; prev=$(printf '%%s' "$line" | sha256sum | cut -d' ' -f1); done < custody.jsonl; echo "custody: $n lines linked"

                With wirelake, all of it at once: wirelake verify-evidence BUNDLE.tar
                """.formatted(step));
        if (!token) {
            text.append("\nNo timestamp token: no TSA was configured when the snapshot was sealed. Its time rests on the seal and the custody log.\n");
        }
        text.append("""

                Captures hold personal data (addresses, names, message contents). Keep this bundle only as long as
                the purpose it was made for needs, and only where that purpose allows.
                """);
        return text.toString();
    }
}
