package io.wirelake.collector;

import io.wirelake.packets.capture.CaptureReader;
import io.wirelake.packets.capture.CaptureReaders;
import io.wirelake.store.Durable;
import io.wirelake.store.Layout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The collector's local spool: segments being written live in {@code open/}, finished ones wait
 * in {@code ready/} until uploaded, segments the store keeps refusing wait in {@code quarantine/}
 * for a person. A file's name is its segment ({@code raw-<start>-<seq>.pcap},
 * {@code meta-<start>-<seq>.jsonl}), so the spool survives restarts: anything left in
 * {@code open/} by a crash is cut in place at its last whole record and queued on the next start.
 *
 * <p>A finished segment is forced to the disk before it is renamed into {@code ready/}, and the
 * directory after, so a power loss cannot leave an empty file in {@code ready/}. One collector
 * owns a spool at a time ({@link #lock}). The spool can be capped ({@link #enforceCap}): the
 * oldest waiting segments are dropped first, and the caller counts them.
 */
public final class Spool
{
    private static final Logger log = LoggerFactory.getLogger(Spool.class);
    private static final Pattern NAME = Pattern.compile("(raw|meta)-(\\d+)-(\\d+)\\.(pcap|jsonl)");
    private static final String LOCK_FILE = "collector.lock";

    private final Path directory;
    private final Path open;
    private final Path ready;
    private final Path quarantine;
    private final String node;
    /** The segment the uploader is sending now: the cap never drops it from under the upload. */
    private Path uploading;

    /** A segment removed to keep the spool within its cap. */
    public record Dropped(Path file, long bytes) {}

    public Spool(Path directory, String node)
            throws IOException
    {
        this.node = Layout.checkName("node", node);
        this.directory = requireNonNull(directory, "directory is null");
        this.open = Files.createDirectories(directory.resolve("open"));
        this.ready = Files.createDirectories(directory.resolve("ready"));
        this.quarantine = directory.resolve("quarantine");
    }

    public String node()
    {
        return node;
    }

    public Path directory()
    {
        return directory;
    }

    /**
     * Takes the spool for this process until the returned lock is closed, or refuses: two
     * collectors on one spool would recover each other's open segments and upload each file
     * twice. The lock is the kernel's ({@code fcntl}), so a collector killed with SIGKILL
     * releases it with its process.
     */
    public Closeable lock()
            throws IOException
    {
        Path file = directory.resolve(LOCK_FILE);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        }
        catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            String holder = "";
            try {
                holder = new String(Files.readAllBytes(file), StandardCharsets.UTF_8).strip();
            }
            catch (IOException e) {
                // the holder's pid is only for the message
            }
            channel.close();
            throw new IOException("another collector" + (holder.isEmpty() ? "" : " (process " + holder + ")") + " uses the spool " + directory
                    + "; give each collector a spool of its own (--spool)");
        }
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)), 0);
        }
        catch (IOException e) {
            // A full disk: the pid is for the message a second collector gets, the lock holds without it.
        }
        FileLock held = lock;
        return () -> {
            held.release();
            channel.close();
        };
    }

    /** The file a new segment is written to while open. */
    public Path openFile(Layout.Kind kind, long startMicros, long sequence)
    {
        return open.resolve(fileName(kind, startMicros, sequence));
    }

    /** Moves a finished (closed) segment to the upload queue, durably. */
    public Path finish(Path openFile)
            throws IOException
    {
        return Durable.move(openFile, ready.resolve(openFile.getFileName()));
    }

    /** Finished segments, oldest first. */
    public List<Path> ready()
            throws IOException
    {
        try (Stream<Path> files = Files.list(ready)) {
            return files.filter(file -> NAME.matcher(file.getFileName().toString()).matches())
                    .sorted(java.util.Comparator.comparing((Path file) -> segment(file).orElseThrow()))
                    .toList();
        }
    }

    public long readyBytes()
            throws IOException
    {
        long total = 0;
        for (Path file : ready()) {
            total += sizeOrZero(file);
        }
        return total;
    }

    /** Bytes in {@code open/} and {@code ready/}: what the cap limits. */
    public long bytes()
            throws IOException
    {
        long total = readyBytes();
        try (Stream<Path> files = Files.list(open)) {
            for (Path file : files.toList()) {
                total += sizeOrZero(file);
            }
        }
        return total;
    }

    /** Free space for the spool's files, as the file system reports it. */
    public long usableBytes()
            throws IOException
    {
        return Files.getFileStore(open).getUsableSpace();
    }

    /**
     * Marks the segment the uploader is about to send; false when it is gone (dropped by the cap
     * meanwhile). {@link #uploaded} or {@link #uploadFailed} ends the mark.
     */
    public synchronized boolean beginUpload(Path file)
    {
        if (!Files.exists(file)) {
            return false;
        }
        uploading = file;
        return true;
    }

    /** The store has the segment: its local copy goes. */
    public synchronized void uploaded(Path file)
            throws IOException
    {
        uploading = null;
        Files.deleteIfExists(file);
    }

    public synchronized void uploadFailed()
    {
        uploading = null;
    }

    /**
     * Drops the oldest waiting segments until {@code ready/} holds at most {@code capBytes} (0: no
     * cap). Captures go first; metadata segments, which are small and which the captures that
     * remain need to resolve their IPs, only when no capture is left to drop. The one being
     * uploaded stays. Returns what was dropped, for the caller to count.
     */
    public synchronized List<Dropped> enforceCap(long capBytes)
            throws IOException
    {
        if (capBytes <= 0) {
            return List.of();
        }
        long total = readyBytes();
        if (total <= capBytes) {
            return List.of();
        }
        List<Path> candidates = new ArrayList<>(ready().stream().filter(file -> !file.equals(uploading)).toList());
        candidates.sort(java.util.Comparator.comparing((Path file) -> segment(file).orElseThrow().kind() == Layout.Kind.META)
                .thenComparing(file -> segment(file).orElseThrow()));
        List<Dropped> dropped = new ArrayList<>();
        for (Path file : candidates) {
            if (total <= capBytes) {
                break;
            }
            long size = sizeOrZero(file);
            Files.deleteIfExists(file);
            total -= size;
            dropped.add(new Dropped(file, size));
        }
        return dropped;
    }

    /** Moves a segment the store keeps refusing out of the upload queue, so the ones after it go. */
    public synchronized Path quarantine(Path file)
            throws IOException
    {
        Files.createDirectories(quarantine);
        return Durable.move(file, quarantine.resolve(file.getFileName()));
    }

    /** Segments set aside by {@link #quarantine}. */
    public List<Path> quarantined()
            throws IOException
    {
        if (!Files.isDirectory(quarantine)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(quarantine)) {
            return files.sorted().toList();
        }
    }

    /** The segment a spool file holds. */
    public Optional<Layout.Segment> segment(Path file)
    {
        Matcher matcher = NAME.matcher(file.getFileName().toString());
        if (!matcher.matches()) {
            return Optional.empty();
        }
        Layout.Kind kind = matcher.group(1).equals("raw") ? Layout.Kind.RAW : Layout.Kind.META;
        return Optional.of(Layout.segment(kind, node, Long.parseLong(matcher.group(2)), Long.parseLong(matcher.group(3))));
    }

    /**
     * Recovers segments a crash left open: a capture is cut in place after its last whole packet,
     * metadata after its last whole line (no repair copy: a full disk must not stop recovery);
     * then both are queued. A file that cannot be recovered is quarantined rather than stopping
     * the start. Returns what was recovered.
     */
    public List<String> recover()
            throws IOException
    {
        List<String> recovered = new ArrayList<>();
        List<Path> leftOver;
        try (Stream<Path> files = Files.list(open)) {
            leftOver = files.filter(file -> NAME.matcher(file.getFileName().toString()).matches()).sorted().toList();
        }
        for (Path file : leftOver) {
            try {
                Layout.Segment segment = segment(file).orElseThrow();
                if (segment.kind() == Layout.Kind.RAW) {
                    long packets = truncateCapture(file);
                    if (packets == 0) {
                        Files.delete(file);
                        recovered.add(file.getFileName() + ": no whole packet, removed");
                        continue;
                    }
                    recovered.add(file.getFileName() + ": " + packets + " packets recovered");
                }
                else {
                    truncateLines(file);
                    recovered.add(file.getFileName() + ": metadata recovered");
                }
                finish(file);
            }
            catch (IOException | RuntimeException e) {
                recovered.add(file.getFileName() + ": cannot be recovered (" + e.getMessage() + "), quarantined in " + quarantine);
                try {
                    quarantine(file);
                }
                catch (IOException moving) {
                    recovered.add(file.getFileName() + ": cannot be quarantined either: " + moving.getMessage());
                }
            }
        }
        recovered.forEach(message -> log.info("spool recovery: {}", message));
        return recovered;
    }

    /**
     * Cuts a capture in place after its last whole packet; returns how many packets it keeps. A
     * record header of zeros ends it too: after a power loss a file can end in blocks the kernel
     * allocated but never wrote.
     */
    static long truncateCapture(Path file)
            throws IOException
    {
        long packets = 0;
        long end = 0;
        try (CaptureReader reader = CaptureReaders.open(file)) {
            end = reader.position();
            while (reader.next()) {
                if (reader.timestampMicros() == 0 && reader.capturedLength() == 0 && reader.originalLength() == 0) {
                    break;
                }
                packets++;
                end = reader.position();
            }
        }
        catch (io.wirelake.packets.capture.CaptureFormatException e) {
            // not even a whole file header: nothing to keep
            return 0;
        }
        if (packets == 0) {
            return 0;
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            if (channel.size() > end) {
                channel.truncate(end);
            }
        }
        return packets;
    }

    /** Cuts metadata in place after its last whole line. */
    static void truncateLines(Path file)
            throws IOException
    {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long end = channel.size();
            ByteBuffer one = ByteBuffer.allocate(8192);
            while (end > 0) {
                long from = Math.max(0, end - one.capacity());
                one.clear().limit((int) (end - from));
                channel.read(one, from);
                int newline = -1;
                for (int index = one.position() - 1; index >= 0; index--) {
                    if (one.get(index) == '\n') {
                        newline = index;
                        break;
                    }
                }
                if (newline >= 0) {
                    end = from + newline + 1;
                    break;
                }
                end = from;
            }
            if (channel.size() > end) {
                channel.truncate(end);
            }
        }
    }

    private static long sizeOrZero(Path file)
            throws IOException
    {
        try {
            return Files.size(file);
        }
        catch (NoSuchFileException e) {
            // uploaded and deleted meanwhile
            return 0;
        }
    }

    private static String fileName(Layout.Kind kind, long startMicros, long sequence)
    {
        return kind.directory() + "-" + startMicros + "-" + sequence + (kind == Layout.Kind.RAW ? ".pcap" : ".jsonl");
    }
}
