package io.wirelake.dissect.protocol.tls;

import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.Protocol;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.rows.Rows;
import org.apache.avro.generic.GenericData;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A TLS connection's handshake (RFC 8446, RFC 5246): every record of each side's flight is framed
 * (RFC 8446 section 5.1), handshake messages are reassembled across records, and what travels in
 * clear is read: the ClientHello and ServerHello (also after a warning alert, or a
 * HelloRetryRequest), a TLS 1.2 server's Certificate, and alerts. One row per connection: versions,
 * cipher, SNI, ALPN offered and selected, JA3/JA3S/JA4, the server certificate, and how the
 * handshake ended.
 *
 * <p>How it ended is read from what each side sent: {@code established} when both finished it
 * (TLS 1.2 and older: each side's ChangeCipherSpec followed by its encrypted Finished; TLS 1.3:
 * the client's first protected record after the server's flight, which is its Finished);
 * {@code failed} on a fatal alert before that, or on an encrypted alert (a TLS 1.2 alert after
 * ChangeCipherSpec, or a TLS 1.3 client's first protected record of an alert's size); else
 * {@code incomplete}. What follows the handshake is encrypted and not read.
 */
final class TlsDissector
        implements StreamDissector
{
    static final Protocol TLS = new Protocol("TLS", Columns.TLS);
    /** A handshake message larger than this is not reassembled (certificates can be large; hellos are not). */
    static final int MAX_HANDSHAKE_MESSAGE = 256 * 1024;
    /**
     * A TLS 1.3 alert, protected (RFC 8446 section 5.2): two bytes, the content type, and the AEAD
     * tag: 16 bytes for every TLS 1.3 suite but TLS_AES_128_CCM_8_SHA256's 8.
     */
    private static final int PROTECTED_ALERT = 2 + 1 + 16;
    private static final int PROTECTED_ALERT_CCM_8 = 2 + 1 + 8;
    /** SHA-256 of "HelloRetryRequest": the random of a ServerHello that is a HelloRetryRequest (RFC 8446 section 4.1.3). */
    private static final byte[] HELLO_RETRY_RANDOM = java.util.HexFormat.of().parseHex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

    private static final int CHANGE_CIPHER_SPEC = 20;
    private static final int ALERT = 21;
    private static final int HANDSHAKE = 22;
    private static final int APPLICATION_DATA = 23;

    private enum Outcome
    {
        ESTABLISHED("established"), FAILED("failed"), INCOMPLETE("incomplete");

        final String column;

        Outcome(String column)
        {
            this.column = column;
        }
    }

    /** An alert as the row reports it: its sender, level and description ("" and "encrypted" when it was protected). */
    private record Alert(String sender, String level, String description)
    {
        boolean fatal()
        {
            return level.equals("fatal") || level.isEmpty();
        }

        @Override
        public String toString()
        {
            return level.isEmpty() ? sender + " encrypted alert" : sender + " " + level + " " + description;
        }
    }

    private final DissectionContext context;
    private final TableSchema calls = TableSchema.of(Table.API_CALLS);
    private final Direction client = new Direction(true);
    private final Direction server = new Direction(false);
    private Hello clientHello;
    private Hello serverHello;
    private ServerCertificate certificate;
    private Alert alert;
    private Outcome outcome = Outcome.INCOMPLETE;
    private long firstTime = -1;
    private long serverHelloTime;
    private boolean emitted;

    TlsDissector(DissectionContext context)
    {
        this.context = context;
    }

    @Override
    public void data(boolean fromClient, byte[] data, int offset, int length, long timestampMicros)
    {
        if (firstTime < 0) {
            firstTime = timestampMicros;
        }
        (fromClient ? client : server).data(data, offset, length, timestampMicros);
    }

    @Override
    public void gap(boolean fromClient, long bytes, long timestampMicros)
    {
        Direction direction = fromClient ? client : server;
        if (!direction.done && outcome == Outcome.INCOMPLETE) {
            context.anomaly("tls.gap_in_handshake");
        }
        direction.done = true;
    }

    @Override
    public void end(long timestampMicros)
    {
        emit();
    }

    /** The server's choice is TLS 1.3 or one of its drafts (a HelloRetryRequest says so too): its records after the ServerHello are protected. */
    private boolean tls13()
    {
        if (serverHello == null) {
            return false;
        }
        int version = serverHello.effectiveVersion();
        return version == 0x0304 || (version >> 8) == 0x7F;
    }

    private void alert(Alert received)
    {
        if (alert == null || (received.fatal() && !alert.fatal())) {
            alert = received;
        }
        if (received.fatal() && outcome == Outcome.INCOMPLETE) {
            decide(Outcome.FAILED);
        }
    }

    private void decide(Outcome decided)
    {
        outcome = decided;
        // the rest is encrypted application data, or the connection's end: nothing more to read
        client.done = true;
        server.done = true;
    }

    private void emit()
    {
        if (emitted || (clientHello == null && serverHello == null)) {
            return;
        }
        emitted = true;
        GenericData.Record row = context.newCall(TLS, firstTime);
        Rows rows = Rows.of(calls, row);
        List<String> summary = new ArrayList<>();
        List<String> info = new ArrayList<>();
        String version = "";
        if (clientHello != null) {
            summary.add("ClientHello");
            rows.set(Columns.TLS_SNI, clientHello.serverName());
            rows.set(Columns.TLS_ALPN, new ArrayList<>(clientHello.alpn()));
            rows.set(Columns.TLS_JA3, Fingerprints.ja3(clientHello));
            rows.set(Columns.TLS_JA4, Fingerprints.ja4(clientHello));
            rows.set(Columns.TLS_CLIENT_VERSION, Hello.versionName(clientHello.effectiveVersion()));
        }
        if (serverHello != null) {
            summary.add("ServerHello");
            version = Hello.versionName(serverHello.effectiveVersion());
            String cipher = CipherSuites.name(serverHello.cipherSuites().get(0));
            rows.set(Columns.TLS_CIPHER, cipher);
            rows.set(Columns.TLS_JA3S, Fingerprints.ja3s(serverHello));
            if (!serverHello.alpn().isEmpty()) {
                rows.set(Columns.TLS_SERVER_ALPN, serverHello.alpn().get(0));
            }
            if (clientHello != null) {
                rows.set(Columns.ELAPSED_TIME, Math.max(0, serverHelloTime - firstTime));
            }
            info.add(cipher);
        }
        if (certificate != null) {
            summary.add("Certificate");
            rows.set(Columns.TLS_CERTIFICATE_SUBJECT, certificate.subject());
            rows.set(Columns.TLS_CERTIFICATE_ISSUER, certificate.issuer());
            rows.set(Columns.TLS_CERTIFICATE_SANS, new ArrayList<>(certificate.alternativeNames()));
            rows.set(Columns.TLS_CERTIFICATE_NOT_BEFORE, certificate.notBeforeMicros());
            rows.set(Columns.TLS_CERTIFICATE_NOT_AFTER, certificate.notAfterMicros());
            rows.set(Columns.TLS_CERTIFICATE_KEY_TYPE, certificate.keyType());
        }
        rows.set(Columns.TLS_VERSION, version);
        if (!version.isEmpty()) {
            info.add(0, version);
        }
        if (clientHello != null && !clientHello.serverName().isEmpty()) {
            info.add("sni=" + clientHello.serverName());
        }
        if (clientHello != null && !clientHello.alpn().isEmpty()) {
            info.add("alpn=" + String.join("/", clientHello.alpn()));
        }
        if (serverHello != null && !serverHello.alpn().isEmpty()) {
            info.add("selected=" + serverHello.alpn().get(0));
        }
        rows.set(Columns.TLS_HANDSHAKE, outcome.column);
        String ending = outcome.column;
        if (alert != null) {
            rows.set(Columns.TLS_ALERT_SENDER, alert.sender());
            rows.set(Columns.TLS_ALERT_LEVEL, alert.level());
            rows.set(Columns.TLS_ALERT_DESCRIPTION, alert.description());
            ending += " (" + alert + ")";
        }
        summary.add(ending);
        rows.set(Columns.TLS_SUMMARY, String.join(", ", summary));
        rows.set(Columns.TLS_INFO, String.join(", ", info));
        rows.set(Columns.TLS_REQUEST_SIZE, client.handshakeBytes);
        rows.set(Columns.TLS_RESPONSE_SIZE, server.handshakeBytes);
        rows.set(Columns.TLS_TOTAL_SIZE, client.handshakeBytes + server.handshakeBytes);
        context.emit(row);
    }

    /** Record framing, handshake reassembly and the flight's ending for one side. */
    private final class Direction
    {
        private final boolean fromClient;
        private final String name;
        private final byte[] header = new byte[5];
        private int headerLength;
        private int recordRemaining;
        private int recordType;
        private int recordLength;
        /** The first bytes of the record being read, for alerts (2 bytes in clear). */
        private final byte[] recordStart = new byte[2];
        private final ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        boolean done;
        long handshakeBytes;
        /** TLS 1.2 and older: this side sent ChangeCipherSpec, and what it sends next is protected. */
        private boolean changedCipher;
        /** This side finished the handshake (its encrypted Finished, or a TLS 1.3 client's first protected record). */
        boolean finished;

        Direction(boolean fromClient)
        {
            this.fromClient = fromClient;
            this.name = fromClient ? "client" : "server";
        }

        void data(byte[] data, int offset, int length, long timestampMicros)
        {
            int at = offset;
            int end = offset + length;
            while (at < end && !done) {
                if (recordRemaining == 0 && headerLength < 5) {
                    header[headerLength++] = data[at++];
                    if (headerLength == 5) {
                        recordType = header[0] & 0xFF;
                        recordLength = ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
                        recordRemaining = recordLength;
                        if (recordType < CHANGE_CIPHER_SPEC || recordType > 24 || (header[1] & 0xFF) != 3 || recordLength > (1 << 14) + 2048) {
                            context.anomaly("tls.bad_record");
                            done = true;
                            return;
                        }
                        if (recordType == HANDSHAKE && !protectedHandshake()) {
                            handshakeBytes += 5;
                        }
                        if (recordLength == 0) {
                            record(timestampMicros);
                        }
                    }
                    continue;
                }
                int take = Math.min(recordRemaining, end - at);
                int read = recordLength - recordRemaining;
                if (read < recordStart.length) {
                    System.arraycopy(data, at, recordStart, read, Math.min(take, recordStart.length - read));
                }
                if (recordType == HANDSHAKE && !protectedHandshake()) {
                    handshakeBytes += take;
                    if (handshake.size() + take <= MAX_HANDSHAKE_MESSAGE) {
                        handshake.write(data, at, take);
                    }
                    else {
                        context.anomaly("tls.handshake_message_too_large");
                    }
                }
                recordRemaining -= take;
                at += take;
                if (recordType == HANDSHAKE && !protectedHandshake()) {
                    messages(timestampMicros);
                }
                if (recordRemaining == 0) {
                    record(timestampMicros);
                }
            }
        }

        /** A handshake record after this side's ChangeCipherSpec (TLS 1.2 and older) is its encrypted Finished. */
        private boolean protectedHandshake()
        {
            return changedCipher;
        }

        /** A whole record has been read: what its type says about the handshake. */
        private void record(long timestampMicros)
        {
            headerLength = 0;
            switch (recordType) {
                case CHANGE_CIPHER_SPEC -> {
                    // TLS 1.3 sends it only for middleboxes (RFC 8446 appendix D.4): nothing changes
                    if (serverHello != null && !tls13()) {
                        changedCipher = true;
                    }
                }
                case ALERT -> {
                    if (recordLength == 2) {
                        alert(new Alert(name, Alerts.level(recordStart[0] & 0xFF), Alerts.description(recordStart[1] & 0xFF)));
                    }
                    else {
                        // protected (a TLS 1.2 alert after ChangeCipherSpec): whose, not which
                        alert(new Alert(name, "", "encrypted"));
                    }
                }
                case HANDSHAKE -> {
                    if (protectedHandshake()) {
                        finished = true;
                        if (client.finished && server.finished && outcome == Outcome.INCOMPLETE) {
                            decide(Outcome.ESTABLISHED);
                        }
                    }
                }
                case APPLICATION_DATA -> {
                    if (fromClient && tls13() && !serverHello.isHelloRetry() && outcome == Outcome.INCOMPLETE) {
                        // the client's first protected record after the server's flight: its Finished, or an alert of the size of one
                        int suite = serverHello.cipherSuites().get(0);
                        if (recordLength == (suite == 0x1305 ? PROTECTED_ALERT_CCM_8 : PROTECTED_ALERT)) {
                            alert(new Alert(name, "", "encrypted"));
                        }
                        else {
                            finished = true;
                            decide(Outcome.ESTABLISHED);
                        }
                    }
                }
                default -> {
                    // heartbeat: nothing the row needs
                }
            }
        }

        /** Parses the complete handshake messages reassembled so far. */
        private void messages(long timestampMicros)
        {
            byte[] bytes = handshake.toByteArray();
            int at = 0;
            while (bytes.length - at >= 4) {
                int type = bytes[at] & 0xFF;
                int length = ((bytes[at + 1] & 0xFF) << 16) | ((bytes[at + 2] & 0xFF) << 8) | (bytes[at + 3] & 0xFF);
                if (bytes.length - at - 4 < length) {
                    break;
                }
                if (type == 1 && fromClient && clientHello == null) {
                    clientHello = HelloParser.client(bytes, at + 4, length);
                    if (clientHello == null) {
                        context.anomaly("tls.bad_client_hello");
                    }
                }
                else if (type == 2 && !fromClient && (serverHello == null || serverHello.isHelloRetry())) {
                    Hello hello = HelloParser.server(bytes, at + 4, length);
                    if (hello == null) {
                        context.anomaly("tls.bad_server_hello");
                    }
                    else {
                        serverHello = isHelloRetry(bytes, at + 4, length) ? hello.asHelloRetry() : hello;
                        serverHelloTime = timestampMicros;
                        if (tls13() && !serverHello.isHelloRetry()) {
                            // TLS 1.3 encrypts everything after the ServerHello (RFC 8446 section 2)
                            done = true;
                        }
                    }
                }
                else if (type == 11 && !fromClient && certificate == null && serverHello != null && !tls13()) {
                    try {
                        certificate = ServerCertificate.parse(bytes, at + 4, length);
                    }
                    catch (ServerCertificate.BadCertificate e) {
                        context.anomaly("tls.bad_certificate");
                    }
                }
                at += 4 + length;
            }
            handshake.reset();
            handshake.write(bytes, at, bytes.length - at);
        }
    }

    private static boolean isHelloRetry(byte[] data, int offset, int length)
    {
        return length >= 34 && Arrays.equals(data, offset + 2, offset + 34, HELLO_RETRY_RANDOM, 0, 32);
    }
}
