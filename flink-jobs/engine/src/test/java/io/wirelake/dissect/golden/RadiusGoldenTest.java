package io.wirelake.dissect.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.dissect.testing.Dissection;
import io.wirelake.packets.testing.Corpus;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** RADIUS against Arkime's session JSON, Zeek's radius.log and tcpdump's verbose output for the same captures. */
class RadiusGoldenTest
{
    @Test
    void accountingMatchesArkime()
            throws Exception
    {
        Corpus.Capture capture = Corpus.capture("arkime/radius.pcap");
        JsonNode radius = new ObjectMapper().readTree(capture.expected().get(0).toFile()).get("sessions3").get(0).get("body").get("radius");
        TreeSet<String> arkimeTypes = new TreeSet<>();
        radius.get("msgType").forEach(type -> arkimeTypes.add(type.asText()));
        List<GenericData.Record> calls = Dissection.of(capture.path()).calls("RADIUS");
        TreeSet<String> ours = new TreeSet<>();
        for (GenericData.Record call : calls) {
            ours.add(call.get("radius_code_name").toString().toLowerCase(java.util.Locale.ROOT));
            if (!call.get("radius_response_code_name").toString().isEmpty()) {
                ours.add(call.get("radius_response_code_name").toString().toLowerCase(java.util.Locale.ROOT));
            }
        }
        assertThat(ours).isEqualTo(arkimeTypes);
        assertThat(calls).singleElement().satisfies(call -> {
            assertThat(call.get("radius_user")).isEqualTo(radius.get("user").get(0).asText());
            assertThat((Boolean) call.get("radius_request")).isTrue();
            assertThat((Boolean) call.get("radius_response")).isTrue();
        });
    }

    @Test
    void authenticationMatchesZeek()
            throws Exception
    {
        Corpus.Capture capture = Corpus.capture("zeek/radius/radius.pcap");
        Map<String, String> zeek = ZeekLog.read(capture.expected().get(0)).rows().get(0);
        List<GenericData.Record> calls = Dissection.of(capture.path()).calls("RADIUS");
        // Zeek folds the challenge and the final exchange into one session: its user and its result.
        assertThat(calls).extracting(call -> call.get("radius_user").toString()).containsOnly(zeek.get("username"));
        GenericData.Record last = calls.get(calls.size() - 1);
        assertThat(zeek.get("result")).isEqualTo("success");
        assertThat(last.get("radius_response_code_name")).isEqualTo("Access-Accept");
        assertThat(last.get("src_ip") + ":" + last.get("src_port") + ">" + last.get("dst_ip") + ":" + last.get("dst_port"))
                .isEqualTo(zeek.get("id.orig_h") + ":" + zeek.get("id.orig_p") + ">" + zeek.get("id.resp_h") + ":" + zeek.get("id.resp_p"));
    }

    @Test
    void changeOfAuthorizationMatchesTcpdump()
            throws Exception
    {
        Corpus.Capture capture = Corpus.capture("tcpdump/RADIUS-RFC5176.pcap");
        Pattern line = Pattern.compile("^\\t([A-Za-z-]+) \\((\\d+)\\), id: 0x([0-9a-f]{2}), Authenticator: ([0-9a-f]{32})");
        List<String> tcpdump = new ArrayList<>();
        for (String text : Files.readAllLines(capture.expected().stream().filter(path -> path.toString().endsWith("-v.out")).findFirst().orElseThrow())) {
            Matcher matcher = line.matcher(text);
            if (matcher.find()) {
                tcpdump.add(matcher.group(1) + " " + matcher.group(2));
            }
        }
        List<String> ours = new ArrayList<>();
        for (GenericData.Record call : Dissection.of(capture.path()).calls("RADIUS")) {
            if ((Boolean) call.get("radius_request")) {
                ours.add(call.get("radius_code_name") + " " + call.get("radius_code"));
            }
            if ((Boolean) call.get("radius_response")) {
                String name = call.get("radius_response_code_name").toString();
                ours.add(name + " " + (call.get("radius_request").equals(true) ? codeOf(name) : call.get("radius_code")));
            }
        }
        assertThat(ours).containsExactlyInAnyOrderElementsOf(tcpdump).hasSize(6);
    }

    private static String codeOf(String name)
    {
        return switch (name) {
            case "Disconnect-ACK" -> "41";
            case "Disconnect-NAK" -> "42";
            case "CoA-ACK" -> "44";
            case "CoA-NAK" -> "45";
            default -> "?";
        };
    }
}
