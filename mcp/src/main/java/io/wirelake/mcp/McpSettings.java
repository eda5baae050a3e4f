package io.wirelake.mcp;

import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * How the server is run.
 *
 * @param allowWrite whether the tools that create, dissect or export (and so change the store or
 *        write files) are offered; without it they are not listed at all
 * @param exportDirectory where {@code export_snapshot_pcap} writes its files
 */
public record McpSettings(boolean allowWrite, Path exportDirectory)
{
    public McpSettings
    {
        requireNonNull(exportDirectory, "exportDirectory is null");
        exportDirectory = exportDirectory.toAbsolutePath().normalize();
    }
}
