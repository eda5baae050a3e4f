package io.wirelake.dissect.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.dissect.scan.ScanReport;
import org.apache.flink.core.fs.FSDataOutputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot's {@code status.json} as {@code DissectionJobMain} writes it when it runs on a
 * cluster with no wirelake command waiting for it (an application cluster, {@code flink run}):
 * {@code dissecting} when it starts, then {@code dissected} with the job's counters and damage, or
 * {@code failed} with the error. The fields are the catalog's {@code SnapshotStatus} (id, state,
 * updatedAt, stats, damage, error), which reads it; the job does not depend on the catalog, so
 * the JSON is the contract (a test reads what this writes with the catalog's reader).
 */
final class StatusFile
{
    static final String DISSECTING = "dissecting";
    static final String DISSECTED = "dissected";
    static final String FAILED = "failed";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String location;
    private final String snapshot;

    StatusFile(String location, String snapshot)
    {
        this.location = location;
        this.snapshot = snapshot;
    }

    void dissecting()
            throws IOException
    {
        write(DISSECTING, Map.of(), List.of(), "");
    }

    void dissected(ScanReport report)
            throws IOException
    {
        write(DISSECTED, report.counters(), report.damageMessages(), "");
    }

    void failed(String error)
            throws IOException
    {
        write(FAILED, Map.of(), List.of(), error == null ? "" : error);
    }

    private void write(String state, Map<String, Long> stats, List<String> damage, String error)
            throws IOException
    {
        if (location.isEmpty()) {
            return;
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("id", snapshot);
        status.put("state", state);
        status.put("updatedAt", Instant.now().toString());
        status.put("stats", stats);
        status.put("damage", damage);
        status.put("error", error);
        Path path = new Path(location);
        try (FSDataOutputStream output = path.getFileSystem().create(path, FileSystem.WriteMode.OVERWRITE)) {
            output.write(JSON.writeValueAsBytes(status));
        }
    }
}
