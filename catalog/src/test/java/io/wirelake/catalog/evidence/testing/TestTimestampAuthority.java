package io.wirelake.catalog.evidence.testing;

import com.sun.net.httpserver.HttpServer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.tsp.TSPAlgorithms;
import org.bouncycastle.tsp.TimeStampRequest;
import org.bouncycastle.tsp.TimeStampResponse;
import org.bouncycastle.tsp.TimeStampResponseGenerator;
import org.bouncycastle.tsp.TimeStampTokenGenerator;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An RFC 3161 time-stamping authority of the tests' own, on loopback: Bouncy Castle's
 * {@code TimeStampTokenGenerator} behind the JDK's HTTP server, with a test CA (a self-signed root)
 * and a TSA certificate it issued (critical extended key usage timeStamping, as RFC 3161 section
 * 2.3 asks). Not a fake: the tokens are real RFC 3161 tokens that {@code openssl ts -verify} checks.
 */
public final class TestTimestampAuthority
        implements AutoCloseable
{
    private final HttpServer server;
    private final X509Certificate caCertificate;
    private final AtomicLong serial = new AtomicLong(1);
    private final AtomicInteger requests = new AtomicInteger();

    private TestTimestampAuthority(HttpServer server, X509Certificate caCertificate)
    {
        this.server = server;
        this.caCertificate = caCertificate;
    }

    public static TestTimestampAuthority start()
            throws Exception
    {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair caKeys = generator.generateKeyPair();
        KeyPair tsaKeys = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name caName = new X500Name("CN=wirelake test CA,O=wirelake tests");
        X509Certificate ca = sign(new JcaX509v3CertificateBuilder(caName, BigInteger.ONE, Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(3650))), caName, caKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)), caKeys);
        X509Certificate tsa = sign(new JcaX509v3CertificateBuilder(caName, BigInteger.TWO, Date.from(now.minus(Duration.ofDays(1))),
                Date.from(now.plus(Duration.ofDays(3650))), new X500Name("CN=wirelake test TSA,O=wirelake tests"), tsaKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation))
                .addExtension(Extension.extendedKeyUsage, true, new ExtendedKeyUsage(KeyPurposeId.id_kp_timeStamping)), caKeys);
        TimeStampTokenGenerator tokens = new TimeStampTokenGenerator(
                new JcaSimpleSignerInfoGeneratorBuilder().build("SHA256withECDSA", tsaKeys.getPrivate(), tsa),
                new JcaDigestCalculatorProviderBuilder().build().get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256)),
                new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"));
        tokens.addCertificates(new JcaCertStore(List.of(tsa)));
        TimeStampResponseGenerator responses = new TimeStampResponseGenerator(tokens, TSPAlgorithms.ALLOWED);

        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        TestTimestampAuthority authority = new TestTimestampAuthority(server, ca);
        server.createContext("/tsa", exchange -> {
            try (exchange; InputStream input = exchange.getRequestBody()) {
                byte[] answer;
                int status = 200;
                try {
                    TimeStampRequest request = new TimeStampRequest(input.readNBytes(1 << 16));
                    TimeStampResponse response;
                    synchronized (responses) {
                        response = responses.generate(request, BigInteger.valueOf(authority.serial.getAndIncrement()), new Date());
                    }
                    answer = response.getEncoded();
                    authority.requests.incrementAndGet();
                }
                catch (Exception e) {
                    answer = e.toString().getBytes(StandardCharsets.UTF_8);
                    status = 400;
                }
                exchange.getResponseHeaders().set("Content-Type", "application/timestamp-reply");
                exchange.sendResponseHeaders(status, answer.length);
                try (OutputStream output = exchange.getResponseBody()) {
                    output.write(answer);
                }
            }
        });
        server.start();
        return authority;
    }

    private static X509Certificate sign(org.bouncycastle.cert.X509v3CertificateBuilder builder, KeyPair issuer)
            throws Exception
    {
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate()));
        return new JcaX509CertificateConverter().getCertificate(holder);
    }

    public URI url()
    {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/tsa");
    }

    public int requests()
    {
        return requests.get();
    }

    /** The test CA's certificate, PEM, written to {@code file} (what {@code openssl ts -verify -CAfile} and WIRELAKE_TSA_CA take). */
    public Path writeCaCertificate(Path file)
            throws Exception
    {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(caCertificate.getEncoded())
                + "\n-----END CERTIFICATE-----\n");
        return file;
    }

    @Override
    public void close()
    {
        server.stop(0);
    }
}
