package io.wirelake.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Byte sizes as people write them: 1GB, 500MB, 64KiB, 1.5G, 1024. Decimal and binary units are both 1024-based here. */
final class Sizes
{
    private static final Pattern SIZE = Pattern.compile("\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt]?)(i?b?)\\s*", Pattern.CASE_INSENSITIVE);

    private Sizes() {}

    static long parse(String text)
    {
        Matcher matcher = SIZE.matcher(text);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a size: '" + text + "' (try 100MB or 1GB)");
        }
        double value = Double.parseDouble(matcher.group(1));
        int power = switch (matcher.group(2).toLowerCase(Locale.ROOT)) {
            case "k" -> 1;
            case "m" -> 2;
            case "g" -> 3;
            case "t" -> 4;
            default -> 0;
        };
        return (long) (value * Math.pow(1024, power));
    }

    static String format(long bytes)
    {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    static String count(long value)
    {
        return String.format(Locale.ROOT, "%,d", value);
    }
}
