package io.wirelake.dissect.redact;

import java.io.Serializable;
import java.util.Arrays;

import static java.util.Objects.requireNonNull;

/**
 * The rules and the key of a dissection's redaction. A redacted value is replaced by a marker that
 * keeps its length and, with a key, an HMAC-SHA256 of it under that key
 * ({@code [redacted 12 bytes hmac 3f5c0a...]}): equal secrets correlate across rows and
 * snapshots of one store without being revealed. Without a key (tests, golden rows) the marker
 * has the length only, since an unkeyed hash of a short secret is easily reversed.
 */
public record Redaction(RedactionRules rules, byte[] key)
        implements Serializable
{
    public static final Redaction NONE = new Redaction(RedactionRules.NONE, new byte[0]);
    /** The default rules with no key: markers with lengths only. */
    public static final Redaction DEFAULTS_WITHOUT_KEY = new Redaction(RedactionRules.DEFAULTS, new byte[0]);

    public Redaction
    {
        requireNonNull(rules, "rules is null");
        key = requireNonNull(key, "key is null").clone();
    }

    @Override
    public byte[] key()
    {
        return key.clone();
    }

    @Override
    public boolean equals(Object other)
    {
        return other instanceof Redaction that && rules.equals(that.rules) && Arrays.equals(key, that.key);
    }

    @Override
    public int hashCode()
    {
        return rules.hashCode() * 31 + Arrays.hashCode(key);
    }

    @Override
    public String toString()
    {
        // never the key
        return "Redaction[rules=" + rules + ", keyed=" + (key.length > 0) + "]";
    }
}
