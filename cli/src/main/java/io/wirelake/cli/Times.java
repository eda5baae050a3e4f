package io.wirelake.cli;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Times on the command line: ISO-8601 ({@code 2026-03-14T22:00:00Z}; without a zone, UTC) or {@code now}; printed in UTC. */
final class Times
{
    private Times() {}

    static Optional<Long> parse(String option, String text)
    {
        if (text == null || text.isBlank()) {
            return Optional.empty();
        }
        Instant instant;
        try {
            instant = text.equals("now") ? Instant.now() : text.endsWith("Z") || text.matches(".*[+-]\\d\\d:\\d\\d$")
                    ? java.time.OffsetDateTime.parse(text).toInstant() : LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
        }
        catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is not a time: use ISO-8601 such as 2026-03-14T22:00:00Z, or now");
        }
        return Optional.of(instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000);
    }

    /** A duration such as {@code 24h}, {@code 30m}, {@code 7d}, {@code 90s}, or ISO-8601 ({@code PT1H30M}). */
    static java.time.Duration duration(String option, String text)
    {
        java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("(\\d+)([smhd])").matcher(text.strip());
        if (matcher.matches()) {
            long amount = Long.parseLong(matcher.group(1));
            return switch (matcher.group(2)) {
                case "s" -> java.time.Duration.ofSeconds(amount);
                case "m" -> java.time.Duration.ofMinutes(amount);
                case "h" -> java.time.Duration.ofHours(amount);
                default -> java.time.Duration.ofDays(amount);
            };
        }
        try {
            return java.time.Duration.parse(text.strip());
        }
        catch (DateTimeParseException e) {
            throw new IllegalArgumentException(option + " '" + text + "' is not a duration: use 24h, 30m, 7d or 90s");
        }
    }

    static Instant instant(long micros)
    {
        return Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS);
    }

    static long micros(Instant instant)
    {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1000;
    }

    static String format(long micros)
    {
        return io.wirelake.catalog.snapshot.Snapshots.format(micros);
    }
}
