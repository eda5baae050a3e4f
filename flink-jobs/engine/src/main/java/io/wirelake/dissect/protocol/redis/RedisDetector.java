package io.wirelake.dissect.protocol.redis;

import io.wirelake.dissect.protocol.Detection;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.PortHintedDetector;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.protocol.Transport;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Redis by content: a client's first bytes are a RESP array of bulk strings ({@code *N\r\n$L\r\n})
 * or, on the Redis ports, an inline command; a server's are a RESP reply. Port hints: 6379, 6380,
 * 26379 (Sentinel).
 */
public final class RedisDetector
        extends PortHintedDetector
{
    private static final Set<Integer> PORTS = Set.of(6379, 6380, 26379);
    private static final Pattern COMMAND = Pattern.compile("^\\*[1-9][0-9]{0,6}\r\n\\$[0-9]{1,9}\r\n[A-Za-z]", Pattern.DOTALL);
    private static final Pattern COMMAND_PREFIX = Pattern.compile("^\\*([0-9]{0,7}(\r(\n(\\$([0-9]{0,9}(\r(\n)?)?)?)?)?)?)?$", Pattern.DOTALL);
    /** Inline commands recognised on any port (elsewhere than the Redis ports any word will do). */
    private static final Set<String> INLINE_COMMANDS = Set.of("PING", "ECHO", "GET", "SET", "DEL", "EXISTS", "INCR", "DECR", "MGET", "MSET", "HGET",
            "HSET", "HGETALL", "LPUSH", "RPUSH", "LRANGE", "SADD", "SMEMBERS", "ZADD", "ZRANGE", "EXPIRE", "TTL", "KEYS", "SCAN", "AUTH", "SELECT",
            "INFO", "HELLO", "SUBSCRIBE", "PSUBSCRIBE", "PUBLISH", "MULTI", "EXEC", "CONFIG", "FLUSHALL", "FLUSHDB", "DBSIZE", "TYPE");
    /** An inline command: a word of letters, then anything, then the end of the line. */
    private static final Pattern INLINE = Pattern.compile("^[A-Za-z][A-Za-z.|_-]{0,31}( [^\r\n]*)?\r?\n.*", Pattern.DOTALL);
    private static final Pattern REPLY = Pattern.compile("^([+-][^\r\n]*\r\n|:-?[0-9]+\r\n|\\$(-1|[0-9]+)\r\n|\\*(-1|[0-9]+)\r\n|[%~>|][0-9]+\r\n|_\r\n|#[tf]\r\n)", Pattern.DOTALL);

    public RedisDetector()
    {
        super("Redis", Transport.TCP, PORTS);
    }

    @Override
    public Detection detect(boolean fromClient, byte[] data, int offset, int length, int serverPort)
    {
        String head = new String(data, offset, Math.min(length, 64), StandardCharsets.ISO_8859_1);
        if (fromClient) {
            if (COMMAND.matcher(head).find()) {
                return Detection.MATCH;
            }
            if (COMMAND_PREFIX.matcher(head).matches()) {
                return Detection.NEED_MORE;
            }
            if (INLINE.matcher(head).matches() && (hintsPort(serverPort) || INLINE_COMMANDS.contains(firstWord(head)))) {
                return Detection.MATCH;
            }
            return hintsPort(serverPort) && head.indexOf('\n') < 0 && head.length() < 64 && head.matches("[A-Za-z][^\r\n]*") ? Detection.NEED_MORE
                    : Detection.NO_MATCH;
        }
        // A bare reply is weak evidence: only on a Redis port.
        if (!hintsPort(serverPort)) {
            return Detection.NO_MATCH;
        }
        if (REPLY.matcher(head).find()) {
            return Detection.MATCH;
        }
        return head.indexOf('\n') < 0 && head.length() < 64 && !head.isEmpty() && "+-:$*%~>|_#".indexOf(head.charAt(0)) >= 0 ? Detection.NEED_MORE
                : Detection.NO_MATCH;
    }

    private static String firstWord(String head)
    {
        int end = 0;
        while (end < head.length() && Character.isLetter(head.charAt(end))) {
            end++;
        }
        return head.substring(0, end).toUpperCase(java.util.Locale.ROOT);
    }

    @Override
    public StreamDissector newStreamDissector(DissectionContext context)
    {
        return new RedisDissector(context);
    }
}
