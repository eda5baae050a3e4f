package io.wirelake.catalog.schedule;

import io.wirelake.store.Layout;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * When scheduled snapshots are taken and what they cover: a run every {@code every}, anchored at
 * the time of day {@code at} in {@code zone}, freezing the {@code window} before the run. A run
 * is named by the prefix and the start of its window: {@code daily-2026-12-02} for the day a
 * daily run at 00:05 on December 3 covers, {@code hourly-2026-12-02T1300} when runs come more
 * often than daily.
 */
public record Schedule(Duration every, Duration window, LocalTime at, ZoneId zone, String prefix)
{
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd");
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HHmm");

    /** One run: the snapshot it makes and the window it freezes, {@code [from, to)}. */
    public record Run(String name, Instant from, Instant to) {}

    public Schedule
    {
        requireNonNull(every, "every is null");
        requireNonNull(window, "window is null");
        requireNonNull(at, "at is null");
        requireNonNull(zone, "zone is null");
        requireNonNull(prefix, "prefix is null");
        if (every.compareTo(Duration.ofMinutes(1)) < 0 || window.compareTo(Duration.ofMinutes(1)) < 0) {
            throw new IllegalArgumentException("--every and --window are a minute or more");
        }
        Layout.checkName("schedule prefix", prefix);
    }

    /** The runs due at {@code now} that have not been made: after {@code lastMade} (a run's end), the newest {@code catchUp} of them, oldest first. */
    public List<Run> due(Instant now, Optional<Instant> lastMade, int catchUp)
    {
        List<Run> runs = new ArrayList<>();
        for (Instant end = latestRunAtOrBefore(now); runs.size() < catchUp; end = end.minus(every)) {
            if (lastMade.isPresent() && !end.isAfter(lastMade.get())) {
                break;
            }
            runs.add(run(end));
        }
        Collections.reverse(runs);
        return runs;
    }

    /** The run that ends at a run time. */
    public Run run(Instant end)
    {
        Instant from = end.minus(window);
        String stamp = (every.toMinutes() % (24 * 60) == 0 ? DAY : MINUTE).format(from.atZone(zone));
        return new Run(prefix + "-" + stamp, from, end);
    }

    /** The next run time after {@code now}. */
    public Instant nextRunAfter(Instant now)
    {
        return latestRunAtOrBefore(now).plus(every);
    }

    Instant latestRunAtOrBefore(Instant now)
    {
        // Runs a day or less apart are anchored at today's time of day (so they follow daylight
        // saving); longer periods at a fixed Monday, so weekly runs fall on the same weekday.
        ZonedDateTime anchor = every.compareTo(Duration.ofDays(1)) <= 0 ? now.atZone(zone).with(at)
                : java.time.LocalDate.of(1970, 1, 5).atTime(at).atZone(zone);
        Instant candidate = anchor.toInstant();
        // Step from today's anchor by whole periods to the last run time not after now.
        long periods = Math.floorDiv(Duration.between(candidate, now).toMillis(), every.toMillis());
        return candidate.plus(every.multipliedBy(periods));
    }

    /** The end of the run that made a snapshot of this schedule, from its name. */
    public Optional<Instant> endOf(String snapshot)
    {
        Matcher matcher = Pattern.compile(Pattern.quote(prefix) + "-(\\d{4}-\\d{2}-\\d{2})(T(\\d{2})(\\d{2}))?").matcher(snapshot);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        ZonedDateTime start = java.time.LocalDate.parse(matcher.group(1)).atStartOfDay(zone);
        if (matcher.group(2) != null) {
            start = start.withHour(Integer.parseInt(matcher.group(3))).withMinute(Integer.parseInt(matcher.group(4)));
        }
        else {
            start = start.with(at);
        }
        return Optional.of(start.toInstant().plus(window));
    }
}
