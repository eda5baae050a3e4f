package io.wirelake.query.report;

/**
 * A cipher suite's strength by its IANA name, for comparing handshakes: 3 an AEAD suite (GCM,
 * CCM, ChaCha20-Poly1305), 2 CBC with SHA-256/384, 1 CBC with SHA-1 (or a suite known only by its
 * number), 0 broken or export-grade (NULL, EXPORT, anonymous, RC4, DES, 3DES, MD5).
 */
final class TlsStrength
{
    private TlsStrength() {}

    static String sql(String cipher)
    {
        return "(CASE WHEN regexp_like(" + cipher + ", '(NULL|EXPORT|_anon_|RC4|_DES_|3DES|DES_CBC|_MD5)') THEN 0"
                + " WHEN regexp_like(" + cipher + ", '(GCM|CCM|CHACHA20)') THEN 3"
                + " WHEN regexp_like(" + cipher + ", '_SHA(256|384)$') THEN 2 ELSE 1 END)";
    }
}
