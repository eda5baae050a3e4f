package io.wirelake.catalog.evidence;

import io.wirelake.store.lock.LockMode;

import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * A named retention policy from the store's settings ({@code settings/retention-classes.json}):
 * how long snapshots of the class are kept and in which mode, and whether they are put under legal
 * hold. The defaults follow common audit practice (docs/COMPLIANCE.md says which rule each serves):
 * {@code daily} 90 days in governance mode, {@code monthly} 365 days in compliance mode,
 * {@code incident} under legal hold with no end date.
 *
 * @param mode {@code governance} or {@code compliance}; empty when the class sets no retention
 * @param days how long from the moment it is applied; 0 when the class sets no retention
 */
public record RetentionClass(String name, String mode, int days, boolean legalHold, String description)
{
    public RetentionClass
    {
        io.wirelake.store.Layout.checkName("retention class", name);
        mode = mode == null ? "" : mode.toLowerCase(Locale.ROOT);
        description = description == null ? "" : description;
        if (!mode.isEmpty()) {
            LockMode.parse(mode);
        }
        if (mode.isEmpty() != (days == 0)) {
            throw new IllegalArgumentException("retention class " + name + ": a retention needs both a mode and a number of days > 0");
        }
        if (days < 0) {
            throw new IllegalArgumentException("retention class " + name + ": days must not be negative");
        }
        if (mode.isEmpty() && !legalHold) {
            throw new IllegalArgumentException("retention class " + name + " sets neither a retention nor a legal hold");
        }
        requireNonNull(description, "description is null");
    }

    public String describe()
    {
        String retention = mode.isEmpty() ? "" : mode + " " + days + " days";
        return retention + (legalHold ? (retention.isEmpty() ? "" : " + ") + "legal hold" : "");
    }
}
