package io.wirelake.kfl;

/**
 * The one quoting layer: every identifier and literal that reaches SQL text goes through here,
 * so no filter can change the shape of a query.
 */
public final class SqlText
{
    private SqlText() {}

    /** A delimited identifier: {@code "name"} with embedded quotes doubled. */
    public static String identifier(String name)
    {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /**
     * A varchar literal. Printable text is {@code 'text'} with quotes doubled; text with control
     * characters uses Trino's Unicode escape form {@code U&'...'} so nothing unprintable reaches
     * the query text.
     */
    public static String string(String value)
    {
        boolean printable = value.codePoints().allMatch(codePoint -> codePoint >= 0x20 && codePoint != 0x7F && !Character.isISOControl(codePoint)
                && Character.getType(codePoint) != Character.SURROGATE && Character.getType(codePoint) != Character.UNASSIGNED);
        if (printable) {
            return "'" + value.replace("'", "''") + "'";
        }
        StringBuilder text = new StringBuilder("U&'");
        value.codePoints().forEach(codePoint -> {
            if (codePoint == '\'') {
                text.append("''");
            }
            else if (codePoint == '\\') {
                text.append("\\\\");
            }
            else if (codePoint >= 0x20 && codePoint < 0x7F) {
                text.append((char) codePoint);
            }
            else if (codePoint <= 0xFFFF) {
                text.append(String.format("\\%04X", codePoint));
            }
            else {
                text.append(String.format("\\+%06X", codePoint));
            }
        });
        return text.append("'").toString();
    }

    public static String bytes(byte[] value)
    {
        StringBuilder text = new StringBuilder("X'");
        for (byte octet : value) {
            text.append(String.format("%02X", octet & 0xFF));
        }
        return text.append("'").toString();
    }

    public static String integer(long value)
    {
        // -9223372036854775808 is not a literal in Trino: the literal's magnitude overflows.
        return value == Long.MIN_VALUE ? "(-9223372036854775807 - 1)" : Long.toString(value);
    }
}
