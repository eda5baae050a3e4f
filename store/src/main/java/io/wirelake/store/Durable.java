package io.wirelake.store;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.CopyOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * Files that survive power loss as written or not at all: a file's data reaches the disk
 * ({@code fsync}) before the rename that publishes it, and the directory's new entry after the
 * rename. Without the first, a crash can leave the new name on an empty or partly written file;
 * without the second, the rename itself can be lost (and with it, in the collector's spool, the
 * only copy of a segment whose upload already deleted the original).
 */
public final class Durable
{
    private Durable() {}

    /** Flushes a file's data and metadata to the disk. */
    public static void force(Path file)
            throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
    }

    /** Flushes a directory's entries (names created, renamed or removed in it) to the disk. */
    public static void forceDirectory(Path directory)
            throws IOException
    {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }

    /** Forces the file, renames it atomically, then forces the directories that changed. */
    public static Path move(Path source, Path target, CopyOption... options)
            throws IOException
    {
        force(source);
        CopyOption[] atomic = Stream.concat(Arrays.stream(options), Stream.of(StandardCopyOption.ATOMIC_MOVE)).distinct().toArray(CopyOption[]::new);
        Path moved = Files.move(source, target, atomic);
        forceDirectory(target.toAbsolutePath().getParent());
        if (!source.toAbsolutePath().getParent().equals(target.toAbsolutePath().getParent())) {
            forceDirectory(source.toAbsolutePath().getParent());
        }
        return moved;
    }
}
