package io.wirelake.dissect.job;

import io.wirelake.dissect.flow.FlowTracker;
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
        DissectionJob.Result result = DissectionJob.runLocally(units,
                new DissectionJob.Options(output.toUri().toString(), 2, FlowTracker.Settings.defaults("", 0)),
                output.resolve("tmp").toString(), null);

        List<GenericRecord> calls = ParquetFiles.read(output.resolve("api_calls"));
        List<GenericRecord> flows = ParquetFiles.read(output.resolve("flows"));
        long expectedCalls = captures.stream().mapToLong(capture -> Dissection.of(capture).calls().size()).sum();
        long expectedFlows = captures.stream().mapToLong(capture -> Dissection.of(capture).flows().size()).sum();
        assertThat(calls).hasSize((int) expectedCalls);
        assertThat(flows).hasSize((int) expectedFlows);
        assertThat(result.report().get("rows.HTTP") + result.report().get("rows.DNS")).isEqualTo(expectedCalls);
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
}
