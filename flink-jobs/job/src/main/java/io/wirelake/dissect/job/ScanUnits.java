package io.wirelake.dissect.job;

import io.wirelake.packets.capture.CaptureReaders;
import io.wirelake.store.dissection.DissectionSpec;
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
 * Turns the captures of a dissection into scan units. Segments in the object-store layout
 * ({@code raw/<node>/yyyy/mm/dd/hh/<start-micros>-<seq>.pcap}) are grouped per node and ordered by
 * start time, so a node's flows stay whole across segments; any other capture file is a unit of
 * its own. With time slicing, a node's segments become several units, one per slice, each with
 * the segments its slice reads (see {@link DissectionSpec.Slicing}). Files found by
 * {@link #discoverUris} are recognised by their first bytes, not their names, and read through
 * Flink's file systems ({@code file:}, {@code s3:} with the S3 plugin), as the tasks read them.
 */
public final class ScanUnits
{
    private static final Pattern SEGMENT = Pattern.compile(".*/raw/([^/]+)/\\d{4}/\\d{2}/\\d{2}/\\d{2}/(\\d+)-(\\d+)\\.pcap(ng)?$");

    private ScanUnits() {}

    /** Local files and directories as units (plain dissection, no slicing). */
    public static List<ScanUnit> discover(List<java.nio.file.Path> inputs, String defaultNode)
            throws IOException
    {
        return of(DissectionSpec.ofCaptures(captures(inputs), "file:///unused").withNode(defaultNode, "unspecified", DissectionSpec.DEFAULT_BODY_CAP));
    }

    /** The capture files in local files and directories. */
    public static List<DissectionSpec.Capture> captures(List<java.nio.file.Path> inputs)
            throws IOException
    {
        List<String> uris = new ArrayList<>();
        for (java.nio.file.Path input : inputs) {
            if (!java.nio.file.Files.exists(input)) {
                throw new java.nio.file.NoSuchFileException(input.toString(), null, "no such file or directory");
            }
            uris.add(input.toAbsolutePath().normalize().toUri().toString());
        }
        return discoverUris(uris);
    }

    /** The capture files in files and directories given as URIs; a node's segments carry its name. */
    public static List<DissectionSpec.Capture> discoverUris(List<String> inputs)
            throws IOException
    {
        List<DissectionSpec.Capture> files = new ArrayList<>();
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
        return files;
    }

    /** The units of a spec: a node's segments together (or in time slices), any other file alone. */
    public static List<ScanUnit> of(DissectionSpec spec)
    {
        Map<String, List<DissectionSpec.Capture>> segmentsByNode = new LinkedHashMap<>();
        List<DissectionSpec.Capture> singles = new ArrayList<>();
        for (DissectionSpec.Capture capture : spec.captures()) {
            if (capture.node().isEmpty()) {
                singles.add(capture);
            }
            else {
                segmentsByNode.computeIfAbsent(capture.node(), node -> new ArrayList<>()).add(capture);
            }
        }
        List<ScanUnit> units = new ArrayList<>();
        for (Map.Entry<String, List<DissectionSpec.Capture>> node : segmentsByNode.entrySet()) {
            List<DissectionSpec.Capture> segments = new ArrayList<>(node.getValue());
            segments.sort(Comparator.comparingLong((DissectionSpec.Capture capture) -> segmentNumber(capture, 2))
                    .thenComparingLong(capture -> segmentNumber(capture, 3)));
            slices(units, node.getKey(), segments, spec);
        }
        for (DissectionSpec.Capture single : singles) {
            units.add(unit(units.size(), spec.defaultNode(), List.of(single), Long.MIN_VALUE, Long.MAX_VALUE));
        }
        return units;
    }

    /**
     * A node's units: one, or with slicing and every segment's packet times known, one per slice
     * of the node's time (within the window), each with the segments its slice reads: from the
     * lookback before it to the overlap after it. The first slice owns everything before it and
     * the last everything after, so every flow has an owner.
     */
    private static void slices(List<ScanUnit> units, String node, List<DissectionSpec.Capture> segments, DissectionSpec spec)
    {
        DissectionSpec.Slicing slicing = spec.slicing();
        boolean timesKnown = segments.stream().allMatch(DissectionSpec.Capture::timesKnown);
        if (slicing.slicesPerNode() == 1 || !timesKnown) {
            units.add(unit(units.size(), node, segments, Long.MIN_VALUE, Long.MAX_VALUE));
            return;
        }
        long first = Math.max(spec.windowStart(), segments.stream().mapToLong(DissectionSpec.Capture::firstPacketMicros).min().orElseThrow());
        long last = Math.min(spec.windowEnd(), segments.stream().mapToLong(DissectionSpec.Capture::lastPacketMicros).max().orElseThrow());
        long length = Math.max(1, Math.floorDiv(last - first + slicing.slicesPerNode(), slicing.slicesPerNode()));
        for (int slice = 0; slice < slicing.slicesPerNode(); slice++) {
            long start = slice == 0 ? Long.MIN_VALUE : first + slice * length;
            long end = slice == slicing.slicesPerNode() - 1 ? Long.MAX_VALUE : first + (slice + 1) * length;
            if (start != Long.MIN_VALUE && start > last) {
                break;
            }
            long readFrom = start == Long.MIN_VALUE ? Long.MIN_VALUE : start - slicing.lookbackMicros();
            long readTo = end == Long.MAX_VALUE ? Long.MAX_VALUE : saturatedAdd(end, slicing.overlapMicros());
            List<DissectionSpec.Capture> read = segments.stream()
                    .filter(capture -> capture.lastPacketMicros() >= readFrom && capture.firstPacketMicros() <= readTo)
                    .toList();
            if (read.isEmpty()) {
                continue;
            }
            units.add(unit(units.size(), node, read, start, end));
        }
    }

    private static long saturatedAdd(long value, long add)
    {
        long sum = value + add;
        return sum < value ? Long.MAX_VALUE : sum;
    }

    private static void collect(FileSystem fileSystem, FileStatus status, List<DissectionSpec.Capture> files)
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
            String uri = status.getPath().toUri().toString();
            Matcher segment = SEGMENT.matcher(uri);
            files.add(new DissectionSpec.Capture(uri, segment.matches() ? segment.group(1) : "", status.getLen(), -1, -1));
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

    private static ScanUnit unit(int index, String node, List<DissectionSpec.Capture> files, long sliceStart, long sliceEnd)
    {
        return new ScanUnit(index, node, files.stream().map(DissectionSpec.Capture::uri).toArray(String[]::new),
                files.stream().mapToLong(DissectionSpec.Capture::bytes).sum(), sliceStart, sliceEnd);
    }

    private static long segmentNumber(DissectionSpec.Capture capture, int group)
    {
        Matcher matcher = SEGMENT.matcher(capture.uri());
        return matcher.matches() ? Long.parseLong(matcher.group(group)) : capture.firstPacketMicros();
    }
}
