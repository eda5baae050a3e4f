package io.wirelake.dissect.golden;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.packets.testing.Corpus;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * HTTP over SCTP (Arkime's sctp-www capture: a browser's requests over SCTP associations to port
 * 80, payload protocol identifier 0, responses in fragmented DATA chunks) is dissected like HTTP
 * over TCP, one byte stream per SCTP stream: every request and response tshark finds, paired.
 * (This machine's kernel has no SCTP, so no SCTP recording of our own is possible here.)
 */
class SctpHttpTsharkTest
{
    @Test
    void requestsAndResponsesAreTsharks()
            throws Exception
    {
        Path capture = Corpus.capture("arkime/sctp-www.pcap").path();
        List<GenericData.Record> rows = Dissection.of(capture).calls("HTTP");
        List<String> methods = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        for (String[] row : Tshark.fields(capture, List.of("-Y", "http"), "http.request.method", "http.request.uri", "http.response.code")) {
            if (!row[0].isEmpty()) {
                methods.add(row[0]);
                paths.add(row[1]);
            }
            if (!row[2].isEmpty()) {
                statuses.add(row[2]);
            }
        }
        assertThat(methods).isNotEmpty();
        assertThat(rows).extracting(row -> row.get("method").toString()).containsExactlyElementsOf(methods);
        assertThat(rows).extracting(row -> row.get("url").toString()).containsExactlyElementsOf(paths);
        assertThat(rows).extracting(row -> row.get("status_code").toString()).containsExactlyElementsOf(statuses);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.get("sctp")).isEqualTo(true);
            assertThat((Long) row.get("response_body_size")).isPositive();
        });
    }
}
