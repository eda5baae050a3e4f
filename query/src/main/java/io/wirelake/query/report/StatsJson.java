package io.wirelake.query.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * Stats as JSON: {@code {"snapshots": [...], "group_by": ..., "kfl": ..., "percentiles": "exact" or
 * "approximate", "windows": {name:
 * {from, to, seconds}}, "groups": [{"key": ..., "snapshots": {name: {requests, errors,
 * error_rate, p50_ms, p95_ms, p99_ms, bytes, rate_per_s}}}]}}; latencies are null when no call
 * of the group had one.
 */
public final class StatsJson
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private StatsJson() {}

    public static ObjectNode of(Stats.Result result)
    {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode snapshots = root.putArray("snapshots");
        result.snapshots().forEach(snapshots::add);
        root.put("group_by", result.groupBy().label());
        result.kfl().ifPresentOrElse(kfl -> root.put("kfl", kfl), () -> root.putNull("kfl"));
        root.put("percentiles", result.exactPercentiles() ? "exact" : "approximate");
        ObjectNode windows = root.putObject("windows");
        result.windows().forEach((name, window) -> windows.putObject(name)
                .put("from", Instant.EPOCH.plus(window.fromMicros(), ChronoUnit.MICROS).toString())
                .put("to", Instant.EPOCH.plus(window.toMicros(), ChronoUnit.MICROS).toString())
                .put("seconds", window.seconds()));
        ArrayNode groups = root.putArray("groups");
        for (Stats.Group group : result.groups()) {
            ObjectNode node = groups.addObject();
            node.put("key", group.key());
            ObjectNode bySnapshot = node.putObject("snapshots");
            for (Map.Entry<String, Stats.Metrics> entry : group.bySnapshot().entrySet()) {
                Stats.Metrics metrics = entry.getValue();
                ObjectNode values = bySnapshot.putObject(entry.getKey());
                values.put("requests", metrics.requests());
                values.put("errors", metrics.errors());
                values.put("error_rate", round(metrics.errorRate(), 6));
                latency(values, "p50_ms", metrics.p50Millis());
                latency(values, "p95_ms", metrics.p95Millis());
                latency(values, "p99_ms", metrics.p99Millis());
                values.put("bytes", metrics.bytes());
                values.put("rate_per_s", round(metrics.ratePerSecond(), 6));
            }
        }
        return root;
    }

    private static void latency(ObjectNode node, String name, double millis)
    {
        if (Double.isNaN(millis)) {
            node.putNull(name);
        }
        else {
            node.put(name, round(millis, 3));
        }
    }

    static double round(double value, int decimals)
    {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }
}
