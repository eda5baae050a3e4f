package io.wirelake.dissect.golden;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.packets.testing.Corpus;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka on corpus captures against tshark's Kafka dissector: each request's API key, version-less
 * name and client id, the topics requests name, and how many responses were paired.
 */
class KafkaTsharkTest
{
    @ParameterizedTest
    @ValueSource(strings = {"arkime/kafka.pcap", "deepflow/kafka/00-produce-v2.pcap", "deepflow/kafka/01-fetch-v12-unknown.pcap",
            "deepflow/kafka/mixed-with-unsupported.pcap", "ndpi/kafka.pcapng"})
    void requestsAgreeWithTshark(String name)
            throws Exception
    {
        Path capture = Corpus.capture(name).path();
        List<GenericData.Record> rows = Dissection.of(capture).calls("Kafka");
        List<String> decodeAs = List.of("-d", "tcp.port==9092,kafka", "-Y", "kafka && !kafka.request_frame");
        List<String> requests = new ArrayList<>();
        TreeSet<String> topics = new TreeSet<>();
        for (String[] row : Tshark.fields(capture, decodeAs, "kafka.api_key", "kafka.client_id", "kafka.topic_name")) {
            if (row[0].isEmpty()) {
                continue; // a response whose request tshark did not see
            }
            String[] keys = row[0].split(",");
            String[] clients = row.length > 1 ? row[1].split(",", -1) : new String[0];
            for (int i = 0; i < keys.length; i++) {
                requests.add(keys[i] + " " + (i < clients.length ? clients[i] : ""));
            }
            if (row.length > 2 && !row[2].isEmpty()) {
                topics.addAll(List.of(row[2].split(",")));
            }
        }
        List<String> ours = rows.stream().filter(row -> (Boolean) row.get("kafka_request"))
                .map(row -> row.get("kafka_api_key") + " " + row.get("kafka_client_id")).toList();
        assertThat(ours).as(name).isNotEmpty().containsExactlyInAnyOrderElementsOf(requests);
        TreeSet<String> ourTopics = new TreeSet<>();
        rows.forEach(row -> {
            String summary = row.get("kafka_request_summary").toString();
            if (!summary.isEmpty()) {
                ourTopics.addAll(List.of(summary.split(", ")));
            }
        });
        // tshark 4.0 knows the API versions of its time; for newer ones it marks the request
        // unsupported and names no topics (and cannot pair the responses). There ours may name more.
        List<String> info = Tshark.fields(capture, List.of("-d", "tcp.port==9092,kafka", "-Y", "kafka"), "_ws.col.Info").stream().map(row -> row[0]).toList();
        boolean unsupported = info.stream().anyMatch(line -> line.contains("Unsupported API version"));
        topics.remove("[ Null ]");
        if (unsupported) {
            assertThat(ourTopics).as("topics").containsAll(topics);
        }
        else {
            assertThat(ourTopics).as("topics").isEqualTo(topics);
        }
        // Every response tshark sees, paired by it or not ("Request Missing" when it could not parse the request).
        long responses = info.stream().mapToLong(line -> line.split("Response", -1).length - 1).sum();
        assertThat(rows.stream().filter(row -> (Boolean) row.get("kafka_response")).count()).as("responses").isEqualTo(responses);
        assertThat(rows).filteredOn(row -> (Boolean) row.get("kafka_request"))
                .allSatisfy(row -> assertThat(row.get("kafka_api_key_name").toString()).isNotEmpty().isUpperCase());
    }
}
