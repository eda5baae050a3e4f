package io.wirelake.catalog.schedule;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScheduleTest
{
    private static final Schedule DAILY = new Schedule(Duration.ofHours(24), Duration.ofHours(24), LocalTime.of(0, 5), ZoneId.of("UTC"), "daily");

    @Test
    void aDailyRunCoversTheDayBeforeAndIsNamedByIt()
    {
        List<Schedule.Run> due = DAILY.due(Instant.parse("2026-12-03T09:30:00Z"), Optional.empty(), 1);
        assertThat(due).containsExactly(new Schedule.Run("daily-2026-12-02", Instant.parse("2026-12-02T00:05:00Z"), Instant.parse("2026-12-03T00:05:00Z")));
        // Just before the run time, the day before's run is the latest due.
        assertThat(DAILY.due(Instant.parse("2026-12-03T00:04:59Z"), Optional.empty(), 1)).extracting(Schedule.Run::name).containsExactly("daily-2026-12-01");
        assertThat(DAILY.due(Instant.parse("2026-12-03T00:05:00Z"), Optional.empty(), 1)).extracting(Schedule.Run::name).containsExactly("daily-2026-12-02");
        assertThat(DAILY.nextRunAfter(Instant.parse("2026-12-03T09:30:00Z"))).isEqualTo(Instant.parse("2026-12-04T00:05:00Z"));
    }

    @Test
    void missedRunsAreCaughtUpOldestFirstUpToALimit()
    {
        Instant now = Instant.parse("2026-12-03T09:30:00Z");
        assertThat(DAILY.due(now, DAILY.endOf("daily-2026-11-29"), 7)).extracting(Schedule.Run::name)
                .containsExactly("daily-2026-11-30", "daily-2026-12-01", "daily-2026-12-02");
        assertThat(DAILY.due(now, DAILY.endOf("daily-2026-11-20"), 2)).extracting(Schedule.Run::name).containsExactly("daily-2026-12-01", "daily-2026-12-02");
        assertThat(DAILY.due(now, DAILY.endOf("daily-2026-12-02"), 7)).isEmpty();
    }

    @Test
    void namesParseBackToTheirRun()
    {
        assertThat(DAILY.endOf("daily-2026-12-02")).contains(Instant.parse("2026-12-03T00:05:00Z"));
        assertThat(DAILY.endOf("weekly-2026-12-02")).isEmpty();
        assertThat(DAILY.endOf("daily-2026-12-02-extra")).isEmpty();
        Schedule hourly = new Schedule(Duration.ofHours(1), Duration.ofHours(1), LocalTime.of(0, 0), ZoneId.of("UTC"), "hourly");
        Schedule.Run run = hourly.due(Instant.parse("2026-12-03T09:30:00Z"), Optional.empty(), 1).get(0);
        assertThat(run).isEqualTo(new Schedule.Run("hourly-2026-12-03T0800", Instant.parse("2026-12-03T08:00:00Z"), Instant.parse("2026-12-03T09:00:00Z")));
        assertThat(hourly.endOf(run.name())).contains(run.to());
    }

    @Test
    void runsFollowTheTimeZoneAcrossDaylightSaving()
    {
        // Berlin leaves summer time on 2026-10-25: the 00:05 runs stay at 00:05 local time, a UTC hour apart.
        Schedule berlin = new Schedule(Duration.ofHours(24), Duration.ofHours(24), LocalTime.of(0, 5), ZoneId.of("Europe/Berlin"), "daily");
        assertThat(berlin.due(Instant.parse("2026-10-24T23:00:00Z"), Optional.empty(), 1).get(0).to()).isEqualTo(Instant.parse("2026-10-24T22:05:00Z"));
        assertThat(berlin.due(Instant.parse("2026-10-26T12:00:00Z"), Optional.empty(), 1).get(0).to()).isEqualTo(Instant.parse("2026-10-25T23:05:00Z"));
    }

    @Test
    void weeklyRunsKeepTheirWeekday()
    {
        Schedule weekly = new Schedule(Duration.ofDays(7), Duration.ofDays(7), LocalTime.of(1, 0), ZoneId.of("UTC"), "weekly");
        for (String now : List.of("2026-12-03T09:30:00Z", "2026-12-05T09:30:00Z", "2026-12-06T23:59:00Z")) {
            assertThat(weekly.due(Instant.parse(now), Optional.empty(), 1).get(0).to()).as(now).isEqualTo(Instant.parse("2026-11-30T01:00:00Z"));
        }
    }

    @Test
    void badSchedulesAreRefused()
    {
        assertThatThrownBy(() -> new Schedule(Duration.ofSeconds(10), Duration.ofHours(1), LocalTime.MIDNIGHT, ZoneId.of("UTC"), "x"))
                .hasMessageContaining("a minute or more");
        assertThatThrownBy(() -> new Schedule(Duration.ofHours(1), Duration.ofHours(1), LocalTime.MIDNIGHT, ZoneId.of("UTC"), "../x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
