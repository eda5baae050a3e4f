package io.wirelake.dissect.job;

import org.apache.flink.api.common.accumulators.Accumulator;
import org.apache.flink.api.common.accumulators.SimpleAccumulator;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Capture bytes read by one task, as an accumulator a running job reports: the scan adds to its
 * counter from the task's thread while Flink's heartbeat thread reads it, so the value is an
 * atomic. A cluster sends accumulators with the TaskManagers' heartbeats; a local launcher reads
 * the tasks' counters directly, through {@link Progress}.
 */
final class ProgressAccumulator
        implements SimpleAccumulator<Long>
{
    private final AtomicLong bytes = new AtomicLong();

    /** The counter the scan adds to. */
    AtomicLong counter()
    {
        return bytes;
    }

    @Override
    public void add(Long value)
    {
        bytes.addAndGet(value);
    }

    @Override
    public Long getLocalValue()
    {
        return bytes.get();
    }

    @Override
    public void resetLocal()
    {
        bytes.set(0);
    }

    @Override
    public void merge(Accumulator<Long, Long> other)
    {
        bytes.addAndGet(other.getLocalValue());
    }

    @Override
    public Accumulator<Long, Long> clone()
    {
        ProgressAccumulator copy = new ProgressAccumulator();
        copy.bytes.set(bytes.get());
        return copy;
    }
}
