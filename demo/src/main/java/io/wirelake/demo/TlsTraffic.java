package io.wirelake.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

import static java.util.Objects.requireNonNull;

/**
 * The records of TLS connections as a capture sees them: the cleartext handshake (RFC 8446
 * section 4 for TLS 1.3, RFC 5246 section 7.4 for TLS 1.2) and, after it, encrypted records of
 * the right sizes with random contents. The ClientHello offers TLS 1.3 and 1.2 as a current
 * client does; the server's choice is one of the {@link Profile}s.
 */
final class TlsTraffic
{
    /** What a server negotiates: the version and the cipher suite, and how that shapes its records. */
    enum Profile
    {
        /** TLS 1.3 with AES-128-GCM: everything after the ServerHello is encrypted. */
        TLS13_AES_128_GCM("TLSv1.3", 0x1301, "TLS_AES_128_GCM_SHA256"),
        /** TLS 1.2, ECDHE key exchange signed with RSA, AES-128-GCM: forward secret, authenticated encryption. */
        TLS12_ECDHE_RSA_AES_128_GCM("TLSv1.2", 0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
        /** TLS 1.2 with RSA key transport and AES-128-CBC with HMAC-SHA1: no forward secrecy, CBC; what a legacy server picks. */
        TLS12_RSA_AES_128_CBC_SHA("TLSv1.2", 0x002F, "TLS_RSA_WITH_AES_128_CBC_SHA");

        private final String version;
        private final int suite;
        private final String cipher;

        Profile(String version, int suite, String cipher)
        {
            this.version = version;
            this.suite = suite;
            this.cipher = cipher;
        }

        /** The version as the engine and tshark name it (TLSv1.3, TLSv1.2). */
        String version()
        {
            return version;
        }

        /** The cipher suite's IANA name. */
        String cipher()
        {
            return cipher;
        }

        boolean tls13()
        {
            return this == TLS13_AES_128_GCM;
        }
    }

    private static final int HANDSHAKE = 22;
    private static final int CHANGE_CIPHER_SPEC = 20;
    private static final int ALERT = 21;
    private static final int APPLICATION_DATA = 23;
    private static final int TLS12 = 0x0303;
    private static final int MAX_FRAGMENT = 16_384;
    private static final int X25519 = 0x001D;

    /** The suites a current client offers, strongest first, with a few legacy ones at the end as OpenSSL still does. */
    private static final int[] CLIENT_SUITES = {0x1302, 0x1303, 0x1301, 0xC02C, 0xC030, 0xCCA9, 0xCCA8, 0xC02B, 0xC02F, 0xC024, 0xC028, 0xC023, 0xC027,
            0xC00A, 0xC014, 0xC009, 0xC013, 0x009D, 0x009C, 0x003D, 0x003C, 0x0035, 0x002F, 0x00FF};
    private static final int[] GROUPS = {X25519, 0x0017, 0x0018};
    private static final int[] SIGNATURE_ALGORITHMS = {0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601};

    private TlsTraffic() {}

    /** The client's first flight: a ClientHello offering TLS 1.3 and 1.2, with the server name and ALPN protocols. */
    static byte[] clientHello(Random random, String serverName, List<String> alpn, byte[] sessionId)
    {
        Buffer body = new Buffer();
        body.u16(TLS12);
        body.bytes(randomBytes(random, 32));
        body.u8(sessionId.length);
        body.bytes(sessionId);
        body.u16(CLIENT_SUITES.length * 2);
        for (int suite : CLIENT_SUITES) {
            body.u16(suite);
        }
        body.u8(1);
        body.u8(0);
        Buffer extensions = new Buffer();
        if (!serverName.isEmpty()) {
            byte[] name = serverName.getBytes(StandardCharsets.US_ASCII);
            Buffer list = new Buffer();
            list.u16(name.length + 3);
            list.u8(0);
            list.u16(name.length);
            list.bytes(name);
            extension(extensions, 0, list.toByteArray());
        }
        extension(extensions, 11, new byte[] {1, 0});
        Buffer groups = new Buffer();
        groups.u16(GROUPS.length * 2);
        for (int group : GROUPS) {
            groups.u16(group);
        }
        extension(extensions, 10, groups.toByteArray());
        extension(extensions, 35, new byte[0]);
        if (!alpn.isEmpty()) {
            Buffer protocols = new Buffer();
            for (String protocol : alpn) {
                byte[] name = protocol.getBytes(StandardCharsets.US_ASCII);
                protocols.u8(name.length);
                protocols.bytes(name);
            }
            Buffer list = new Buffer();
            list.u16(protocols.size());
            list.bytes(protocols.toByteArray());
            extension(extensions, 16, list.toByteArray());
        }
        extension(extensions, 22, new byte[0]);
        extension(extensions, 23, new byte[0]);
        Buffer signatures = new Buffer();
        signatures.u16(SIGNATURE_ALGORITHMS.length * 2);
        for (int algorithm : SIGNATURE_ALGORITHMS) {
            signatures.u16(algorithm);
        }
        extension(extensions, 13, signatures.toByteArray());
        extension(extensions, 43, new byte[] {4, 0x03, 0x04, 0x03, 0x03});
        extension(extensions, 45, new byte[] {1, 1});
        Buffer keyShare = new Buffer();
        keyShare.u16(2 + 2 + 32);
        keyShare.u16(X25519);
        keyShare.u16(32);
        keyShare.bytes(randomBytes(random, 32));
        extension(extensions, 51, keyShare.toByteArray());
        body.u16(extensions.size());
        body.bytes(extensions.toByteArray());
        // Clients write 0x0301 in the ClientHello's record header for the sake of old servers (RFC 8446 section 5.1).
        return record(HANDSHAKE, 0x0301, handshake(1, body.toByteArray()));
    }

    /**
     * The server's first flight. TLS 1.3: ServerHello, the compatibility ChangeCipherSpec and
     * the encrypted rest (EncryptedExtensions, Certificate, CertificateVerify, Finished) of about
     * the size they would have. TLS 1.2: ServerHello, Certificate, ServerKeyExchange when the
     * key exchange is ECDHE, and ServerHelloDone, all in clear.
     */
    static byte[] serverFlight(Random random, Profile profile, byte[] clientSessionId, byte[] certificate)
    {
        Buffer hello = new Buffer();
        hello.u16(TLS12);
        hello.bytes(randomBytes(random, 32));
        byte[] sessionId = profile.tls13() ? clientSessionId : randomBytes(random, 32);
        hello.u8(sessionId.length);
        hello.bytes(sessionId);
        hello.u16(profile.suite);
        hello.u8(0);
        Buffer extensions = new Buffer();
        switch (profile) {
            case TLS13_AES_128_GCM -> {
                extension(extensions, 43, new byte[] {0x03, 0x04});
                Buffer keyShare = new Buffer();
                keyShare.u16(X25519);
                keyShare.u16(32);
                keyShare.bytes(randomBytes(random, 32));
                extension(extensions, 51, keyShare.toByteArray());
            }
            case TLS12_ECDHE_RSA_AES_128_GCM -> {
                extension(extensions, 0xFF01, new byte[] {0});
                extension(extensions, 11, new byte[] {1, 0});
                extension(extensions, 23, new byte[0]);
            }
            case TLS12_RSA_AES_128_CBC_SHA -> extension(extensions, 0xFF01, new byte[] {0});
        }
        hello.u16(extensions.size());
        hello.bytes(extensions.toByteArray());
        Buffer flight = new Buffer();
        flight.bytes(record(HANDSHAKE, TLS12, handshake(2, hello.toByteArray())));
        if (profile.tls13()) {
            flight.bytes(record(CHANGE_CIPHER_SPEC, TLS12, new byte[] {1}));
            // EncryptedExtensions, the certificate chain, CertificateVerify and Finished, sealed.
            flight.bytes(encrypted(random, profile, APPLICATION_DATA, certificate.length + 2 * 900 + 300 + 36 + 20));
            return flight.toByteArray();
        }
        Buffer chain = new Buffer();
        chain.u24(certificate.length + 3);
        chain.u24(certificate.length);
        chain.bytes(certificate);
        flight.bytes(record(HANDSHAKE, TLS12, handshake(11, chain.toByteArray())));
        if (profile == Profile.TLS12_ECDHE_RSA_AES_128_GCM) {
            Buffer exchange = new Buffer();
            exchange.u8(3);
            exchange.u16(X25519);
            exchange.u8(32);
            exchange.bytes(randomBytes(random, 32));
            exchange.u16(0x0804);
            exchange.u16(256);
            exchange.bytes(randomBytes(random, 256));
            flight.bytes(record(HANDSHAKE, TLS12, handshake(12, exchange.toByteArray())));
        }
        flight.bytes(record(HANDSHAKE, TLS12, handshake(14, new byte[0])));
        return flight.toByteArray();
    }

    /**
     * The client's second flight. TLS 1.3: ChangeCipherSpec and the encrypted Finished. TLS 1.2:
     * ClientKeyExchange (an X25519 share, or the RSA-encrypted premaster secret), ChangeCipherSpec
     * and the encrypted Finished.
     */
    static byte[] clientFinished(Random random, Profile profile)
    {
        Buffer flight = new Buffer();
        switch (profile) {
            case TLS13_AES_128_GCM -> {
                flight.bytes(record(CHANGE_CIPHER_SPEC, TLS12, new byte[] {1}));
                flight.bytes(encrypted(random, profile, APPLICATION_DATA, 4 + 32));
                return flight.toByteArray();
            }
            case TLS12_ECDHE_RSA_AES_128_GCM -> {
                Buffer exchange = new Buffer();
                exchange.u8(32);
                exchange.bytes(randomBytes(random, 32));
                flight.bytes(record(HANDSHAKE, TLS12, handshake(16, exchange.toByteArray())));
            }
            case TLS12_RSA_AES_128_CBC_SHA -> {
                Buffer exchange = new Buffer();
                exchange.u16(256);
                exchange.bytes(randomBytes(random, 256));
                flight.bytes(record(HANDSHAKE, TLS12, handshake(16, exchange.toByteArray())));
            }
        }
        flight.bytes(record(CHANGE_CIPHER_SPEC, TLS12, new byte[] {1}));
        flight.bytes(encrypted(random, profile, HANDSHAKE, 4 + 12));
        return flight.toByteArray();
    }

    /** The server's answer to the client's Finished in TLS 1.2 (ChangeCipherSpec and its own Finished); nothing in TLS 1.3. */
    static byte[] serverFinished(Random random, Profile profile)
    {
        if (profile.tls13()) {
            return new byte[0];
        }
        Buffer flight = new Buffer();
        flight.bytes(record(CHANGE_CIPHER_SPEC, TLS12, new byte[] {1}));
        flight.bytes(encrypted(random, profile, HANDSHAKE, 4 + 12));
        return flight.toByteArray();
    }

    /** {@code plaintextLength} bytes of application data, sealed into records of at most 16 KiB of plaintext each. */
    static byte[] applicationData(Random random, Profile profile, int plaintextLength)
    {
        Buffer records = new Buffer();
        int remaining = plaintextLength;
        do {
            int fragment = Math.min(remaining, MAX_FRAGMENT);
            records.bytes(encrypted(random, profile, APPLICATION_DATA, fragment));
            remaining -= fragment;
        }
        while (remaining > 0);
        return records.toByteArray();
    }

    /** The close_notify alert, sealed (TLS 1.3 hides its type inside an application data record). */
    static byte[] closeNotify(Random random, Profile profile)
    {
        return encrypted(random, profile, profile.tls13() ? APPLICATION_DATA : ALERT, 2);
    }

    /** The certificate a server of the scenario presents, from the demo's resources. */
    static byte[] certificate(String serverName)
    {
        String resource = "certificates/" + serverName + ".der";
        try (InputStream input = TlsTraffic.class.getResourceAsStream(resource)) {
            if (input == null) {
                throw new IllegalStateException("no certificate resource " + resource);
            }
            return input.readAllBytes();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] randomBytes(Random random, int length)
    {
        byte[] bytes = new byte[length];
        random.nextBytes(bytes);
        return bytes;
    }

    /**
     * A record of {@code contentType} holding {@code plaintextLength} bytes once sealed: the
     * sizes each suite adds (RFC 8446 section 5.2; RFC 5288 for GCM with its 8-byte explicit
     * nonce; RFC 5246 section 6.2.3.2 for CBC with an explicit IV, HMAC-SHA1 and padding).
     */
    private static byte[] encrypted(Random random, Profile profile, int contentType, int plaintextLength)
    {
        int length = switch (profile) {
            case TLS13_AES_128_GCM -> plaintextLength + 1 + 16;
            case TLS12_ECDHE_RSA_AES_128_GCM -> 8 + plaintextLength + 16;
            case TLS12_RSA_AES_128_CBC_SHA -> 16 + ((plaintextLength + 20) / 16 + 1) * 16;
        };
        return record(contentType, TLS12, randomBytes(random, length));
    }

    private static byte[] handshake(int type, byte[] body)
    {
        Buffer message = new Buffer();
        message.u8(type);
        message.u24(body.length);
        message.bytes(body);
        return message.toByteArray();
    }

    private static byte[] record(int contentType, int version, byte[] fragment)
    {
        requireNonNull(fragment, "fragment is null");
        Buffer record = new Buffer();
        record.u8(contentType);
        record.u16(version);
        record.u16(fragment.length);
        record.bytes(fragment);
        return record.toByteArray();
    }

    private static void extension(Buffer extensions, int type, byte[] body)
    {
        extensions.u16(type);
        extensions.u16(body.length);
        extensions.bytes(body);
    }

    /** Big-endian writes. */
    private static final class Buffer
    {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        void u8(int value)
        {
            out.write(value);
        }

        void u16(int value)
        {
            out.write(value >>> 8);
            out.write(value);
        }

        void u24(int value)
        {
            out.write(value >>> 16);
            out.write(value >>> 8);
            out.write(value);
        }

        void bytes(byte[] bytes)
        {
            out.writeBytes(bytes);
        }

        int size()
        {
            return out.size();
        }

        byte[] toByteArray()
        {
            return out.toByteArray();
        }
    }
}
