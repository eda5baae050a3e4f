package io.wirelake.dissect.job;

import io.wirelake.store.dissection.DissectionSpec;
import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.ParquetFiles;
import io.wirelake.packets.testing.Corpus;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The Flink job on a MiniCluster writes what the scan path produces, as Parquet. */
class DissectionJobTest
{
    @Test
    void writesTheSameRowsAsTheScanPathToParquet(@TempDir Path output)
            throws Exception
    {
        List<Path> captures = List.of(
                Corpus.capture("zeek/http/pipelined-requests.pcap").path(),
                Corpus.capture("arkime/dns-udp.pcap").path(),
                Corpus.capture("arkime/tcp-reassembly-synthetic.pcap").path(),
                Corpus.capture("zeek/pcapng-multi-interface.pcapng").path(),
                Corpus.capture("suricata-verify/bug-1450-04/tls_DER-incomplete-header.pcap").path());
        List<ScanUnit> units = ScanUnits.discover(captures, "node-a");
        assertThat(units).hasSize(5);
        DissectionJob.Result result = DissectionJob.runLocally(DissectionSpec.ofCaptures(ScanUnits.captures(captures), output.toUri().toString())
                        .withNode("node-a", "unspecified", DissectionSpec.DEFAULT_BODY_CAP).withParallelism(2),
                output.resolve("tmp").toString(), null);

        List<GenericRecord> calls = ParquetFiles.read(output.resolve("api_calls"));
        List<GenericRecord> flows = ParquetFiles.read(output.resolve("flows"));
        // The files sit directly in the table directories (no bucket subdirectories), named *.parquet.
        try (var files = java.nio.file.Files.list(output.resolve("api_calls"))) {
            assertThat(files.toList()).isNotEmpty().allSatisfy(file -> assertThat(file.getFileName().toString()).endsWith(".parquet"));
        }
        long expectedCalls = captures.stream().mapToLong(capture -> Dissection.of(capture).calls().size()).sum();
        long expectedFlows = captures.stream().mapToLong(capture -> Dissection.of(capture).flows().size()).sum();
        assertThat(calls).hasSize((int) expectedCalls);
        assertThat(flows).hasSize((int) expectedFlows);
        assertThat(result.report().withPrefix("rows.").values().stream().mapToLong(Long::longValue).sum()).isEqualTo(expectedCalls);
        assertThat(result.report().get("packets")).isEqualTo(16 + 49 + 5 + 106 + 6 + 6 - 16);
        assertThat(result.report().damageMessages()).singleElement().asString().contains("tls_DER-incomplete-header.pcap");

        Set<Object> ids = calls.stream().map(row -> row.get("id")).collect(Collectors.toSet());
        assertThat(ids).as("ids are unique").hasSize(calls.size());
        assertThat(calls).allSatisfy(row -> assertThat(row.get("node_id").toString()).isEqualTo("node-a"));
        GenericRecord pipelined = calls.stream().filter(row -> row.get("url").toString().equals("/style/enhanced.css"))
                .min(Comparator.comparingLong(row -> (Long) row.get("timestamp"))).orElseThrow();
        assertThat(pipelined.get("status_code")).isEqualTo(200L);
        assertThat(pipelined.get("method").toString()).isEqualTo("GET");
        assertThat(((java.util.Map<?, ?>) pipelined.get("request_headers")).toString()).contains("www.mozilla.org");
    }

    @Test
    void clusterEntryPointDissectsTheWholeCorpus(@TempDir Path output)
            throws Exception
    {
        Path corpus = Corpus.directory().resolve("pcaps");
        DissectionJobMain.main(new String[] {"--out", output.toUri().toString(), "--parallelism", "2", "--node", "corpus", corpus.toUri().toString()});
        List<GenericRecord> calls = ParquetFiles.read(output.resolve("api_calls"));
        List<GenericRecord> flows = ParquetFiles.read(output.resolve("flows"));
        long expectedCalls = 0;
        long expectedFlows = 0;
        for (Corpus.Capture capture : Corpus.captures()) {
            Dissection dissection = Dissection.of(capture.path());
            expectedCalls += dissection.calls().size();
            expectedFlows += dissection.flows().size();
        }
        assertThat(calls).hasSize((int) expectedCalls);
        assertThat(flows).hasSize((int) expectedFlows);
        assertThat(flows.stream().map(row -> row.get("conn_id")).distinct().count()).isEqualTo(flows.size());
    }

    @Test
    void aConnectionSplitOverSegmentFilesStaysOneFlow(@TempDir Path directory)
            throws Exception
    {
        Path capture = Corpus.capture("zeek/http/pipelined-requests.pcap").path();
        Dissection whole = Dissection.of(capture);
        // Three segments of the node's raw layout, out of order in the directory listing on purpose.
        Path hour = directory.resolve("raw/node-x/2009/11/18/20");
        java.nio.file.Files.createDirectories(hour);
        List<io.wirelake.packets.capture.PcapWriter> writers = new java.util.ArrayList<>();
        try (io.wirelake.packets.capture.CaptureReader reader = io.wirelake.packets.capture.CaptureReaders.open(capture)) {
            int packet = 0;
            while (reader.next()) {
                int segment = packet * 3 / 49;
                while (writers.size() <= segment) {
                    String name = (9_000_000_000L - writers.size()) + "-" + (2 - writers.size()) + ".pcap";
                    writers.add(new io.wirelake.packets.capture.PcapWriter(java.nio.file.Files.newOutputStream(hour.resolve(name)), reader.linkType(), 65535));
                }
                writers.get(segment).write(reader.timestampMicros(), reader.buffer(), reader.offset(), reader.capturedLength(), reader.originalLength());
                packet++;
            }
        }
        for (io.wirelake.packets.capture.PcapWriter writer : writers) {
            writer.close();
        }
        // Segment names carry start times: the first packets went to the file with the largest start number.
        // Rename so the start numbers order the segments as they were written, while their text
        // order does not ("1000" sorts before "999"): the scan must order by number.
        List<Path> written = java.nio.file.Files.list(hour).sorted(Comparator.reverseOrder()).toList();
        for (int index = 0; index < written.size(); index++) {
            java.nio.file.Files.move(written.get(index), hour.resolve((999 + index) + "-" + index + ".pcap"));
        }
        List<ScanUnit> units = ScanUnits.discover(List.of(directory), "");
        assertThat(units).singleElement().satisfies(unit -> {
            assertThat(unit.node).isEqualTo("node-x");
            assertThat(unit.paths).hasSize(3);
        });
        Path output = directory.resolve("out");
        DissectionJob.runLocally(DissectionSpec.ofCaptures(ScanUnits.captures(List.of(directory)), output.toUri().toString()).withParallelism(1),
                directory.resolve("tmp").toString(), null);
        List<GenericRecord> flows = ParquetFiles.read(output.resolve("flows"));
        List<GenericRecord> calls = ParquetFiles.read(output.resolve("api_calls"));
        assertThat(flows).hasSize(1);
        assertThat(flows.get(0).get("conn_local_pkts")).isEqualTo(whole.flows().get(0).get("conn_local_pkts"));
        assertThat(calls).hasSize(whole.calls().size());
        assertThat(calls).allSatisfy(call -> assertThat(call.get("node_id").toString()).isEqualTo("node-x"));
    }
}
