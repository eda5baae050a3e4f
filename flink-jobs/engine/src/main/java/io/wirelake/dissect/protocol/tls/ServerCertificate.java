package io.wirelake.dissect.protocol.tls;

import io.wirelake.dissect.protocol.toolkit.BoundedReader;

import javax.security.auth.x500.X500Principal;

import java.io.ByteArrayInputStream;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.DSAPublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The server's own certificate (the first of its chain) from a TLS 1.2-or-older Certificate
 * message (RFC 5246 section 7.4.2), which travels in clear: what a report of certificates needs.
 * TLS 1.3 encrypts it (RFC 8446 section 4.4.2), so there is none to read.
 *
 * @param subject the subject's distinguished name (RFC 4514)
 * @param issuer the issuer's distinguished name (RFC 4514)
 * @param alternativeNames subjectAltName entries that are names or addresses: DNS names, IP addresses, URIs (SPIFFE IDs), e-mail addresses
 * @param notBeforeMicros start of validity, UTC microseconds
 * @param notAfterMicros end of validity, UTC microseconds
 * @param keyType the public key: {@code RSA 2048}, {@code EC secp256r1}, {@code Ed25519}, ...
 */
record ServerCertificate(String subject, String issuer, List<String> alternativeNames, long notBeforeMicros, long notAfterMicros, String keyType)
{
    ServerCertificate
    {
        requireNonNull(subject, "subject is null");
        requireNonNull(issuer, "issuer is null");
        alternativeNames = List.copyOf(requireNonNull(alternativeNames, "alternativeNames is null"));
        requireNonNull(keyType, "keyType is null");
    }

    /** Thrown for a Certificate message or certificate that cannot be read. */
    static final class BadCertificate
            extends Exception
    {
        BadCertificate(String message, Throwable cause)
        {
            super(message, cause);
        }
    }

    /** The first certificate of a Certificate message's body (after its 4-byte header); null when the list is empty. */
    static ServerCertificate parse(byte[] data, int offset, int length)
            throws BadCertificate
    {
        BoundedReader message = new BoundedReader(data, offset, length);
        BoundedReader list = message.slice(message.u24());
        if (message.ranOut()) {
            throw new BadCertificate("certificate list runs past the message", null);
        }
        if (list.remaining() == 0) {
            return null;
        }
        byte[] der = list.bytes(list.u24());
        if (list.ranOut()) {
            throw new BadCertificate("certificate runs past the list", null);
        }
        X509Certificate certificate;
        try {
            certificate = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
            List<String> names = new ArrayList<>();
            Collection<List<?>> alternatives = certificate.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (alternative.size() == 2 && alternative.get(1) instanceof String name) {
                        names.add(name);
                    }
                }
            }
            return new ServerCertificate(certificate.getSubjectX500Principal().getName(X500Principal.RFC2253),
                    certificate.getIssuerX500Principal().getName(X500Principal.RFC2253), names,
                    certificate.getNotBefore().getTime() * 1000, certificate.getNotAfter().getTime() * 1000, keyType(certificate.getPublicKey()));
        }
        // hostile input: the JDK's parser may throw more than CertificateException
        catch (Exception e) {
            throw new BadCertificate("certificate cannot be parsed: " + e.getMessage(), e);
        }
    }

    private static String keyType(PublicKey key)
    {
        if (key instanceof RSAPublicKey rsa) {
            return "RSA " + rsa.getModulus().bitLength();
        }
        if (key instanceof ECPublicKey) {
            return "EC " + namedCurve(key.getEncoded());
        }
        if (key instanceof DSAPublicKey dsa) {
            return "DSA " + dsa.getParams().getP().bitLength();
        }
        // Ed25519, Ed448, X25519, ...: the algorithm's name says it all
        return key.getAlgorithm();
    }

    /**
     * The named curve of an EC key (RFC 5480: SubjectPublicKeyInfo's AlgorithmIdentifier
     * parameters are the curve's OID), by its SEC 2 name, else the dotted OID.
     */
    static String namedCurve(byte[] subjectPublicKeyInfo)
    {
        Der info = new Der(subjectPublicKeyInfo, 0, subjectPublicKeyInfo.length).inside(0x30);
        Der algorithm = info == null ? null : info.inside(0x30);
        if (algorithm == null || algorithm.skip(0x06) == null) {
            return "unknown";
        }
        String oid = algorithm.oid();
        return switch (oid == null ? "" : oid) {
            case "1.2.840.10045.3.1.7" -> "secp256r1";
            case "1.3.132.0.34" -> "secp384r1";
            case "1.3.132.0.35" -> "secp521r1";
            case "1.3.132.0.10" -> "secp256k1";
            case "1.3.36.3.3.2.8.1.1.7" -> "brainpoolP256r1";
            case "1.3.36.3.3.2.8.1.1.11" -> "brainpoolP384r1";
            case "1.3.36.3.3.2.8.1.1.13" -> "brainpoolP512r1";
            case "" -> "unknown";
            default -> oid;
        };
    }

    /** Just enough DER (X.690) to walk a SubjectPublicKeyInfo: definite lengths, bounded by the enclosing element. */
    private static final class Der
    {
        private final byte[] data;
        private int at;
        private final int end;

        Der(byte[] data, int at, int end)
        {
            this.data = data;
            this.at = at;
            this.end = end;
        }

        /** The contents of the next element if it has {@code tag} (this reader moves past it); null otherwise. */
        Der inside(int tag)
        {
            if (at + 2 > end || (data[at] & 0xFF) != tag) {
                return null;
            }
            int length = data[at + 1] & 0xFF;
            int start = at + 2;
            if (length > 0x7F) {
                int octets = length & 0x7F;
                if (octets > 3 || start + octets > end) {
                    return null;
                }
                length = 0;
                for (int index = 0; index < octets; index++) {
                    length = (length << 8) | (data[start + index] & 0xFF);
                }
                start += octets;
            }
            if (start + length > end) {
                return null;
            }
            at = start + length;
            return new Der(data, start, start + length);
        }

        /** Skips the next element, which must have {@code tag}; null when it does not. */
        Der skip(int tag)
        {
            return inside(tag) == null ? null : this;
        }

        /** The next element as a dotted OID, when it is one. */
        String oid()
        {
            Der value = inside(0x06);
            if (value == null || value.at == value.end) {
                return null;
            }
            StringBuilder dotted = new StringBuilder();
            long component = 0;
            boolean first = true;
            for (int index = value.at; index < value.end; index++) {
                component = (component << 7) | (data[index] & 0x7F);
                if (component > Integer.MAX_VALUE) {
                    return null;
                }
                if ((data[index] & 0x80) == 0) {
                    if (first) {
                        long top = Math.min(2, component / 40);
                        dotted.append(top).append('.').append(component - top * 40);
                        first = false;
                    }
                    else {
                        dotted.append('.').append(component);
                    }
                    component = 0;
                }
            }
            return dotted.toString();
        }
    }
}
