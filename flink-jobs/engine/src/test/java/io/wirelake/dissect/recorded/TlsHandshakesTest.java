package io.wirelake.dissect.recorded;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.LoopbackCapture;
import io.wirelake.dissect.testing.Nginx;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.xpath.XPath;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathExpressionException;
import javax.xml.xpath.XPathFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * TLS handshakes that succeed, warn and fail, between OpenSSL's {@code s_client} and {@code
 * s_server} and nginx, recorded on loopback: a server that warns of an unknown name before its
 * ServerHello, a client that does not trust the server's CA (TLS 1.2 and 1.3) or its name, a
 * server refusing the name (fatal), the version (a TLS 1.3-only OpenSSL and nginx) or every
 * cipher offered, nginx's {@code ssl_reject_handshake}, RSA and ECDSA certificates, ALPN. Each
 * connection's row is compared with tshark's dissection of the same file (versions, cipher,
 * alerts by tshark's names, selected ALPN, the certificate's names), with openssl's reading of the
 * certificate files (subject, issuer, validity, key), and with what the client itself reported
 * (its exit status: established or not).
 */
@Tag("root")
class TlsHandshakesTest
{
    /** One connection: which server, how the client is run, and whether the client reported success. */
    private record Scenario(String name, int server, List<String> clientOptions, boolean established)
    {
    }

    @TempDir
    static Path directory;
    static Path capture;
    static final List<Process> servers = new ArrayList<>();
    static final List<Scenario> scenarios = new ArrayList<>();
    static Nginx nginx;

    @BeforeAll
    static void record()
            throws Exception
    {
        certificates();
        int warning = LoopbackCapture.freePort();
        int fatalName = LoopbackCapture.freePort();
        int onlyTls13 = LoopbackCapture.freePort();
        int oneCipher = LoopbackCapture.freePort();
        int oneGroup = LoopbackCapture.freePort();
        int nginxPort = LoopbackCapture.freePort();
        int nginxTls13 = LoopbackCapture.freePort();
        // payments.shop.test has the ECDSA certificate, every other name the RSA one (with a warning alert for a name it does not know)
        server(warning, "-servername", "payments.shop.test", "-cert2", file("ec.pem"), "-key2", file("ec.key"), "-alpn", "h2,http/1.1");
        server(fatalName, "-servername", "payments.shop.test", "-cert2", file("ec.pem"), "-key2", file("ec.key"), "-servername_fatal");
        server(onlyTls13, "-tls1_3");
        server(oneCipher, "-tls1_2", "-cipher", "ECDHE-RSA-AES128-GCM-SHA256");
        server(oneGroup, "-groups", "P-256");
        nginx = Nginx.start(directory.resolve("nginx"), """
                server {
                    listen 127.0.0.1:%1$d ssl default_server;
                    ssl_reject_handshake on;
                }
                server {
                    listen 127.0.0.1:%1$d ssl;
                    server_name orders.shop.test;
                    ssl_certificate %3$s;
                    ssl_certificate_key %4$s;
                    return 200 "orders\\n";
                }
                server {
                    listen 127.0.0.1:%2$d ssl;
                    ssl_protocols TLSv1.3;
                    ssl_certificate %3$s;
                    ssl_certificate_key %4$s;
                    return 200 "orders\\n";
                }
                """.formatted(nginxPort, nginxTls13, file("rsa.pem"), file("rsa.key")), nginxPort, nginxTls13);

        scenarios.add(new Scenario("warning before the ServerHello", warning,
                List.of("-tls1_2", "-servername", "unknown.shop.test", "-alpn", "h2", "-CAfile", file("ca.pem"), "-verify_return_error"), true));
        scenarios.add(new Scenario("TLS 1.2 client does not trust the CA", warning,
                List.of("-tls1_2", "-servername", "payments.shop.test", "-CAfile", file("other-ca.pem"), "-verify_return_error"), false));
        scenarios.add(new Scenario("TLS 1.3 client does not trust the CA", warning,
                List.of("-tls1_3", "-servername", "payments.shop.test", "-CAfile", file("other-ca.pem"), "-verify_return_error"), false));
        scenarios.add(new Scenario("TLS 1.3 established", warning,
                List.of("-tls1_3", "-servername", "payments.shop.test", "-CAfile", file("ca.pem"), "-verify_return_error"), true));
        scenarios.add(new Scenario("client refuses the certificate's name", warning,
                List.of("-tls1_2", "-servername", "orders.shop.test", "-CAfile", file("ca.pem"), "-verify_hostname", "billing.shop.test", "-verify_return_error"), false));
        scenarios.add(new Scenario("server refuses the name", fatalName, List.of("-servername", "unknown.shop.test"), false));
        scenarios.add(new Scenario("server refuses TLS 1.2", onlyTls13, List.of("-tls1_2", "-servername", "orders.shop.test"), false));
        scenarios.add(new Scenario("no cipher in common", oneCipher, List.of("-tls1_2", "-cipher", "ECDHE-RSA-CHACHA20-POLY1305"), false));
        // the client's key share is for X25519 only: the server asks again with a HelloRetryRequest (RFC 8446 section 4.1.4)
        scenarios.add(new Scenario("HelloRetryRequest", oneGroup, List.of("-tls1_3", "-groups", "X25519:P-256", "-CAfile", file("ca.pem"), "-verify_return_error"), true));
        scenarios.add(new Scenario("nginx rejects the name", nginxPort, List.of("-servername", "unknown.shop.test"), false));
        scenarios.add(new Scenario("nginx TLS 1.2 established", nginxPort,
                List.of("-tls1_2", "-servername", "orders.shop.test", "-CAfile", file("ca.pem"), "-verify_return_error"), true));
        scenarios.add(new Scenario("nginx refuses TLS 1.2", nginxTls13, List.of("-tls1_2", "-servername", "orders.shop.test"), false));

        StringBuilder filter = new StringBuilder();
        for (int port : new int[] {warning, fatalName, onlyTls13, oneCipher, oneGroup, nginxPort, nginxTls13}) {
            filter.append(filter.isEmpty() ? "" : " or ").append("tcp port ").append(port);
        }
        try (LoopbackCapture recording = LoopbackCapture.start(directory.resolve("tls.pcap"), filter.toString())) {
            for (Scenario scenario : scenarios) {
                List<String> command = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + scenario.server()));
                command.addAll(scenario.clientOptions());
                Process client = new ProcessBuilder(command).redirectErrorStream(true).start();
                // "Q" on a line of its own: s_client closes the connection (close_notify) and exits
                client.getOutputStream().write("Q\n".getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().close();
                String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(client.waitFor(20, TimeUnit.SECONDS)).isTrue();
                assertThat(client.exitValue() == 0).as("%s: the client's own verdict\n%s\n%s", scenario.name(), output,
                        scenario.name().startsWith("nginx") ? nginx.state() : "").isEqualTo(scenario.established());
            }
            capture = recording.stop();
        }
    }

    @AfterAll
    static void stop()
            throws InterruptedException
    {
        for (Process server : servers) {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    private static void certificates()
            throws IOException, InterruptedException
    {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", file("ca.key"), "-out", file("ca.pem"), "-days", "30",
                "-subj", "/O=Wirelake Test/CN=Wirelake Test CA");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", file("other-ca.key"), "-out", file("other-ca.pem"), "-days", "30",
                "-subj", "/CN=Some Other CA");
        Files.writeString(directory.resolve("rsa.ext"), "subjectAltName=DNS:orders.shop.test,DNS:api.shop.test,IP:127.0.0.1\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", file("rsa.key"), "-out", file("rsa.csr"), "-subj", "/O=Shop/CN=orders.shop.test");
        openssl("x509", "-req", "-in", file("rsa.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"), "-CAcreateserial", "-out", file("rsa.pem"),
                "-days", "10", "-extfile", file("rsa.ext"));
        Files.writeString(directory.resolve("ec.ext"), "subjectAltName=DNS:payments.shop.test,URI:spiffe://shop.test/ns/shop/sa/payments\n");
        openssl("req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", file("ec.key"), "-out", file("ec.csr"),
                "-subj", "/CN=payments.shop.test");
        openssl("x509", "-req", "-in", file("ec.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"), "-CAcreateserial", "-out", file("ec.pem"),
                "-days", "20", "-extfile", file("ec.ext"));
    }

    private static void server(int port, String... options)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of("openssl", "s_server", "-accept", "127.0.0.1:" + port, "-cert", file("rsa.pem"), "-key", file("rsa.key"),
                "-quiet"));
        command.addAll(List.of(options));
        servers.add(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(directory.resolve("s_server-" + port + ".log").toFile()).start());
        LoopbackCapture.waitForPort(port, "tcp");
    }

    private static String openssl(String... arguments)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of("openssl"));
        command.addAll(List.of(arguments));
        return LoopbackCapture.run(command);
    }

    private static String file(String name)
    {
        return directory.resolve(name).toString();
    }

    @Test
    void eachHandshakeSaysHowItEndedAsTsharkAndTheClientSawIt()
            throws Exception
    {
        List<GenericData.Record> rows = Dissection.of(capture).calls("TLS");
        assertThat(rows).hasSameSizeAs(scenarios);
        Map<Long, Map<String, Object>> tshark = tsharkConnections();
        assertThat(tshark).hasSameSizeAs(scenarios);
        List<Map<String, Object>> theirs = new ArrayList<>(tshark.values());
        for (int index = 0; index < scenarios.size(); index++) {
            Scenario scenario = scenarios.get(index);
            GenericData.Record row = rows.get(index);
            Map<String, Object> expected = theirs.get(index);
            String what = scenario.name();
            assertThat((Long) row.get("dst_port")).as(what).isEqualTo((long) scenario.server());
            assertThat(row.get("tls_version").toString()).as("%s: version", what).isEqualTo(expected.get("version"));
            assertThat(row.get("tls_cipher").toString()).as("%s: cipher", what).isEqualTo(expected.get("cipher"));
            assertThat(row.get("tls_server_alpn").toString()).as("%s: selected ALPN", what).isEqualTo(expected.get("alpn"));
            assertThat(row.get("tls_sni").toString()).as("%s: SNI", what).isEqualTo(expected.get("sni"));
            @SuppressWarnings("unchecked")
            List<String> alerts = (List<String>) expected.get("alerts");
            // the row's alert: the fatal one, else the first warning
            String alert = alerts.stream().filter(text -> text.contains(" fatal ")).findFirst().orElse(alerts.isEmpty() ? "" : alerts.get(0));
            assertThat(String.join(" ", row.get("tls_alert_sender").toString(), row.get("tls_alert_level").toString(), row.get("tls_alert_description").toString()).strip())
                    .as("%s: alert", what).isEqualTo(alert);
            assertThat(row.get("tls_handshake").toString()).as("%s: outcome", what).isEqualTo(scenario.established() ? "established" : "failed");
            assertThat(names(row.get("tls_certificate_sans"))).as("%s: certificate names", what).isEqualTo(expected.get("names"));
        }
        // the warning did not hide the ServerHello: cipher and JA3S are there, and ALPN h2 was chosen
        GenericData.Record warned = rows.get(0);
        assertThat(warned.get("tls_alert_description").toString()).isEqualTo("unrecognized_name");
        assertThat(warned.get("tls_alert_level").toString()).isEqualTo("warning");
        assertThat(warned.get("tls_ja3s").toString()).hasSize(32);
        assertThat(warned.get("tls_server_alpn").toString()).isEqualTo("h2");
        // refused before any ServerHello: no version, only what the client offered
        GenericData.Record refused = rows.get(5);
        assertThat(refused.get("tls_version").toString()).isEmpty();
        assertThat(refused.get("tls_client_version").toString()).isEqualTo("TLSv1.3");
    }

    @Test
    void certificatesAreWhatOpensslReadsFromTheServedFiles()
            throws Exception
    {
        List<GenericData.Record> rows = Dissection.of(capture).calls("TLS");
        // TLS 1.2 handshakes show the certificate: the RSA one (first), the ECDSA one (second); TLS 1.3 encrypts it (third)
        assertCertificate(rows.get(0), "rsa.pem", "RSA 2048");
        assertCertificate(rows.get(1), "ec.pem", "EC secp256r1");
        assertCertificate(rows.get(10), "rsa.pem", "RSA 2048");
        assertThat(rows.get(2).get("tls_certificate_subject").toString()).isEmpty();
        assertThat(rows.get(2).get("tls_certificate_not_after")).isEqualTo(0L);
    }

    private static void assertCertificate(GenericData.Record row, String file, String keyType)
            throws Exception
    {
        String text = openssl("x509", "-in", file(file), "-noout", "-subject", "-issuer", "-startdate", "-enddate", "-nameopt", "RFC2253", "-text");
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.lines().toList()) {
            int equals = line.indexOf('=');
            if (equals > 0 && List.of("subject", "issuer", "notBefore", "notAfter").contains(line.substring(0, equals))) {
                fields.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        assertThat(row.get("tls_certificate_subject").toString()).isEqualTo(fields.get("subject"));
        assertThat(row.get("tls_certificate_issuer").toString()).isEqualTo(fields.get("issuer"));
        assertThat(row.get("tls_certificate_not_before")).isEqualTo(opensslTime(fields.get("notBefore")));
        assertThat(row.get("tls_certificate_not_after")).isEqualTo(opensslTime(fields.get("notAfter")));
        // openssl -text: "Public-Key: (2048 bit)" and, for EC, "ASN1 OID: prime256v1" (SEC 2's secp256r1)
        String bits = text.replaceAll("(?s).*Public-Key: \\((\\d+) bit\\).*", "$1");
        if (keyType.startsWith("RSA")) {
            assertThat(keyType).isEqualTo("RSA " + bits);
        }
        else {
            assertThat(text).contains("ASN1 OID: prime256v1");
        }
        assertThat(row.get("tls_certificate_key_type").toString()).isEqualTo(keyType);
    }

    /** openssl's "Dec  3 22:46:37 2026 GMT" as UTC microseconds. */
    private static long opensslTime(String text)
    {
        return ZonedDateTime.parse(text.replaceAll(" +", " "), DateTimeFormatter.ofPattern("MMM d HH:mm:ss yyyy zzz", Locale.ROOT)).toInstant().toEpochMilli() * 1000;
    }

    private static List<String> names(Object list)
    {
        return ((List<?>) list).stream().map(Object::toString).toList();
    }

    /**
     * Per TCP connection, in order, from tshark's PDML: the server's version (its
     * supported_versions extension, else the ServerHello's version), cipher and ALPN, the SNI,
     * every alert as "sender level description" in tshark's words (lower case, underscores), and
     * the names of the server certificate (DNS names, addresses, URIs).
     */
    private static Map<Long, Map<String, Object>> tsharkConnections()
            throws Exception
    {
        Document document = Tshark.pdml(capture, List.of("-Y", "tls"));
        XPath xpath = XPathFactory.newInstance().newXPath();
        Map<Long, Map<String, Object>> connections = new TreeMap<>();
        NodeList packets = (NodeList) xpath.evaluate("/pdml/packet", document, XPathConstants.NODESET);
        for (int index = 0; index < packets.getLength(); index++) {
            Element packet = (Element) packets.item(index);
            long stream = Long.parseLong(xpath.evaluate(".//field[@name='tcp.stream']/@show", packet));
            String sourcePort = value(xpath, packet, "tcp.srcport");
            boolean fromServer = scenarios.stream().anyMatch(scenario -> String.valueOf(scenario.server()).equals(sourcePort));
            Map<String, Object> connection = connections.computeIfAbsent(stream, id -> {
                Map<String, Object> fresh = new LinkedHashMap<>();
                fresh.put("version", "");
                fresh.put("cipher", "");
                fresh.put("alpn", "");
                fresh.put("sni", "");
                fresh.put("alerts", new ArrayList<String>());
                fresh.put("names", new ArrayList<String>());
                return fresh;
            });
            NodeList handshakes = (NodeList) xpath.evaluate(".//field[@name='tls.handshake']", packet, XPathConstants.NODESET);
            for (int at = 0; at < handshakes.getLength(); at++) {
                Element handshake = (Element) handshakes.item(at);
                String type = value(xpath, handshake, "tls.handshake.type");
                if (type.equals("1")) {
                    connection.put("sni", value(xpath, handshake, "tls.handshake.extensions_server_name"));
                }
                if (type.equals("2")) {
                    String supported = showname(xpath, handshake, "tls.handshake.extensions.supported_version");
                    String version = supported.isEmpty() ? showname(xpath, handshake, "tls.handshake.version") : supported;
                    // "Supported Version: TLS 1.3 (0x0304)" -> TLSv1.3
                    connection.put("version", version.replaceAll(".*: TLS (\\d\\.\\d) .*", "TLSv$1"));
                    connection.put("cipher", showname(xpath, handshake, "tls.handshake.ciphersuite").replaceAll("Cipher Suite: (\\S+) .*", "$1"));
                    connection.put("alpn", value(xpath, handshake, "tls.handshake.extensions_alpn_str"));
                }
                if (type.equals("11") && fromServer) {
                    @SuppressWarnings("unchecked")
                    List<String> names = (List<String>) connection.get("names");
                    NodeList entries = (NodeList) xpath.evaluate(".//field[@name='x509ce.dNSName' or @name='x509ce.IPAddress.ipv4' or @name='x509ce.IPAddress.ipv6' or @name='x509ce.uniformResourceIdentifier']",
                            handshake, XPathConstants.NODESET);
                    // the server sends only its own certificate (no chain file): every name here is the leaf's
                    for (int entry = 0; entry < entries.getLength(); entry++) {
                        names.add(((Element) entries.item(entry)).getAttribute("show"));
                    }
                }
            }
            NodeList alerts = (NodeList) xpath.evaluate(".//field[@name='tls.alert_message']", packet, XPathConstants.NODESET);
            for (int at = 0; at < alerts.getLength(); at++) {
                Element alert = (Element) alerts.item(at);
                // "Level: Fatal (2)", "Description: Unknown CA (48)"
                String level = showname(xpath, alert, "tls.alert_message.level").replaceAll("Level: (.*) \\(\\d+\\)", "$1");
                String description = showname(xpath, alert, "tls.alert_message.desc").replaceAll("Description: (.*) \\(\\d+\\)", "$1");
                @SuppressWarnings("unchecked")
                List<String> list = (List<String>) connection.get("alerts");
                // encrypted alerts here are the close_notify of a finished handshake's goodbye, not the handshake's
                if (!level.isEmpty()) {
                    list.add((fromServer ? "server " : "client ") + words(level) + " " + words(description));
                }
            }
        }
        return connections;
    }

    private static String words(String text)
    {
        return text.toLowerCase(Locale.ROOT).replace(' ', '_');
    }

    private static String value(XPath xpath, Element element, String field)
            throws XPathExpressionException
    {
        return xpath.evaluate(".//field[@name='" + field + "'][1]/@show", element);
    }

    private static String showname(XPath xpath, Element element, String field)
            throws XPathExpressionException
    {
        return xpath.evaluate(".//field[@name='" + field + "'][1]/@showname", element);
    }
}
