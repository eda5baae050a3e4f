package io.wirelake.query.report;

import io.wirelake.catalog.snapshot.Manifest;
import io.wirelake.catalog.snapshot.Snapshots;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The windows of snapshots, from their manifests, in the order named. */
public final class SnapshotWindows
{
    private SnapshotWindows() {}

    public static Map<String, Window> of(Snapshots snapshots, List<String> ids)
            throws IOException
    {
        Map<String, Window> windows = new LinkedHashMap<>();
        for (String id : ids) {
            if (windows.containsKey(id)) {
                throw new IllegalArgumentException("snapshot " + id + " is named twice");
            }
            Manifest manifest = snapshots.manifest(id);
            windows.put(id, new Window(manifest.fromMicros(), manifest.toMicros()));
        }
        return windows;
    }
}
