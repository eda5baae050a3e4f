package io.wirelake.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Two days of the demo cluster in a store, made once per test JVM and shared: {@code generate
 * --scenario drift} (docs/DEMO.md), each day's captures and metadata imported as the collectors
 * would write them, and a dissected snapshot of each day's window ({@code baseline},
 * {@code incident}), all through the packaged command. The drift report's and the MCP server's
 * tests read the same lake against the generator's ground truth ({@code drift-truth.json}).
 */
final class DriftLake
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static DriftLake lake;

    private final Path work;
    private final JsonNode truth;
    private final Map<String, String> environment;

    private DriftLake(Path work, JsonNode truth, Map<String, String> environment)
    {
        this.work = requireNonNull(work, "work is null");
        this.truth = requireNonNull(truth, "truth is null");
        this.environment = Map.copyOf(environment);
    }

    static synchronized DriftLake get()
            throws Exception
    {
        if (lake == null) {
            lake = make();
        }
        return lake;
    }

    /** The working directory: {@code demo/} (the generated days), {@code store/}. */
    Path work()
    {
        return work;
    }

    JsonNode truth()
    {
        return truth;
    }

    /** The environment of every command on this lake: the shared Trino, the store. */
    Map<String, String> environment()
    {
        return environment;
    }

    Path store()
    {
        return work.resolve("store");
    }

    private static DriftLake make()
            throws Exception
    {
        Path work = Distribution.emptyDirectory("drift-lake");
        Distribution.Run generated = Distribution.run(work, Map.of(), "generate", "--scenario", "drift", "--size", "8MB", "--cross-node-copies", "--out", "demo");
        check(generated);
        JsonNode truth = JSON.readTree(work.resolve("demo/drift-truth.json").toFile());
        Map<String, String> environment = new HashMap<>(Distribution.trino());
        environment.put("WIRELAKE_STORE", work.resolve("store").toString());
        for (String day : List.of("baseline", "incident")) {
            JsonNode facts = truth.path("days").path(day);
            for (JsonNode capture : facts.path("captures")) {
                String file = capture.asText();
                String node = file.substring(file.lastIndexOf('/') + 1, file.length() - ".pcap".length());
                check(Distribution.run(work, environment, "import", "--node", node, "demo/" + file, "demo/" + facts.path("metadata").asText()));
            }
            Distribution.Run created = Distribution.run(work, environment, "snapshot", "create", day, "--from", facts.path("from").asText(), "--to",
                    facts.path("to").asText());
            check(created);
            if (!created.out().contains("registered")) {
                throw new AssertionError("snapshot create " + day + " did not dissect:\n" + created.both());
            }
        }
        return new DriftLake(work, truth, environment);
    }

    private static void check(Distribution.Run run)
    {
        if (run.exit() != 0) {
            throw new AssertionError(run.both());
        }
    }

    /**
     * The ground truth names endpoints by the bare service name ({@code catalog GET /x}); wirelake
     * names them with the namespace ({@code shop/catalog GET /x}), since service names repeat across
     * namespaces. Everything else is named alike.
     */
    static String comparable(String check, String subject)
    {
        if (check.endsWith("_endpoint") || check.equals("latency_regression") || check.equals("error_rate_increase")) {
            int slash = subject.indexOf('/');
            int space = subject.indexOf(' ');
            return slash >= 0 && slash < space ? subject.substring(slash + 1) : subject;
        }
        return subject;
    }
}
