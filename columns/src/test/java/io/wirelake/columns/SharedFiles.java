package io.wirelake.columns;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code ../shared} (the seed documents and the capture corpus) for tests. */
public final class SharedFiles
{
    private SharedFiles() {}

    public static Path sharedDirectory()
    {
        String configured = System.getProperty("wirelake.shared.dir");
        Path directory = configured != null ? Path.of(configured) : Path.of("..", "..", "shared");
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("the shared directory (seed documents, corpus) is not at " + directory.toAbsolutePath()
                    + "; set -Dwirelake.shared.dir");
        }
        return directory.normalize();
    }
}
