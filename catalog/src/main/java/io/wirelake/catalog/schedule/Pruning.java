package io.wirelake.catalog.schedule;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Which snapshots to keep, the way backup rotations keep them: the newest of each of the last
 * {@code keepDaily} days that have a snapshot, the newest of each of the last {@code keepMonthly}
 * months, the newest snapshot of all, and every snapshot under retention or legal hold. Days and
 * months are those of a snapshot's window start, in UTC.
 */
public final class Pruning
{
    /** A snapshot to decide on: its name, window start, and why it may not be deleted, if it may not. */
    public record Candidate(String name, Instant start, Optional<String> protection)
    {
        public Candidate
        {
            requireNonNull(name, "name is null");
            requireNonNull(start, "start is null");
            requireNonNull(protection, "protection is null");
        }
    }

    public record Decision(String name, boolean keep, String reason) {}

    private Pruning() {}

    public static List<Decision> plan(List<Candidate> candidates, int keepDaily, int keepMonthly)
    {
        if (keepDaily < 0 || keepMonthly < 0) {
            throw new IllegalArgumentException("--keep-daily and --keep-monthly are 0 or more");
        }
        List<Candidate> newestFirst = new ArrayList<>(candidates);
        newestFirst.sort(Comparator.comparing(Candidate::start).reversed().thenComparing(Candidate::name));
        Map<String, String> reasons = new java.util.HashMap<>();
        if (!newestFirst.isEmpty()) {
            reasons.put(newestFirst.get(0).name(), "the newest snapshot");
        }
        Set<LocalDate> days = new LinkedHashSet<>();
        Set<YearMonth> months = new LinkedHashSet<>();
        Set<LocalDate> dayKept = new HashSet<>();
        Set<YearMonth> monthKept = new HashSet<>();
        for (Candidate candidate : newestFirst) {
            LocalDate day = candidate.start().atZone(ZoneOffset.UTC).toLocalDate();
            YearMonth month = YearMonth.from(day);
            days.add(day);
            months.add(month);
            if (days.size() <= keepDaily && dayKept.add(day)) {
                reasons.putIfAbsent(candidate.name(), "the newest of " + day + " (one of the last " + keepDaily + " days)");
            }
            if (months.size() <= keepMonthly && monthKept.add(month)) {
                reasons.putIfAbsent(candidate.name(), "the newest of " + month + " (one of the last " + keepMonthly + " months)");
            }
            candidate.protection().ifPresent(protection -> reasons.putIfAbsent(candidate.name(), protection));
        }
        List<Decision> decisions = new ArrayList<>();
        for (Candidate candidate : newestFirst) {
            String reason = reasons.get(candidate.name());
            decisions.add(reason != null ? new Decision(candidate.name(), true, reason) : new Decision(candidate.name(), false, "older than what the rules keep"));
        }
        return decisions;
    }
}
