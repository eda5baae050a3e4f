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
 * method, named as tshark names them, so a wrong entry in our table of names fails), every
 * routing key, and the body size of every content-carrying method.
 */
class AmqpTsharkTest
{
    private static final Pattern ROUTING_KEY = Pattern.compile("routing_key=(\\S*)");
    private static final Pattern BODY = Pattern.compile("body=(\\d+)");
    /** A PDML showname of an enumerated field: "Method: Start-Ok (11)" names "Start-Ok". */
    private static final Pattern SHOWN_NAME = Pattern.compile("^[^:]+: (.+) \\(\\d+\\)$");

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
        // Method names as tshark spells them ("Class: Basic (60)", "Method: Start-Ok (11)"), not through our table of ids.
        String className = null;
        org.w3c.dom.NodeList fields = Tshark.pdml(capture, List.of("-Y", "amqp")).getElementsByTagName("field");
        for (int index = 0; index < fields.getLength(); index++) {
            org.w3c.dom.Element field = (org.w3c.dom.Element) fields.item(index);
            String shown = field.getAttribute("showname");
            if (field.getAttribute("name").equals("amqp.method.class")) {
                className = SHOWN_NAME.matcher(shown).replaceFirst("$1");
            }
            else if (field.getAttribute("name").equals("amqp.method.method")) {
                assertThat(className).as("tshark's class before %s", shown).isNotNull();
                methods.add((className + "." + SHOWN_NAME.matcher(shown).replaceFirst("$1")).toLowerCase(java.util.Locale.ROOT));
                className = null;
            }
        }
        for (String[] row : Tshark.fields(capture, List.of("-Y", "amqp"), "amqp.method.arguments.routing_key", "amqp.header.body-size")) {
            if (!row[0].isEmpty()) {
                List.of(row[0].split(",")).stream().filter(key -> !key.isEmpty()).forEach(routingKeys::add);
            }
            if (row.length > 1 && !row[1].isEmpty()) {
                bodies.addAll(List.of(row[1].split(",")));
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
