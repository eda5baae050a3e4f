package io.wirelake.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wirelake.catalog.LocalTrino;
import io.wirelake.columns.Table;
import io.wirelake.kfl.SqlText;
import io.wirelake.query.LakeTables;
import io.wirelake.query.report.DriftChecks;
import io.wirelake.query.report.Stats;
import io.wirelake.query.report.Subjects;
import io.wirelake.store.LocalObjectStore;
import io.wirelake.store.ObjectStore;
import io.wirelake.store.S3ObjectStore;
import io.wirelake.store.S3Settings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

/**
 * The notebooks as an analyst runs them. The packaged {@code quickstart} makes the snapshots (its
 * demo snapshot, and the drift scenario's baseline and incident days in a store of their own);
 * then each notebook of the distribution runs headless ({@code jupyter nbconvert --execute}, a
 * process with the environment a user sets) against the shared local Trino. What the executed
 * notebooks show is held against the generator's ground truth (the summary it prints,
 * {@code drift-truth.json}) and the drift report; the Python helper against the Java code it
 * mirrors and against Trino's JDBC driver.
 *
 * <p>Needs Debian's {@code jupyter-nbconvert python3-nbclient python3-ipykernel python3-pandas
 * python3-matplotlib python3-requests} (.ci/run installs them); fails, saying so, without them.
 */
class NotebooksTest
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TABLE = "application/vnd.dataresource+json";
    private static final String PACKAGES = "jupyter-nbconvert python3-nbclient python3-ipykernel python3-pandas python3-matplotlib python3-requests";

    private static Path work;
    private static Path store;
    private static Path driftStore;
    private static String generated;
    private static JsonNode truth;
    private static Map<String, String> environment;

    @BeforeAll
    static void theQuickstartsSnapshots()
            throws Exception
    {
        work = Distribution.emptyDirectory("notebooks");
        environment = new HashMap<>(Distribution.trino());
        Distribution.Run jupyter = runOrExplain(List.of("jupyter", "nbconvert", "--version"));
        assertThat(jupyter.exit()).as("jupyter nbconvert (Debian: %s)\n%s", PACKAGES, jupyter.both()).isZero();
        Distribution.Run quickstart = Distribution.run(work, environment, "quickstart", "--size", "4MB", "--dir", "quickstart");
        assertThat(quickstart.exit()).as(quickstart.both()).isZero();
        generated = quickstart.out();
        store = work.resolve("quickstart/store");
        driftStore = work.resolve("quickstart/drift-store");
        truth = JSON.readTree(work.resolve("quickstart/drift/drift-truth.json").toFile());
    }

    @Test
    void theNotebooksAreCommittedWithoutOutputsAndShippedAsCommitted()
            throws Exception
    {
        Path source = Path.of("..", "notebooks").toAbsolutePath().normalize();
        Path shipped = Distribution.root().resolve("notebooks");
        for (String file : List.of("analytics.ipynb", "drift.ipynb", "wirelake_trino.py", "wirelake_subjects.py", "README.md")) {
            assertThat(shipped.resolve(file)).as("the distribution carries notebooks/%s", file).hasSameBinaryContentAs(source.resolve(file));
        }
        for (String name : List.of("analytics.ipynb", "drift.ipynb")) {
            JsonNode notebook = JSON.readTree(source.resolve(name).toFile());
            assertThat(notebook.path("nbformat").asInt()).isEqualTo(4);
            assertThat(notebook.path("metadata").path("kernelspec").path("name").asText()).isEqualTo("python3");
            List<String> tags = new ArrayList<>();
            for (JsonNode cell : notebook.path("cells")) {
                cell.path("metadata").path("tags").forEach(tag -> tags.add(tag.asText()));
                if (cell.path("cell_type").asText().equals("code")) {
                    assertThat(cell.path("outputs")).as("outputs of a code cell of %s", name).isEmpty();
                    assertThat(cell.path("execution_count").isNull()).as("execution count of a code cell of %s", name).isTrue();
                }
            }
            assertThat(tags).as("cells of %s", name).contains("parameters");
            assertThat(Files.readString(source.resolve(name))).as("%s names no machine's paths", name).doesNotContain("/tmp/", "/root/", "/home/");
        }
    }

    @Test
    void analyticsOfTheQuickstartSnapshotShowsWhatTheGeneratorMade()
            throws Exception
    {
        JsonNode notebook = execute("analytics.ipynb", "quickstart", Map.of("WIRELAKE_STORE", store.toString(), "WIRELAKE_SNAPSHOT", "quickstart"));
        Matcher summary = Pattern.compile("([\\d,]+) HTTP requests \\{([^}]*)\\}, ([\\d,]+) DNS lookups \\(([\\d,]+) NXDOMAIN\\)").matcher(generated);
        assertThat(summary.find()).as("the generator's summary in the quickstart's output:\n%s", generated).isTrue();
        Map<String, Long> httpStatuses = new TreeMap<>();
        for (String entry : summary.group(2).split(",\\s*")) {
            String[] parts = entry.split("=");
            httpStatuses.put("HTTP " + parts[0], Long.parseLong(parts[1]));
        }
        long dnsLookups = number(summary.group(3));
        long nxdomain = number(summary.group(4));
        Matcher grpc = Pattern.compile("([\\d,]+) gRPC calls \\(([\\d,]+) failed\\)").matcher(generated);
        Matcher radius = Pattern.compile("([\\d,]+) RADIUS authentications \\(([\\d,]+) rejected\\)").matcher(generated);
        assertThat(grpc.find() && radius.find()).as("gRPC and RADIUS in the generator's summary").isTrue();

        // Calls by protocol and status: every REST status as generated, the lookups, the failed gRPC calls, the rejects.
        Map<String, Long> statuses = new TreeMap<>();
        for (JsonNode row : table(notebook, "statuses")) {
            statuses.put(row.path("protocol").asText() + " | " + row.path("status").asText(), row.path("calls").asLong());
        }
        Map<String, Long> rest = new TreeMap<>();
        statuses.forEach((key, calls) -> {
            // HTTP 101 are the WebSocket upgrades, which the generator counts with WebSocket.
            if (key.startsWith("HTTP | ") && !key.equals("HTTP | HTTP 101")) {
                rest.put(key.substring("HTTP | ".length()), calls);
            }
        });
        assertThat(rest).as("REST responses by status").isEqualTo(httpStatuses);
        assertThat(sum(statuses, "DNS | ")).as("DNS lookups").isEqualTo(dnsLookups);
        assertThat(statuses.get("DNS | DNS NXDOMAIN")).as("NXDOMAIN answers").isEqualTo(nxdomain);
        assertThat(sum(statuses, "gRPC | ")).as("gRPC calls").isEqualTo(number(grpc.group(1)));
        assertThat(sum(statuses, "gRPC | ") - statuses.getOrDefault("gRPC | gRPC 0", 0L)).as("failed gRPC calls").isEqualTo(number(grpc.group(2)));
        assertThat(statuses.get("RADIUS | RADIUS Access-Reject")).as("RADIUS rejects").isEqualTo(number(radius.group(2)));

        // DNS failures: every failed lookup, each an NXDOMAIN for a misspelt name.
        List<JsonNode> failures = table(notebook, "dns-failures");
        assertThat(failures.stream().mapToLong(row -> row.path("lookups").asLong()).sum()).as("failed lookups").isEqualTo(nxdomain);
        assertThat(failures).allSatisfy(row -> assertThat(row.path("rcode").asText()).isEqualTo("NXDOMAIN"));
        assertThat(table(notebook, "dns-clients").stream().mapToLong(row -> row.path("lookups").asLong()).sum()).as("lookups by client").isEqualTo(dnsLookups);

        // Errors by service add up to the errors of the calls (HTTP 5xx, failed gRPC calls, NXDOMAIN, rejects, ...).
        long errors = table(notebook, "overview").get(0).path("errors").asLong();
        assertThat(table(notebook, "services").stream().mapToLong(row -> row.path("errors").asLong()).sum()).isEqualTo(errors);
        long serverErrors = httpStatuses.entrySet().stream().filter(entry -> entry.getKey().compareTo("HTTP 500") >= 0).mapToLong(Map.Entry::getValue).sum();
        assertThat(errors).as("errors").isEqualTo(serverErrors + nxdomain + number(grpc.group(2)) + number(radius.group(2)));
        for (String plotted : List.of("protocols", "services", "slowest", "talkers", "dns-failures")) {
            assertThat(images(notebook, plotted)).as("plots of the %s cell", plotted).isPositive();
        }
    }

    @Test
    void analyticsOfTheIncidentDayGivesEachEndpointAndEdgeAsGenerated()
            throws Exception
    {
        JsonNode notebook = execute("analytics.ipynb", "incident", Map.of("WIRELAKE_STORE", driftStore.toString(), "WIRELAKE_SNAPSHOT", "incident-day",
                // every endpoint and edge, not the top 15
                "WIRELAKE_TOP", "100"));
        Map<String, JsonNode> endpoints = byKey(table(notebook, "endpoints"), "endpoint", true);
        JsonNode day = truth.path("days").path("incident");
        for (JsonNode endpoint : day.path("endpoints")) {
            String subject = endpoint.path("subject").asText();
            assertThat(endpoints.keySet()).as("the endpoints table").contains(subject);
            JsonNode row = endpoints.get(subject);
            assertThat(row.path("calls").asLong()).as("calls of " + subject).isEqualTo(endpoint.path("requests").asLong());
            assertThat(row.path("errors").asLong()).as("errors of " + subject).isEqualTo(endpoint.path("errors").asLong());
            for (String percentile : List.of("p50_ms", "p95_ms", "p99_ms")) {
                // Nearest-rank on both sides; the truth is rounded to the microsecond.
                assertThat(row.path(percentile).asDouble()).as(percentile + " of " + subject).isCloseTo(endpoint.path(percentile).asDouble(), within(0.0006));
            }
        }
        Map<String, JsonNode> talkers = byKey(table(notebook, "talkers"), "edge", false);
        for (JsonNode edge : day.path("edges")) {
            String subject = edge.path("subject").asText();
            assertThat(talkers.keySet()).as("the top talkers").contains(subject);
            assertThat(talkers.get(subject).path("flows").asLong()).as("flows of " + subject).isEqualTo(edge.path("connections").asLong());
            assertThat(talkers.get(subject).path("bytes").asLong()).as("IP bytes of " + subject).isEqualTo(edge.path("bytes").asLong());
        }
    }

    @Test
    void driftShowsThePlantedFindingsAndBothDaysNumbers()
            throws Exception
    {
        JsonNode notebook = execute("drift.ipynb", "command", Map.of("WIRELAKE_STORE", driftStore.toString(), "WIRELAKE_BASELINE", "baseline-day",
                "WIRELAKE_CURRENT", "incident-day", "WIRELAKE_COMMAND", Distribution.root().resolve("bin/wirelake").toString(), "WIRELAKE_TOP", "100"));
        TreeSet<String> found = new TreeSet<>();
        table(notebook, "findings").forEach(row -> found.add(row.path("check").asText() + " | " + truthName(row.path("check").asText(), row.path("subject").asText())));
        TreeSet<String> planted = new TreeSet<>();
        truth.path("findings").forEach(finding -> planted.add(finding.path("check").asText() + " | " + finding.path("subject").asText()));
        assertThat(found).as("the findings the notebook shows").isEqualTo(planted);

        Map<String, JsonNode> endpoints = byKey(table(notebook, "endpoints"), "endpoint", true);
        Map<String, JsonNode> edges = byKey(table(notebook, "edges"), "edge", false);
        int checked = 0;
        for (String day : List.of("baseline", "incident")) {
            String side = day.equals("baseline") ? "baseline" : "current";
            JsonNode facts = truth.path("days").path(day);
            for (JsonNode endpoint : facts.path("endpoints")) {
                String subject = endpoint.path("subject").asText();
                assertThat(endpoints.keySet()).as("the endpoints table").contains(subject);
                JsonNode row = endpoints.get(subject);
                assertThat(row.path("calls_" + side).asLong()).as(day + " calls of " + subject).isEqualTo(endpoint.path("requests").asLong());
                assertThat(row.path("errors_" + side).asLong()).as(day + " errors of " + subject).isEqualTo(endpoint.path("errors").asLong());
                assertThat(row.path("auth_failures_" + side).asLong()).as(day + " 401/403 of " + subject).isEqualTo(endpoint.path("auth_failures").asLong());
                for (String percentile : List.of("p50_ms", "p95_ms", "p99_ms")) {
                    assertThat(row.path(percentile + "_" + side).asDouble()).as(day + " " + percentile + " of " + subject)
                            .isCloseTo(endpoint.path(percentile).asDouble(), within(0.0006));
                }
                checked++;
            }
            for (JsonNode edge : facts.path("edges")) {
                String subject = edge.path("subject").asText();
                assertThat(edges.keySet()).as("the edges table").contains(subject);
                JsonNode row = edges.get(subject);
                assertThat(row.path("flows_" + side).asLong()).as(day + " flows of " + subject).isEqualTo(edge.path("connections").asLong());
                assertThat(row.path("bytes_" + side).asLong()).as(day + " bytes of " + subject).isEqualTo(edge.path("bytes").asLong());
                assertThat(row.path("handshake_p95_us_" + side).asLong()).as(day + " handshake p95 of " + subject)
                        .isEqualTo(edge.path("handshake_rtt_p95_micros").asLong());
                checked++;
            }
        }
        assertThat(checked).isGreaterThan(90);
        // Planted edges that exist on one side only say so.
        for (JsonNode finding : truth.path("findings")) {
            String check = finding.path("check").asText();
            if (check.equals("new_edge") || check.equals("removed_edge")) {
                assertThat(edges.get(finding.path("subject").asText()).path("seen").asText()).isEqualTo(check.equals("new_edge") ? "new" : "gone");
            }
        }

        // The percentile curve of the regressed endpoint: its p50, p95 and p99 on both days as planted.
        JsonNode regression = stream(truth.path("findings")).filter(finding -> finding.path("check").asText().equals("latency_regression")).findFirst().orElseThrow();
        List<JsonNode> curves = table(notebook, "latency-curves");
        assertThat(curves).hasSize(2);
        for (JsonNode curve : curves) {
            assertThat(truthName("latency_regression", curve.path("endpoint").asText())).isEqualTo(regression.path("subject").asText());
            JsonNode expected = regression.path(curve.path("side").asText());
            assertThat(curve.path("calls").asLong()).isEqualTo(expected.path("requests").asLong());
            for (String percentile : List.of("p50_ms", "p95_ms", "p99_ms")) {
                assertThat(curve.path(percentile).asDouble()).as(curve.path("side").asText() + " " + percentile).isCloseTo(expected.path(percentile).asDouble(), within(0.0006));
            }
        }
        for (String plotted : List.of("protocols", "latency-bars", "latency-curves", "error-rates", "edges")) {
            assertThat(images(notebook, plotted)).as("plots of the %s cell", plotted).isPositive();
        }
    }

    @Test
    void driftReadsAGivenReportAndFindsTheTablesByTheirSchema()
            throws Exception
    {
        Map<String, String> withStore = new HashMap<>(environment);
        withStore.put("WIRELAKE_STORE", driftStore.toString());
        Distribution.Run diff = Distribution.run(work, withStore, "diff", "baseline-day", "incident-day", "--format", "json", "--out", "drift.json");
        assertThat(diff.exit()).as(diff.both()).isZero();
        JsonNode report = JSON.readTree(work.resolve("drift.json").toFile());
        String schema;
        try (ObjectStore lake = new LocalObjectStore(driftStore)) {
            schema = LakeTables.schemaForStore(lake);
        }
        // No store and no command: the notebook must take its findings from the report and its tables from the schema.
        JsonNode notebook = execute("drift.ipynb", "report", Map.of("WIRELAKE_SCHEMA", schema, "WIRELAKE_DRIFT_REPORT", work.resolve("drift.json").toString(),
                "WIRELAKE_BASELINE", "baseline-day", "WIRELAKE_CURRENT", "incident-day", "WIRELAKE_COMMAND", work.resolve("no-such-command").toString()));
        List<String> shown = table(notebook, "findings").stream()
                .map(row -> row.path("severity").asText() + " | " + row.path("check").asText() + " | " + row.path("subject").asText() + " | " + row.path("detail").asText())
                .toList();
        List<String> reported = stream(report.path("findings"))
                .map(row -> row.path("severity").asText() + " | " + row.path("check").asText() + " | " + row.path("subject").asText() + " | " + row.path("detail").asText())
                .toList();
        assertThat(shown).isEqualTo(reported).hasSize(truth.path("findings").size());
        assertThat(text(notebook, "setup")).contains("Lake(schema " + schema + " (given by name)");
    }

    /**
     * The helper on its own: the vocabulary and quoting character for character as the Java code
     * has them, the store's schema as LakeTables names it, rows exactly as Trino's JDBC driver
     * reads them, types mapped into pandas, and Trino's errors (and its own) said clearly.
     */
    @Test
    void theHelperAgreesWithTheJavaSideAndWithTrinosJdbcDriver()
            throws Exception
    {
        String api = new LakeTables("hive").qualified(schemaOf(store), Table.API_CALLS);
        String rows = "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY \"protocol\" ORDER BY \"id\") AS position FROM " + api
                + " WHERE \"snapshot_id\" = 'quickstart') WHERE position <= 4 ORDER BY \"protocol\", \"id\"";
        List<String> texts = List.of("plain", "it's", "a\nb\tc", "back\\slash 'quoted'", "é😀", "\u0085next line", "\u0378", "\"identifier\"");
        List<String> locations = List.of(store.toString(), "quickstart/./store/../store", "s3://bucket/prefix", "s3://bucket/prefix/", "s3://bucket",
                "s3://bucket/", "s3://bucket//a/b//", "s3://bucket/a//b");
        int unreachable;
        try (ServerSocket socket = new ServerSocket(0)) {
            unreachable = socket.getLocalPort();
        }
        ObjectNode request = JSON.createObjectNode();
        request.put("store", store.toString());
        request.put("snapshot", "quickstart");
        request.put("rows_sql", rows);
        request.put("types_sql", "SELECT CAST(9223372036854775807 AS bigint) AS big, CAST(NULL AS bigint) AS missing, nan() AS not_a_number, "
                + "-infinity() AS minus_infinity, REAL '1.5' AS single, CAST('12345678901234567890.123' AS decimal(23,3)) AS exact, "
                + "TIMESTAMP '2026-03-14 22:00:00.123456' AS micros, with_timezone(TIMESTAMP '2026-03-14 22:00:00.123456', 'Europe/Paris') AS zoned, "
                + "DATE '2026-03-15' AS day, ARRAY[1, NULL, 3] AS numbers, MAP(ARRAY['a'], ARRAY[ARRAY['x']]) AS nested, "
                + "CAST(ROW(7, 'seven') AS ROW(n integer, name varchar)) AS record, X'00ff' AS raw, 'é😀' AS text, true AS yes");
        request.put("unreachable_url", "http://127.0.0.1:" + unreachable);
        texts.forEach(request.putArray("texts")::add);
        locations.forEach(request.putArray("locations")::add);
        Path requestFile = work.resolve("helper-request.json");
        JSON.writeValue(requestFile.toFile(), request);
        Distribution.Run checks = Distribution.exec(work, pythonEnvironment(Map.of()),
                List.of(python(), Path.of("src/test/python/notebook_helper_checks.py").toAbsolutePath().toString(), Distribution.root().resolve("notebooks").toString(),
                        requestFile.toString()));
        assertThat(checks.exit()).as(checks.both()).isZero();
        JsonNode answer = JSON.readTree(checks.out());

        // The vocabulary, character for character (DriftChecks' flow edge and Stats' nearest rank are private there).
        Map<String, String> java = new LinkedHashMap<>();
        java.put("workload_src", Subjects.workload("src"));
        java.put("workload_dst", Subjects.workload("dst"));
        java.put("in_cluster_src", Subjects.inCluster("src"));
        java.put("in_cluster_dst", Subjects.inCluster("dst"));
        java.put("service", Subjects.service());
        java.put("server", Subjects.server());
        java.put("namespace", Subjects.namespace());
        java.put("operation", Subjects.operation());
        java.put("is_call", Subjects.isCall());
        java.put("endpoint", Subjects.endpoint());
        java.put("edge", Subjects.edge());
        java.put("error", Subjects.error());
        java.put("status", Subjects.status());
        java.put("call_bytes", Subjects.bytes());
        java.put("latency_millis", Subjects.latencyMillis());
        java.put("path_template", io.wirelake.query.report.PathTemplate.sql("\"path\""));
        java.put("flow_edge", (String) privateMethod(DriftChecks.class, "edge").invoke(null));
        java.put("nearest_rank", (String) privateMethod(Stats.class, "rank", String.class).invoke(null, "0.95"));
        Map<String, String> python = new LinkedHashMap<>();
        answer.path("vocabulary").fields().forEachRemaining(entry -> python.put(entry.getKey(), entry.getValue().asText()));
        assertThat(python).isEqualTo(java);

        for (int index = 0; index < texts.size(); index++) {
            assertThat(answer.path("strings").get(index).asText()).as("sql_string of %s", texts.get(index)).isEqualTo(SqlText.string(texts.get(index)));
            assertThat(answer.path("identifiers").get(index).asText()).as("sql_identifier of %s", texts.get(index)).isEqualTo(SqlText.identifier(texts.get(index)));
        }
        for (String location : locations) {
            String schema;
            // A relative directory is relative to where the Python ran: the work directory.
            try (ObjectStore lake = location.startsWith("s3://")
                    ? S3ObjectStore.of(location, new S3Settings(Optional.empty(), "us-east-1", false))
                    : new LocalObjectStore(work.resolve(location))) {
                schema = LakeTables.schemaForStore(lake);
            }
            assertThat(answer.path("schemas").path(location).asText()).as("schema of the store %s", location).isEqualTo(schema);
        }
        assertThat(answer.path("lake").path("schema").asText()).isEqualTo(schemaOf(store));
        assertThat(answer.path("lake").path("table").asText()).isEqualTo(api);
        assertThat(answer.path("lake").path("snapshots")).extracting(JsonNode::asText).containsExactly("quickstart");

        // Rows of every protocol, every column, as Trino's JDBC driver reads them.
        JsonNode jdbc = jdbcRows(rows);
        assertThat(answer.path("rows").path("columns")).isEqualTo(jdbc.path("columns"));
        assertThat(answer.path("rows").path("values").size()).isGreaterThan(30);
        for (int index = 0; index < jdbc.path("values").size(); index++) {
            assertThat(JSON.readTree(answer.path("rows").path("values").get(index).toString())).as("row %d", index)
                    .isEqualTo(JSON.readTree(jdbc.path("values").get(index).toString()));
        }
        assertThat(answer.path("rows").path("values").size()).isEqualTo(jdbc.path("values").size());

        // Trino's types as pandas holds them.
        Map<String, String> types = new TreeMap<>();
        answer.path("types").fields().forEachRemaining(entry -> types.put(entry.getKey(),
                entry.getValue().path("dtype").asText() + " " + entry.getValue().path("python").asText() + " " + entry.getValue().path("value").asText()));
        Map<String, String> expected = new TreeMap<>();
        expected.put("big", "int64 int64 9223372036854775807");
        expected.put("missing", "Int64 NAType <NA>");
        expected.put("not_a_number", "float64 float64 nan");
        expected.put("minus_infinity", "float64 float64 -inf");
        expected.put("single", "float64 float64 1.5");
        expected.put("exact", "object Decimal Decimal('12345678901234567890.123')");
        expected.put("micros", "datetime64[ns] Timestamp Timestamp('2026-03-14 22:00:00.123456')");
        expected.put("zoned", "datetime64[ns, UTC] Timestamp Timestamp('2026-03-14 21:00:00.123456+0000', tz='UTC')");
        expected.put("day", "datetime64[ns] Timestamp Timestamp('2026-03-15 00:00:00')");
        expected.put("numbers", "object list [1, None, 3]");
        expected.put("nested", "object dict {'a': ['x']}");
        expected.put("record", "object dict {'n': 7, 'name': 'seven'}");
        expected.put("raw", "object bytes b'\\x00\\xff'");
        expected.put("text", "object str 'é😀'");
        expected.put("yes", "bool bool_ True");
        assertThat(types).isEqualTo(expected);

        // Errors: Trino's own, with its name and position; the helper's, with the fix.
        JsonNode failures = answer.path("failures");
        assertThat(failures.path("syntax").path("class").asText()).isEqualTo("TrinoError");
        assertThat(failures.path("syntax").path("error_name").asText()).isEqualTo("SYNTAX_ERROR");
        assertThat(failures.path("syntax").path("line").asInt()).isEqualTo(1);
        assertThat(failures.path("syntax").path("column").asInt()).isEqualTo(21);
        assertThat(failures.path("unknown_column").path("error_name").asText()).isEqualTo("COLUMN_NOT_FOUND");
        assertThat(failures.path("unknown_column").path("message").asText()).contains("no_such_column");
        assertThat(failures.path("missing_snapshot").path("class").asText()).isEqualTo("LookupError");
        assertThat(failures.path("missing_snapshot").path("message").asText()).contains("snapshot(s) no-such-snapshot not registered", "registered: quickstart",
                "wirelake --store " + store + " sql --snapshot no-such-snapshot 'SELECT 1'");
        assertThat(failures.path("no_tables").path("message").asText()).contains("no wirelake tables in schema lake_0000000000000000");
        assertThat(failures.path("too_many_rows").path("error_name").asText()).isEqualTo("TOO_MANY_ROWS");
        assertThat(failures.path("password_over_http").path("message").asText()).isEqualTo("a Trino password is sent over HTTPS only: use an https:// URL for trino.example");
        assertThat(failures.path("bad_url").path("message").asText()).contains("http[s]://host[:port]");
        assertThat(failures.path("unreachable").path("error_name").asText()).isEqualTo("CONNECTION");
        assertThat(failures.path("unreachable").path("message").asText()).contains("cannot reach Trino at http://127.0.0.1:" + unreachable);
        JsonNode remote = answer.path("remote_settings");
        assertThat(remote.path("user").asText()).isEqualTo("analyst");
        assertThat(remote.path("catalog").asText()).as("the catalog of a Trino one runs, as the command's default").isEqualTo("wirelake");
        assertThat(remote.path("repr").asText()).contains("https://trino.example:8443").doesNotContain("secret");
    }

    /** Executes one notebook of the distribution, as CI and analysts do, and returns the executed notebook. */
    private static JsonNode execute(String notebook, String run, Map<String, String> parameters)
            throws Exception
    {
        Path output = Files.createDirectories(work.resolve("executed"));
        String name = notebook.substring(0, notebook.length() - ".ipynb".length()) + "-" + run;
        Distribution.Run execution = Distribution.exec(work, pythonEnvironment(parameters), List.of("jupyter", "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=600", "--output-dir", output.toString(), "--output", name, Distribution.root().resolve("notebooks").resolve(notebook).toString()));
        assertThat(execution.exit()).as("jupyter nbconvert --execute %s\n%s", notebook, execution.both()).isZero();
        return JSON.readTree(output.resolve(name + ".ipynb").toFile());
    }

    /** The test's Trino and the parameters, with Python's caches kept out of the distribution and the home directory. */
    private static Map<String, String> pythonEnvironment(Map<String, String> parameters)
    {
        Map<String, String> variables = new HashMap<>(environment);
        variables.putAll(parameters);
        variables.put("PYTHONDONTWRITEBYTECODE", "1");
        variables.put("MPLCONFIGDIR", work.resolve("matplotlib").toString());
        variables.put("JUPYTER_RUNTIME_DIR", work.resolve("jupyter-runtime").toString());
        return variables;
    }

    /** The rows of the tagged cell's table, as pandas writes them in Table Schema JSON. */
    private static List<JsonNode> table(JsonNode notebook, String tag)
    {
        JsonNode found = null;
        for (JsonNode output : cell(notebook, tag).path("outputs")) {
            if (output.path("data").has(TABLE)) {
                found = output.path("data").path(TABLE);
            }
        }
        if (found == null) {
            return fail("the %s cell shows no table; its outputs: %s", tag, cell(notebook, tag).path("outputs"));
        }
        return stream(found.path("data")).toList();
    }

    private static long images(JsonNode notebook, String tag)
    {
        return stream(cell(notebook, tag).path("outputs")).filter(output -> output.path("data").has("image/png")).count();
    }

    private static String text(JsonNode notebook, String tag)
    {
        StringBuilder text = new StringBuilder();
        for (JsonNode output : cell(notebook, tag).path("outputs")) {
            output.path("text").forEach(line -> text.append(line.asText()));
        }
        return text.toString();
    }

    private static JsonNode cell(JsonNode notebook, String tag)
    {
        return stream(notebook.path("cells")).filter(cell -> stream(cell.path("metadata").path("tags")).anyMatch(name -> name.asText().equals(tag)))
                .findFirst().orElseThrow(() -> new AssertionError("no cell tagged " + tag));
    }

    /** Rows by a column; endpoints without their namespace, as the ground truth names them. */
    private static Map<String, JsonNode> byKey(List<JsonNode> rows, String column, boolean endpoint)
    {
        Map<String, JsonNode> keyed = new HashMap<>();
        for (JsonNode row : rows) {
            String key = row.path(column).asText();
            keyed.put(endpoint ? truthName("new_endpoint", key) : key, row);
        }
        return keyed;
    }

    /** The ground truth names endpoints by the bare service ({@code catalog GET /x}); wirelake with the namespace ({@code shop/catalog GET /x}). */
    private static String truthName(String check, String subject)
    {
        if (check.endsWith("_endpoint") || check.equals("latency_regression") || check.equals("error_rate_increase")) {
            int slash = subject.indexOf('/');
            int space = subject.indexOf(' ');
            return slash >= 0 && slash < space ? subject.substring(slash + 1) : subject;
        }
        return subject;
    }

    private static long sum(Map<String, Long> counts, String prefix)
    {
        return counts.entrySet().stream().filter(entry -> entry.getKey().startsWith(prefix)).mapToLong(Map.Entry::getValue).sum();
    }

    private static long number(String text)
    {
        return Long.parseLong(text.replace(",", ""));
    }

    private static Stream<JsonNode> stream(JsonNode array)
    {
        List<JsonNode> elements = new ArrayList<>();
        array.forEach(elements::add);
        return elements.stream();
    }

    private static String schemaOf(Path directory)
            throws IOException
    {
        try (ObjectStore lake = new LocalObjectStore(directory)) {
            return LakeTables.schemaForStore(lake);
        }
    }

    private static Method privateMethod(Class<?> type, String name, Class<?>... parameters)
            throws NoSuchMethodException
    {
        Method method = type.getDeclaredMethod(name, parameters);
        method.setAccessible(true);
        return method;
    }

    /** The same rows through Trino's JDBC driver, in the JSON form the helper's check writes. */
    private static JsonNode jdbcRows(String sql)
            throws Exception
    {
        DateTimeFormatter micros = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
        ObjectNode result = JSON.createObjectNode();
        // the local Trino's own session: HTTPS trusting its certificate alone, the query user's password
        LocalTrino local = new LocalTrino(Path.of(environment.get("WIRELAKE_HOME"), "trino"), Integer.parseInt(environment.get("WIRELAKE_TRINO_PORT")), Optional.empty());
        try (Connection connection = local.connect();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            ResultSetMetaData metadata = rows.getMetaData();
            ArrayNode columns = result.putArray("columns");
            for (int column = 1; column <= metadata.getColumnCount(); column++) {
                columns.add(metadata.getColumnLabel(column));
            }
            ArrayNode values = result.putArray("values");
            while (rows.next()) {
                ArrayNode row = values.addArray();
                for (int column = 1; column <= metadata.getColumnCount(); column++) {
                    row.add(canonical(rows.getObject(column), micros));
                }
            }
        }
        return result;
    }

    private static JsonNode canonical(Object value, DateTimeFormatter micros)
            throws Exception
    {
        if (value instanceof java.sql.Timestamp timestamp) {
            return JSON.getNodeFactory().textNode(micros.format(timestamp.toLocalDateTime()));
        }
        if (value instanceof byte[] bytes) {
            return JSON.getNodeFactory().textNode(HexFormat.of().formatHex(bytes));
        }
        if (value instanceof java.sql.Array array) {
            ArrayNode list = JSON.createArrayNode();
            for (Object element : (Object[]) array.getArray()) {
                list.add(canonical(element, micros));
            }
            return list;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = JSON.createObjectNode();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                object.set(entry.getKey().toString(), canonical(entry.getValue(), micros));
            }
            return object;
        }
        if (value instanceof Double number && !Double.isFinite(number)) {
            return JSON.getNodeFactory().textNode(number.isNaN() ? "nan" : number > 0 ? "inf" : "-inf");
        }
        return JSON.valueToTree(value);
    }

    /** The Python the notebooks' tools run on: the interpreter of the {@code jupyter} command on PATH. */
    private static String python()
            throws IOException
    {
        for (String directory : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path jupyter = Path.of(directory, "jupyter");
            if (Files.isRegularFile(jupyter)) {
                String first;
                try (BufferedReader reader = Files.newBufferedReader(jupyter)) {
                    first = reader.readLine();
                }
                if (first == null || !first.startsWith("#!")) {
                    return fail("%s is not a script with a #! line; cannot tell which Python runs the notebooks", jupyter);
                }
                String[] interpreter = first.substring(2).strip().split("\\s+");
                return interpreter[0].endsWith("/env") && interpreter.length > 1 ? interpreter[1] : interpreter[0];
            }
        }
        return fail("no jupyter on PATH: install Debian's %s", PACKAGES);
    }

    /** Runs a tool, failing with what to install when it is missing. */
    private static Distribution.Run runOrExplain(List<String> command)
            throws Exception
    {
        try {
            return Distribution.exec(work, Map.of(), command);
        }
        catch (IOException e) {
            return fail("cannot run %s (%s): the notebook tests need Debian's %s", String.join(" ", command), e.getMessage(), PACKAGES);
        }
    }
}
