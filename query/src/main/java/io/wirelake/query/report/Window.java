package io.wirelake.query.report;

/** A snapshot's time window, in UTC microseconds (the manifest's, clamped to the packets it froze). */
public record Window(long fromMicros, long toMicros)
{
    public Window
    {
        if (toMicros < fromMicros) {
            throw new IllegalArgumentException("a window ends after it starts");
        }
    }

    /** Its length in seconds; at least one microsecond, so rates stay finite. */
    public double seconds()
    {
        return Math.max(1, toMicros - fromMicros) / 1e6;
    }

    public double minutes()
    {
        return seconds() / 60;
    }
}
