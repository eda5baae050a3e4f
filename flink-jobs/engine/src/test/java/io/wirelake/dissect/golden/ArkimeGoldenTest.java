package io.wirelake.dissect.golden;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.dissect.testing.Dissection;
import io.wirelake.packets.testing.Corpus;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flows, HTTP and DNS fields against Arkime's capture regression output for the same captures
 * (expected/arkime/*.test, produced by Arkime's tests.pl), HTTP/2 (h2c) and HTTP over SCTP
 * included.
 */
class ArkimeGoldenTest
{
    static List<Corpus.Capture> captures()
    {
        return Corpus.captures().stream().filter(capture -> capture.name().startsWith("arkime/")).toList();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void flowsMatchArkimeSessions(Corpus.Capture capture)
            throws IOException
    {
        JsonNode expected = new ObjectMapper().readTree(capture.expected().get(0).toFile());
        Dissection dissection = Dissection.of(capture.path());
        Map<String, Integer> arkime = new TreeMap<>();
        for (JsonNode session : expected.get("sessions3")) {
            JsonNode body = session.get("body");
            int protocol = body.path("ipProtocol").asInt();
            if (protocol != 6 && protocol != 17) {
                continue;
            }
            arkime.merge(key(protocol, body.path("source").path("ip").asText(), body.path("source").path("port").asInt(),
                    body.path("destination").path("ip").asText(), body.path("destination").path("port").asInt(),
                    body.path("network").path("packets").asLong()), 1, Integer::sum);
        }
        Map<String, Integer> ours = new TreeMap<>();
        for (GenericData.Record flow : dissection.flows()) {
            String protocol = (String) flow.get("protocol");
            if (!protocol.equals("TCP") && !protocol.equals("UDP")) {
                continue;
            }
            ours.merge(key(protocol.equals("TCP") ? 6 : 17, (String) flow.get("src_ip"), ((Long) flow.get("src_port")).intValue(),
                    (String) flow.get("dst_ip"), ((Long) flow.get("dst_port")).intValue(),
                    (Long) flow.get("conn_local_pkts") + (Long) flow.get("conn_remote_pkts")), 1, Integer::sum);
        }
        assertThat(ours).as("flows of %s", capture).isEqualTo(arkime);
    }

    @ParameterizedTest
    @MethodSource("captures")
    void httpAndDnsMatchArkime(Corpus.Capture capture)
            throws IOException
    {
        JsonNode expected = new ObjectMapper().readTree(capture.expected().get(0).toFile());
        Dissection dissection = Dissection.of(capture.path());
        List<String> arkimeHttp = new ArrayList<>();
        List<String> arkimeDns = new ArrayList<>();
        for (JsonNode session : expected.get("sessions3")) {
            JsonNode http = session.get("body").path("http");
            for (JsonNode method : http.path("method")) {
                // Arkime lists the HTTP/2 connection preface ("PRI * HTTP/2.0", RFC 9113 section 3.4) as a method: it is no request
                if (!(method.asText().equals("PRI") && session.get("body").path("protocol").toString().contains("http2"))) {
                    arkimeHttp.add("method " + method.asText());
                }
            }
            for (JsonNode path : http.path("path")) {
                arkimeHttp.add("path " + path.asText());
            }
            for (JsonNode status : http.path("statuscode")) {
                arkimeHttp.add("status " + status.asText());
            }
            // Arkime's per-transaction DNS fields, for unicast DNS (mDNS is announcements, not transactions).
            if (session.get("body").path("destination").path("port").asInt() == 53) {
                for (JsonNode transaction : session.get("body").path("dns")) {
                    arkimeDns.add(transaction.path("queryHost").asText() + " " + transaction.path("qt").asText() + " " + transaction.path("status").asText());
                }
            }
        }
        List<String> oursHttp = new ArrayList<>();
        List<String> oursDns = new ArrayList<>();
        // Arkime lists each distinct value once per session.
        Map<Object, java.util.Set<String>> perFlow = new java.util.LinkedHashMap<>();
        for (GenericData.Record call : dissection.calls()) {
            java.util.Set<String> values = perFlow.computeIfAbsent(call.get("conn_id"), id -> new java.util.LinkedHashSet<>());
            if (call.get("protocol").equals("HTTP")) {
                if (!((String) call.get("method")).isEmpty()) {
                    values.add("method " + call.get("method"));
                }
                if (!((String) call.get("path")).isEmpty()) {
                    values.add("path " + call.get("path"));
                }
                if ((Long) call.get("status_code") != 0) {
                    values.add("status " + call.get("status_code"));
                }
            }
            else if (call.get("protocol").equals("DNS") && (Long) call.get("dst_port") == 53) {
                List<?> questions = (List<?>) call.get("dns_questions");
                List<?> types = (List<?>) call.get("dns_question_types");
                oursDns.add((questions.isEmpty() ? "" : questions.get(0).toString().toLowerCase(java.util.Locale.ROOT)) + " "
                        + (types.isEmpty() ? "" : types.get(0)) + " " + call.get("dns_rcode_name"));
            }
        }
        for (java.util.Set<String> values : perFlow.values()) {
            oursHttp.addAll(values);
        }
        assertThat(oursHttp).as("HTTP of %s", capture).containsExactlyInAnyOrderElementsOf(arkimeHttp);
        assertThat(oursDns).as("DNS of %s", capture).containsExactlyInAnyOrderElementsOf(arkimeDns);
    }

    @ParameterizedTest
    @MethodSource("captures")
    void tlsHandshakesMatchArkime(Corpus.Capture capture)
            throws IOException
    {
        JsonNode expected = new ObjectMapper().readTree(capture.expected().get(0).toFile());
        List<String> arkime = new ArrayList<>();
        for (JsonNode session : expected.get("sessions3")) {
            JsonNode tls = session.get("body").path("tls");
            if (!tls.isMissingNode() && tls.has("ja3")) {
                arkime.add(String.join(" | ", tls.path("version").path(0).asText(), tls.path("cipher").path(0).asText(), tls.path("ja3").path(0).asText(),
                        tls.path("ja3s").path(0).asText(), tls.path("ja4").path(0).asText()));
            }
        }
        List<String> ours = new ArrayList<>();
        for (GenericData.Record call : Dissection.of(capture.path()).calls("TLS")) {
            ours.add(String.join(" | ", (String) call.get("tls_version"), (String) call.get("tls_cipher"), (String) call.get("tls_ja3"),
                    (String) call.get("tls_ja3s"), (String) call.get("tls_ja4")));
        }
        assertThat(ours).as("TLS of %s", capture).containsExactlyInAnyOrderElementsOf(arkime);
    }

    private static String key(int protocol, String source, int sourcePort, String destination, int destinationPort, long packets)
    {
        return (protocol == 6 ? "tcp " : "udp ") + source + ":" + sourcePort + " > " + destination + ":" + destinationPort + " packets=" + packets;
    }
}
