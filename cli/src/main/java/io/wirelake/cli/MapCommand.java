package io.wirelake.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.kfl.CompiledFilter;
import io.wirelake.kfl.KflCompiler;
import io.wirelake.kfl.KflException;
import io.wirelake.query.LakeSession;
import io.wirelake.query.TableSource;
import io.wirelake.query.report.ServiceMap;
import io.wirelake.query.report.ServiceMapFormat;
import io.wirelake.store.ObjectStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code wirelake map SNAPSHOT}: the service map of a snapshot. */
@Command(name = "map", mixinStandardHelpOptions = true,
        description = {"The service map of a dissected snapshot: workloads (and addresses outside the cluster, named by DNS answers and TLS SNI)",
                "as nodes, and per server port their L4 numbers (flows, bytes, handshake RTT) and L7 numbers (protocols, calls, errors, p95 latency)."})
final class MapCommand
        implements Callable<Integer>
{
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "SNAPSHOT")
    String snapshot;

    @Option(names = "--kfl", paramLabel = "EXPR", description = "Only calls (or flows) this KFL2 filter selects.")
    String kfl;

    @Option(names = "--format", defaultValue = "json", paramLabel = "FORMAT", description = "json (default), dot (Graphviz) or html (one self-contained page).")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path output;

    @Override
    public Integer call()
            throws Exception
    {
        String chosen = format.toLowerCase(Locale.ROOT);
        if (!java.util.List.of("json", "dot", "html").contains(chosen)) {
            throw new IllegalArgumentException("--format must be json, dot or html");
        }
        Optional<CompiledFilter> filter;
        try {
            filter = kfl == null || kfl.isBlank() ? Optional.empty() : Optional.of(new KflCompiler().compile(kfl, Optional.empty(), Instant.now()));
        }
        catch (KflException e) {
            System.err.println("wirelake: " + e.getMessage());
            return 2;
        }
        ServiceMap.Graph graph;
        try (ObjectStore store = Wirelake.openStore(spec); LakeSession session = Wirelake.queryService(spec).open(TableSource.snapshot(store, snapshot))) {
            graph = ServiceMap.build(session, snapshot, filter);
        }
        String text = switch (chosen) {
            case "dot" -> ServiceMapFormat.dot(graph);
            case "html" -> ServiceMapFormat.html(graph);
            default -> new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(ServiceMapFormat.json(graph)) + "\n";
        };
        if (output != null) {
            Files.writeString(output, text, StandardCharsets.UTF_8);
            System.err.printf("wirelake: service map of %s (%d nodes, %d edges) written to %s%n", snapshot, graph.nodes().size(), graph.edges().size(), output);
        }
        else {
            System.out.print(text);
        }
        return 0;
    }
}
