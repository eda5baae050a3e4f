package io.wirelake.dissect.golden;

import io.wirelake.columns.Table;
import io.wirelake.demo.DemoCluster;
import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.demo.GeneratorOptions;
import io.wirelake.demo.GeneratorSummary;
import io.wirelake.dissect.enrich.Enrichment;
import io.wirelake.dissect.flow.FlowTracker;
import io.wirelake.dissect.protocol.ProtocolRegistry;
import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.GoldenRows;
import io.wirelake.packets.testing.Corpus;
import io.wirelake.store.meta.WorkloadEvents;
import io.wirelake.store.meta.Workloads;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Every row of every corpus capture, and of a fixed-seed demo capture, is the row saved in
 * {@code src/test/resources/golden-rows/<capture>/<table>.jsonl} (see {@link GoldenRows} for the
 * form). A refactoring must leave them all as they are; a change that means to change rows
 * rewrites them with
 * <pre>
 * ./mvnw -pl flink-jobs/engine -am -Dtest=RowsGoldenTest -Dsurefire.failIfNoSpecifiedTests=false -Dwirelake.golden.update=true verify
 * </pre>
 * and the rewritten files go into the same commit, where {@code git diff} shows what changed.
 */
class RowsGoldenTest
{
    /** The system property that rewrites the golden files instead of comparing with them. */
    static final String UPDATE_PROPERTY = "wirelake.golden.update";
    private static final String DEMO = "demo";
    private static final int SHOWN_DIFFERENCES = 60;

    static List<Corpus.Capture> captures()
    {
        return Corpus.captures();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void corpusCaptureRowsAreTheGoldenOnes(Corpus.Capture capture)
            throws IOException
    {
        check("corpus/" + capture.name(), Dissection.of(capture.path()));
    }

    /**
     * The demo traffic of the three nodes, with the cross-node copies collectors make, each node
     * scanned as the job scans it (its own id base, the cluster's Kubernetes metadata, and the
     * decision which node keeps a flow seen on two).
     */
    @Test
    void demoRowsAreTheGoldenOnes(@TempDir Path directory)
            throws IOException
    {
        GeneratorSummary summary = DemoTrafficGenerator.generate(GeneratorOptions.defaults(800_000).withSeed(1).withCrossNodeCopies(true),
                directory, null);
        Workloads workloads;
        try (InputStream input = Files.newInputStream(directory.resolve(DemoTrafficGenerator.METADATA_FILE))) {
            workloads = new Workloads(WorkloadEvents.read(input, bad -> fail("bad metadata line: " + bad)));
        }
        Set<String> nodes = new HashSet<>();
        DemoCluster.NODES.forEach(node -> nodes.add(node.name()));
        List<GenericData.Record> calls = new ArrayList<>();
        List<GenericData.Record> flows = new ArrayList<>();
        for (int unit = 0; unit < DemoCluster.NODES.size(); unit++) {
            String node = DemoCluster.NODES.get(unit).name();
            Path capture = summary.captures().get(unit);
            assertThat(capture.getFileName().toString()).isEqualTo(node + ".pcap");
            Dissection dissection = Dissection.of(ProtocolRegistry.standard(), FlowTracker.Settings.defaults(node, unit * (1L << 40)),
                    new Enrichment(workloads, nodes, node), capture);
            calls.addAll(dissection.calls());
            flows.addAll(dissection.flows());
        }
        assertThat(calls.size()).as("api_calls rows of the demo").isGreaterThan(300);
        check(DEMO, new Dissection(calls, flows, null));
    }

    /** A golden directory whose capture left the corpus is stale (rewriting removes it). */
    @Test
    void everyGoldenDirectoryHasItsCapture()
            throws IOException
    {
        Set<Path> expected = new HashSet<>();
        expected.add(directory().resolve(DEMO));
        captures().forEach(capture -> expected.add(directory().resolve("corpus/" + capture.name())));
        List<Path> stale;
        try (Stream<Path> files = Files.walk(directory())) {
            stale = files.filter(file -> file.getFileName().toString().equals(Table.FLOWS.sqlName() + ".jsonl"))
                    .map(Path::getParent)
                    .filter(parent -> !expected.contains(parent))
                    .toList();
        }
        if (updating()) {
            for (Path directory : stale) {
                for (Table table : Table.values()) {
                    Files.deleteIfExists(directory.resolve(table.sqlName() + ".jsonl"));
                }
            }
            return;
        }
        assertThat(stale).as("golden rows of captures no longer in the corpus; rewrite with -D%s=true", UPDATE_PROPERTY).isEmpty();
    }

    private static void check(String name, Dissection dissection)
            throws IOException
    {
        List<String> problems = new ArrayList<>();
        for (Table table : Table.values()) {
            List<String> actual = GoldenRows.lines(table, table == Table.API_CALLS ? dissection.calls() : dissection.flows());
            Path file = directory().resolve(name).resolve(table.sqlName() + ".jsonl");
            if (updating()) {
                Files.createDirectories(file.getParent());
                Files.write(file, actual, StandardCharsets.UTF_8);
                continue;
            }
            if (!Files.exists(file)) {
                problems.add("no golden file " + file + " (write it with -D" + UPDATE_PROPERTY + "=true)");
                continue;
            }
            List<String> expected = Files.readAllLines(file, StandardCharsets.UTF_8);
            problems.addAll(GoldenRows.differences(table, expected, actual, SHOWN_DIFFERENCES));
        }
        if (!problems.isEmpty()) {
            fail("The rows of " + name + " are not the golden ones (- golden only, + new only, ~ changed; when the change is meant, rewrite with -D"
                    + UPDATE_PROPERTY + "=true and commit the files):\n" + String.join("\n", problems));
        }
    }

    private static boolean updating()
    {
        return Boolean.getBoolean(UPDATE_PROPERTY);
    }

    /** The checked-in files in the source tree (not the copy in target/), so rewriting edits them. */
    private static Path directory()
    {
        return Path.of(System.getProperty("basedir", ".")).resolve("src/test/resources/golden-rows");
    }
}
