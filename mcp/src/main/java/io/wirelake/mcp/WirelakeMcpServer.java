package io.wirelake.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransportProvider;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The wirelake MCP server: the lake as tools for an AI agent, with Kubeshark's tool names and
 * argument shapes where Kubeshark has the tool, so skills written for Kubeshark work. A thin
 * surface: every tool is a call into the query layer, the catalog or the evidence package. Answers
 * are JSON in the text content, failures carry {@code isError}. Read-only unless started with
 * {@code --allow-write}: the tools that create snapshots, dissect or export are then not listed.
 */
public final class WirelakeMcpServer
{
    public static final String NAME = "wirelake";

    private final List<ToolDefinition> tools;
    private final Dissections dissections;
    private final McpSettings settings;
    private final PrintStream log;

    /**
     * @param launchers makes the launcher of each dissection a tool starts (the command line's Flink job)
     * @param log where the server logs (stderr; stdout carries only the protocol)
     * @param warmUpTrino reach Trino in the background at once, so the first query does not wait for it to start
     */
    public WirelakeMcpServer(Lake lake, DissectionLaunchers launchers, McpSettings settings, PrintStream log, boolean warmUpTrino)
    {
        requireNonNull(lake, "lake is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.log = requireNonNull(log, "log is null");
        this.dissections = new Dissections(lake, requireNonNull(launchers, "launchers is null"), log);
        Tables tables = new Tables(lake, warmUpTrino ? TrinoWarmUp.start(lake.queries(), log) : TrinoWarmUp.none());
        List<ToolDefinition> all = new ArrayList<>();
        all.addAll(new SnapshotTools(lake, settings, log).definitions());
        all.addAll(new DissectionTools(lake, dissections).definitions());
        all.addAll(new CallTools(tables).definitions());
        all.addAll(new FlowTools(tables).definitions());
        all.addAll(new WorkloadTools(lake).definitions());
        all.addAll(new AnalysisTools(tables).definitions());
        this.tools = all.stream().filter(tool -> settings.allowWrite() || tool.access() == ToolDefinition.Access.READ).toList();
    }

    /** The names of the tools this server offers (the write tools only with --allow-write). */
    public List<String> toolNames()
    {
        return tools.stream().map(ToolDefinition::name).toList();
    }

    /** Every argument name of the offered tools (what a skill may write in a tool call). */
    public java.util.Set<String> argumentNames()
    {
        java.util.Set<String> names = new java.util.TreeSet<>();
        tools.forEach(tool -> names.addAll(tool.argumentNames()));
        return names;
    }

    public static List<String> promptNames()
    {
        return Prompts.names();
    }

    /** Starts serving on a transport; the caller closes the server. */
    public McpSyncServer start(McpServerTransportProvider transport, String version)
    {
        List<McpServerFeatures.SyncToolSpecification> specifications = new ArrayList<>();
        for (ToolDefinition tool : tools) {
            McpSchema.Tool description = McpSchema.Tool.builder(tool.name(), tool.inputSchema())
                    .description(tool.description())
                    .annotations(new McpSchema.ToolAnnotations(null, tool.access() == ToolDefinition.Access.READ, false,
                            tool.access() == ToolDefinition.Access.READ, false, null))
                    .build();
            specifications.add(McpServerFeatures.SyncToolSpecification.builder().tool(description).callHandler((exchange, request) -> call(tool, request)).build());
        }
        return McpServer.sync(transport)
                .serverInfo(NAME, version)
                .instructions(instructions())
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).prompts(false).build())
                // The tools check their arguments against the same rules as their schemas and answer a bad one with JSON naming it
                // ({"error": ...}); the SDK's own check would answer with plain text instead.
                .validateToolInputs(false)
                .tools(specifications)
                .prompts(Prompts.specifications())
                .build();
    }

    private McpSchema.CallToolResult call(ToolDefinition tool, McpSchema.CallToolRequest request)
    {
        long started = System.nanoTime();
        McpSchema.CallToolResult result;
        try {
            Arguments arguments = new Arguments(request.arguments());
            arguments.requireOnly(tool.argumentNames());
            arguments.requireMaximumLengths(tool.maximumLengths());
            result = ToolResults.success(tool.handler().call(arguments));
        }
        catch (Exception | LinkageError e) {
            result = ToolResults.failure(tool.name(), e, log);
        }
        log.printf("wirelake mcp: %s %s in %d ms%n", tool.name(), Boolean.TRUE.equals(result.isError()) ? "refused or failed" : "answered",
                (System.nanoTime() - started) / 1_000_000);
        return result;
    }

    private String instructions()
    {
        return "wirelake is a lakehouse of Kubernetes network traffic: raw capture per node, frozen into snapshots, dissected into tables of API calls "
                + "(api_calls) and L4 flows (flows), queried with KFL2 filters (Kubeshark's CEL-based filter language) compiled to Trino SQL. "
                + "Start with list_snapshots (or get_data_boundaries), then get_api_stats, list_api_calls with a KFL filter, get_api_call, "
                + "list_l4_flows, get_service_map, diff_snapshots between a baseline and a current snapshot, and run_sql for anything else. "
                + "Every query tool names its snapshot with snapshot_id; times are Unix milliseconds (UTC); elapsed_time is microseconds. "
                + (settings.allowWrite()
                ? "This server may write: create_snapshot, start_snapshot_dissection and export_snapshot_pcap are available."
                : "This server is read-only: creating snapshots, dissecting and exporting PCAP need the server started with 'wirelake mcp --allow-write'.");
    }

    /**
     * Serves one client over a byte stream pair (stdin and the real stdout) until the client closes
     * its end; then lets a running dissection finish and stops.
     */
    public void serve(InputStream in, OutputStream out, String version)
            throws InterruptedException, IOException
    {
        ProtocolInput input = ProtocolInput.start(in, out, log);
        McpSyncServer server = start(new StdioServerTransportProvider(new JacksonMcpJsonMapper(new ObjectMapper()), input.transportInput(), out), version);
        log.println("wirelake mcp: serving " + tools.size() + " tools over stdio (" + (settings.allowWrite() ? "read-write" : "read-only") + ")");
        try {
            input.awaitEnd();
        }
        finally {
            dissections.close();
            server.closeGracefully();
            log.println("wirelake mcp: the client closed the connection; stopped");
        }
    }
}
