package io.wirelake.dissect.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.dissect.testing.Dissection;
import io.wirelake.packets.testing.Corpus;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Diameter over TCP and SCTP against Arkime's sessions and tshark's Diameter dissection of the same captures. */
class DiameterGoldenTest
{
    @Test
    void commandsApplicationsAndResultsMatchArkime()
            throws Exception
    {
        Corpus.Capture capture = Corpus.capture("arkime/diameter_synthetic.pcap");
        List<String> arkime = new ArrayList<>();
        for (JsonNode session : new ObjectMapper().readTree(capture.expected().get(0).toFile()).get("sessions3")) {
            JsonNode body = session.get("body");
            JsonNode diameter = body.get("diameter");
            List<String> commands = new ArrayList<>();
            diameter.get("cmd").forEach(command -> commands.add(command.asText()));
            commands.sort(String::compareTo);
            arkime.add(String.join(",", commands) + " | " + diameter.get("app").get(0).asText() + " | " + diameter.get("resultCode").get(0).asInt());
        }
        List<String> ours = new ArrayList<>();
        for (GenericData.Record call : Dissection.of(capture.path()).calls("Diameter")) {
            String summary = (String) call.get("diameter_summary");
            String method = (String) call.get("diameter_method");
            String application = summary.substring(summary.indexOf(" app=") + 5, summary.indexOf(" result="));
            int code = commandCodeOf(method);
            ours.add(method + "-Answer (" + code + ")," + method + "-Request (" + code + ") | " + application + " | " + call.get("diameter_result_code"));
        }
        assertThat(ours).containsExactlyInAnyOrderElementsOf(arkime);
        assertThat(Dissection.of(capture.path()).calls("Diameter")).filteredOn(call -> (Boolean) call.get("sctp")).hasSize(2);
    }

    @Test
    void messagesMatchTshark()
            throws Exception
    {
        Corpus.Capture capture = Corpus.capture("ndpi/diameter.pcap");
        List<String> tsharkRequests = new ArrayList<>();
        List<String> tsharkAnswers = new ArrayList<>();
        for (String[] row : Tshark.fields(capture.path(), List.of("-Y", "diameter"), "diameter.cmd.code", "diameter.flags.request", "diameter.Result-Code")) {
            String[] codes = row[0].split(",");
            String[] requests = row[1].split(",");
            for (int index = 0; index < codes.length; index++) {
                (requests[index].equals("1") || requests[index].equalsIgnoreCase("True") ? tsharkRequests : tsharkAnswers).add(codes[index]);
            }
        }
        List<String> requests = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        for (GenericData.Record call : Dissection.of(capture.path()).calls("Diameter")) {
            String code = String.valueOf(commandCodeOf((String) call.get("diameter_method")));
            if ((Boolean) call.get("diameter_request")) {
                requests.add(code);
            }
            if ((Boolean) call.get("diameter_response")) {
                answers.add(code);
            }
        }
        assertThat(requests).containsExactlyInAnyOrderElementsOf(tsharkRequests).isNotEmpty();
        assertThat(answers).containsExactlyInAnyOrderElementsOf(tsharkAnswers).isNotEmpty();
    }

    private static int commandCodeOf(String name)
    {
        for (int code = 256; code < 400; code++) {
            if (io.wirelake.dissect.protocol.diameter.DiameterNamesAccess.commandName(code).equals(name)) {
                return code;
            }
        }
        throw new AssertionError("unknown command " + name);
    }
}
