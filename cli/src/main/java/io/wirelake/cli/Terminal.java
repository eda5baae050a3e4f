package io.wirelake.cli;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line progress display on stderr, shown only when stderr is a terminal. */
final class Terminal
{
    private final PrintStream err;
    private final boolean interactive;
    private final long startNanos = System.nanoTime();
    private int lastLength;

    Terminal(PrintStream err)
    {
        this.err = err;
        this.interactive = System.console() != null && !"dumb".equals(System.getenv("TERM"));
    }

    void progress(String what, long done, long total)
    {
        if (!interactive) {
            return;
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        String line;
        if (total > 0 && done > 0) {
            double fraction = Math.min(1.0, (double) done / total);
            int width = 30;
            int filled = (int) (fraction * width);
            double rate = done / Math.max(seconds, 0.001);
            long remaining = (long) ((total - done) / Math.max(rate, 1));
            line = String.format(Locale.ROOT, "%s [%s%s] %3.0f%%  %s / %s  %s/s  ~%ds left", what, "#".repeat(filled), " ".repeat(width - filled),
                    fraction * 100, Sizes.format(done), Sizes.format(total), Sizes.format((long) rate), remaining);
        }
        else {
            line = String.format(Locale.ROOT, "%s ... %.0fs", what, seconds);
        }
        err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        lastLength = line.length();
        err.flush();
    }

    /** A transient status line (the step now under way), replaced by the next. */
    void status(String text)
    {
        if (!interactive) {
            return;
        }
        String line = text.length() > 120 ? text.substring(0, 117) + "..." : text;
        err.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        lastLength = line.length();
        err.flush();
    }

    void done()
    {
        if (interactive && lastLength > 0) {
            err.print("\r" + " ".repeat(lastLength) + "\r");
            err.flush();
            lastLength = 0;
        }
    }
}
