package io.wirelake.dissect.job;

import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.demo.GeneratorOptions;
import io.wirelake.store.dissection.DissectionSpec;
import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.DuckDb;
import io.wirelake.packets.testing.Corpus;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The tables the job writes read back in DuckDB, an independent Parquet reader, as the scan path made them. */
class ParquetReadersTest
{
    @Test
    void duckDbReadsWhatTheScanPathProduced(@TempDir Path directory)
            throws Exception
    {
        List<Path> captures = new ArrayList<>(DemoTrafficGenerator.generate(GeneratorOptions.defaults(1_500_000), directory.resolve("demo"), null).captures());
        captures.add(Corpus.capture("zeek/http/pipelined-requests.pcap").path());
        captures.add(Corpus.capture("arkime/v6-http.pcap").path());
        Path output = directory.resolve("tables");
        DissectionJob.runLocally(DissectionSpec.ofCaptures(ScanUnits.captures(captures), output.toUri().toString())
                .withNode("node-a", "unspecified", DissectionSpec.DEFAULT_BODY_CAP).withParallelism(2), directory.resolve("tmp").toString(), null);
        Dissection expected = Dissection.of(captures.toArray(Path[]::new));

        String calls = "read_parquet('" + output.resolve("api_calls") + "/*.parquet')";
        String flows = "read_parquet('" + output.resolve("flows") + "/*.parquet')";
        List<String> results = DuckDb.query(
                "SELECT count(*) AS n, count(DISTINCT id) AS ids FROM " + calls,
                "SELECT protocol || ' ' || method || ' ' || status_code AS k, count(*) AS n FROM " + calls + " GROUP BY 1 ORDER BY 1",
                "SELECT sum(conn_local_pkts + conn_remote_pkts) AS packets, count(*) AS n FROM " + flows,
                "SELECT count(*) AS n FROM " + calls + " WHERE http AND request_headers['user-agent'] IS NOT NULL AND len(dns_questions) = 0",
                "SELECT count(*) AS n FROM " + calls + " WHERE dns AND len(dns_questions) > 0 AND epoch_us(timestamp) > 0",
                "SELECT min(epoch_us(timestamp)) AS first FROM " + calls);

        assertThat(results.get(0)).isEqualTo("[{\"n\":\"%d\",\"ids\":\"%d\"}]".formatted(expected.calls().size(), expected.calls().size()));
        Map<String, Long> groups = new TreeMap<>();
        for (GenericData.Record call : expected.calls()) {
            groups.merge(call.get("protocol") + " " + call.get("method") + " " + call.get("status_code"), 1L, Long::sum);
        }
        StringBuilder expectedGroups = new StringBuilder("[");
        groups.forEach((key, count) -> expectedGroups.append(expectedGroups.length() > 1 ? "," : "").append("{\"k\":\"").append(key)
                .append("\",\"n\":\"").append(count).append("\"}"));
        assertThat(results.get(1)).isEqualTo(expectedGroups.append("]").toString());
        long packets = expected.flows().stream().mapToLong(flow -> (Long) flow.get("conn_local_pkts") + (Long) flow.get("conn_remote_pkts")).sum();
        assertThat(results.get(2)).isEqualTo("[{\"packets\":\"%d\",\"n\":\"%d\"}]".formatted(packets, expected.flows().size()));
        long withAgent = expected.calls().stream().filter(call -> ((Map<?, ?>) call.get("request_headers")).containsKey("user-agent")).count();
        assertThat(results.get(3)).isEqualTo("[{\"n\":\"%d\"}]".formatted(withAgent));
        // mDNS announcements are responses without a question section.
        long dnsWithQuestions = expected.calls("DNS").stream().filter(call -> !((List<?>) call.get("dns_questions")).isEmpty()).count();
        assertThat(results.get(4)).isEqualTo("[{\"n\":\"%d\"}]".formatted(dnsWithQuestions));
        long first = expected.calls().stream().mapToLong(call -> (Long) call.get("timestamp")).min().orElseThrow();
        assertThat(results.get(5)).isEqualTo("[{\"first\":\"%d\"}]".formatted(first));
    }

}
