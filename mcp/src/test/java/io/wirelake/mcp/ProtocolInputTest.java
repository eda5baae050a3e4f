package io.wirelake.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Hostile input on stdin: each bad line answered with JSON-RPC's error and dropped, the good ones passed on unchanged. */
class ProtocolInputTest
{
    @Test
    void badLinesAreAnsweredAndGoodOnesPassThrough()
            throws Exception
    {
        String good = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"ping\"}";
        String notification = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}";
        String input = "this is not json\n" + good + "\r\n\n[1,2,3]\n{\"jsonrpc\":\"1.0\",\"id\":2}\n{\"jsonrpc\":\"2.0\"}\n{\"jsonrpc\":\"2.0\",\"id\":\n"
                + "x".repeat(ProtocolInput.MAXIMUM_LINE + 10) + "\n" + notification;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProtocolInput protocol = ProtocolInput.start(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        String passed = new String(protocol.transportInput().readAllBytes(), StandardCharsets.UTF_8);
        protocol.awaitEnd();
        assertThat(passed).isEqualTo(good + "\n" + notification + "\n");
        List<JsonNode> errors = out.toString(StandardCharsets.UTF_8).lines().map(line -> {
            try {
                return Json.MAPPER.readTree(line);
            }
            catch (java.io.IOException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }).toList();
        assertThat(errors).extracting(error -> error.path("error").path("code").asInt()).containsExactly(-32700, -32600, -32600, -32600, -32700, -32600);
        assertThat(errors).allSatisfy(error -> {
            assertThat(error.path("jsonrpc").asText()).isEqualTo("2.0");
            assertThat(error.path("id").isNull()).isTrue();
        });
    }
}
