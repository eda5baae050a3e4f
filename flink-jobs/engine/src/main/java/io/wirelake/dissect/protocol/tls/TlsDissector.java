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
import java.util.List;

/**
 * A TLS connection's handshake (RFC 8446, RFC 5246): records are framed per direction (RFC 8446
 * section 5.1), handshake messages reassembled across records, and the ClientHello and
 * ServerHello parsed. One row per connection: versions, cipher, SNI, ALPN, JA3/JA3S/JA4.
 * What follows the handshake is encrypted: it is counted, not parsed.
 */
final class TlsDissector
        implements StreamDissector
{
    static final Protocol TLS = new Protocol("TLS", Columns.TLS);
    /** A handshake message larger than this is not reassembled (certificates can be large; hellos are not). */
    static final int MAX_HANDSHAKE_MESSAGE = 256 * 1024;

    private final DissectionContext context;
    private final TableSchema calls = TableSchema.of(Table.API_CALLS);
    private final Direction client = new Direction(true);
    private final Direction server = new Direction(false);
    private Hello clientHello;
    private Hello serverHello;
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
        if (!direction.done) {
            context.anomaly("tls.gap_in_handshake");
        }
        direction.done = true;
    }

    @Override
    public void end(long timestampMicros)
    {
        emit();
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
            version = Hello.versionName(clientHello.effectiveVersion());
        }
        if (serverHello != null) {
            summary.add("ServerHello");
            version = Hello.versionName(serverHello.effectiveVersion());
            String cipher = CipherSuites.name(serverHello.cipherSuites().get(0));
            rows.set(Columns.TLS_CIPHER, cipher);
            rows.set(Columns.TLS_JA3S, Fingerprints.ja3s(serverHello));
            if (clientHello != null) {
                rows.set(Columns.ELAPSED_TIME, Math.max(0, serverHelloTime - firstTime));
            }
            info.add(cipher);
        }
        rows.set(Columns.TLS_VERSION, version);
        info.add(0, version);
        if (clientHello != null && !clientHello.serverName().isEmpty()) {
            info.add("sni=" + clientHello.serverName());
        }
        if (clientHello != null && !clientHello.alpn().isEmpty()) {
            info.add("alpn=" + String.join("/", clientHello.alpn()));
        }
        rows.set(Columns.TLS_SUMMARY, String.join(", ", summary));
        rows.set(Columns.TLS_INFO, String.join(", ", info));
        rows.set(Columns.TLS_REQUEST_SIZE, client.handshakeBytes);
        rows.set(Columns.TLS_RESPONSE_SIZE, server.handshakeBytes);
        rows.set(Columns.TLS_TOTAL_SIZE, client.handshakeBytes + server.handshakeBytes);
        context.emit(row);
    }

    /** Record framing and handshake reassembly for one side. */
    private final class Direction
    {
        private final boolean fromClient;
        private final byte[] header = new byte[5];
        private int headerLength;
        private int recordRemaining;
        private int recordType;
        private final ByteArrayOutputStream handshake = new ByteArrayOutputStream();
        boolean done;
        long handshakeBytes;

        Direction(boolean fromClient)
        {
            this.fromClient = fromClient;
        }

        void data(byte[] data, int offset, int length, long timestampMicros)
        {
            int at = offset;
            int end = offset + length;
            while (at < end && !done) {
                if (recordRemaining == 0) {
                    header[headerLength++] = data[at++];
                    if (headerLength == 5) {
                        headerLength = 0;
                        recordType = header[0] & 0xFF;
                        recordRemaining = ((header[3] & 0xFF) << 8) | (header[4] & 0xFF);
                        if (recordType < 20 || recordType > 24 || (header[1] & 0xFF) != 3 || recordRemaining > (1 << 14) + 2048) {
                            context.anomaly("tls.bad_record");
                            done = true;
                            return;
                        }
                        if (recordType != 22) {
                            // ChangeCipherSpec, alert or application data: the cleartext handshake is over.
                            done = true;
                            return;
                        }
                        handshakeBytes += 5;
                    }
                    continue;
                }
                int take = Math.min(recordRemaining, end - at);
                handshakeBytes += take;
                if (handshake.size() + take <= MAX_HANDSHAKE_MESSAGE) {
                    handshake.write(data, at, take);
                }
                recordRemaining -= take;
                at += take;
                messages(timestampMicros);
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
                else if (type == 2 && !fromClient && serverHello == null) {
                    serverHello = HelloParser.server(bytes, at + 4, length);
                    serverHelloTime = timestampMicros;
                    if (serverHello == null) {
                        context.anomaly("tls.bad_server_hello");
                    }
                    else if (serverHello.effectiveVersion() == 0x0304) {
                        // TLS 1.3 encrypts everything after the ServerHello.
                        done = true;
                    }
                }
                at += 4 + length;
            }
            handshake.reset();
            handshake.write(bytes, at, bytes.length - at);
        }
    }
}
