package io.wirelake.dissect.golden;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.packets.testing.Corpus;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka against DeepFlow's expected results for its own test captures: each request's API, client
 * id and size, each response's size, paired as DeepFlow pairs them (including the API versions
 * tshark 4.0 does not know).
 */
class KafkaDeepFlowTest
{
    private static final Pattern FIELD = Pattern.compile("msg_type: (\\w+).*?api_key: (\\w+).*?client_id: \"([^\"]*)\".*?req_msg_size: (?:Some\\((\\d+)\\)|None), resp_msg_size: (?:Some\\((\\d+)\\)|None)");

    @ParameterizedTest
    @ValueSource(strings = {"deepflow/kafka/00-produce-v2.pcap", "deepflow/kafka/01-fetch-v12-unknown.pcap", "deepflow/kafka/mixed-with-unsupported.pcap"})
    void requestsAndResponsesMatchDeepFlow(String name)
            throws Exception
    {
        Corpus.Capture capture = Corpus.capture(name);
        List<String> requests = new ArrayList<>();
        List<String> responses = new ArrayList<>();
        for (String line : Files.readAllLines(capture.expected().get(0))) {
            Matcher matcher = FIELD.matcher(line);
            if (!matcher.find()) {
                continue;
            }
            // DeepFlow's sizes leave out the 4-byte length prefix; ours count the message as sent.
            String api = matcher.group(2).replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
            if (matcher.group(1).equals("Request")) {
                requests.add(api + " " + matcher.group(3) + " " + (Long.parseLong(matcher.group(4)) + 4));
            }
            else {
                responses.add(api + " " + (Long.parseLong(matcher.group(5)) + 4));
            }
        }
        List<GenericData.Record> rows = Dissection.of(capture.path()).calls("Kafka");
        assertThat(rows).filteredOn(row -> (Boolean) row.get("kafka_request"))
                .extracting(row -> row.get("kafka_api_key_name") + " " + row.get("kafka_client_id") + " " + row.get("kafka_request_size"))
                .containsExactlyInAnyOrderElementsOf(requests);
        assertThat(rows).filteredOn(row -> (Boolean) row.get("kafka_response"))
                .extracting(row -> row.get("kafka_api_key_name") + " " + row.get("kafka_response_size"))
                .containsExactlyInAnyOrderElementsOf(responses);
    }
}
