package io.wirelake.query.report;

import java.util.Locale;

/** How much a drift finding matters: a note, something to look at, something to act on. */
public enum Severity
{
    INFO, WARNING, CRITICAL;

    public static Severity of(String name)
    {
        try {
            return valueOf(name.toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the severity is info, warning or critical, not " + name);
        }
    }

    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }

    /** One level up, for appearing and disappearing things with volume behind them. */
    Severity raised()
    {
        return this == INFO ? WARNING : CRITICAL;
    }
}
