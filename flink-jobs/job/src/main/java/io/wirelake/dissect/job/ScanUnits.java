package io.wirelake.dissect.job;

import io.wirelake.packets.capture.CaptureReaders;
import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns the inputs of a dissection into scan units. Segments in the object-store layout
 * ({@code raw/<node>/yyyy/mm/dd/hh/<start-micros>-<seq>.pcap}) are grouped per node and ordered by
 * start time, so a node's flows stay whole across segments; any other capture file is a unit of
 * its own. Files are recognised by their first bytes, not their names. Inputs are URIs read
 * through Flink's file systems ({@code file:}, {@code s3:} with the S3 plugin), the same way the
 * tasks read them.
 */
public final class ScanUnits
{
    private static final Pattern SEGMENT = Pattern.compile(".*/raw/([^/]+)/\\d{4}/\\d{2}/\\d{2}/\\d{2}/(\\d+)-(\\d+)\\.pcap(ng)?$");

    private record Capture(String uri, long bytes) {}

    private ScanUnits() {}

    /** Local files and directories. */
    public static List<ScanUnit> discover(List<java.nio.file.Path> inputs, String defaultNode)
            throws IOException
    {
        List<String> uris = new ArrayList<>();
        for (java.nio.file.Path input : inputs) {
            if (!java.nio.file.Files.exists(input)) {
                throw new java.nio.file.NoSuchFileException(input.toString(), null, "no such file or directory");
            }
            uris.add(input.toAbsolutePath().normalize().toUri().toString());
        }
        return discoverUris(uris, defaultNode);
    }

    /** Files and directories as URIs. */
    public static List<ScanUnit> discoverUris(List<String> inputs, String defaultNode)
            throws IOException
    {
        List<Capture> files = new ArrayList<>();
        for (String input : inputs) {
            Path path = new Path(input);
            FileSystem fileSystem = path.getFileSystem();
            FileStatus status;
            try {
                status = fileSystem.getFileStatus(path);
            }
            catch (FileNotFoundException e) {
                throw new java.nio.file.NoSuchFileException(input, null, "no such file or directory");
            }
            collect(fileSystem, status, files);
        }
        Map<String, List<Capture>> segmentsByNode = new LinkedHashMap<>();
        List<Capture> singles = new ArrayList<>();
        for (Capture file : files) {
            Matcher segment = SEGMENT.matcher(file.uri());
            if (segment.matches()) {
                segmentsByNode.computeIfAbsent(segment.group(1), node -> new ArrayList<>()).add(file);
            }
            else {
                singles.add(file);
            }
        }
        List<ScanUnit> units = new ArrayList<>();
        for (Map.Entry<String, List<Capture>> node : segmentsByNode.entrySet()) {
            List<Capture> segments = new ArrayList<>(node.getValue());
            segments.sort(Comparator.comparingLong((Capture capture) -> segmentNumber(capture, 2)).thenComparingLong(capture -> segmentNumber(capture, 3)));
            units.add(unit(units.size(), node.getKey(), segments));
        }
        for (Capture single : singles) {
            units.add(unit(units.size(), defaultNode, List.of(single)));
        }
        return units;
    }

    private static void collect(FileSystem fileSystem, FileStatus status, List<Capture> files)
            throws IOException
    {
        if (status.isDir()) {
            FileStatus[] children = fileSystem.listStatus(status.getPath());
            java.util.Arrays.sort(children, Comparator.comparing(child -> child.getPath().toString()));
            for (FileStatus child : children) {
                collect(fileSystem, child, files);
            }
        }
        else if (isCapture(fileSystem, status.getPath())) {
            files.add(new Capture(status.getPath().toUri().toString(), status.getLen()));
        }
    }

    private static boolean isCapture(FileSystem fileSystem, Path path)
    {
        try (FSDataInputStream input = fileSystem.open(path)) {
            return CaptureReaders.looksLikeCapture(input.readNBytes(4));
        }
        catch (IOException e) {
            return false;
        }
    }

    private static ScanUnit unit(int index, String node, List<Capture> files)
    {
        return new ScanUnit(index, node, files.stream().map(Capture::uri).toArray(String[]::new), files.stream().mapToLong(Capture::bytes).sum());
    }

    private static long segmentNumber(Capture capture, int group)
    {
        Matcher matcher = SEGMENT.matcher(capture.uri());
        return matcher.matches() ? Long.parseLong(matcher.group(group)) : 0;
    }
}
