package io.wirelake.catalog.schedule;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class PruningTest
{
    private static Pruning.Candidate daily(LocalDate day, Optional<String> protection)
    {
        return new Pruning.Candidate("daily-" + day, day.atTime(0, 5).toInstant(ZoneOffset.UTC), protection);
    }

    @Test
    void keepsTheNewestOfEachDayAndMonthAndWhatIsProtected()
    {
        List<Pruning.Candidate> candidates = new ArrayList<>();
        // 120 daily snapshots from 2026-08-06 to 2026-12-03, one under legal hold in September.
        for (LocalDate day = LocalDate.of(2026, 8, 6); !day.isAfter(LocalDate.of(2026, 12, 3)); day = day.plusDays(1)) {
            candidates.add(daily(day, day.equals(LocalDate.of(2026, 9, 10)) ? Optional.of("legal hold") : Optional.empty()));
        }
        // A second snapshot on the newest day, older than the daily one.
        candidates.add(new Pruning.Candidate("incident-7", Instant.parse("2026-12-03T00:01:00Z"), Optional.empty()));
        List<Pruning.Decision> plan = Pruning.plan(candidates, 30, 3);
        List<String> kept = plan.stream().filter(Pruning.Decision::keep).map(Pruning.Decision::name).sorted().toList();
        List<String> expected = new ArrayList<>();
        for (LocalDate day = LocalDate.of(2026, 11, 4); !day.isAfter(LocalDate.of(2026, 12, 3)); day = day.plusDays(1)) {
            expected.add("daily-" + day);
        }
        // The newest of each of the last three months (December's and November's are among the days already).
        expected.add("daily-2026-10-31");
        expected.add("daily-2026-09-10");
        expected.sort(String::compareTo);
        assertThat(kept).isEqualTo(expected);
        assertThat(plan.stream().filter(decision -> decision.name().equals("daily-2026-09-10")).findFirst().orElseThrow().reason()).isEqualTo("legal hold");
        assertThat(plan.stream().filter(decision -> decision.name().equals("incident-7")).findFirst().orElseThrow().keep())
                .as("not the newest of its day").isFalse();
    }

    @Test
    void theNewestIsAlwaysKept()
    {
        List<Pruning.Decision> plan = Pruning.plan(List.of(daily(LocalDate.of(2026, 1, 1), Optional.empty()), daily(LocalDate.of(2025, 1, 1), Optional.empty())), 0, 0);
        assertThat(plan).extracting(Pruning.Decision::keep).containsExactly(true, false);
        assertThat(plan.get(0).reason()).isEqualTo("the newest snapshot");
    }
}
