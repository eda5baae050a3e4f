package io.wirelake.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

import static java.util.Objects.requireNonNull;

/**
 * Stands between the client's stdin and the SDK's stdio transport: a line that is not a JSON-RPC
 * message (not JSON, not an object, no {@code jsonrpc} 2.0, or longer than the limit) is answered
 * with JSON-RPC's parse error or invalid-request error and dropped, where the transport would stop
 * reading altogether. Well-formed lines pass through unchanged. Counts down when the client closes
 * its end.
 */
final class ProtocolInput
{
    /** The longest message accepted: tool arguments are small (SQL and KFL are bounded far below this). */
    static final int MAXIMUM_LINE = 4 << 20;

    private final PipedInputStream transportSide;
    private final CountDownLatch ended = new CountDownLatch(1);

    private ProtocolInput(PipedInputStream transportSide)
    {
        this.transportSide = transportSide;
    }

    /**
     * @param out the stream the transport writes to: errors are written under its lock, as the
     *        transport writes its own messages, so lines never interleave
     */
    static ProtocolInput start(InputStream clientInput, OutputStream out, PrintStream log)
            throws IOException
    {
        requireNonNull(clientInput, "clientInput is null");
        requireNonNull(out, "out is null");
        PipedInputStream transportSide = new PipedInputStream(1 << 20);
        PipedOutputStream pipe = new PipedOutputStream(transportSide);
        ProtocolInput input = new ProtocolInput(transportSide);
        Thread pump = new Thread(() -> input.pump(new BufferedReader(new InputStreamReader(clientInput, StandardCharsets.UTF_8)), pipe, out, log), "wirelake-mcp-input");
        pump.setDaemon(true);
        pump.start();
        return input;
    }

    /** What the transport reads. */
    InputStream transportInput()
    {
        return transportSide;
    }

    void awaitEnd()
            throws InterruptedException
    {
        ended.await();
    }

    private void pump(Reader reader, PipedOutputStream pipe, OutputStream out, PrintStream log)
    {
        try (pipe) {
            StringBuilder line = new StringBuilder();
            boolean tooLong = false;
            int character;
            while ((character = reader.read()) != -1) {
                if (character == '\n' || character == '\r') {
                    if (tooLong) {
                        reply(out, error(-32600, "the message is longer than " + MAXIMUM_LINE + " characters"), log);
                    }
                    else if (!line.toString().isBlank()) {
                        forward(line.toString(), pipe, out, log);
                    }
                    line.setLength(0);
                    tooLong = false;
                    continue;
                }
                if (line.length() >= MAXIMUM_LINE) {
                    // The rest of the line is read and dropped: memory stays bounded.
                    tooLong = true;
                    line.setLength(0);
                }
                if (!tooLong) {
                    line.append((char) character);
                }
            }
            if (!tooLong && !line.toString().isBlank()) {
                forward(line.toString(), pipe, out, log);
            }
        }
        catch (IOException e) {
            log.println("wirelake mcp: reading the client's input failed: " + e.getMessage());
        }
        finally {
            ended.countDown();
        }
    }

    private static void forward(String line, PipedOutputStream pipe, OutputStream out, PrintStream log)
            throws IOException
    {
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(line);
        }
        catch (IOException e) {
            reply(out, error(-32700, "parse error: the line is not JSON"), log);
            return;
        }
        if (message == null || !message.isObject() || !"2.0".equals(message.path("jsonrpc").asText()) || !(message.has("method") || message.has("id"))) {
            reply(out, error(-32600, "invalid request: a JSON-RPC 2.0 message is an object with \"jsonrpc\": \"2.0\" and a method or an id"), log);
            return;
        }
        pipe.write(line.getBytes(StandardCharsets.UTF_8));
        pipe.write('\n');
        pipe.flush();
    }

    private static ObjectNode error(int code, String message)
    {
        ObjectNode response = Json.object();
        response.put("jsonrpc", "2.0");
        response.putNull("id");
        response.putObject("error").put("code", code).put("message", message);
        return response;
    }

    private static void reply(OutputStream out, ObjectNode response, PrintStream log)
    {
        log.println("wirelake mcp: refused a message from the client: " + response.path("error").path("message").asText());
        synchronized (out) {
            try {
                out.write((Json.text(response) + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
            catch (IOException e) {
                log.println("wirelake mcp: could not answer the client: " + e.getMessage());
            }
        }
    }
}
