package io.wirelake.dissect.flow;

/**
 * The bytes a scan's TCP streams hold ahead of holes, against the scan's budget
 * ({@link ScanLimits#heldBytes()}). A stream that takes the total past the budget passes its
 * hole on as a gap at once, so memory stays bounded whatever a capture's holes are.
 */
final class HeldBytes
{
    private final long budget;
    private long held;
    private long overBudget;

    HeldBytes(long budget)
    {
        this.budget = budget;
    }

    void add(long bytes)
    {
        held += bytes;
    }

    void release(long bytes)
    {
        held -= bytes;
    }

    /** Whether the budget is exceeded; each time it is, it is counted. */
    boolean over()
    {
        if (held > budget) {
            overBudget++;
            return true;
        }
        return false;
    }

    long held()
    {
        return held;
    }

    /** Times a stream gave up its hole early for the budget. */
    long overBudget()
    {
        return overBudget;
    }
}
