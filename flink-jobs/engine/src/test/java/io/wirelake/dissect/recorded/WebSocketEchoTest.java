package io.wirelake.dissect.recorded;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.LoopbackCapture;
import io.wirelake.dissect.testing.TsharkWebSocket;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDK's WebSocket client against an Undertow echo server on loopback: text, binary, a message
 * over 64 KiB (64-bit length), a message sent in three fragments, ping and pong, and the closing
 * handshake. Recorded with tcpdump and compared, message by message, with tshark.
 */
@Tag("root")
class WebSocketEchoTest
{
    @TempDir
    static Path directory;
    static Path capture;
    static int port;

    @BeforeAll
    static void record()
            throws Exception
    {
        Undertow server = Undertow.builder().addHttpListener(0, "127.0.0.1").setHandler(Handlers.websocket((exchange, channel) -> {
            channel.getReceiveSetter().set(new AbstractReceiveListener()
            {
                @Override
                protected void onFullTextMessage(WebSocketChannel channel, BufferedTextMessage message)
                {
                    WebSockets.sendText(message.getData(), channel, null);
                }

                @Override
                protected void onFullBinaryMessage(WebSocketChannel channel, BufferedBinaryMessage message)
                {
                    WebSockets.sendBinary(message.getData().getResource(), channel, null);
                }
            });
            channel.resumeReceives();
        })).build();
        server.start();
        port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
        try (LoopbackCapture recording = LoopbackCapture.start(directory.resolve("ws.pcap"), "tcp port " + port)) {
            LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/echo"), new WebSocket.Listener()
            {
                private final StringBuilder text = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last)
                {
                    text.append(data);
                    if (last) {
                        received.add("text:" + text.length());
                        text.setLength(0);
                    }
                    webSocket.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last)
                {
                    if (last) {
                        received.add("binary");
                    }
                    webSocket.request(1);
                    return null;
                }

                @Override
                public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message)
                {
                    received.add("pong");
                    webSocket.request(1);
                    return null;
                }
            }).get(10, TimeUnit.SECONDS);
            socket.sendText("hello, echo", true).get(10, TimeUnit.SECONDS);
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("text:11");
            socket.sendBinary(ByteBuffer.wrap(new byte[] {0, 1, 2, (byte) 0xFF}), true).get(10, TimeUnit.SECONDS);
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("binary");
            socket.sendText("x".repeat(70_000), true).get(10, TimeUnit.SECONDS);
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("text:70000");
            socket.sendText("first part, ", false).get(10, TimeUnit.SECONDS);
            socket.sendText("second part, ", false).get(10, TimeUnit.SECONDS);
            socket.sendText("last part", true).get(10, TimeUnit.SECONDS);
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("text:34");
            socket.sendPing(ByteBuffer.wrap("are you there".getBytes())).get(10, TimeUnit.SECONDS);
            assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("pong");
            CompletableFuture<WebSocket> closed = socket.sendClose(1000, "done");
            closed.get(10, TimeUnit.SECONDS);
            capture = recording.stop();
        }
        finally {
            server.stop();
        }
    }

    @Test
    void messagesAgreeWithTshark()
            throws Exception
    {
        List<GenericData.Record> rows = Dissection.of(capture).calls("WebSocket");
        List<String> ours = rows.stream().map(row -> {
            boolean request = (Boolean) row.get("ws_request");
            return (request ? row.get("src_port") : row.get("dst_port")) + " " + row.get("ws_opcode") + " "
                    + (request ? row.get("ws_request_payload_length") : row.get("ws_response_payload_length"));
        }).toList();
        List<String> tshark = TsharkWebSocket.messages(capture, List.of("-d", "tcp.port==" + port + ",http"));
        assertThat(ours).containsExactlyInAnyOrderElementsOf(tshark);
        List<String> client = rows.stream().filter(row -> (Boolean) row.get("ws_request"))
                .map(row -> row.get("ws_opcode") + ":" + abbreviate(row.get("ws_request_payload_data").toString())).toList();
        // The payload kept is cut at the body cap (64 KiB); its length column says 70000, as tshark does.
        assertThat(client).containsExactly("text:hello, echo", "binary:000102ff", "text:" + abbreviate("x".repeat(65_536)),
                "text:first part, second part, last part", "ping:are you there", "close:1000 done");
        assertThat(rows).filteredOn(row -> !(Boolean) row.get("ws_request")).extracting(row -> row.get("ws_opcode").toString())
                .containsExactly("text", "binary", "text", "text", "pong", "close");
        assertThat(rows).allSatisfy(row -> assertThat(row.get("anomalies")).asList().isEmpty());
    }

    private static String abbreviate(String text)
    {
        return text.length() > 40 ? text.substring(0, 40) + "...(" + text.length() + ")" : text;
    }
}
