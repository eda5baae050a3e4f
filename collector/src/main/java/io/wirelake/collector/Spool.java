package io.wirelake.collector;

import io.wirelake.packets.capture.CaptureReader;
import io.wirelake.packets.capture.CaptureReaders;
import io.wirelake.packets.capture.PcapWriter;
import io.wirelake.store.Layout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The collector's local spool: segments being written live in {@code open/}, finished ones wait
 * in {@code ready/} until uploaded. A file's name is its segment ({@code raw-<start>-<seq>.pcap},
 * {@code meta-<start>-<seq>.jsonl}), so the spool survives restarts: anything left in
 * {@code open/} by a crash is recovered (cut at its last whole record) and queued on the next start.
 */
public final class Spool
{
    private static final Logger log = LoggerFactory.getLogger(Spool.class);
    private static final Pattern NAME = Pattern.compile("(raw|meta)-(\\d+)-(\\d+)\\.(pcap|jsonl)");

    private final Path open;
    private final Path ready;
    private final String node;

    public Spool(Path directory, String node)
            throws IOException
    {
        this.node = Layout.checkName("node", node);
        this.open = Files.createDirectories(requireNonNull(directory, "directory is null").resolve("open"));
        this.ready = Files.createDirectories(directory.resolve("ready"));
    }

    public String node()
    {
        return node;
    }

    /** The file a new segment is written to while open. */
    public Path openFile(Layout.Kind kind, long startMicros, long sequence)
    {
        return open.resolve(fileName(kind, startMicros, sequence));
    }

    /** Moves a finished segment to the upload queue. */
    public Path finish(Path openFile)
            throws IOException
    {
        return Files.move(openFile, ready.resolve(openFile.getFileName()), StandardCopyOption.ATOMIC_MOVE);
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
            total += Files.size(file);
        }
        return total;
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
     * Recovers segments a crash left open: a capture is rewritten up to its last whole packet,
     * metadata up to its last whole line; then both are queued. Returns what was recovered.
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
        recovered.forEach(message -> log.info("spool recovery: {}", message));
        return recovered;
    }

    private static long truncateCapture(Path file)
            throws IOException
    {
        Path repaired = file.resolveSibling(file.getFileName() + ".repair");
        long packets = 0;
        try (CaptureReader reader = CaptureReaders.open(file);
                OutputStream output = new BufferedOutputStream(Files.newOutputStream(repaired))) {
            PcapWriter writer = null;
            while (reader.next()) {
                if (writer == null) {
                    writer = new PcapWriter(output, reader.linkType(), 262_144);
                }
                writer.write(reader.timestampMicros(), reader.buffer(), reader.offset(), reader.capturedLength(), reader.originalLength());
                packets++;
            }
            if (writer != null) {
                writer.flush();
            }
        }
        catch (io.wirelake.packets.capture.CaptureFormatException e) {
            // not even a whole file header: nothing to keep
            packets = 0;
        }
        if (packets == 0) {
            Files.deleteIfExists(repaired);
            return 0;
        }
        Files.move(repaired, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return packets;
    }

    private static void truncateLines(Path file)
            throws IOException
    {
        byte[] content = Files.readAllBytes(file);
        int end = content.length;
        while (end > 0 && content[end - 1] != '\n') {
            end--;
        }
        if (end != content.length) {
            Files.write(file, java.util.Arrays.copyOf(content, end));
        }
    }

    private static String fileName(Layout.Kind kind, long startMicros, long sequence)
    {
        return kind.directory() + "-" + startMicros + "-" + sequence + (kind == Layout.Kind.RAW ? ".pcap" : ".jsonl");
    }
}
