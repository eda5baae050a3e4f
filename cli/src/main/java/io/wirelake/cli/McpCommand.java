package io.wirelake.cli;

import io.wirelake.catalog.snapshot.DissectionLauncher;
import io.wirelake.dissect.protocol.ProtocolRegistry;
import io.wirelake.mcp.DissectionLaunchers;
import io.wirelake.mcp.Lake;
import io.wirelake.mcp.McpSettings;
import io.wirelake.mcp.WirelakeMcpServer;
import io.wirelake.store.ObjectStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.FileOutputStream;
import java.io.FileDescriptor;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.LongConsumer;

/** {@code wirelake mcp}: the MCP server over stdio, for AI agents (Claude Desktop, Claude Code, ...). */
@Command(name = "mcp", mixinStandardHelpOptions = true,
        description = {"Serve the lake to an AI agent as an MCP server over stdio (JSON-RPC on stdout, logs on stderr): snapshots, API calls, flows,",
                "stats, service maps, drift reports, read-only SQL and KFL checks as tools, with Kubeshark's tool names. Read-only unless --allow-write."})
final class McpCommand
        implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--allow-write", description = "Also offer the tools that change the store or write files: create_snapshot, start_snapshot_dissection, export_snapshot_pcap.")
    boolean allowWrite;

    @Option(names = "--export-dir", paramLabel = "DIR", description = "Where export_snapshot_pcap writes (default: $WIRELAKE_HOME/exports, WIRELAKE_HOME defaulting to ~/.wirelake).")
    Path exportDirectory;

    @Option(names = "--no-trino-warm-up", description = "Do not reach Trino when the server starts (it is then started by the first query).")
    boolean noWarmUp;

    @Override
    public Integer call()
            throws Exception
    {
        // The protocol owns stdout: anything a library prints there would corrupt it, so System.out goes to stderr from here on.
        OutputStream protocol = new FileOutputStream(FileDescriptor.out);
        PrintStream log = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.setOut(log);
        String home = System.getenv().getOrDefault("WIRELAKE_HOME", System.getProperty("user.home") + "/.wirelake");
        Path exports = exportDirectory != null ? exportDirectory : Path.of(home, "exports");
        Path work = Files.createTempDirectory("wirelake-mcp");
        try (ObjectStore store = Wirelake.openStore(spec)) {
            Lake lake = new Lake(EvidenceCommands.evidence(store), Wirelake.queryService(spec), work);
            WirelakeMcpServer server = new WirelakeMcpServer(lake, new FlinkLaunchers(work, RedactionOptions.redaction(RedactionOptions.forStore(java.util.Optional.empty(), store), store.location())), new McpSettings(allowWrite, exports), log, !noWarmUp);
            log.println("wirelake mcp: store " + store.location() + ", " + lake.queries().trino().description());
            server.serve(System.in, protocol, new Wirelake.Version().getVersion()[0].replaceFirst("^wirelake ", ""));
        }
        finally {
            io.wirelake.catalog.Directories.deleteTree(work);
        }
        return 0;
    }

    /**
     * Dissections the server starts run as the Flink job on a local MiniCluster, as 'snapshot
     * dissect' runs them, with the store's redaction (its settings/redaction.json, else the default rules).
     */
    private record FlinkLaunchers(Path work, io.wirelake.dissect.redact.Redaction redaction)
            implements DissectionLaunchers
    {
        @Override
        public List<String> protocols()
        {
            return ProtocolRegistry.selectable();
        }

        @Override
        public DissectionLauncher launcher(List<String> protocols, LongConsumer bytesRead)
        {
            return new LocalFlinkLauncher(new DissectionSettings(0, 1, protocols), redaction, work, Map.of(), bytesRead);
        }
    }
}
