package io.wirelake.dissect.job;

import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.demo.GeneratorOptions;
import io.wirelake.dissect.testing.ParquetFiles;
import io.wirelake.packets.capture.CaptureReader;
import io.wirelake.packets.capture.CaptureReaders;
import io.wirelake.store.dissection.DissectionSpec;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node's captures cut into time slices (each its own scan unit, on its own task) give the rows
 * of the unsliced scan: flows crossing a boundary are made once, whole, by the slice they start
 * in. Ids are numbered per unit, so they differ (and the task's name); rows are compared on
 * everything else, and each api_calls row with the start of the flow it belongs to.
 */
class TimeSlicesTest
{
    /** Numbered per scan unit, or the task's name. */
    private static final Set<String> PER_UNIT = Set.of("id", "conn_id", "flow_id", "stream", "conn_group_id", "flow_group_id", "worker");

    @Test
    void slicedRunsMakeTheRowsOfTheUnslicedRun(@TempDir Path directory)
            throws Exception
    {
        Path captures = directory.resolve("captures");
        List<Path> files = DemoTrafficGenerator.generate(GeneratorOptions.defaults(4_000_000).withSeed(5), captures, null).captures();
        List<DissectionSpec.Capture> nodeCaptures = new ArrayList<>();
        for (Path file : files) {
            long[] times = packetTimes(file);
            nodeCaptures.add(new DissectionSpec.Capture(file.toUri().toString(), file.getFileName().toString().replace(".pcap", ""), Files.size(file),
                    times[0], times[1]));
        }
        DissectionSpec whole = DissectionSpec.ofCaptures(nodeCaptures, directory.resolve("whole").toUri().toString()).withParallelism(2);
        DissectionJob.Result unsliced = DissectionJob.runLocally(whole, directory.resolve("tmp").toString(), null);
        Rows expected = rows(directory.resolve("whole"));

        for (int slices : new int[] {2, 7}) {
            Path output = directory.resolve("sliced-" + slices);
            DissectionSpec spec = DissectionSpec.ofCaptures(nodeCaptures, output.toUri().toString()).withParallelism(2)
                    .withSlicing(DissectionSpec.Slicing.perNode(slices));
            List<ScanUnit> units = ScanUnits.of(spec);
            assertThat(units).hasSize(files.size() * slices).allSatisfy(unit -> assertThat(unit.sliced()).isTrue());
            assertThat(expected.flowsCrossing(units)).as("flows crossing the %d-slice boundaries", slices).isGreaterThan(10);

            DissectionJob.Result result = DissectionJob.runLocally(spec, directory.resolve("tmp").toString(), null);
            Rows actual = rows(output);
            assertThat(actual.flows).as("flows, %d slices", slices).containsExactlyElementsOf(expected.flows);
            assertThat(actual.calls).as("api_calls, %d slices", slices).containsExactlyElementsOf(expected.calls);
            // Each packet is counted by the one slice whose time it is in.
            for (String counter : List.of("packets", "bytes", "flows.TCP", "flows.UDP")) {
                assertThat(result.report().get(counter)).as(counter).isEqualTo(unsliced.report().get(counter));
            }
            assertThat(result.report().get("anomaly.slice_overlap_exceeded")).isZero();
        }
    }

    /** A slice cut off by its overlap limit ends its open flows there, with a named anomaly, and says so in the report. */
    @Test
    void aFlowLongerThanTheOverlapIsCutWithAnAnomaly(@TempDir Path directory)
            throws Exception
    {
        Path captures = directory.resolve("captures");
        Path file = DemoTrafficGenerator.generate(GeneratorOptions.defaults(1_500_000).withSeed(9), captures, null).captures().get(0);
        long[] times = packetTimes(file);
        DissectionSpec spec = DissectionSpec.ofCaptures(List.of(new DissectionSpec.Capture(file.toUri().toString(), "node-a", Files.size(file), times[0], times[1])),
                directory.resolve("out").toUri().toString()).withSlicing(new DissectionSpec.Slicing(2, DissectionSpec.Slicing.DEFAULT_LOOKBACK_MICROS, 1));
        DissectionJob.Result result = DissectionJob.runLocally(spec, directory.resolve("tmp").toString(), null);
        assertThat(result.report().get("anomaly.slice_overlap_exceeded")).isPositive();
        assertThat(ParquetFiles.read(directory.resolve("out").resolve("flows")))
                .anySatisfy(flow -> assertThat(flow.get("anomalies").toString()).contains("slice_overlap_exceeded"));
    }

    /** Segments go to the slices whose read range (lookback before, overlap after) they touch. */
    @Test
    void aSliceReadsTheSegmentsOfItsTimeWithLookbackAndOverlap()
    {
        long second = 1_000_000L;
        List<DissectionSpec.Capture> segments = new ArrayList<>();
        for (int minute = 0; minute < 60; minute++) {
            long start = 1_700_000_000L * second + minute * 60 * second;
            segments.add(new DissectionSpec.Capture("file:///lake/raw/n1/2023/11/14/22/" + start + "-" + minute + ".pcap", "n1", 100, start, start + 60 * second - 1));
        }
        DissectionSpec spec = DissectionSpec.ofCaptures(segments, "file:///out")
                .withSlicing(new DissectionSpec.Slicing(4, 120 * second, 300 * second));
        List<ScanUnit> units = ScanUnits.of(spec);
        assertThat(units).hasSize(4);
        assertThat(units.get(0).sliceStart).isEqualTo(Long.MIN_VALUE);
        assertThat(units.get(3).sliceEnd).isEqualTo(Long.MAX_VALUE);
        // 15 minutes each; the first reads its own and 5 minutes more, the second 2 minutes before it too.
        assertThat(units.get(0).paths).hasSize(15 + 5 + 1);
        assertThat(units.get(1).paths).hasSize(2 + 15 + 5 + 1);
        assertThat(units.get(3).paths).hasSize(2 + 15);
        assertThat(units.get(1).sliceStart).isEqualTo(units.get(0).sliceEnd);
        assertThat(units.stream().map(unit -> unit.index).toList()).containsExactly(0, 1, 2, 3);
    }

    private record Rows(List<String> flows, List<String> calls, List<long[]> flowSpans)
    {
        long flowsCrossing(List<ScanUnit> units)
        {
            return flowSpans.stream().filter(span -> units.stream().anyMatch(unit -> unit.sliceStart != Long.MIN_VALUE
                    && span[0] < unit.sliceStart && span[1] >= unit.sliceStart)).count();
        }
    }

    private static Rows rows(Path output)
            throws IOException
    {
        List<GenericRecord> flows = ParquetFiles.read(output.resolve("flows"));
        Map<Long, Long> flowStarts = new HashMap<>();
        List<long[]> spans = new ArrayList<>();
        for (GenericRecord flow : flows) {
            flowStarts.put((Long) flow.get("conn_id"), (Long) flow.get("timestamp"));
            spans.add(new long[] {(Long) flow.get("timestamp"), (Long) flow.get("flow_end")});
        }
        List<String> flowLines = new ArrayList<>(flows.stream().map(flow -> line(flow, Map.of())).toList());
        List<String> callLines = new ArrayList<>();
        for (GenericRecord call : ParquetFiles.read(output.resolve("api_calls"))) {
            callLines.add(line(call, Map.of("flow_start", flowStarts.get((Long) call.get("conn_id")))));
        }
        flowLines.sort(null);
        callLines.sort(null);
        return new Rows(flowLines, callLines, spans);
    }

    private static String line(GenericRecord row, Map<String, Object> extra)
    {
        TreeMap<String, Object> values = new TreeMap<>(extra);
        for (Schema.Field field : row.getSchema().getFields()) {
            if (!PER_UNIT.contains(field.name())) {
                values.put(field.name(), plain(row.get(field.pos())));
            }
        }
        return values.toString();
    }

    private static Object plain(Object value)
    {
        if (value instanceof ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            return HexFormat.of().formatHex(bytes);
        }
        if (value instanceof CharSequence text) {
            return text.toString();
        }
        if (value instanceof Map<?, ?> map) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            map.forEach((key, entry) -> sorted.put(key.toString(), plain(entry)));
            return sorted;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(TimeSlicesTest::plain).toList();
        }
        return value;
    }

    private static long[] packetTimes(Path file)
            throws IOException
    {
        long first = -1;
        long last = -1;
        try (CaptureReader reader = CaptureReaders.open(file)) {
            while (reader.next()) {
                if (first < 0) {
                    first = reader.timestampMicros();
                }
                last = Math.max(last, reader.timestampMicros());
            }
        }
        return new long[] {first, last};
    }
}
