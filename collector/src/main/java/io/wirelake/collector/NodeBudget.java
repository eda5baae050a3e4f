package io.wirelake.collector;

import io.wirelake.store.Layout;
import io.wirelake.store.ObjectInfo;
import io.wirelake.store.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * A node's FIFO budget in the object store: when its raw and meta segments together exceed the
 * budget, the oldest capture segments are deleted, and with them the metadata segments no longer
 * needed to resolve what remains (every metadata segment starts with the full state, so the one
 * in force at the oldest remaining capture is kept). The newest capture segment is never deleted.
 * Snapshots are copies and are never touched.
 */
final class NodeBudget
{
    private static final Logger log = LoggerFactory.getLogger(NodeBudget.class);

    private final ObjectStore store;
    private final String node;
    private final long maxBytes;
    private final TreeMap<Layout.Segment, Long> raw = new TreeMap<>();
    private final TreeMap<Layout.Segment, Long> meta = new TreeMap<>();
    private long total;

    NodeBudget(ObjectStore store, String node, long maxBytes)
            throws IOException
    {
        this.store = requireNonNull(store, "store is null");
        this.node = requireNonNull(node, "node is null");
        this.maxBytes = maxBytes;
        for (Layout.Kind kind : Layout.Kind.values()) {
            for (ObjectInfo object : store.list(Layout.nodePrefix(kind, node))) {
                Layout.parse(object.key()).ifPresent(segment -> added(segment, object.size()));
            }
        }
    }

    long totalBytes()
    {
        return total;
    }

    void added(Layout.Segment segment, long size)
    {
        Long previous = (segment.kind() == Layout.Kind.RAW ? raw : meta).put(segment, size);
        total += size - (previous == null ? 0 : previous);
    }

    /** Deletes the oldest segments until the node is within budget; returns how many were deleted. */
    int enforce()
            throws IOException
    {
        if (maxBytes <= 0) {
            return 0;
        }
        int evicted = 0;
        while (total > maxBytes && raw.size() > 1) {
            var oldest = raw.pollFirstEntry();
            total -= oldest.getValue();
            try {
                store.delete(oldest.getKey().key());
            }
            catch (io.wirelake.store.lock.ObjectLockedException e) {
                // Someone put it under retention or legal hold: the budget leaves it alone (and stops counting it).
                log.warn("budget of {} bytes for node {}: kept {}, which is locked: {}", maxBytes, node, oldest.getKey().key(), e.getMessage());
                continue;
            }
            evicted++;
            log.info("budget of {} bytes for node {}: evicted {}", maxBytes, node, oldest.getKey().key());
        }
        if (!raw.isEmpty()) {
            long oldestKept = raw.firstKey().startMicros();
            // Keep the metadata segment in force at the oldest capture, and everything after it.
            List<Layout.Segment> obsolete = new ArrayList<>();
            Layout.Segment inForce = null;
            for (Layout.Segment segment : meta.keySet()) {
                if (segment.startMicros() <= oldestKept) {
                    if (inForce != null) {
                        obsolete.add(inForce);
                    }
                    inForce = segment;
                }
            }
            for (Layout.Segment segment : obsolete) {
                total -= meta.remove(segment);
                try {
                    store.delete(segment.key());
                    evicted++;
                }
                catch (io.wirelake.store.lock.ObjectLockedException e) {
                    log.warn("budget for node {}: kept {}, which is locked: {}", node, segment.key(), e.getMessage());
                }
            }
        }
        return evicted;
    }
}
