package io.wirelake.dissect.job;

import java.util.Arrays;

/**
 * The work of one task: the captures of one node (or one capture session) in time order, scanned
 * with one flow table, or one time slice of them. A Flink POJO (public fields, no-argument
 * constructor), so no Kryo.
 */
public class ScanUnit
{
    /** Position in the job's unit list: row ids are made unique with it. */
    public int index;
    public String node;
    /** Capture paths or URIs ({@code file:}, {@code s3://}), in time order. */
    public String[] paths;
    public long bytes;
    /** The slice's own time, UTC microseconds: flows starting in [sliceStart, sliceEnd) are this unit's; the whole scan when unsliced. */
    public long sliceStart = Long.MIN_VALUE;
    public long sliceEnd = Long.MAX_VALUE;

    public ScanUnit() {}

    public ScanUnit(int index, String node, String[] paths, long bytes)
    {
        this.index = index;
        this.node = node;
        this.paths = paths;
        this.bytes = bytes;
    }

    public ScanUnit(int index, String node, String[] paths, long bytes, long sliceStart, long sliceEnd)
    {
        this(index, node, paths, bytes);
        this.sliceStart = sliceStart;
        this.sliceEnd = sliceEnd;
    }

    public boolean sliced()
    {
        return sliceStart != Long.MIN_VALUE || sliceEnd != Long.MAX_VALUE;
    }

    @Override
    public String toString()
    {
        return "ScanUnit{" + index + ", " + node + ", " + Arrays.toString(paths) + (sliced() ? ", slice " + sliceStart + ".." + sliceEnd : "") + "}";
    }
}
