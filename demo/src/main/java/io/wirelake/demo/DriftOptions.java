package io.wirelake.demo;

import java.time.Duration;
import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * What the drift scenario generates: two days of the same cluster, each a window of traffic.
 *
 * @param seed the same seed gives the same bytes
 * @param sessions sessions (a DNS lookup and usually a connection) of the baseline day; the incident
 *        day has the same sessions of every unchanged kind, so the same rates
 * @param window how long sessions keep starting on each day (at most {@value #MAXIMUM_SESSIONS_PER_SECOND} sessions a second)
 * @param start when the baseline day's window opens; the incident day's opens 24 hours later
 * @param crossNodeCopies also write traffic between pods on two nodes into the other node's capture
 */
public record DriftOptions(long seed, int sessions, Duration window, Instant start, boolean crossNodeCopies)
{
    /** Fewer sessions leave the planted endpoints without the volume rate checks need, and rare calls may not happen at all. */
    public static final int MINIMUM_SESSIONS = 500;
    /** About what one session of the scenario's mix writes, to turn a size into sessions. */
    public static final long BYTES_PER_SESSION = 14_500;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    /**
     * Faster, and a busy client's ephemeral ports would come round again within a minute: a
     * dissection would then take two DNS lookups from one port for one UDP flow.
     */
    public static final int MAXIMUM_SESSIONS_PER_SECOND = 100;
    public static final Instant DEFAULT_START = Instant.parse("2026-03-14T22:00:00Z");

    public DriftOptions
    {
        requireNonNull(window, "window is null");
        requireNonNull(start, "start is null");
        if (sessions < MINIMUM_SESSIONS) {
            throw new IllegalArgumentException("the drift scenario needs at least " + MINIMUM_SESSIONS + " sessions a day (about "
                    + MINIMUM_SESSIONS * BYTES_PER_SESSION / 1_000_000 + " MB)");
        }
        if (window.toMillis() < 1_000) {
            throw new IllegalArgumentException("the window must be at least a second");
        }
        if (sessions > MAXIMUM_SESSIONS_PER_SECOND * window.toSeconds()) {
            throw new IllegalArgumentException("at most " + MAXIMUM_SESSIONS_PER_SECOND + " sessions a second: " + sessions + " sessions need a window of "
                    + (sessions + MAXIMUM_SESSIONS_PER_SECOND - 1) / MAXIMUM_SESSIONS_PER_SECOND + " s or more");
        }
    }

    /**
     * About {@code bytesPerDay} of captures a day (never fewer than {@link #MINIMUM_SESSIONS}
     * sessions), in a one-minute window or, for more than {@link #MAXIMUM_SESSIONS_PER_SECOND}
     * sessions a second, a longer one; no cross-node copies.
     */
    public static DriftOptions ofSize(long bytesPerDay, long seed)
    {
        int sessions = (int) Math.min(Integer.MAX_VALUE / 2, Math.max(MINIMUM_SESSIONS, bytesPerDay / BYTES_PER_SESSION));
        long seconds = Math.max(DEFAULT_WINDOW.toSeconds(), (sessions + MAXIMUM_SESSIONS_PER_SECOND - 1) / MAXIMUM_SESSIONS_PER_SECOND);
        return new DriftOptions(seed, sessions, Duration.ofSeconds(seconds), DEFAULT_START, false);
    }

    public DriftOptions withStart(Instant start)
    {
        return new DriftOptions(seed, sessions, window, start, crossNodeCopies);
    }

    public DriftOptions withCrossNodeCopies(boolean crossNodeCopies)
    {
        return new DriftOptions(seed, sessions, window, start, crossNodeCopies);
    }

    /** When the day's window opens. */
    public Instant start(DriftScenario.Day day)
    {
        return day == DriftScenario.Day.BASELINE ? start : start.plus(Duration.ofDays(1));
    }
}
