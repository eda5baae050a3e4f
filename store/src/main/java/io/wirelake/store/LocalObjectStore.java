package io.wirelake.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * A directory as the object store (the embedded default). Objects are files; a write goes to a
 * hidden temporary file first and is renamed into place, so readers never see half an object.
 */
public final class LocalObjectStore
        implements ObjectStore
{
    private static final String TEMPORARY_PREFIX = ".wirelake-";

    private final Path root;

    public LocalObjectStore(Path root)
    {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
    }

    public Path root()
    {
        return root;
    }

    /** The file that holds the key (whether or not it exists). */
    public Path file(String key)
    {
        ObjectStore.checkKey(key);
        return root.resolve(key);
    }

    @Override
    public String location()
    {
        return root.toString();
    }

    @Override
    public String uri(String key)
    {
        return file(key).toUri().toString();
    }

    @Override
    public void put(String key, Path file)
            throws IOException
    {
        Path target = prepare(key);
        Path temporary = temporary(target);
        Files.copy(file, temporary, StandardCopyOption.REPLACE_EXISTING);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void put(String key, byte[] content)
            throws IOException
    {
        Path target = prepare(key);
        Path temporary = temporary(target);
        Files.write(temporary, content);
        Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] content)
            throws IOException
    {
        Path target = prepare(key);
        Path temporary = temporary(target);
        Files.write(temporary, content);
        try {
            // link(2) fails when the name exists: the one atomic "create if absent" for a whole file.
            Files.createLink(target, temporary);
            return true;
        }
        catch (java.nio.file.FileAlreadyExistsException e) {
            return false;
        }
        finally {
            Files.deleteIfExists(temporary);
        }
    }

    @Override
    public InputStream open(String key)
            throws IOException
    {
        Path file = file(key);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(key, null, "no such object in " + root);
        }
        return Files.newInputStream(file);
    }

    @Override
    public Optional<ObjectInfo> stat(String key)
            throws IOException
    {
        Path file = file(key);
        return Files.isRegularFile(file) ? Optional.of(new ObjectInfo(key, Files.size(file))) : Optional.empty();
    }

    @Override
    public List<ObjectInfo> list(String prefix)
            throws IOException
    {
        // The prefix may end inside a name ("raw/node-a/2026/11/26/0"): walk from its directory part.
        int slash = prefix.lastIndexOf('/');
        Path start = slash < 0 ? root : root.resolve(prefix.substring(0, slash));
        List<ObjectInfo> objects = new ArrayList<>();
        if (!Files.isDirectory(start)) {
            return objects;
        }
        try (Stream<Path> files = Files.walk(start)) {
            files.filter(Files::isRegularFile)
                    .filter(file -> !file.getFileName().toString().startsWith(TEMPORARY_PREFIX))
                    .forEach(file -> {
                        String key = root.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                        if (key.startsWith(prefix)) {
                            try {
                                objects.add(new ObjectInfo(key, Files.size(file)));
                            }
                            catch (NoSuchFileException e) {
                                // deleted while listing: not part of the listing
                            }
                            catch (IOException e) {
                                throw new UncheckedIOException(e);
                            }
                        }
                    });
        }
        catch (UncheckedIOException e) {
            throw e.getCause();
        }
        objects.sort(java.util.Comparator.comparing(ObjectInfo::key));
        return objects;
    }

    @Override
    public void copy(String sourceKey, String targetKey)
            throws IOException
    {
        Path source = file(sourceKey);
        if (!Files.isRegularFile(source)) {
            throw new NoSuchFileException(sourceKey, null, "no such object in " + root);
        }
        put(targetKey, source);
    }

    @Override
    public void delete(String key)
            throws IOException
    {
        Path file = file(key);
        Files.deleteIfExists(file);
        // Empty directories left behind are removed up to the root, as a bucket has none.
        for (Path directory = file.getParent(); directory != null && !directory.equals(root) && directory.startsWith(root); directory = directory.getParent()) {
            try (Stream<Path> children = Files.list(directory)) {
                if (children.findAny().isPresent()) {
                    break;
                }
            }
            catch (NoSuchFileException e) {
                continue;
            }
            try {
                Files.deleteIfExists(directory);
            }
            catch (java.nio.file.DirectoryNotEmptyException e) {
                break;
            }
        }
    }

    private Path prepare(String key)
            throws IOException
    {
        Path target = file(key);
        Files.createDirectories(target.getParent());
        return target;
    }

    private static Path temporary(Path target)
    {
        return target.resolveSibling(TEMPORARY_PREFIX + UUID.randomUUID() + ".tmp");
    }
}
