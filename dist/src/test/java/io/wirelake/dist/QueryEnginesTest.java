package io.wirelake.dist;

import io.wirelake.demo.DemoCluster;
import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.kfl.CompiledFilter;
import io.wirelake.kfl.KflCompiler;
import io.wirelake.kfl.SeedFilters;
import io.wirelake.query.LakeSession;
import io.wirelake.query.QueryService;
import io.wirelake.query.Selection;
import io.wirelake.query.TableSource;
import io.wirelake.query.TrinoAccess;
import io.wirelake.store.LocalObjectStore;
import io.wirelake.store.ObjectStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every filter of the seed documents (the KFL skill, the RCA skill's filter patterns, the
 * reference's map expressions: the filters users and agents copy), run by {@code bin/wirelake
 * query} on a dissected snapshot of the demo cluster (three nodes, cross-node traffic, Kubernetes
 * metadata) on both engines: the local Trino this JVM shares with the other distribution tests, and
 * {@code --engine local}. Each engine's rows are compared with the oracle, CEL's own evaluator over
 * every row of the snapshot's Parquet files read in this JVM ({@link CelOracle}). Every filter runs
 * through the query service the command runs, in this JVM (on Trino in one session, as the
 * command's query, without preparing the snapshot anew each time); every tenth also through the
 * command, on one engine or the other in turn. The SQL the compiler writes for them is recorded in
 * kfl-to-sql's seed-filters.baseline; this test is what says that SQL selects the right rows.
 */
class QueryEnginesTest
{
    private static final String SNAPSHOT = "seed-filters";

    private static Path directory;
    private static Map<String, String> environment;
    private static Path tables;

    @BeforeAll
    static void dissect()
            throws Exception
    {
        directory = Distribution.emptyDirectory("query-engines");
        environment = new HashMap<>(Distribution.trino());
        environment.put("WIRELAKE_STORE", directory.resolve("store").toString());
        Distribution.Run generated = Distribution.run(directory, environment, "generate", "--out", "captures", "--size", "2MB", "--cross-node-copies");
        assertThat(generated.exit()).as(generated.both()).isZero();
        Path captures = directory.resolve("captures");
        for (DemoCluster.Node node : DemoCluster.NODES) {
            Distribution.Run imported = Distribution.run(directory, environment, "import", "--node", node.name(), captures.resolve(node.name() + ".pcap").toString(),
                    captures.resolve(DemoTrafficGenerator.METADATA_FILE).toString());
            assertThat(imported.exit()).as(imported.both()).isZero();
        }
        // create freezes the window and dissects it
        Distribution.Run created = Distribution.run(directory, environment, "snapshot", "create", SNAPSHOT);
        assertThat(created.exit()).as(created.both()).isZero();
        assertThat(Distribution.run(directory, environment, "snapshot", "get", SNAPSHOT).out()).contains("status     dissected");
        tables = directory.resolve("store").resolve("tables");
    }

    @Test
    void everySeedFilterSelectsTheSameRowsOnBothEnginesAsCel()
            throws Exception
    {
        List<String> filters = new ArrayList<>(SeedFilters.filters());
        SeedFilters.referenceExpressions().forEach(expression -> filters.add(expression + " != \"\""));
        assertThat(filters).hasSizeGreaterThan(60);
        KflCompiler compiler = new KflCompiler();
        List<String> selecting = new ArrayList<>();
        List<String> differing = new ArrayList<>();
        int throughTheCommand = 0;
        // Every filter through the query service the command runs, in this JVM, against the Trino the
        // command started; every tenth also through bin/wirelake itself, on the two engines in turn,
        // a process per query (164 processes for all of them took twelve minutes of the suite).
        QueryService service = new QueryService(new TrinoAccess.Local(Distribution.localTrino(), notice -> {}));
        try (ObjectStore store = new LocalObjectStore(directory.resolve("store"));
                LakeSession session = service.open(TableSource.snapshots(store, List.of(SNAPSHOT)))) {
            for (int index = 0; index < filters.size(); index++) {
                String kfl = filters.get(index);
                CompiledFilter compiled = compiler.compile(kfl, Instant.now());
                List<Long> expected = CelOracle.matchingIds(kfl, compiled.table(), tables.resolve(compiled.table().sqlName()).resolve("snapshot_id=" + SNAPSHOT));
                for (QueryService.Engine engine : QueryService.Engine.values()) {
                    List<Long> ids = selectedIds(service, session,
                            new Selection(TableSource.snapshots(store, List.of(SNAPSHOT)), compiled, List.of("id"), Selection.MAXIMUM_LIMIT), engine);
                    if (!ids.equals(expected)) {
                        differing.add(engine + ": " + kfl + " selects " + ids.size() + " rows, CEL " + expected.size());
                    }
                    if (index % 10 == 0 && engine.ordinal() == (index / 10) % 2) {
                        String name = engine.name().toLowerCase(Locale.ROOT);
                        Distribution.Run query = Distribution.run(directory, environment, "query", "--snapshot", SNAPSHOT, "--engine", name, "--kfl", kfl,
                                "--columns", "id", "--format", "csv", "--limit", "1000000");
                        assertThat(query.exit()).as("%s on %s: %s", kfl, name, query.both()).isZero();
                        List<Long> printed = query.out().lines().skip(1).map(Long::parseLong).sorted().toList();
                        if (!printed.equals(expected)) {
                            differing.add("bin/wirelake query --engine " + name + ": " + kfl + " selects " + printed.size() + " rows, CEL " + expected.size());
                        }
                        throughTheCommand++;
                    }
                }
                if (!expected.isEmpty()) {
                    selecting.add(kfl);
                }
            }
        }
        assertThat(differing).as("filters whose rows differ from CEL's").isEmpty();
        assertThat(throughTheCommand).as("queries through bin/wirelake").isGreaterThanOrEqualTo(8);
        // Many seed filters name things the demo cluster does not have (a "production" namespace, eBPF captures, processes):
        // 33 of them select rows of the demo at seed 42; fewer means the comparison has come to say less.
        assertThat(selecting.size()).as("seed filters that select rows of the demo: %s", selecting).isGreaterThanOrEqualTo(30);
    }

    /**
     * The ids a selection selects on an engine, sorted: on Trino in the session given (one for all
     * of a test's filters: the query each command sends, without preparing its source again each
     * time), locally as the command does.
     */
    static List<Long> selectedIds(QueryService service, LakeSession session, Selection selection, QueryService.Engine engine)
            throws Exception
    {
        List<Long> ids = new ArrayList<>();
        if (engine == QueryService.Engine.TRINO) {
            service.select(session, selection, values -> ids.add((Long) values.get(0)));
        }
        else {
            service.select(selection, engine, values -> ids.add((Long) values.get(0)));
        }
        ids.sort(Long::compare);
        return ids;
    }
}
