package io.wirelake.query.report;

import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.kfl.CompiledFilter;
import io.wirelake.query.LakeSession;
import io.wirelake.query.QueryService;
import io.wirelake.query.TableSource;
import io.wirelake.store.ObjectStore;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Compares two dissected snapshots of a store: the entry point the command line, the schedule and the MCP server share. */
public final class Drift
{
    private Drift() {}

    public static DriftReport compare(QueryService queries, ObjectStore store, String baseline, String current, DriftThresholds thresholds,
            Optional<CompiledFilter> filter)
            throws Exception
    {
        if (baseline.equals(current)) {
            throw new IllegalArgumentException("compare two different snapshots, not " + baseline + " with itself");
        }
        Map<String, Window> windows = SnapshotWindows.of(new Snapshots(store), List.of(baseline, current));
        try (LakeSession session = queries.open(TableSource.snapshots(store, List.of(baseline, current)))) {
            return new DriftChecks(session, baseline, windows.get(baseline), current, windows.get(current), thresholds, filter).run();
        }
    }
}
