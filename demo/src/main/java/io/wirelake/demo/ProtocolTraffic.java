package io.wirelake.demo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/**
 * The bytes of the demo's other protocols, each as its specification lays it out: Redis commands
 * and replies (RESP2), gRPC calls over h2c (the connection preface, SETTINGS, HEADERS encoded with
 * HPACK literals, length-prefixed messages in DATA, trailers), GraphQL queries over HTTP/1.1, and
 * a WebSocket session after the HTTP/1.1 upgrade (masked client frames).
 */
final class ProtocolTraffic
{
    private ProtocolTraffic() {}

    // ---- Redis ----

    record RedisExchange(byte[] command, byte[] reply) {}

    static RedisExchange redis(Random random, String prefix)
    {
        String key = prefix + ":" + (1000 + random.nextInt(9000));
        return switch (random.nextInt(4)) {
            case 0 -> new RedisExchange(resp("GET", key), random.nextInt(5) == 0 ? bytes("$-1\r\n") : bulk("{\"id\":" + random.nextInt(9999) + "}"));
            case 1 -> new RedisExchange(resp("SET", key, "{\"cached\":true}", "EX", "300"), bytes("+OK\r\n"));
            case 2 -> new RedisExchange(resp("INCR", prefix + ":hits"), bytes(":" + (1 + random.nextInt(100_000)) + "\r\n"));
            default -> new RedisExchange(resp("EXPIRE", key, "60"), bytes(":1\r\n"));
        };
    }

    private static byte[] resp(String... parts)
    {
        StringBuilder text = new StringBuilder("*").append(parts.length).append("\r\n");
        for (String part : parts) {
            text.append('$').append(part.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(part).append("\r\n");
        }
        return bytes(text.toString());
    }

    private static byte[] bulk(String value)
    {
        return bytes("$" + value.getBytes(StandardCharsets.UTF_8).length + "\r\n" + value + "\r\n");
    }

    // ---- gRPC over h2c ----

    private static final byte[] PREFACE = bytes("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n");

    /** The client's connection start: preface and an empty SETTINGS frame. */
    static byte[] h2ClientStart()
    {
        return concat(PREFACE, frame(4, 0, 0, new byte[0]));
    }

    /** The server's connection start: its SETTINGS and the acknowledgement of the client's. */
    static byte[] h2ServerStart()
    {
        return concat(frame(4, 0, 0, new byte[0]), frame(4, 1, 0, new byte[0]));
    }

    /** A unary call's request: HEADERS and one length-prefixed message in DATA with END_STREAM. */
    static byte[] grpcRequest(int stream, String path, String authority, int messageSize)
    {
        byte[] headers = hpack(List.of(":method", "POST", ":scheme", "http", ":path", path, ":authority", authority,
                "content-type", "application/grpc", "te", "trailers", "user-agent", "grpc-go/1.64.0"));
        return concat(frame(1, 0x4, stream, headers), frame(0, 0x1, stream, grpcMessage(messageSize)));
    }

    /** The response: HEADERS, one message (unless it failed), and the trailers with grpc-status. */
    static byte[] grpcResponse(int stream, int messageSize, int status, String message)
    {
        byte[] headers = hpack(List.of(":status", "200", "content-type", "application/grpc"));
        byte[] trailers = status == 0 ? hpack(List.of("grpc-status", "0")) : hpack(List.of("grpc-status", String.valueOf(status), "grpc-message", message));
        byte[] body = status == 0 ? frame(0, 0, stream, grpcMessage(messageSize)) : new byte[0];
        return concat(concat(frame(1, 0x4, stream, headers), body), frame(1, 0x5, stream, trailers));
    }

    private static byte[] grpcMessage(int size)
    {
        byte[] message = new byte[5 + size];
        message[1] = (byte) (size >>> 24);
        message[2] = (byte) (size >>> 16);
        message[3] = (byte) (size >>> 8);
        message[4] = (byte) size;
        for (int i = 5; i < message.length; i++) {
            message[i] = (byte) ('a' + i % 26);
        }
        return message;
    }

    private static byte[] frame(int type, int flags, int stream, byte[] payload)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream(9 + payload.length);
        out.write(payload.length >>> 16);
        out.write(payload.length >>> 8);
        out.write(payload.length);
        out.write(type);
        out.write(flags);
        out.write(stream >>> 24);
        out.write(stream >>> 16);
        out.write(stream >>> 8);
        out.write(stream);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** HPACK literals without indexing and with new names (RFC 7541 6.2.2): no table state. */
    private static byte[] hpack(List<String> fields)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < fields.size(); i += 2) {
            out.write(0);
            string(out, fields.get(i));
            string(out, fields.get(i + 1));
        }
        return out.toByteArray();
    }

    private static void string(ByteArrayOutputStream out, String value)
    {
        byte[] octets = bytes(value);
        int length = octets.length;
        if (length < 127) {
            out.write(length);
        }
        else {
            out.write(127);
            length -= 127;
            while (length >= 128) {
                out.write((length & 0x7F) | 0x80);
                length >>>= 7;
            }
            out.write(length);
        }
        out.writeBytes(octets);
    }

    // ---- GraphQL over HTTP/1.1 ----

    record GraphQlExchange(String operation, String type, byte[] request, byte[] response) {}

    static GraphQlExchange graphql(Random random, DemoCluster.Edge edge)
    {
        boolean mutation = random.nextInt(4) == 0;
        String operation = mutation ? "AddToCart" : random.nextBoolean() ? "GetProducts" : "GetOrder";
        String query = mutation ? "mutation AddToCart($id: ID!) { addToCart(productId: $id) { items { id } } }"
                : operation.equals("GetProducts") ? "query GetProducts { products(first: 20) { id name price } }"
                : "query GetOrder($id: ID!) { order(id: $id) { id status total } }";
        String body = "{\"query\":\"" + query.replace("\"", "\\\"") + "\",\"operationName\":\"" + operation + "\",\"variables\":{\"id\":\""
                + (1000 + random.nextInt(9000)) + "\"}}";
        byte[] bodyBytes = bytes(body);
        String head = "POST /graphql HTTP/1.1\r\nHost: " + edge.server().serviceHost() + "\r\nUser-Agent: apollo-client/3.10\r\n"
                + "Content-Type: application/json\r\nAccept: application/json\r\nContent-Length: " + bodyBytes.length + "\r\n\r\n";
        String answer = "{\"data\":{\"" + (mutation ? "addToCart" : "result") + "\":{\"id\":\"" + random.nextInt(99999) + "\"}}}";
        byte[] answerBytes = bytes(answer);
        String responseHead = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + answerBytes.length + "\r\n\r\n";
        return new GraphQlExchange(operation, mutation ? "mutation" : "query", concat(bytes(head), bodyBytes), concat(bytes(responseHead), answerBytes));
    }

    // ---- WebSocket ----

    static byte[] websocketUpgradeRequest(Random random, DemoCluster.Edge edge)
    {
        byte[] key = new byte[16];
        random.nextBytes(key);
        return bytes("GET " + edge.paths().get(0) + " HTTP/1.1\r\nHost: " + edge.server().serviceHost() + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: " + java.util.Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n\r\n");
    }

    static byte[] websocketUpgradeResponse()
    {
        return bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n");
    }

    /** One WebSocket frame; client frames are masked, as RFC 6455 requires. */
    static byte[] websocketFrame(Random random, boolean fromClient, int opcode, byte[] payload)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x80 | opcode);
        int mask = fromClient ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(mask | payload.length);
        }
        else {
            out.write(mask | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length);
        }
        byte[] key = new byte[4];
        if (fromClient) {
            random.nextBytes(key);
            out.writeBytes(key);
        }
        for (int i = 0; i < payload.length; i++) {
            out.write(fromClient ? payload[i] ^ key[i & 3] : payload[i]);
        }
        return out.toByteArray();
    }

    static byte[] bytes(String text)
    {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[] first, byte[] second)
    {
        byte[] joined = new byte[first.length + second.length];
        System.arraycopy(first, 0, joined, 0, first.length);
        System.arraycopy(second, 0, joined, first.length, second.length);
        return joined;
    }
}
