package io.wirelake.packets.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The public capture corpus in {@code ../shared/corpus}: each capture with the manifest's facts
 * (packet count from capinfos, link type, expected outputs of the project that ships it).
 */
public final class Corpus
{
    public record Capture(Path path, String name, String protocols, String linkType, int packets, List<Path> expected, String notes)
    {
        @Override
        public String toString()
        {
            return name;
        }

        /** The manifest says the file's tail is corrupt: readers (tshark too) stop there with an error. */
        public boolean damagedTail()
        {
            return notes.contains("corrupt tail");
        }
    }

    private Corpus() {}

    public static Path sharedDirectory()
    {
        String configured = System.getProperty("wirelake.shared.dir");
        Path directory = configured != null ? Path.of(configured) : Path.of("..", "..", "shared");
        if (!Files.isDirectory(directory)) {
            throw new IllegalStateException("../shared (seed documents and corpus) is not at " + directory.toAbsolutePath()
                    + "; set -Dwirelake.shared.dir");
        }
        return directory.normalize();
    }

    public static Path directory()
    {
        return sharedDirectory().resolve("corpus");
    }

    public static List<Capture> captures()
    {
        Path directory = directory();
        try {
            List<Capture> captures = new ArrayList<>();
            List<String> lines = Files.readAllLines(directory.resolve("MANIFEST.tsv"));
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split("\t", -1);
                List<Path> expected = cells[9].equals("-") ? List.of()
                        : java.util.Arrays.stream(cells[9].split(";")).map(directory::resolve).toList();
                String name = cells[0].substring("pcaps/".length());
                captures.add(new Capture(directory.resolve(cells[0]), name, cells[1], cells[2], Integer.parseInt(cells[3]), expected, cells[10]));
            }
            return captures;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Capture capture(String name)
    {
        Map<String, Capture> byName = captures().stream().collect(Collectors.toMap(Capture::name, capture -> capture));
        Capture capture = byName.get(name);
        if (capture == null) {
            throw new IllegalArgumentException("no corpus capture " + name);
        }
        return capture;
    }
}
