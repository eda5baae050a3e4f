package io.wirelake.dissect.protocol.redis;

import io.wirelake.columns.Columns;
import io.wirelake.dissect.protocol.DatagramDissector;
import io.wirelake.dissect.protocol.Detection;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.ProtocolDetector;
import io.wirelake.dissect.protocol.ProtocolRegistry;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.protocol.Transport;
import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.FakeDissectionContext;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Commands pair with their own replies whatever the replies hold and however the segments cut
 * them. The capture {@code redis/array-replies.pcap} is a real redis-server 7.0 answering a client
 * (recorded with {@code record-array-replies.py} next to it) whose ordinary array replies look like
 * pub/sub traffic: COMMAND DOCS whose first command is "subscribe" (redis-cli asks COMMAND DOCS
 * first, and the server lists every command in its hash order, which changes with each server
 * start: when "subscribe" came first its 170 KB reply made no row and every later row got the reply
 * of the command before it), LRANGE of lists holding "message ..." and "subscribe ...", then real
 * subscribed mode (SUBSCRIBE, a message published from a second connection, PING, UNSUBSCRIBE) and
 * the same LRANGE after it. The oracle is tshark: each request's bytes, and the bytes the server
 * sent before the next request.
 */
class RedisPairingTest
{
    private static final int SERVER_PORT = 16379;

    /** One request and what the server sent on its connection until the client's next request. */
    private record Exchange(long requestBytes, long replyBytes) {}

    @Test
    void everyCommandIsOneRowWithItsOwnReply()
            throws Exception
    {
        Path capture = capture();
        List<GenericData.Record> calls = Dissection.of(capture).calls("Redis");
        assertThat(calls.stream().map(call -> call.get("redis_type").toString()).toList()).containsExactly(
                "FLUSHALL", "COMMAND", "RPUSH", "LRANGE", "RPUSH", "LRANGE", "SET", "GET", "SUBSCRIBE", "PUBLISH", "MESSAGE", "PING", "UNSUBSCRIBE",
                "LRANGE", "GET");
        assertThat(calls.get(1).get("redis_reply").toString()).startsWith("[subscribe, [summary, Listen for messages published to");
        assertThat(calls.get(1).get("redis_reply").toString()).contains("get, [summary, Get the value of a key");
        assertThat(calls.get(3).get("redis_reply")).hasToString("[message, news, hello]");
        assertThat(calls.get(5).get("redis_reply")).hasToString("[subscribe, news, 1]");
        assertThat(calls.get(6).get("redis_reply")).hasToString("OK");
        assertThat(calls.get(7).get("redis_reply")).hasToString("alice");
        assertThat(calls.get(8).get("redis_reply")).hasToString("[subscribe, news, 1]");
        assertThat(calls.get(10).get("redis_reply")).hasToString("[message, news, hi]");
        assertThat(calls.get(10).get("redis_key")).hasToString("news");
        assertThat(calls.get(11).get("redis_reply")).hasToString("[pong, ]");
        assertThat(calls.get(12).get("redis_reply").toString()).startsWith("[unsubscribe, ");
        assertThat(calls.get(13).get("redis_reply")).hasToString("[message, news, hello]");
        assertThat(calls.get(14).get("redis_reply")).hasToString("alice");
        assertThat(calls).allSatisfy(call -> assertThat(call.get("anomalies").toString()).isEqualTo("[]"));
        assertSizesAreTsharks(capture, calls);
    }

    /** Every cut of each segment in two, and random cuts in many pieces: the same rows. */
    @Test
    void segmentBoundariesChangeNothing()
    {
        Path capture = capture();
        List<GenericData.Record> whole = Dissection.of(capture).calls();
        assertThat(whole).hasSize(15);
        // The largest segment is COMMAND DOCS's 527-byte reply: every cut of it, and of the others.
        for (int cut = 1; cut <= 527; cut++) {
            int at = cut;
            assertThat(Dissection.of(cutting(length -> new int[] {Math.min(at, length)}), capture).calls()).as("cut at %d", cut).isEqualTo(whole);
        }
        for (int seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            IntFunction<int[]> cuts = length -> random.ints(random.nextInt(6), 0, length + 1).sorted().toArray();
            assertThat(Dissection.of(cutting(cuts), capture).calls()).as("seed %d", seed).isEqualTo(whole);
        }
    }

    /**
     * An aggregate nested deeper than the parser keeps is still one reply, counted to its last
     * byte and marked, and the command after it gets its own reply.
     */
    @Test
    void nestingBeyondTheLimitKeepsTheRowAndThePairing()
    {
        FakeDissectionContext context = new FakeDissectionContext();
        StreamDissector dissector = new RedisDetector().newStreamDissector(context);
        String deep = "*1\r\n".repeat(RespParser.MAX_DEPTH + 10) + "$5\r\nvalue\r\n";
        client(dissector, "*2\r\n$3\r\nGET\r\n$4\r\ndeep\r\n*2\r\n$3\r\nGET\r\n$4\r\nnext\r\n");
        server(dissector, deep + "$4\r\nnext\r\n");
        dissector.end(3);
        assertThat(context.rows).hasSize(2);
        assertThat(context.rows.get(0).get("redis_response_size")).isEqualTo((long) deep.length());
        assertThat(context.rows.get(1).get("redis_reply")).hasToString("next");
        assertThat(context.anomalies).containsExactly("redis.nesting_not_kept");
    }

    /** A line longer than the parser keeps is cut, counted whole and marked; the next reply pairs. */
    @Test
    void aLineBeyondTheLimitKeepsTheRowAndThePairing()
    {
        FakeDissectionContext context = new FakeDissectionContext();
        StreamDissector dissector = new RedisDetector().newStreamDissector(context);
        String status = "+" + "s".repeat(RespParser.MAX_LINE + 100) + "\r\n";
        client(dissector, "*1\r\n$4\r\nPING\r\n*2\r\n$3\r\nGET\r\n$4\r\nnext\r\n");
        server(dissector, status + "$4\r\nnext\r\n");
        dissector.end(3);
        assertThat(context.rows).hasSize(2);
        assertThat(context.rows.get(0).get("redis_response_size")).isEqualTo((long) status.length());
        assertThat(context.rows.get(1).get("redis_reply")).hasToString("next");
        assertThat(context.anomalies).containsExactly("redis.line_too_long");
    }

    /**
     * More pipelined commands than are kept waiting: the oldest is a row without its reply, marked,
     * and its reply, when it comes, answers no other command.
     */
    @Test
    void tooManyPipelinedCommandsKeepThePairing()
    {
        FakeDissectionContext context = new FakeDissectionContext();
        StreamDissector dissector = new RedisDetector().newStreamDissector(context);
        int commands = RedisDissector.MAX_PENDING_COMMANDS + 3;
        StringBuilder requests = new StringBuilder();
        StringBuilder replies = new StringBuilder();
        for (int index = 0; index < commands; index++) {
            String key = "k" + index;
            requests.append("*2\r\n$3\r\nGET\r\n$").append(key.length()).append("\r\n").append(key).append("\r\n");
            String value = "v" + index;
            replies.append('$').append(value.length()).append("\r\n").append(value).append("\r\n");
        }
        client(dissector, requests.toString());
        server(dissector, replies.toString());
        dissector.end(3);
        assertThat(context.rows).hasSize(commands);
        assertThat(context.anomalies).containsOnly("redis.too_many_pending_commands");
        for (GenericData.Record row : context.rows) {
            String key = row.get("redis_key").toString();
            boolean evicted = Integer.parseInt(key.substring(1)) < 3;
            assertThat(row.get("redis_reply")).as(key).hasToString(evicted ? "" : "v" + key.substring(1));
        }
    }

    private static void client(StreamDissector dissector, String bytes)
    {
        byte[] data = bytes.getBytes(StandardCharsets.ISO_8859_1);
        dissector.data(true, data, 0, data.length, 1);
    }

    private static void server(StreamDissector dissector, String bytes)
    {
        byte[] data = bytes.getBytes(StandardCharsets.ISO_8859_1);
        dissector.data(false, data, 0, data.length, 2);
    }

    private static Path capture()
    {
        return Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/redis/array-replies.pcap");
    }

    /**
     * Rows of each connection against tshark's segments: one row per request, each with the
     * request's bytes; a reply that is one value has all that the server sent before the next
     * request. (SUBSCRIBE and UNSUBSCRIBE get one confirmation per channel and the message pushed
     * meanwhile: their rows hold the first confirmation.)
     */
    private static void assertSizesAreTsharks(Path capture, List<GenericData.Record> calls)
            throws Exception
    {
        Map<Integer, List<Exchange>> exchanges = new LinkedHashMap<>();
        for (String[] segment : Tshark.fields(capture, List.of("-Y", "tcp.len > 0"), "tcp.srcport", "tcp.dstport", "tcp.len")) {
            int source = Integer.parseInt(segment[0]);
            long length = Long.parseLong(segment[2]);
            if (source != SERVER_PORT) {
                exchanges.computeIfAbsent(source, port -> new ArrayList<>()).add(new Exchange(length, 0));
            }
            else {
                List<Exchange> connection = exchanges.get(Integer.parseInt(segment[1]));
                Exchange last = connection.remove(connection.size() - 1);
                connection.add(new Exchange(last.requestBytes(), last.replyBytes() + length));
            }
        }
        assertThat(exchanges).hasSize(2);
        for (Map.Entry<Integer, List<Exchange>> connection : exchanges.entrySet()) {
            List<GenericData.Record> rows = calls.stream()
                    .filter(call -> ((Number) Dissection.value(call, Columns.SRC_PORT)).intValue() == connection.getKey())
                    .filter(call -> !call.get("redis_type").toString().equals("MESSAGE"))
                    .toList();
            assertThat(rows).hasSameSizeAs(connection.getValue());
            for (int index = 0; index < rows.size(); index++) {
                GenericData.Record row = rows.get(index);
                Exchange exchange = connection.getValue().get(index);
                String verb = row.get("redis_type").toString();
                assertThat(row.get("redis_request_size")).as("%s request", verb).isEqualTo(exchange.requestBytes());
                if (verb.endsWith("SUBSCRIBE")) {
                    assertThat((Long) row.get("redis_response_size")).as("%s reply", verb).isPositive().isLessThan(exchange.replyBytes());
                }
                else {
                    assertThat(row.get("redis_response_size")).as("%s reply", verb).isEqualTo(exchange.replyBytes());
                }
            }
        }
    }

    /** Only Redis, its stream dissector fed each chunk in the pieces the cuts make. */
    private static ProtocolRegistry cutting(IntFunction<int[]> cuts)
    {
        return new ProtocolRegistry(List.of(new Cutting(new RedisDetector(), cuts)));
    }

    private record Cutting(ProtocolDetector detector, IntFunction<int[]> cuts)
            implements ProtocolDetector
    {
        @Override
        public String name()
        {
            return detector.name();
        }

        @Override
        public Transport transport()
        {
            return detector.transport();
        }

        @Override
        public boolean hintsPort(int port)
        {
            return detector.hintsPort(port);
        }

        @Override
        public Detection detect(boolean fromClient, byte[] data, int offset, int length, int serverPort)
        {
            return detector.detect(fromClient, data, offset, length, serverPort);
        }

        @Override
        public DatagramDissector newDatagramDissector(DissectionContext context)
        {
            return detector.newDatagramDissector(context);
        }

        @Override
        public StreamDissector newStreamDissector(DissectionContext context)
        {
            StreamDissector inner = detector.newStreamDissector(context);
            return new StreamDissector()
            {
                @Override
                public void data(boolean fromClient, byte[] data, int offset, int length, long timestampMicros)
                {
                    int start = 0;
                    for (int cut : cuts.apply(length)) {
                        inner.data(fromClient, data, offset + start, cut - start, timestampMicros);
                        start = cut;
                    }
                    inner.data(fromClient, data, offset + start, length - start, timestampMicros);
                }

                @Override
                public void gap(boolean fromClient, long bytes, long timestampMicros)
                {
                    inner.gap(fromClient, bytes, timestampMicros);
                }

                @Override
                public void end(long timestampMicros)
                {
                    inner.end(timestampMicros);
                }
            };
        }
    }
}
