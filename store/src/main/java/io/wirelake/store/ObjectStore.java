package io.wirelake.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

/**
 * The lake's object store: S3 (or any S3-compatible API) at scale, a local directory as the
 * embedded default. Keys are {@code /}-separated paths relative to the store's root (a bucket and
 * prefix, or a directory); the layout of the keys is {@link Layout}'s. Writes are whole-object and
 * atomic: a reader sees an object completely or not at all.
 */
public interface ObjectStore
        extends Closeable
{
    /** Where the store is, for messages: {@code s3://bucket/prefix} or a directory. */
    String location();

    /** A URI for the key that Flink and Trino read ({@code file:///...} or {@code s3://...}). */
    String uri(String key);

    void put(String key, Path file)
            throws IOException;

    void put(String key, byte[] content)
            throws IOException;

    /**
     * Writes the object only if no object has the key, atomically: of two writers racing for one
     * key exactly one wins (S3's conditional write {@code If-None-Match: *}; an exclusive link in a
     * directory). Claims names and locks.
     *
     * @return whether this call created it
     */
    boolean putIfAbsent(String key, byte[] content)
            throws IOException;

    /** @throws java.nio.file.NoSuchFileException when there is no such object */
    InputStream open(String key)
            throws IOException;

    Optional<ObjectInfo> stat(String key)
            throws IOException;

    /** Every object whose key starts with the prefix, recursively, sorted by key. */
    List<ObjectInfo> list(String prefix)
            throws IOException;

    /** Copies inside the store without moving the bytes through this process where the store can (S3 CopyObject). */
    void copy(String sourceKey, String targetKey)
            throws IOException;

    /** Deletes the object; no error if it does not exist. */
    void delete(String key)
            throws IOException;

    /**
     * Aborts the multipart uploads under the prefix that were started and never completed (a
     * writer that failed or was killed mid-file, such as a dissection's Parquet writer on S3): S3
     * keeps and bills their parts until then. Returns how many. A directory has none.
     */
    default int abortIncompleteUploads(String prefix)
            throws IOException
    {
        return 0;
    }

    default byte[] read(String key)
            throws IOException
    {
        try (InputStream input = open(key)) {
            return input.readAllBytes();
        }
    }

    default void download(String key, Path target)
            throws IOException
    {
        Files.createDirectories(target.toAbsolutePath().getParent());
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        try (InputStream input = open(key)) {
            Files.copy(input, partial, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    default void close()
            throws IOException
    {
    }

    static void checkKey(String key)
    {
        if (key.isEmpty() || key.startsWith("/") || key.contains("//") || key.contains("\\")
                || key.equals("..") || key.startsWith("../") || key.contains("/../") || key.endsWith("/..")) {
            throw new IllegalArgumentException("not a valid object key: '" + key + "'");
        }
    }
}
