package io.wirelake.dissect.job;

import io.wirelake.packets.capture.CaptureReaders;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns the paths given to {@code dissect} into scan units. Segments in the object-store layout
 * ({@code raw/<node>/yyyy/mm/dd/hh/<start-micros>-<seq>.pcap}) are grouped per node and ordered by
 * start time, so a node's flows stay whole across segments; any other capture file is a unit of
 * its own. Files are recognised by their first bytes, not their names.
 */
public final class ScanUnits
{
    private static final Pattern SEGMENT = Pattern.compile(".*/raw/([^/]+)/\\d{4}/\\d{2}/\\d{2}/\\d{2}/(\\d+)-(\\d+)\\.pcap(ng)?$");

    private ScanUnits() {}

    public static List<ScanUnit> discover(List<Path> inputs, String defaultNode)
            throws IOException
    {
        List<Path> files = new ArrayList<>();
        for (Path input : inputs) {
            if (!Files.exists(input)) {
                throw new NoSuchFileException(input.toString(), null, "no such file or directory");
            }
            if (Files.isDirectory(input)) {
                try (Stream<Path> walk = Files.walk(input)) {
                    walk.filter(Files::isRegularFile).sorted().forEach(files::add);
                }
            }
            else {
                files.add(input);
            }
        }
        Map<String, List<Path>> segmentsByNode = new LinkedHashMap<>();
        List<ScanUnit> units = new ArrayList<>();
        List<Path> singles = new ArrayList<>();
        for (Path file : files) {
            if (!isCapture(file)) {
                continue;
            }
            Matcher segment = SEGMENT.matcher(file.toAbsolutePath().toString().replace('\\', '/'));
            if (segment.matches()) {
                segmentsByNode.computeIfAbsent(segment.group(1), node -> new ArrayList<>()).add(file);
            }
            else {
                singles.add(file);
            }
        }
        for (Map.Entry<String, List<Path>> node : segmentsByNode.entrySet()) {
            List<Path> segments = new ArrayList<>(node.getValue());
            segments.sort(Comparator.comparingLong(ScanUnits::segmentStart).thenComparingLong(ScanUnits::segmentSequence));
            units.add(unit(units.size(), node.getKey(), segments));
        }
        for (Path single : singles) {
            units.add(unit(units.size(), defaultNode, List.of(single)));
        }
        return units;
    }

    /** Whether the file starts like a pcap or pcapng file. */
    public static boolean isCapture(Path file)
    {
        try (InputStream input = Files.newInputStream(file)) {
            return CaptureReaders.looksLikeCapture(input.readNBytes(4));
        }
        catch (IOException e) {
            return false;
        }
    }

    private static ScanUnit unit(int index, String node, List<Path> files)
    {
        long bytes = 0;
        String[] paths = new String[files.size()];
        for (int position = 0; position < files.size(); position++) {
            paths[position] = files.get(position).toAbsolutePath().toUri().toString();
            try {
                bytes += Files.size(files.get(position));
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new ScanUnit(index, node, paths, bytes);
    }

    private static long segmentStart(Path file)
    {
        Matcher matcher = SEGMENT.matcher(file.toAbsolutePath().toString().replace('\\', '/'));
        return matcher.matches() ? Long.parseLong(matcher.group(2)) : 0;
    }

    private static long segmentSequence(Path file)
    {
        Matcher matcher = SEGMENT.matcher(file.toAbsolutePath().toString().replace('\\', '/'));
        return matcher.matches() ? Long.parseLong(matcher.group(3)) : 0;
    }
}
