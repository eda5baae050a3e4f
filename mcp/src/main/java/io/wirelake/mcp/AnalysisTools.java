package io.wirelake.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wirelake.catalog.snapshot.SnapshotStatus;
import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.columns.Column;
import io.wirelake.columns.Table;
import io.wirelake.kfl.CompiledFilter;
import io.wirelake.kfl.KflCompiler;
import io.wirelake.query.LakeSession;
import io.wirelake.query.report.Drift;
import io.wirelake.query.report.DriftFormat;
import io.wirelake.query.report.DriftReport;
import io.wirelake.query.report.DriftThresholds;
import io.wirelake.query.report.ServiceMap;
import io.wirelake.query.report.ServiceMapFormat;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/** Our tools beyond Kubeshark's: {@code diff_snapshots}, {@code get_service_map}, {@code run_sql}, {@code kfl_check}. */
final class AnalysisTools
{
    static final int MAXIMUM_SQL_ROWS = 1000;
    static final int MAXIMUM_SQL_SECONDS = 300;
    /** Longest text of one cell in run_sql's answer: a body column must not fill the agent's context. */
    static final int MAXIMUM_CELL = 2000;

    private final Tables tables;

    AnalysisTools(Tables tables)
    {
        this.tables = requireNonNull(tables, "tables is null");
    }

    List<ToolDefinition> definitions()
    {
        return List.of(
                new ToolDefinition("diff_snapshots",
                        "The drift report between two dissected snapshots (a baseline and a current one): new and removed endpoints and edges, "
                                + "latency and error-rate regressions, new external destinations, clear text where TLS was, TLS downgrades, new listeners, "
                                + "volume shifts and handshake RTT regressions; each finding with its severity, subject, both sides' numbers and a sentence.",
                        Schema.object()
                                .string("baseline_snapshot_id", "The known-good snapshot.", true)
                                .string("snapshot_id", "The snapshot to compare with it.", true)
                                .string("kfl", "Compare only the calls (or flows) this KFL2 filter selects.", 8192, false)
                                .choice("format", "json (default) or markdown (the report as a short document).", List.of("json", "markdown"), "json")
                                .integer("min_requests", "Calls per side before latency and error rates compare.", 1, 1_000_000, 50L, false)
                                .number("latency_ratio", "p95/p99 ratio that flags a latency regression (default 1.5).", 1)
                                .number("error_rate_increase", "Error-rate rise that flags, as a fraction (default 0.02).", 0)
                                .strings("cluster_cidrs", "The cluster's address ranges (default: private and special-use ranges).")
                                .build(),
                        ToolDefinition.Access.READ, this::diff),
                new ToolDefinition("get_service_map",
                        "Who talks to whom in a dissected snapshot: workloads (and addresses outside the cluster, named by DNS answers and TLS SNI) as "
                                + "nodes; per server port the edges' L4 numbers (flows, bytes, handshake RTT p95) and L7 numbers (protocols, calls, errors, "
                                + "p95 latency).",
                        Schema.object()
                                .string("snapshot_id", "The dissected snapshot.", true)
                                .string("kfl", "Only calls (or flows) this KFL2 filter selects.", 8192, false)
                                .choice("format", "json (default) or dot (Graphviz).", List.of("json", "dot"), "json")
                                .build(),
                        ToolDefinition.Access.READ, this::serviceMap),
                new ToolDefinition("run_sql",
                        "Run one read-only Trino SQL query (SELECT, WITH, VALUES; checked with Trino's own grammar) over the lake's tables api_calls and "
                                + "flows, with the named snapshots' partitions (default: every dissected snapshot); filter on snapshot_id. Columns are the KFL "
                                + "names with '.' as '_' (docs/FIELDS.md); timestamps are UTC; use element_at(map, key) for maps. At most 'limit' rows, "
                                + "and the query is stopped after timeout_seconds.",
                        Schema.object()
                                .string("sql", "One SQL query.", SqlGuard.MAXIMUM_LENGTH, true)
                                .strings("snapshot_ids", "Dissected snapshots to make visible (default: all dissected).")
                                .integer("limit", "Rows to return at most.", 1, MAXIMUM_SQL_ROWS, 100L, false)
                                .integer("timeout_seconds", "Seconds the query may run.", 1, MAXIMUM_SQL_SECONDS, 60L, false)
                                .build(),
                        ToolDefinition.Access.READ, this::runSql),
                new ToolDefinition("kfl_check",
                        "Check a KFL2 filter without running it: the table it addresses (api_calls or flows), the columns it reads and the Trino SQL it "
                                + "compiles to; or, when it does not compile, the error with its line, column and the name probably meant.",
                        Schema.object()
                                .string("kfl", "The KFL2 filter.", 8192, true)
                                .choice("table", "The table to check it for (default: the one its variables address).", List.of("any", "api_calls", "flows"), "any")
                                .build(),
                        ToolDefinition.Access.READ, this::kflCheck));
    }

    private JsonNode diff(Arguments arguments)
            throws Exception
    {
        String baseline = arguments.requiredString("baseline_snapshot_id");
        String current = arguments.requiredString("snapshot_id");
        Optional<CompiledFilter> filter = Tables.filter(arguments.optionalString("kfl"));
        String format = arguments.choice("format", List.of("json", "markdown"), "json");
        DriftThresholds defaults = DriftThresholds.defaults();
        List<String> cidrs = arguments.strings("cluster_cidrs");
        DriftThresholds thresholds = new DriftThresholds(arguments.optionalLong("min_requests").orElse(defaults.minimumRequests()), defaults.minimumTailCalls(),
                arguments.optionalDouble("latency_ratio").orElse(defaults.latencyRatio()), defaults.latencyFloorMillis(),
                arguments.optionalDouble("error_rate_increase").orElse(defaults.errorRateIncrease()), defaults.errorZ(), defaults.minimumFlows(), defaults.volumeRatio(),
                defaults.volumeTopEdges(), defaults.rttRatio(), defaults.rttFloorMicros(), cidrs.isEmpty() ? defaults.clusterCidrs() : cidrs);
        for (String snapshot : List.of(baseline, current)) {
            tables.lake().snapshots().manifest(snapshot);
        }
        DriftReport report = Drift.compare(tables.lake().queries(), tables.lake().store(), baseline, current, thresholds, filter);
        if (format.equals("markdown")) {
            ObjectNode answer = Json.object();
            answer.put("baseline", baseline);
            answer.put("current", current);
            answer.put("markdown", DriftFormat.markdown(report));
            return answer;
        }
        return DriftFormat.json(report);
    }

    private JsonNode serviceMap(Arguments arguments)
            throws Exception
    {
        String snapshot = arguments.requiredString("snapshot_id");
        Optional<CompiledFilter> filter = Tables.filter(arguments.optionalString("kfl"));
        String format = arguments.choice("format", List.of("json", "dot"), "json");
        try (LakeSession session = tables.open(snapshot)) {
            ServiceMap.Graph graph = ServiceMap.build(session, snapshot, filter);
            if (format.equals("dot")) {
                ObjectNode answer = Json.object();
                answer.put("snapshot", snapshot);
                answer.put("dot", ServiceMapFormat.dot(graph));
                return answer;
            }
            return ServiceMapFormat.json(graph);
        }
    }

    private JsonNode runSql(Arguments arguments)
            throws Exception
    {
        String sql = arguments.requiredString("sql");
        SqlGuard.requireReadOnlyQuery(sql);
        int limit = arguments.boundedInt("limit", 100, 1, MAXIMUM_SQL_ROWS);
        int timeout = arguments.boundedInt("timeout_seconds", 60, 1, MAXIMUM_SQL_SECONDS);
        List<String> snapshots = arguments.strings("snapshot_ids");
        if (snapshots.isEmpty()) {
            snapshots = dissected();
            if (snapshots.isEmpty()) {
                throw new ToolException("no dissected snapshot in " + tables.lake().store().location() + " to query (list_snapshots, start_snapshot_dissection)");
            }
        }
        long started = System.nanoTime();
        try (LakeSession session = tables.open(snapshots); Statement statement = session.connection().createStatement()) {
            // Trino stops the query after this (the driver sets query_max_run_time), and the driver reads no more than limit + 1 rows.
            statement.setQueryTimeout(timeout);
            statement.setMaxRows(limit + 1);
            ObjectNode answer = Json.object();
            ArrayNode snapshotNames = answer.putArray("snapshot_ids");
            snapshots.forEach(snapshotNames::add);
            ArrayNode columns = answer.putArray("columns");
            ArrayNode rows = answer.putArray("rows");
            int cut = 0;
            boolean truncated = false;
            try (ResultSet results = statement.executeQuery(sql)) {
                ResultSetMetaData metadata = results.getMetaData();
                for (int index = 1; index <= metadata.getColumnCount(); index++) {
                    columns.addObject().put("name", metadata.getColumnLabel(index)).put("type", metadata.getColumnTypeName(index));
                }
                while (results.next()) {
                    if (rows.size() == limit) {
                        truncated = true;
                        break;
                    }
                    ArrayNode row = rows.addArray();
                    for (int index = 1; index <= metadata.getColumnCount(); index++) {
                        JsonNode value = Json.value(LakeSession.plain(results.getObject(index)));
                        if (value.isTextual() && value.textValue().length() > MAXIMUM_CELL) {
                            value = Json.value(value.textValue().substring(0, MAXIMUM_CELL) + "...");
                            cut++;
                        }
                        row.add(value);
                    }
                }
            }
            catch (SQLException e) {
                throw timeout(e, timeout);
            }
            answer.put("row_count", rows.size());
            answer.put("truncated", truncated);
            answer.put("cells_cut", cut);
            answer.put("elapsed_ms", (System.nanoTime() - started) / 1_000_000);
            return answer;
        }
    }

    private static Exception timeout(SQLException e, int seconds)
    {
        String message = String.valueOf(e.getMessage());
        if (message.contains("EXCEEDED_TIME_LIMIT") || message.toLowerCase(Locale.ROOT).contains("exceeded the maximum execution time")
                || message.toLowerCase(Locale.ROOT).contains("query exceeded maximum time limit")) {
            return new ToolException("the query ran longer than " + seconds + " s and was stopped (" + message + "); narrow it, or give timeout_seconds up to "
                    + MAXIMUM_SQL_SECONDS);
        }
        return e;
    }

    private List<String> dissected()
            throws Exception
    {
        List<String> names = new ArrayList<>();
        for (Snapshots.Summary summary : tables.lake().snapshots().list()) {
            if (summary.status().state().equals(SnapshotStatus.DISSECTED)) {
                names.add(summary.manifest().id());
            }
        }
        return names;
    }

    private JsonNode kflCheck(Arguments arguments)
            throws Exception
    {
        String kfl = arguments.requiredString("kfl");
        String table = arguments.choice("table", List.of("any", "api_calls", "flows"), "any");
        Optional<Table> requested = switch (table) {
            case "api_calls" -> Optional.of(Table.API_CALLS);
            case "flows" -> Optional.of(Table.FLOWS);
            default -> Optional.empty();
        };
        CompiledFilter compiled = new KflCompiler().compile(kfl, requested, Instant.now());
        ObjectNode answer = Json.object();
        answer.put("valid", true);
        answer.put("kfl", kfl);
        answer.put("table", compiled.table().sqlName());
        ArrayNode columns = answer.putArray("columns");
        compiled.columns().stream().map(Column::kflName).sorted().forEach(columns::add);
        answer.put("sql", "SELECT * FROM " + compiled.table().sqlName() + " WHERE " + compiled.predicate());
        return answer;
    }
}
