package io.wirelake.catalog.evidence;

import io.wirelake.store.Layout;
import io.wirelake.store.ObjectStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The Ed25519 key that seals manifests, with the JDK's own provider (RFC 8032 EdDSA, pure mode:
 * the signature is over the manifest's bytes themselves, which {@code openssl pkeyutl -verify
 * -rawin} checks). The private key is a PKCS#8 PEM file created on first use with mode 0600 (its
 * directory 0700); the public key is published in the store as {@code keys/<fingerprint>.pub}
 * (X.509 SubjectPublicKeyInfo PEM), where rotation leaves the old ones so old seals still verify.
 * The fingerprint is the SHA-256 of the public key's DER encoding, in hex.
 */
public final class SealKey
{
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private final PrivateKey privateKey;
    private final PublicKey publicKey;

    private SealKey(PrivateKey privateKey, PublicKey publicKey)
    {
        this.privateKey = requireNonNull(privateKey, "privateKey is null");
        this.publicKey = requireNonNull(publicKey, "publicKey is null");
    }

    /** The key in {@code file}, created there first if there is none. */
    public static SealKey loadOrCreate(Path file)
            throws IOException
    {
        if (!Files.exists(file)) {
            try {
                return create(file);
            }
            catch (FileAlreadyExistsException e) {
                // another process created it meanwhile: use that one
            }
        }
        return load(file);
    }

    public static SealKey load(Path file)
            throws IOException
    {
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!OWNER_ONLY.containsAll(permissions)) {
                throw new IOException("the seal key " + file + " is readable by others (" + PosixFilePermissions.toString(permissions)
                        + "); chmod 600 it, and rotate it if others may have read it");
            }
        }
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII);
            byte[] der = pem(text, "PRIVATE KEY", file.toString());
            KeyFactory factory = KeyFactory.getInstance("Ed25519");
            PrivateKey privateKey = factory.generatePrivate(new PKCS8EncodedKeySpec(der));
            // The file keeps the public key beside the private one; a key made elsewhere (openssl genpkey) has it derived.
            PublicKey publicKey = text.contains("-----BEGIN PUBLIC KEY-----")
                    ? factory.generatePublic(new X509EncodedKeySpec(pem(text, "PUBLIC KEY", file.toString())))
                    : derivePublic(privateKey, der);
            return new SealKey(privateKey, publicKey);
        }
        catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("the seal key " + file + " is not an Ed25519 PKCS#8 PEM key: " + e.getMessage(), e);
        }
    }

    /** Makes a new key in {@code file}, which must not exist: the file is born 0600, never wider. */
    public static SealKey create(Path file)
            throws IOException
    {
        KeyPair pair;
        try {
            pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
        Path directory = file.toAbsolutePath().getParent();
        boolean posix = Files.getFileStore(Files.createDirectories(directory)).supportsFileAttributeView("posix");
        if (posix) {
            Files.setPosixFilePermissions(directory, OWNER_DIRECTORY);
        }
        String text = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pair.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n" + publicKeyPem(pair.getPublic());
        Path written = posix ? Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY)) : Files.createFile(file);
        Files.writeString(written, text, StandardCharsets.US_ASCII);
        return new SealKey(pair.getPrivate(), pair.getPublic());
    }

    /**
     * Replaces the key in {@code file} with a new one. The old private key is deleted (a rotated
     * key is usually one that may have leaked); its public key stays in the store.
     */
    public static SealKey rotate(Path file)
            throws IOException
    {
        Path replaced = file.resolveSibling(file.getFileName() + ".rotating");
        Files.deleteIfExists(replaced);
        if (Files.exists(file)) {
            Files.move(file, replaced);
        }
        SealKey key = create(file);
        Files.deleteIfExists(replaced);
        return key;
    }

    public PublicKey publicKey()
    {
        return publicKey;
    }

    public String fingerprint()
    {
        return fingerprint(publicKey);
    }

    public byte[] sign(byte[] content)
    {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(privateKey);
            signature.update(content);
            return signature.sign();
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Puts the public key into the store's {@code keys/} unless it is there already. */
    public void publish(ObjectStore store)
            throws IOException
    {
        String key = Layout.publicKey(fingerprint());
        if (store.stat(key).isEmpty()) {
            store.put(key, publicKeyPem(publicKey).getBytes(StandardCharsets.US_ASCII));
        }
    }

    public static String fingerprint(PublicKey key)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean verify(PublicKey key, byte[] content, byte[] signatureBytes)
    {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(key);
            signature.update(content);
            return signature.verify(signatureBytes);
        }
        catch (GeneralSecurityException e) {
            return false;
        }
    }

    public static String publicKeyPem(PublicKey key)
    {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    /** An Ed25519 public key from its PEM; a clear error for anything else. */
    public static PublicKey parsePublicKey(byte[] pemBytes, String where)
            throws IOException
    {
        try {
            byte[] der = pem(new String(pemBytes, StandardCharsets.US_ASCII), "PUBLIC KEY", where);
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        }
        catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(where + " is not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    private static byte[] pem(String text, String label, String where)
            throws IOException
    {
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new IOException(where + " has no " + begin + " block");
        }
        return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
    }

    /**
     * The public half of a PKCS#8 Ed25519 key. The JDK cannot derive it through a public API, so
     * the seed (the last 32 bytes of the PKCS#8 encoding, RFC 8410) seeds a deterministic key
     * pair generation, which yields the same key pair (RFC 8032 section 5.1.5).
     */
    private static PublicKey derivePublic(PrivateKey privateKey, byte[] der)
            throws GeneralSecurityException
    {
        byte[] seed = java.util.Arrays.copyOfRange(der, der.length - 32, der.length);
        KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
        generator.initialize(new java.security.spec.NamedParameterSpec("Ed25519"), new FixedRandom(seed));
        KeyPair pair = generator.generateKeyPair();
        if (!java.util.Arrays.equals(pair.getPrivate().getEncoded(), privateKey.getEncoded())) {
            throw new GeneralSecurityException("cannot derive the public key");
        }
        return pair.getPublic();
    }

    /** A SecureRandom that returns the given seed, so the JDK's generator reproduces a key pair from it. */
    private static final class FixedRandom
            extends java.security.SecureRandom
    {
        private final byte[] seed;

        FixedRandom(byte[] seed)
        {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes)
        {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        }
    }
}
