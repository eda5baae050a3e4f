package io.wirelake.catalog;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * What makes the local Trino this install's own, made once under {@code <trino home>/secrets}
 * (a 0700 directory, 0600 files): the passwords of its two users, a self-signed certificate for
 * 127.0.0.1 and its private key, and the secret its internal calls share. Only the local user
 * who owns {@code $WIRELAKE_HOME} can read them. The certificate is the proof of ownership: a
 * client trusts it alone, so a process on the port that is not this Trino cannot complete the TLS
 * handshake, and never sees a password or a query.
 *
 * <p>Two users: {@code wirelake} runs queries (the {@code sql} and {@code query} commands, the MCP
 * server) in the {@code hive} catalog, which refuses external tables; {@code wirelake-admin}
 * creates the lake's tables and registers partitions through the {@code lake_admin} catalog, the
 * same metastore with external tables allowed, which no other user may use.
 */
final class LocalTrinoSecrets
{
    static final String USER = "wirelake";
    static final String ADMIN_USER = "wirelake-admin";
    static final String CREDENTIALS = "credentials.properties";
    private static final String KEYSTORE = "tls.p12";
    static final String CERTIFICATE = "tls.pem";
    private static final String PASSWORD_FILE = "password.db";
    private static final int PBKDF2_ITERATIONS = 65_536;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path directory;
    private final Properties credentials;

    private LocalTrinoSecrets(Path directory, Properties credentials)
    {
        this.directory = requireNonNull(directory, "directory is null");
        this.credentials = requireNonNull(credentials, "credentials is null");
    }

    /** The secrets of a home, if it has them (a client needs them; only a start makes them). */
    static java.util.Optional<LocalTrinoSecrets> load(Path directory)
            throws IOException
    {
        Path file = directory.resolve(CREDENTIALS);
        if (!Files.isRegularFile(file) || !Files.isRegularFile(directory.resolve(CERTIFICATE))) {
            return java.util.Optional.empty();
        }
        Properties credentials = new Properties();
        try (var reader = Files.newBufferedReader(file)) {
            credentials.load(reader);
        }
        return java.util.Optional.of(new LocalTrinoSecrets(directory, credentials));
    }

    /** The secrets of a home, made on first use with the JDK's keytool (of the JDK that runs Trino). */
    static LocalTrinoSecrets loadOrCreate(Path directory, Path javaHome)
            throws IOException, InterruptedException
    {
        java.util.Optional<LocalTrinoSecrets> existing = load(directory);
        if (existing.isPresent() && Files.isRegularFile(directory.resolve(KEYSTORE))) {
            return existing.get();
        }
        privateDirectory(directory);
        Properties credentials = new Properties();
        credentials.setProperty("user", USER);
        credentials.setProperty("password", random());
        credentials.setProperty("admin.user", ADMIN_USER);
        credentials.setProperty("admin.password", random());
        credentials.setProperty("keystore.password", random());
        credentials.setProperty("internal.shared-secret", random());
        Files.deleteIfExists(directory.resolve(KEYSTORE));
        Files.deleteIfExists(directory.resolve(CERTIFICATE));
        // The store password reaches keytool through its environment, never its command line (which other users see in ps).
        Map<String, String> environment = Map.of("WIRELAKE_KEYSTORE_PASSWORD", credentials.getProperty("keystore.password"));
        Path keytool = javaHome.resolve("bin/keytool");
        run(List.of(keytool.toString(), "-genkeypair", "-alias", "wirelake", "-keyalg", "EC", "-groupname", "secp256r1", "-sigalg", "SHA256withECDSA",
                "-validity", "3650", "-dname", "CN=wirelake local Trino", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", directory.resolve(KEYSTORE).toString(), "-storepass:env", "WIRELAKE_KEYSTORE_PASSWORD"), environment);
        Files.setPosixFilePermissions(directory.resolve(KEYSTORE), PosixFilePermissions.fromString("rw-------"));
        run(List.of(keytool.toString(), "-exportcert", "-rfc", "-alias", "wirelake", "-keystore", directory.resolve(KEYSTORE).toString(),
                "-storepass:env", "WIRELAKE_KEYSTORE_PASSWORD", "-file", directory.resolve(CERTIFICATE).toString()), environment);
        LocalTrinoSecrets secrets = new LocalTrinoSecrets(directory, credentials);
        writePrivate(directory.resolve(PASSWORD_FILE), secrets.passwordFile());
        // The credentials last: their presence says the secrets are whole.
        StringBuilder text = new StringBuilder("# the local Trino's credentials (wirelake made them; keep this file 0600)\n");
        for (String name : List.of("user", "password", "admin.user", "admin.password", "keystore.password", "internal.shared-secret")) {
            text.append(name).append('=').append(credentials.getProperty(name)).append('\n');
        }
        writePrivate(directory.resolve(CREDENTIALS), text.toString());
        return secrets;
    }

    String password()
    {
        return credentials.getProperty("password");
    }

    String adminPassword()
    {
        return credentials.getProperty("admin.password");
    }

    String keystorePassword()
    {
        return credentials.getProperty("keystore.password");
    }

    String sharedSecret()
    {
        return credentials.getProperty("internal.shared-secret");
    }

    Path keystore()
    {
        return directory.resolve(KEYSTORE);
    }

    /** The certificate alone (PEM): what clients trust, and all they trust. */
    Path certificate()
    {
        return directory.resolve(CERTIFICATE);
    }

    Path passwordFilePath()
    {
        return directory.resolve(PASSWORD_FILE);
    }

    /** A TLS context that trusts this certificate and nothing else. */
    SSLContext trustingOnlyThisCertificate()
            throws IOException
    {
        try (InputStream input = Files.newInputStream(certificate())) {
            Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(input);
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("wirelake", certificate);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, factory.getTrustManagers(), RANDOM);
            return context;
        }
        catch (GeneralSecurityException e) {
            throw new IOException("the local Trino's certificate " + certificate() + " is unusable: " + e.getMessage(), e);
        }
    }

    /**
     * Trino's password file: {@code user:iterations:salt:hash} with PBKDF2 (HMAC-SHA1, as Trino's
     * file authenticator checks it), hex encoded.
     */
    private String passwordFile()
    {
        return USER + ":" + pbkdf2(password()) + "\n" + ADMIN_USER + ":" + pbkdf2(adminPassword()) + "\n";
    }

    static String pbkdf2(String password)
    {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        try {
            byte[] hash = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA1")
                    .generateSecret(new PBEKeySpec(password.toCharArray(), salt, PBKDF2_ITERATIONS, 256)).getEncoded();
            return PBKDF2_ITERATIONS + ":" + HexFormat.of().formatHex(salt) + ":" + HexFormat.of().formatHex(hash);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has PBKDF2WithHmacSHA1", e);
        }
    }

    /** A directory only its owner can enter. */
    static void privateDirectory(Path directory)
            throws IOException
    {
        Files.createDirectories(directory);
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
    }

    /** A file only its owner can read, created so from the start (never readable for a moment). */
    static void writePrivate(Path file, String text)
            throws IOException
    {
        Path temporary = file.resolveSibling(file.getFileName() + ".partial");
        Files.deleteIfExists(temporary);
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, text, StandardCharsets.UTF_8);
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static String random()
    {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void run(List<String> command, Map<String, String> environment)
            throws IOException, InterruptedException
    {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("keytool failed making the local Trino's certificate: " + output.strip());
        }
    }
}
