package io.wirelake.dissect.protocol;

import io.wirelake.columns.Column;
import io.wirelake.columns.Columns;

import static java.util.Objects.requireNonNull;

/**
 * An L7 protocol as the tables name it: its display name (the {@code protocol} column) and its
 * flag column.
 */
public record Protocol(String displayName, Column flag)
{
    public static final Protocol HTTP = new Protocol("HTTP", Columns.HTTP);
    public static final Protocol DNS = new Protocol("DNS", Columns.DNS);

    public Protocol
    {
        requireNonNull(displayName, "displayName is null");
        requireNonNull(flag, "flag is null");
    }
}
