package io.wirelake.bench.corpus;

import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An Undertow WebSocket echo server (port 8088) and the JDK's WebSocket client: live updates as
 * JSON text of a hundred bytes to a few kilobytes, binary frames of tens to hundreds of
 * kilobytes now and then, pings; client frames masked as RFC 6455 requires.
 */
final class WebSocketSession
        implements Session
{
    static final int PORT = 8088;

    private Undertow server;

    @Override
    public String name()
    {
        return "websocket (Undertow, JDK client)";
    }

    @Override
    public void start(Path directory)
    {
        server = Undertow.builder().addHttpListener(PORT, "127.0.0.1").setHandler(Handlers.path().addPrefixPath("/updates", Handlers.websocket((exchange, channel) -> {
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
        }))).build();
        server.start();
    }

    @Override
    public void run(double scale)
            throws Exception
    {
        HttpClient client = HttpClient.newHttpClient();
        List<Thread> connections = new ArrayList<>();
        List<Exception> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        for (int connection = 0; connection < 4; connection++) {
            int number = connection;
            Thread thread = new Thread(() -> {
                try {
                    converse(client, new Random(8088 + number), Session.scaled(700, scale));
                }
                catch (Exception e) {
                    failures.add(e);
                }
            }, "websocket-" + connection);
            thread.start();
            connections.add(thread);
        }
        for (Thread thread : connections) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw failures.get(0);
        }
    }

    /** One connection's messages, each waiting for its echo. */
    private static void converse(HttpClient client, Random random, int messages)
            throws Exception
    {
        LinkedBlockingQueue<String> echoes = new LinkedBlockingQueue<>();
        WebSocket socket = client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + PORT + "/updates"), new WebSocket.Listener()
        {
            @Override
            public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last)
            {
                if (last) {
                    echoes.add("text");
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last)
            {
                if (last) {
                    echoes.add("binary");
                }
                webSocket.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message)
            {
                echoes.add("pong");
                webSocket.request(1);
                return null;
            }
        }).get(30, TimeUnit.SECONDS);
        for (int message = 0; message < messages; message++) {
            int kind = random.nextInt(100);
            if (kind < 93) {
                socket.sendText(Content.json(random, Content.size(random, 100, 6_000)), true).get(30, TimeUnit.SECONDS);
            }
            else if (kind < 98) {
                socket.sendBinary(ByteBuffer.wrap(Content.binary(random, Content.size(random, 10_000, 200_000))), true).get(30, TimeUnit.SECONDS);
            }
            else {
                socket.sendPing(ByteBuffer.wrap("keepalive".getBytes(java.nio.charset.StandardCharsets.US_ASCII))).get(30, TimeUnit.SECONDS);
            }
            if (echoes.poll(30, TimeUnit.SECONDS) == null) {
                throw new IllegalStateException("no echo from the WebSocket server within 30 s");
            }
        }
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(30, TimeUnit.SECONDS);
    }

    @Override
    public void close()
    {
        if (server != null) {
            server.stop();
        }
    }
}
