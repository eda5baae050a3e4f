package io.wirelake.dissect.flow;

/**
 * What one scan task may hold, so that hostile traffic (a SYN flood, connections that hold
 * segments ahead of holes that never fill) costs bounded memory: at most {@code maxFlows} flows in
 * the table, and at most {@code maxHeldBytes} bytes held ahead of holes in TCP streams. 0 means
 * "from the heap": a share of the JVM's maximum heap, divided among the tasks that share it.
 *
 * <p>When the flow budget is full, a new flow makes room by ending one: a half-open one first
 * (a TCP connection with no handshake completed and no payload), else the one idle longest. Such
 * flows end early, with their rows, and are counted ({@code flows.evicted.half_open},
 * {@code flows.evicted.idle}) and named on their rows ({@code flow.evicted}). When held bytes go
 * over their budget, the stream that took them past it passes its hole on as a gap at once
 * ({@code tcp.held_bytes_over_budget}).
 *
 * @param sharingTasks scan tasks in this JVM sharing its heap (at least 1)
 */
public record ScanLimits(long maxFlows, long maxHeldBytes, int sharingTasks)
        implements java.io.Serializable
{
    /** What a flow in the table costs at most before its dissector holds anything (measured on a half-open TCP flow, rounded up). */
    static final long BYTES_PER_FLOW = 4096;
    /** The smallest flow budget derived from the heap: below it, ordinary traffic would be evicted. */
    static final long MINIMUM_FLOWS = 10_000;
    static final long MINIMUM_HELD_BYTES = 16L << 20;

    public static final ScanLimits FROM_HEAP = new ScanLimits(0, 0, 1);

    public ScanLimits
    {
        if (maxFlows < 0 || maxHeldBytes < 0 || sharingTasks < 1) {
            throw new IllegalArgumentException("limits must not be negative, and at least one task shares the heap");
        }
    }

    public ScanLimits sharedBy(int tasks)
    {
        return new ScanLimits(maxFlows, maxHeldBytes, Math.max(1, tasks));
    }

    /** The flow budget: as given, or half the task's share of the heap at {@link #BYTES_PER_FLOW} a flow. */
    public long flows()
    {
        return maxFlows > 0 ? maxFlows : Math.max(MINIMUM_FLOWS, heapShare() / 2 / BYTES_PER_FLOW);
    }

    /** The held-bytes budget: as given, or an eighth of the task's share of the heap. */
    public long heldBytes()
    {
        return maxHeldBytes > 0 ? maxHeldBytes : Math.max(MINIMUM_HELD_BYTES, heapShare() / 8);
    }

    private long heapShare()
    {
        return Runtime.getRuntime().maxMemory() / sharingTasks;
    }
}
