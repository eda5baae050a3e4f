package io.wirelake.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wirelake.store.lock.LockMode;
import io.wirelake.store.lock.ObjectLock;
import io.wirelake.store.lock.ObjectLockedException;
import io.wirelake.store.lock.ObjectLocks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * A directory as the object store (the embedded default). Objects are files; a write goes to a
 * hidden temporary file first and is renamed into place, so readers never see half an object, and
 * it is forced to the disk before the rename and the directory after it ({@link Durable}), so a
 * power loss cannot leave an object empty or lose one the collector has deleted from its spool.
 *
 * <p>Object locks are records under {@code .wirelake-locks/} (one JSON file per locked key) that
 * every write and delete of this class checks: an object under legal hold or unexpired retention
 * cannot be overwritten or deleted through the store, whoever asks (the FIFO budget, snapshot
 * delete, a dissection). They guard against mistakes and scripts, not against someone with
 * write access to the directory: that is what S3 Object Lock is for.
 */
public final class LocalObjectStore
        implements ObjectStore, ObjectLocks
{
    private static final String TEMPORARY_PREFIX = ".wirelake-";
    private static final String LOCKS = ".wirelake-locks";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final Clock clock;

    public LocalObjectStore(Path root)
    {
        this(root, Clock.systemUTC());
    }

    /** With a clock of its own, to see retentions expire. */
    public LocalObjectStore(Path root, Clock clock)
    {
        this.root = requireNonNull(root, "root is null").toAbsolutePath().normalize();
        this.clock = requireNonNull(clock, "clock is null");
    }

    public Path root()
    {
        return root;
    }

    /** The file that holds the key (whether or not it exists). */
    public Path file(String key)
    {
        ObjectStore.checkKey(key);
        if (key.startsWith(TEMPORARY_PREFIX)) {
            throw new IllegalArgumentException("not a valid object key: '" + key + "' (" + TEMPORARY_PREFIX + " is the store's own)");
        }
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
        checkWritable(key, "overwrite");
        Path target = prepare(key);
        Path temporary = temporary(target);
        Files.copy(file, temporary, StandardCopyOption.REPLACE_EXISTING);
        Durable.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public void put(String key, byte[] content)
            throws IOException
    {
        checkWritable(key, "overwrite");
        Path target = prepare(key);
        Path temporary = temporary(target);
        Files.write(temporary, content);
        Durable.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
    }

    @Override
    public boolean putIfAbsent(String key, byte[] content)
            throws IOException
    {
        Path target = prepare(key);
        Path temporary = temporary(target);
        Files.write(temporary, content);
        try {
            Durable.force(temporary);
            // link(2) fails when the name exists: the one atomic "create if absent" for a whole file.
            Files.createLink(target, temporary);
            Durable.forceDirectory(target.getParent());
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
        Path locks = root.resolve(LOCKS);
        try (Stream<Path> files = Files.walk(start)) {
            files.filter(Files::isRegularFile)
                    .filter(file -> !file.startsWith(locks))
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
        checkWritable(key, "delete");
        remove(key);
    }

    @Override
    public void deleteBypassingGovernance(String key)
            throws IOException
    {
        Optional<String> refusal = lock(key).refusal(clock.instant(), true);
        if (refusal.isPresent()) {
            throw new ObjectLockedException("cannot delete " + key + " in " + root + ": " + refusal.get());
        }
        remove(key);
    }

    @Override
    public void retain(String key, LockMode mode, Instant until, boolean bypassGovernance)
            throws IOException
    {
        if (stat(key).isEmpty()) {
            throw new NoSuchFileException(key, null, "no such object in " + root);
        }
        ObjectLock current = lock(key);
        Instant now = clock.instant();
        if (current.retainedAt(now)) {
            LockMode currentMode = current.mode().orElseThrow();
            Instant currentUntil = current.retainUntil().orElseThrow();
            boolean shorter = until.isBefore(currentUntil);
            if (currentMode == LockMode.COMPLIANCE && (shorter || mode == LockMode.GOVERNANCE)) {
                throw new ObjectLockedException("cannot set " + key + " to " + mode.label() + " until " + until + ": it is retained in compliance mode until "
                        + currentUntil + ", which can only be extended");
            }
            if (currentMode == LockMode.GOVERNANCE && shorter && !bypassGovernance) {
                throw new ObjectLockedException("cannot shorten " + key + "'s governance retention from " + currentUntil + " to " + until
                        + " without bypassing governance mode explicitly");
            }
        }
        writeLock(key, ObjectLock.retention(mode, until, current.legalHold()));
    }

    @Override
    public void legalHold(String key, boolean on)
            throws IOException
    {
        if (stat(key).isEmpty()) {
            throw new NoSuchFileException(key, null, "no such object in " + root);
        }
        writeLock(key, lock(key).withLegalHold(on));
    }

    @Override
    public ObjectLock lock(String key)
            throws IOException
    {
        Path record = lockFile(key);
        if (!Files.isRegularFile(record)) {
            return ObjectLock.NONE;
        }
        JsonNode node = JSON.readTree(record.toFile());
        boolean hold = node.path("legalHold").asBoolean(false);
        if (node.hasNonNull("mode") && node.hasNonNull("retainUntil")) {
            return ObjectLock.retention(LockMode.parse(node.get("mode").asText()), Instant.parse(node.get("retainUntil").asText()), hold);
        }
        return ObjectLock.NONE.withLegalHold(hold);
    }

    @Override
    public boolean locksEnabled()
    {
        return true;
    }

    @Override
    public Instant now()
    {
        return clock.instant();
    }

    private void checkWritable(String key, String operation)
            throws IOException
    {
        Optional<String> refusal = lock(key).refusal(clock.instant(), false);
        if (refusal.isPresent() && Files.isRegularFile(file(key))) {
            throw new ObjectLockedException("cannot " + operation + " " + key + " in " + root + ": " + refusal.get());
        }
    }

    private Path lockFile(String key)
    {
        ObjectStore.checkKey(key);
        return root.resolve(LOCKS).resolve(key + ".json");
    }

    private void writeLock(String key, ObjectLock lock)
            throws IOException
    {
        ObjectNode node = JSON.createObjectNode();
        lock.mode().ifPresent(mode -> node.put("mode", mode.label()));
        lock.retainUntil().ifPresent(until -> node.put("retainUntil", until.toString()));
        node.put("legalHold", lock.legalHold());
        Path record = lockFile(key);
        Files.createDirectories(record.getParent());
        Path temporary = temporary(record);
        Files.write(temporary, JSON.writeValueAsBytes(node));
        Durable.move(temporary, record, StandardCopyOption.REPLACE_EXISTING);
    }

    private void remove(String key)
            throws IOException
    {
        Files.deleteIfExists(lockFile(key));
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
