package io.wirelake.dissect.protocol.tls;

import io.wirelake.dissect.testing.FakeDissectionContext;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Handshake endings no client at hand produces, built from RFC 8446's structures: a TLS 1.3
 * client that sends its alert protected (as Go's crypto/tls does; OpenSSL sends it in clear, and
 * JSSE and GnuTLS close without one: see TlsHandshakesTest), a TLS 1.2 side's alert after its
 * ChangeCipherSpec, and a Certificate message that is not a certificate.
 */
class TlsDissectorTest
{
    private static final int TLS13 = 0x0304;
    private static final int TLS12 = 0x0303;

    @Test
    void aTls13ClientsFirstProtectedRecordOfAnAlertsSizeIsAFailure()
    {
        GenericData.Record row = handshake(TLS13, 0x1301, record(23, new byte[2 + 1 + 16]));
        assertThat(row.get("tls_handshake").toString()).isEqualTo("failed");
        assertThat(row.get("tls_alert_sender").toString()).isEqualTo("client");
        assertThat(row.get("tls_alert_level").toString()).isEmpty();
        assertThat(row.get("tls_alert_description").toString()).isEqualTo("encrypted");
        assertThat(row.get("tls_version").toString()).isEqualTo("TLSv1.3");
    }

    @Test
    void aTls13ClientsFinishedEstablishesTheHandshake()
    {
        // Finished under SHA-256: 4 + 32 bytes, the inner content type, a 16-byte tag
        GenericData.Record row = handshake(TLS13, 0x1301, record(23, new byte[4 + 32 + 1 + 16]));
        assertThat(row.get("tls_handshake").toString()).isEqualTo("established");
        assertThat(row.get("tls_alert_sender").toString()).isEmpty();
    }

    @Test
    void underCcm8AnAlertIsShorter()
    {
        GenericData.Record row = handshake(TLS13, 0x1305, record(23, new byte[2 + 1 + 8]));
        assertThat(row.get("tls_handshake").toString()).isEqualTo("failed");
        assertThat(handshake(TLS13, 0x1301, record(23, new byte[2 + 1 + 8])).get("tls_handshake").toString()).isEqualTo("established");
    }

    @Test
    void aTls12AlertAfterChangeCipherSpecIsAnEncryptedFailure()
    {
        GenericData.Record row = handshake(TLS12, 0xc02f, concat(record(20, new byte[] {1}), record(22, new byte[40]), record(21, new byte[26])));
        assertThat(row.get("tls_handshake").toString()).isEqualTo("failed");
        assertThat(row.get("tls_alert_sender").toString()).isEqualTo("client");
        assertThat(row.get("tls_alert_description").toString()).isEqualTo("encrypted");
    }

    @Test
    void aCertificateThatIsNotOneIsAnAnomalyNotACrash()
    {
        FakeDissectionContext context = new FakeDissectionContext();
        TlsDissector dissector = new TlsDissector(context);
        dissector.data(true, clientHello(TLS12), 0, clientHello(TLS12).length, 1);
        byte[] garbage = {0x30, (byte) 0x82, 0x7F, 0x7F, 1, 2, 3};
        byte[] certificateMessage = handshakeMessage(11, concat(u24(3 + garbage.length), u24(garbage.length), garbage));
        byte[] flight = concat(serverHello(TLS12, 0xc02f), record(22, certificateMessage));
        dissector.data(false, flight, 0, flight.length, 2);
        dissector.end(3);
        assertThat(context.anomalies).contains("tls.bad_certificate");
        assertThat(context.rows).singleElement().satisfies(row -> assertThat(row.get("tls_cipher").toString()).isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"));
    }

    /** A ClientHello, the server's flight (its ServerHello), then what the client sends next. */
    private static GenericData.Record handshake(int version, int cipher, byte[] clientNext)
    {
        FakeDissectionContext context = new FakeDissectionContext();
        TlsDissector dissector = new TlsDissector(context);
        byte[] hello = clientHello(version);
        dissector.data(true, hello, 0, hello.length, 1);
        byte[] flight = serverHello(version, cipher);
        dissector.data(false, flight, 0, flight.length, 2);
        byte[] next = version == TLS13 ? concat(record(20, new byte[] {1}), clientNext) : clientNext;
        dissector.data(true, next, 0, next.length, 3);
        dissector.end(4);
        assertThat(context.rows).hasSize(1);
        return context.rows.get(0);
    }

    /** RFC 8446 section 4.1.2, with supported_versions naming the version (and an SNI). */
    private static byte[] clientHello(int version)
    {
        byte[] name = "orders.shop.test".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] sni = concat(u16(0), u16(name.length + 5), u16(name.length + 3), new byte[] {0}, u16(name.length), name);
        byte[] versions = concat(u16(43), u16(3), new byte[] {2}, u16(version));
        byte[] extensions = concat(sni, versions);
        byte[] body = concat(u16(TLS12), new byte[32], new byte[] {0}, u16(4), u16(0x1301), u16(0xc02f), new byte[] {1, 0}, u16(extensions.length), extensions);
        return record(22, handshakeMessage(1, body));
    }

    /** RFC 8446 section 4.1.3: legacy version 1.2, a random that is not a HelloRetryRequest's, the cipher, supported_versions. */
    private static byte[] serverHello(int version, int cipher)
    {
        byte[] random = new byte[32];
        random[0] = 7;
        byte[] extensions = concat(u16(43), u16(2), u16(version));
        byte[] body = concat(u16(TLS12), random, new byte[] {0}, u16(cipher), new byte[] {0}, u16(extensions.length), extensions);
        return record(22, handshakeMessage(2, body));
    }

    private static byte[] handshakeMessage(int type, byte[] body)
    {
        return concat(new byte[] {(byte) type}, u24(body.length), body);
    }

    private static byte[] record(int type, byte[] fragment)
    {
        return concat(new byte[] {(byte) type, 3, 3}, u16(fragment.length), fragment);
    }

    private static byte[] u16(int value)
    {
        return new byte[] {(byte) (value >> 8), (byte) value};
    }

    private static byte[] u24(int value)
    {
        return new byte[] {(byte) (value >> 16), (byte) (value >> 8), (byte) value};
    }

    private static byte[] concat(byte[]... parts)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
