package io.wirelake.dissect.recorded;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.LoopbackCapture;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * redis-cli against redis-server on loopback (strings, lists, hashes, a 20 KB value over many
 * segments, MULTI/EXEC, a WRONGTYPE error, RESP3 after HELLO 3, and pipelined inline commands),
 * recorded with tcpdump, dissected, and compared with the commands sent and with tshark's RESP
 * dissection of the same file.
 */
@Tag("root")
class RedisCliTest
{
    private static final List<String> COMMANDS = List.of(
            "SET user:1 alice", "GET user:1", "INCR counter", "RPUSH list a b c", "LRANGE list 0 -1", "HSET h f1 v1 f2 v2", "HGETALL h",
            "GET missing", "SET big " + "x".repeat(20_000), "GET big", "MULTI", "SET t 1", "INCR t", "EXEC", "LPUSH user:1 x", "HELLO 3",
            "HGETALL h", "PING");

    @TempDir
    static Path directory;
    static Process redis;
    static Path capture;
    static int port;

    @BeforeAll
    static void record()
            throws Exception
    {
        port = LoopbackCapture.freePort();
        redis = new ProcessBuilder("redis-server", "--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
                .redirectErrorStream(true).redirectOutput(directory.resolve("redis.log").toFile()).start();
        LoopbackCapture.waitForPort(port, "tcp");
        // A loaded machine can lose packets between the kernel and tcpdump: record again until the
        // capture is complete (no drops, and the session's error reply is in it).
        for (int attempt = 1; ; attempt++) {
            Path file = directory.resolve("redis-" + attempt + ".pcap");
            long dropped;
            try (LoopbackCapture recording = LoopbackCapture.start(file, "tcp port " + port)) {
                Path script = LoopbackCapture.write(directory.resolve("commands.txt"), String.join("\n", COMMANDS) + "\n");
                LoopbackCapture.run(List.of("bash", "-c", "redis-cli -p " + port + " < " + script));
                Path pipeline = LoopbackCapture.write(directory.resolve("pipeline.txt"), "PING\r\nSET p 1\r\nGET p\r\n");
                LoopbackCapture.run(List.of("bash", "-c", "redis-cli -p " + port + " --pipe < " + pipeline));
                capture = recording.stop();
                dropped = recording.dropped();
            }
            List<String[]> errors = Tshark.fields(capture, List.of("-d", "tcp.port==" + port + ",resp", "-Y", "resp.error"), "resp.error");
            // tcpdump's drop count is not always readable (-1): tshark's TCP analysis then says
            // whether a segment is missing (seen once under CI load: a reply lost mid-session).
            List<String[]> lost = Tshark.fields(capture, List.of("-Y", "tcp.analysis.lost_segment || tcp.analysis.ack_lost_segment"), "frame.number");
            if (dropped <= 0 && !errors.isEmpty() && lost.isEmpty() && everyByteCaptured(capture)) {
                return;
            }
            if (attempt == 5) {
                throw new IllegalStateException("the loopback capture stayed incomplete after 5 attempts (tcpdump dropped " + dropped
                        + " packets; error replies in the capture: " + errors.size() + "; segments lost: " + lost.size() + ")");
            }
            LoopbackCapture.run(List.of("redis-cli", "-p", String.valueOf(port), "FLUSHALL"));
        }
    }

    /**
     * Whether each direction of each connection holds every byte from the handshake on to its last
     * sequence number. (Added when a 170 KB reply seemed missing although tshark flagged no lost
     * segment; that was the dissector reading a COMMAND DOCS reply that starts with "subscribe" as
     * a subscription confirmation, see RedisPairingTest.)
     */
    private static boolean everyByteCaptured(Path capture)
            throws Exception
    {
        java.util.Map<String, long[]> directions = new java.util.HashMap<>();
        for (String[] row : Tshark.fields(capture, List.of("-o", "tcp.relative_sequence_numbers:TRUE", "-Y", "tcp.len > 0"), "tcp.stream", "tcp.srcport",
                "tcp.seq", "tcp.len")) {
            long seq = Long.parseLong(row[2]);
            long length = Long.parseLong(row[3]);
            long[] span = directions.computeIfAbsent(row[0] + ":" + row[1], key -> new long[] {Long.MAX_VALUE, 0, 0});
            span[0] = Math.min(span[0], seq);
            span[1] = Math.max(span[1], seq + length);
            span[2] += length;
        }
        // Relative sequence numbers: the first data byte after the handshake is 1.
        return !directions.isEmpty() && directions.values().stream().allMatch(span -> span[0] == 1 && span[2] >= span[1] - span[0]);
    }

    @AfterAll
    static void stop()
            throws InterruptedException
    {
        if (redis != null) {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyCommandIsOneRowWithItsReply()
    {
        List<GenericData.Record> calls = Dissection.of(capture).calls("Redis");
        List<String> verbs = calls.stream().map(call -> (String) call.get("redis_type")).toList();
        // redis-cli first asks for COMMAND DOCS; --pipe ends with an ECHO of a random marker.
        List<String> expected = new ArrayList<>(List.of("COMMAND"));
        expected.addAll(COMMANDS.stream().map(command -> command.split(" ")[0]).toList());
        expected.addAll(List.of("PING", "SET", "GET", "ECHO"));
        assertThat(verbs).isEqualTo(expected);
        assertThat(calls).allSatisfy(call -> assertThat((Long) call.get("redis_response_size")).as("%s answered", call.get("redis_command")).isPositive());
        GenericData.Record big = calls.get(10);
        assertThat(big.get("redis_key")).isEqualTo("big");
        assertThat((Long) big.get("redis_response_size")).isEqualTo(20_000L + "$20000\r\n\r\n".length());
        assertThat(calls.get(9).get("redis_command").toString()).hasSize(1024).startsWith("SET big xxx");
        assertThat(calls.get(14).get("redis_reply")).isEqualTo("[OK, 2]");
        assertThat(calls.get(15).get("redis_error").toString()).startsWith("WRONGTYPE");
        assertThat(calls.get(17).get("redis_reply").toString()).contains("f1").contains("v2");
        assertThat(calls.get(2).get("redis_reply")).isEqualTo("alice");
        assertThat(calls.get(8).get("redis_reply")).isEqualTo("");
    }

    @Test
    void errorsAndStatusRepliesAreTsharks()
            throws Exception
    {
        List<String> decodeAs = List.of("-d", "tcp.port==" + port + ",resp", "-Y", "tcp.srcport == " + port);
        List<String> tsharkErrors = new ArrayList<>();
        List<String> tsharkStrings = new ArrayList<>();
        for (String[] row : Tshark.fields(capture, decodeAs, "resp.error", "resp.string")) {
            if (!row[0].isEmpty()) {
                tsharkErrors.addAll(List.of(row[0].split(",")));
            }
            if (!row[1].isEmpty()) {
                // Status replies only: the COMMAND DOCS reply holds many simple strings of its own.
                List.of(row[1].split(",")).stream().filter(text -> text.equals("OK") || text.equals("PONG") || text.equals("QUEUED")).forEach(tsharkStrings::add);
            }
        }
        List<GenericData.Record> calls = Dissection.of(capture).calls("Redis");
        List<String> errors = calls.stream().map(call -> call.get("redis_error").toString()).filter(error -> !error.isEmpty()).toList();
        List<String> statuses = new ArrayList<>();
        for (GenericData.Record call : calls) {
            String reply = call.get("redis_reply").toString();
            if (reply.equals("OK") || reply.equals("PONG") || reply.equals("QUEUED")) {
                statuses.add(reply);
            }
            if (reply.startsWith("[OK")) {
                statuses.add("OK");
            }
        }
        assertThat(errors).hasSize(1).containsExactlyInAnyOrderElementsOf(tsharkErrors);
        assertThat(statuses).containsExactlyInAnyOrderElementsOf(tsharkStrings);
    }
}
