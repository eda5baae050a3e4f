package io.wirelake.dissect.recorded;

import io.wirelake.columns.Columns;
import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.LoopbackCapture;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Text protocols no dissector claims still say what their client asked first: curl speaking
 * SMTP, FTP and POP3 to line servers on loopback, recorded with tcpdump. Each flow's
 * {@code tcp_method} is the first command tshark's own SMTP, FTP and POP dissectors find in the
 * same file; a binary client's flow has none.
 */
@Tag("root")
class UnclaimedTextCommandsTest
{
    @TempDir
    Path directory;

    @Test
    void firstClientCommandAgreesWithTshark()
            throws Exception
    {
        Map<String, LineServer> servers = new HashMap<>();
        servers.put("smtp", new LineServer("220 wirelake ESMTP\r\n", "421 closing\r\n"));
        servers.put("ftp", new LineServer("220 wirelake FTP\r\n", "421 closing\r\n"));
        servers.put("pop", new LineServer("+OK wirelake POP3\r\n", "-ERR closing\r\n"));
        LineServer binary = new LineServer("", "");
        Path capture;
        try {
            StringBuilder filter = new StringBuilder("tcp port " + binary.port());
            servers.values().forEach(server -> filter.append(" or tcp port ").append(server.port()));
            try (LoopbackCapture recording = LoopbackCapture.start(directory.resolve("text.pcap"), filter.toString())) {
                for (String scheme : List.of("smtp", "ftp", "pop")) {
                    String url = (scheme.equals("pop") ? "pop3" : scheme) + "://127.0.0.1:" + servers.get(scheme).port() + "/";
                    // curl fails at the server's refusal: its exit status is not the point
                    LoopbackCapture.run(List.of("bash", "-c", "curl -s --max-time 10 " + url + " || true"));
                }
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), binary.port()); OutputStream output = client.getOutputStream()) {
                    output.write(new byte[] {0x16, 0x03, 0x01, 0x00, 0x05, 'h', 'e', 'l', 'l', 'o', '\n'});
                    output.flush();
                    client.getInputStream().read();
                }
                capture = recording.stop();
            }
        }
        finally {
            servers.values().forEach(LineServer::close);
            binary.close();
        }

        List<String> decodeAs = new ArrayList<>();
        Map<Long, String> expected = new HashMap<>();
        for (Map.Entry<String, LineServer> server : servers.entrySet()) {
            decodeAs.addAll(List.of("-d", "tcp.port==" + server.getValue().port() + "," + server.getKey()));
        }
        for (Map.Entry<String, LineServer> server : servers.entrySet()) {
            String field = switch (server.getKey()) {
                case "smtp" -> "smtp.req.command";
                case "ftp" -> "ftp.request.command";
                default -> "pop.request.command";
            };
            List<String> options = new ArrayList<>(decodeAs);
            options.addAll(List.of("-Y", field + " && tcp.dstport == " + server.getValue().port()));
            List<String[]> commands = Tshark.fields(capture, options, field);
            assertThat(commands).as("tshark finds %s's first command", server.getKey()).isNotEmpty();
            expected.put((long) server.getValue().port(), commands.get(0)[0].split(",")[0]);
        }
        expected.put((long) binary.port(), "");

        Map<Long, String> ours = new HashMap<>();
        for (GenericData.Record row : Dissection.of(capture).calls("TCP")) {
            ours.put((Long) Dissection.value(row, Columns.DST_PORT), String.valueOf(Dissection.value(row, Columns.TCP_METHOD)));
        }
        assertThat(expected).containsEntry((long) servers.get("smtp").port(), "EHLO");
        assertThat(ours).isEqualTo(expected);
    }

    /** Sends a banner, reads one line, answers it and closes: enough for a client's first command. */
    private static final class LineServer
            implements AutoCloseable
    {
        private final ServerSocket socket;
        private final Thread thread;

        LineServer(String banner, String answer)
                throws java.io.IOException
        {
            socket = new ServerSocket();
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            thread = new Thread(() -> {
                while (!socket.isClosed()) {
                    try (Socket accepted = socket.accept()) {
                        OutputStream output = accepted.getOutputStream();
                        output.write(banner.getBytes(StandardCharsets.US_ASCII));
                        output.flush();
                        new BufferedReader(new InputStreamReader(accepted.getInputStream(), StandardCharsets.ISO_8859_1)).readLine();
                        output.write(answer.getBytes(StandardCharsets.US_ASCII));
                        output.flush();
                    }
                    catch (java.io.IOException e) {
                        // closed, or the client went away
                    }
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        int port()
        {
            return socket.getLocalPort();
        }

        @Override
        public void close()
        {
            try {
                socket.close();
            }
            catch (java.io.IOException e) {
                // closing anyway
            }
        }
    }
}
