package io.wirelake.dissect.protocol;

import static java.util.Objects.requireNonNull;

/**
 * A stream dissector that reads each direction of a connection on its own (frames, messages,
 * records) and gives up on a direction at its first gap, since the framing cannot be found again
 * after missing bytes: the gap is one anomaly ({@code <protocol>.gap}), and that direction is read
 * no further.
 */
public abstract class DirectionalDissector
        implements StreamDissector
{
    /** One direction's reader. */
    public abstract static class Direction
    {
        private boolean lost;

        /** Bytes in order; called only while the direction is not lost. */
        protected abstract void read(byte[] data, int offset, int length, long timestampMicros);

        public final boolean lost()
        {
            return lost;
        }

        /** Stops reading this direction (the framing is gone). */
        public final void lose()
        {
            lost = true;
        }
    }

    protected final DissectionContext context;
    private final String gapAnomaly;

    protected DirectionalDissector(DissectionContext context, String anomalyPrefix)
    {
        this.context = requireNonNull(context, "context is null");
        this.gapAnomaly = anomalyPrefix + ".gap";
    }

    protected abstract Direction direction(boolean fromClient);

    @Override
    public void data(boolean fromClient, byte[] data, int offset, int length, long timestampMicros)
    {
        Direction direction = direction(fromClient);
        if (!direction.lost()) {
            direction.read(data, offset, length, timestampMicros);
        }
    }

    @Override
    public void gap(boolean fromClient, long bytes, long timestampMicros)
    {
        Direction direction = direction(fromClient);
        if (!direction.lost()) {
            context.anomaly(gapAnomaly);
            direction.lose();
        }
    }
}
