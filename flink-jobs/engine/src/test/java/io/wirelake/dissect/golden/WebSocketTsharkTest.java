package io.wirelake.dissect.golden;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.TsharkWebSocket;
import io.wirelake.packets.testing.Corpus;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebSocket messages on corpus captures against tshark: direction, opcode and payload length of
 * every message, and the client's text after unmasking (and inflating, with permessage-deflate).
 */
class WebSocketTsharkTest
{
    @ParameterizedTest
    @ValueSource(strings = {"arkime/websocket.pcap", "zeek/http/websocket.pcap", "suricata-verify/websocket-ping/input.pcap",
            "zeek/websocket/jupyter-websocket.pcap", "zeek/websocket/wstunnel-http.pcap"})
    void messagesAgreeWithTshark(String name)
            throws Exception
    {
        Path capture = Corpus.capture(name).path();
        List<GenericData.Record> rows = Dissection.of(capture).calls("WebSocket");
        List<String> ours = rows.stream().map(row -> {
            boolean request = (Boolean) row.get("ws_request");
            return (request ? row.get("src_port") : row.get("dst_port")) + " " + row.get("ws_opcode") + " "
                    + (request ? row.get("ws_request_payload_length") : row.get("ws_response_payload_length"));
        }).toList();
        assertThat(ours).isNotEmpty().containsExactlyInAnyOrderElementsOf(TsharkWebSocket.messages(capture, List.of()));

        List<String> texts = new ArrayList<>();
        for (String[] row : Tshark.fields(capture, List.of("-Y", "websocket.mask == 1 && websocket.opcode == 1"), "websocket.payload.text")) {
            // tshark's field output escapes line breaks
            texts.add(row.length > 0 ? row[0].replace("\\r", "\r").replace("\\n", "\n") : "");
        }
        List<String> ourTexts = rows.stream().filter(row -> (Boolean) row.get("ws_request") && row.get("ws_opcode").equals("text"))
                .map(row -> row.get("ws_request_payload_data").toString()).toList();
        assertThat(ourTexts).isEqualTo(texts);
    }
}
