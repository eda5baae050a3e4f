package io.wirelake.store.lock;

import java.util.Locale;

/**
 * S3 Object Lock's retention modes, with the same meaning on the local store. In governance mode a
 * principal allowed to bypass it (an explicit flag here, {@code s3:BypassGovernanceRetention} on
 * AWS) may shorten the retention or delete early; in compliance mode nobody can, until the date.
 */
public enum LockMode
{
    GOVERNANCE, COMPLIANCE;

    public static LockMode parse(String text)
    {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "governance" -> GOVERNANCE;
            case "compliance" -> COMPLIANCE;
            default -> throw new IllegalArgumentException("unknown retention mode '" + text + "': use governance or compliance");
        };
    }

    public String label()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
