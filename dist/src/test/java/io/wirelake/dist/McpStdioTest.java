package io.wirelake.dist;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/wirelake mcp} on the byte level, as a client that misbehaves meets it: stdout carries
 * nothing but JSON-RPC (the logs go to stderr), a line that is not JSON-RPC is answered with the
 * protocol's error and the server goes on, and closing stdin stops it cleanly.
 */
class McpStdioTest
{
    @Test
    void stdoutIsOnlyTheProtocolAndGarbageIsAnsweredNotFatal()
            throws Exception
    {
        DriftLake lake = DriftLake.get();
        Path directory = lake.work();
        List<String> command = List.of(Distribution.root().resolve("bin/wirelake").toString(), "mcp", "--no-trino-warm-up");
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        builder.environment().clear();
        builder.environment().putAll(Distribution.baseEnvironment(directory));
        builder.environment().putAll(lake.environment());
        Path stderr = Files.createTempFile(directory, "mcp-stderr", ".txt");
        Process process = builder.redirectError(stderr.toFile()).start();
        List<JsonNode> messages = new ArrayList<>();
        try (OutputStream in = process.getOutputStream();
                BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            send(in, "this is not JSON-RPC");
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},"
                    + "\"clientInfo\":{\"name\":\"raw\",\"version\":\"1\"}}}");
            JsonNode garbage = read(out, messages);
            assertThat(garbage.path("error").path("code").asInt()).isEqualTo(-32700);
            assertThat(garbage.path("id").isNull()).isTrue();
            JsonNode initialized = read(out, messages);
            assertThat(initialized.path("id").asInt()).isEqualTo(1);
            assertThat(initialized.path("result").path("serverInfo").path("name").asText()).isEqualTo("wirelake");
            send(in, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            send(in, "[\"not\", \"an\", \"object\"]");
            assertThat(read(out, messages).path("error").path("code").asInt()).isEqualTo(-32600);
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"kfl_check\",\"arguments\":{\"kfl\":\"dns && dns_response\"}}}");
            JsonNode checked = read(out, messages);
            assertThat(checked.path("id").asInt()).isEqualTo(2);
            JsonNode answer = McpServers.JSON.readTree(checked.path("result").path("content").get(0).path("text").asText());
            assertThat(answer.path("table").asText()).isEqualTo("api_calls");
            send(in, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{\"name\":\"list_snapshots\",\"arguments\":{}}}");
            assertThat(read(out, messages).path("id").asInt()).isEqualTo(3);
        }
        // stdin closed: the server stops by itself.
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the server stops when its client goes").isTrue();
        assertThat(process.exitValue()).isZero();
        String log = Files.readString(stderr);
        assertThat(log).contains("wirelake mcp: serving 16 tools over stdio (read-only)").contains("refused a message from the client")
                .contains("the client closed the connection");
        assertThat(messages).allSatisfy(message -> assertThat(message.path("jsonrpc").asText()).isEqualTo("2.0"));
    }

    private static void send(OutputStream in, String line)
            throws Exception
    {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** The next line of stdout, which must be one JSON-RPC message. */
    private static JsonNode read(BufferedReader out, List<JsonNode> messages)
            throws Exception
    {
        String line = out.readLine();
        assertThat(line).as("the server answers").isNotNull();
        JsonNode message = McpServers.JSON.readTree(line);
        messages.add(message);
        return message;
    }
}
