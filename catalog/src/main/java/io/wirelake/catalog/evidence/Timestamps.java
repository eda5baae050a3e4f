package io.wirelake.catalog.evidence;

import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.SignerInformationVerifier;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.tsp.TSPException;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampRequestGenerator;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampToken;
import org.bouncycastle.util.Store;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * RFC 3161 timestamps over a manifest's SHA-256, through Bouncy Castle's bcpkix: the request
 * (SHA-256 imprint, a nonce, and the TSA's certificate asked for so the token carries it), the
 * HTTP exchange ({@code application/timestamp-query} → {@code application/timestamp-reply}), the
 * response checked against the request, and later the token verified on its own.
 */
public final class Timestamps
{
    /** A TSA's reply larger than this is refused. */
    private static final int MAX_RESPONSE_BYTES = 1 << 20;

    private Timestamps() {}

    /** Asks the TSA at {@code url} for a token over {@code sha256}; returns the DER TimeStampResp as received. */
    public static byte[] request(URI url, byte[] sha256)
            throws IOException
    {
        TimeStampRequestGenerator generator = new TimeStampRequestGenerator();
        generator.setCertReq(true);
        BigInteger nonce = new BigInteger(64, new SecureRandom());
        TimeStampRequest request = generator.generate(NISTObjectIdentifiers.id_sha256, sha256, nonce);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/timestamp-query")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(request.getEncoded())).build(), HttpResponse.BodyHandlers.ofInputStream());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking the TSA " + url);
        }
        byte[] body;
        try (InputStream input = response.body()) {
            body = input.readNBytes(MAX_RESPONSE_BYTES + 1);
        }
        if (response.statusCode() != 200) {
            throw new IOException("the TSA " + url + " answered HTTP " + response.statusCode());
        }
        if (body.length > MAX_RESPONSE_BYTES) {
            throw new IOException("the TSA " + url + " answered more than " + MAX_RESPONSE_BYTES + " bytes");
        }
        try {
            TimeStampResponse parsed = new TimeStampResponse(body);
            // Status granted, nonce and imprint as asked, and a token that says so.
            parsed.validate(request);
            if (parsed.getTimeStampToken() == null) {
                throw new IOException("the TSA " + url + " refused: " + parsed.getStatusString());
            }
            return body;
        }
        catch (TSPException | IOException | RuntimeException e) {
            throw new IOException("the TSA " + url + " gave no valid timestamp: " + e.getMessage(), e);
        }
    }

    /** What a token says, and what is wrong with it. */
    public record Check(Optional<Instant> time, String tsa, String imprintSha256, List<String> problems)
    {
        public boolean ok()
        {
            return problems.isEmpty();
        }
    }

    /**
     * Verifies a stored TimeStampResp: its token's imprint is SHA-256 of the manifest, the token's
     * signature verifies with the TSA certificate it carries, that certificate is a time-stamping
     * one (bcpkix checks its extended key usage), and, when trust anchors are given, it chains to one.
     */
    public static Check verify(byte[] responseBytes, byte[] manifestSha256, List<X509Certificate> trustAnchors)
    {
        List<String> problems = new ArrayList<>();
        TimeStampToken token;
        try {
            TimeStampResponse response = new TimeStampResponse(responseBytes);
            token = response.getTimeStampToken();
            if (token == null) {
                return new Check(Optional.empty(), "", "", List.of("timestamp: the response holds no token (" + response.getStatusString() + ")"));
            }
        }
        catch (TSPException | IOException | RuntimeException e) {
            return new Check(Optional.empty(), "", "", List.of("timestamp: not an RFC 3161 response (" + e.getMessage() + ")"));
        }
        var info = token.getTimeStampInfo();
        String imprint = HexFormat.of().formatHex(info.getMessageImprintDigest());
        Instant time = info.getGenTime().toInstant();
        if (!info.getMessageImprintAlgOID().equals(NISTObjectIdentifiers.id_sha256)) {
            problems.add("timestamp: the imprint is not SHA-256 (" + info.getMessageImprintAlgOID() + ")");
        }
        if (!java.util.Arrays.equals(info.getMessageImprintDigest(), manifestSha256)) {
            problems.add("timestamp: the token is for SHA-256 " + imprint + ", not for this manifest's " + HexFormat.of().formatHex(manifestSha256));
        }
        String tsa = info.getTsa() != null ? info.getTsa().toString() : "";
        Store<X509CertificateHolder> certificates = token.getCertificates();
        Collection<X509CertificateHolder> matches = signerCertificates(certificates, token);
        if (matches.isEmpty()) {
            problems.add("timestamp: the token carries no TSA certificate to check its signature with");
            return new Check(Optional.of(time), tsa, imprint, problems);
        }
        X509CertificateHolder holder = matches.iterator().next();
        try {
            X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
            tsa = tsa.isEmpty() ? certificate.getSubjectX500Principal().getName() : tsa;
            SignerInformationVerifier verifier = new JcaSimpleSignerInfoVerifierBuilder().build(certificate);
            token.validate(verifier);
            if (!trustAnchors.isEmpty()) {
                checkChain(certificate, certificates, trustAnchors, time);
            }
        }
        catch (TSPException e) {
            problems.add("timestamp: the token's signature does not verify (" + e.getMessage() + ")");
        }
        catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            problems.add("timestamp: the TSA certificate does not chain to a trusted one (" + e.getMessage() + ")");
        }
        return new Check(Optional.of(time), tsa, imprint, problems);
    }

    /** bcpkix's SignerId is a raw Selector, hence the unchecked call. */
    @SuppressWarnings("unchecked")
    private static Collection<X509CertificateHolder> signerCertificates(Store<X509CertificateHolder> certificates, TimeStampToken token)
    {
        return certificates.getMatches(token.getSID());
    }

    private static void checkChain(X509Certificate certificate, Store<X509CertificateHolder> carried, List<X509Certificate> trustAnchors, Instant at)
            throws GeneralSecurityException
    {
        CertificateFactory factory = CertificateFactory.getInstance("X.509");
        List<X509Certificate> path = new ArrayList<>();
        path.add(certificate);
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        for (X509CertificateHolder other : carried.getMatches((org.bouncycastle.util.Selector<X509CertificateHolder>) null)) {
            X509Certificate converted = converter.getCertificate(other);
            if (!converted.equals(certificate) && trustAnchors.stream().noneMatch(converted::equals)) {
                path.add(converted);
            }
        }
        Set<TrustAnchor> anchors = new HashSet<>();
        trustAnchors.forEach(anchor -> anchors.add(new TrustAnchor(anchor, null)));
        PKIXParameters parameters = new PKIXParameters(anchors);
        // Offline evidence: no CRL or OCSP to ask; validity is judged at the token's own time.
        parameters.setRevocationEnabled(false);
        parameters.setDate(java.util.Date.from(at));
        CertPathValidator.getInstance("PKIX").validate(factory.generateCertPath(path), parameters);
    }

    /** Every certificate of a PEM file. */
    public static List<X509Certificate> certificates(byte[] pem)
            throws IOException
    {
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))) {
                certificates.add((X509Certificate) certificate);
            }
            return certificates;
        }
        catch (GeneralSecurityException e) {
            throw new IOException("not PEM certificates: " + e.getMessage(), e);
        }
    }

    /** The token's time, for messages; empty when it cannot be read. */
    public static Optional<Instant> time(byte[] responseBytes)
    {
        try {
            TimeStampToken token = new TimeStampResponse(responseBytes).getTimeStampToken();
            return token == null ? Optional.empty() : Optional.of(token.getTimeStampInfo().getGenTime().toInstant());
        }
        catch (TSPException | IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
