package io.wirelake.catalog;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** File-tree chores shared by the catalog and the command line. */
public final class Directories
{
    private static final int ATTEMPTS = 5;

    private Directories() {}

    /**
     * Deletes a directory and everything in it; nothing happens when it does not exist. Files that
     * vanish meanwhile are fine, and a directory that gains a file meanwhile (a process still
     * shutting down, such as Flink's MiniCluster) is tried again a few times.
     */
    public static void deleteTree(Path directory)
            throws IOException
    {
        for (int attempt = 1; ; attempt++) {
            if (!Files.exists(directory)) {
                return;
            }
            try {
                Files.walkFileTree(directory, new SimpleFileVisitor<>()
                {
                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                            throws IOException
                    {
                        Files.deleteIfExists(file);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException exception)
                            throws IOException
                    {
                        if (exception instanceof NoSuchFileException) {
                            return FileVisitResult.CONTINUE;
                        }
                        throw exception;
                    }

                    @Override
                    public FileVisitResult postVisitDirectory(Path visited, IOException exception)
                            throws IOException
                    {
                        if (exception != null && !(exception instanceof NoSuchFileException)) {
                            throw exception;
                        }
                        Files.deleteIfExists(visited);
                        return FileVisitResult.CONTINUE;
                    }
                });
                return;
            }
            catch (DirectoryNotEmptyException e) {
                if (attempt == ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(100L * attempt);
                }
                catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
