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

    public KflException(String message, int line, int column)
    {
        super(message);
        this.line = line;
        this.column = column;
    }

    public int line()
    {
        return line;
    }

    public int column()
    {
        return column;
    }
}
