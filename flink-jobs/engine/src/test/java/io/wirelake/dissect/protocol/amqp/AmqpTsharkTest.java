package io.wirelake.dissect.protocol.amqp;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.packets.testing.Corpus;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AMQP 0-9-1 on corpus captures against tshark's AMQP dissector: every method (class and
 * method), every routing key, and the body size of every content-carrying method.
 */
class AmqpTsharkTest
{
    private static final Pattern ROUTING_KEY = Pattern.compile("routing_key=(\\S*)");
    private static final Pattern BODY = Pattern.compile("body=(\\d+)");

    @ParameterizedTest
    @ValueSource(strings = {"deepflow/amqp/amqp-error.pcap", "deepflow/amqp/amqp1.pcap", "deepflow/amqp/amqp3.pcap", "ndpi/amqp.pcap"})
    void methodsAgreeWithTshark(String name)
            throws Exception
    {
        Path capture = Corpus.capture(name).path();
        List<GenericData.Record> rows = Dissection.of(capture).calls("AMQP");
        List<String> methods = new ArrayList<>();
        List<String> routingKeys = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        for (String[] row : Tshark.fields(capture, List.of("-Y", "amqp"), "amqp.method.class", "amqp.method.method", "amqp.method.arguments.routing_key",
                "amqp.header.body-size")) {
            if (!row[0].isEmpty()) {
                String[] classes = row[0].split(",");
                String[] ids = row[1].split(",");
                for (int i = 0; i < classes.length; i++) {
                    methods.add(AmqpMethods.name(Integer.parseInt(classes[i]), Integer.parseInt(ids[i])));
                }
            }
            if (row.length > 2 && !row[2].isEmpty()) {
                List.of(row[2].split(",")).stream().filter(key -> !key.isEmpty()).forEach(routingKeys::add);
            }
            if (row.length > 3 && !row[3].isEmpty()) {
                bodies.addAll(List.of(row[3].split(",")));
            }
        }
        assertThat(rows).extracting(row -> row.get("amqp_method").toString()).as(name).isNotEmpty().containsExactlyInAnyOrderElementsOf(methods);
        List<String> ourKeys = new ArrayList<>();
        List<String> ourBodies = new ArrayList<>();
        for (GenericData.Record row : rows) {
            Matcher key = ROUTING_KEY.matcher(row.get("amqp_summary").toString());
            if (key.find() && !key.group(1).isEmpty()) {
                // tshark writes nothing for an empty routing key
                ourKeys.add(key.group(1));
            }
            Matcher body = BODY.matcher(row.get("amqp_summary").toString());
            if (body.find()) {
                ourBodies.add(body.group(1));
            }
        }
        assertThat(ourKeys).as("routing keys").containsExactlyInAnyOrderElementsOf(routingKeys);
        assertThat(ourBodies).as("body sizes").containsExactlyInAnyOrderElementsOf(bodies);
    }
}
