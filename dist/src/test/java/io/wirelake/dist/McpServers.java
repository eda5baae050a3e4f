package io.wirelake.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.spec.McpSchema;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged {@code bin/wirelake mcp} as an MCP client runs it: a process of its own, spoken to
 * over stdio by the MCP Java SDK's own client, on the shared demo lake ({@link DriftLake}). One
 * read-only server and one started with {@code --allow-write}, each started once per test JVM and
 * stopped when it exits.
 */
final class McpServers
{
    static final ObjectMapper JSON = new ObjectMapper();

    private static Server readOnly;
    private static Server readWrite;

    /** A running server: its client, and what it wrote on stderr. */
    record Server(McpSyncClient client, List<String> stderr, Path exports) {}

    /** A tool's answer: the JSON of its one text content, and whether it is an error. */
    record Answer(boolean error, JsonNode json)
    {
        JsonNode path(String name)
        {
            return json.path(name);
        }
    }

    private McpServers() {}

    static synchronized Server readOnly()
            throws Exception
    {
        if (readOnly == null) {
            readOnly = start(List.of("mcp"));
        }
        return readOnly;
    }

    static synchronized Server readWrite()
            throws Exception
    {
        if (readWrite == null) {
            readWrite = start(List.of("mcp", "--allow-write", "--export-dir", DriftLake.get().work().resolve("exports").toString()));
        }
        return readWrite;
    }

    private static Server start(List<String> arguments)
            throws Exception
    {
        DriftLake lake = DriftLake.get();
        Path directory = lake.work();
        Map<String, String> environment = new HashMap<>(lake.environment());
        ServerParameters parameters = ServerParameters.builder(Distribution.root().resolve("bin/wirelake").toString()).args(arguments).env(environment).build();
        StdioClientTransport transport = new StdioClientTransport(parameters, new JacksonMcpJsonMapper(new ObjectMapper()))
        {
            @Override
            protected ProcessBuilder getProcessBuilder()
            {
                // A user's environment, as Distribution gives every command (the SDK then adds the parameters' variables).
                ProcessBuilder builder = new ProcessBuilder().directory(directory.toFile());
                builder.environment().clear();
                try {
                    builder.environment().putAll(Distribution.baseEnvironment(directory));
                }
                catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return builder;
            }
        };
        List<String> stderr = Collections.synchronizedList(new ArrayList<>());
        transport.setStdErrorHandler(stderr::add);
        McpSyncClient client = McpClient.sync(transport)
                .requestTimeout(Duration.ofMinutes(5))
                .initializationTimeout(Duration.ofMinutes(2))
                .clientInfo(McpSchema.Implementation.builder("wirelake-dist-test", "1").build())
                .build();
        client.initialize();
        Runtime.getRuntime().addShutdownHook(new Thread(client::closeGracefully));
        return new Server(client, stderr, directory.resolve("exports"));
    }

    static Answer call(Server server, String tool, Map<String, Object> arguments)
            throws Exception
    {
        McpSchema.CallToolResult result = server.client().callTool(request(tool, arguments));
        assertThat(result.content()).as("%s answers with one text content", tool).hasSize(1);
        assertThat(result.content().get(0)).isInstanceOf(McpSchema.TextContent.class);
        String text = ((McpSchema.TextContent) result.content().get(0)).text();
        JsonNode json = JSON.readTree(text);
        assertThat(json.isObject()).as("%s answers with a JSON object: %s", tool, text).isTrue();
        return new Answer(Boolean.TRUE.equals(result.isError()), json);
    }

    static McpSchema.CallToolRequest request(String tool, Map<String, Object> arguments)
    {
        return McpSchema.CallToolRequest.builder(tool).arguments(arguments).build();
    }

    static McpSchema.GetPromptRequest prompt(String name, Map<String, Object> arguments)
    {
        return McpSchema.GetPromptRequest.builder(name).arguments(arguments).build();
    }

    /** A call that must succeed. */
    static JsonNode ok(Server server, String tool, Map<String, Object> arguments)
            throws Exception
    {
        Answer answer = call(server, tool, arguments);
        assertThat(answer.error()).as("%s %s answered %s", tool, arguments, answer.json()).isFalse();
        return answer.json();
    }

    /** A call that must be refused, with a JSON error that says why. */
    static JsonNode refused(Server server, String tool, Map<String, Object> arguments, String because)
            throws Exception
    {
        Answer answer = call(server, tool, arguments);
        assertThat(answer.error()).as("%s %s must be refused, answered %s", tool, arguments, answer.json()).isTrue();
        assertThat(answer.path("error").asText()).as("%s %s", tool, arguments).contains(because);
        return answer.json();
    }
}
