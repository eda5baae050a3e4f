package io.wirelake.catalog.evidence;

import static java.util.Objects.requireNonNull;

/**
 * One result of verifying evidence: which check, what it is about (an object's key, a chain link,
 * a custody line), what was found, and whether it fails the evidence or only qualifies it.
 */
public record Finding(Check check, Severity severity, String message)
{
    public enum Check
    {
        OBJECTS, SIGNATURE, CHAIN, TIMESTAMP, CUSTODY, BUNDLE;

        public String label()
        {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum Severity
    {
        /** The check passed; the message says what was established. */
        PASSED,
        /** Nothing is wrong, but the evidence proves less than it could (no timestamp, an unpinned key). */
        NOTE,
        /** The evidence does not hold. */
        FAILED
    }

    public Finding
    {
        requireNonNull(check, "check is null");
        requireNonNull(severity, "severity is null");
        requireNonNull(message, "message is null");
    }

    static Finding passed(Check check, String message)
    {
        return new Finding(check, Severity.PASSED, message);
    }

    static Finding note(Check check, String message)
    {
        return new Finding(check, Severity.NOTE, message);
    }

    static Finding failed(Check check, String message)
    {
        return new Finding(check, Severity.FAILED, message);
    }

    @Override
    public String toString()
    {
        return (severity == Severity.FAILED ? "FAILED " : severity == Severity.NOTE ? "note   " : "ok     ") + check.label() + ": " + message;
    }
}
