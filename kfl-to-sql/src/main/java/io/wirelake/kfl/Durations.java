package io.wirelake.kfl;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** CEL duration strings: a sign, then decimal numbers with units h, m, s, ms, us, ns ({@code 1h30m}, {@code -1.5s}, {@code 250ms}). */
final class Durations
{
    private static final Pattern PART = Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(h|ms|m|s|us|µs|ns)");

    private Durations() {}

    static Optional<Duration> parse(String text)
    {
        String rest = text;
        boolean negative = false;
        if (rest.startsWith("-") || rest.startsWith("+")) {
            negative = rest.startsWith("-");
            rest = rest.substring(1);
        }
        if (rest.equals("0")) {
            return Optional.of(Duration.ZERO);
        }
        if (rest.isEmpty()) {
            return Optional.empty();
        }
        Matcher matcher = PART.matcher(rest);
        BigDecimal nanos = BigDecimal.ZERO;
        int at = 0;
        while (at < rest.length()) {
            if (!matcher.find(at) || matcher.start() != at) {
                return Optional.empty();
            }
            BigDecimal value = new BigDecimal(matcher.group(1).startsWith(".") ? "0" + matcher.group(1) : matcher.group(1));
            long unit = switch (matcher.group(2)) {
                case "h" -> 3_600_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "s" -> 1_000_000_000L;
                case "ms" -> 1_000_000L;
                case "us", "µs" -> 1_000L;
                default -> 1L;
            };
            nanos = nanos.add(value.multiply(BigDecimal.valueOf(unit)));
            at = matcher.end();
        }
        // CEL's range: about ±10,000 years.
        if (nanos.compareTo(new BigDecimal("315576000000000000000")) > 0) {
            return Optional.empty();
        }
        Duration duration = Duration.ofNanos(0).plusSeconds(nanos.divideToIntegralValue(BigDecimal.valueOf(1_000_000_000L)).longValue())
                .plusNanos(nanos.remainder(BigDecimal.valueOf(1_000_000_000L)).longValue());
        return Optional.of(negative ? duration.negated() : duration);
    }
}
