package io.wirelake.kfl;

/**
 * A filter that does not compile: a syntax error, an unknown name or a type error, with the
 * position CEL reports (1-based line and column) and, for unknown names, the nearest known one.
 */
public final class KflException
        extends Exception
{
    private final int line;
    private final int column;
    private final java.util.Optional<String> suggestion;

    public KflException(String message, int line, int column)
    {
        this(message, line, column, java.util.Optional.empty());
    }

    /** @param suggestion the known name nearest an unknown one, when one is close */
    public KflException(String message, int line, int column, java.util.Optional<String> suggestion)
    {
        super(message);
        this.line = line;
        this.column = column;
        this.suggestion = java.util.Objects.requireNonNull(suggestion, "suggestion is null");
    }

    public int line()
    {
        return line;
    }

    public int column()
    {
        return column;
    }

    /** The known name the filter probably meant (for an unknown name), if one is close. */
    public java.util.Optional<String> suggestion()
    {
        return suggestion;
    }
}
