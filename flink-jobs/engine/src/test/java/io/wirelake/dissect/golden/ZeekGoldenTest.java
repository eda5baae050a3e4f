package io.wirelake.dissect.golden;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.packets.testing.Corpus;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP, DNS and connection fields against Zeek's btest baselines for the same captures. */
class ZeekGoldenTest
{
    static Stream<Arguments> logs(String name)
    {
        return Corpus.captures().stream()
                .flatMap(capture -> capture.expected().stream()
                        .filter(expected -> expected.getFileName().toString().equals(name))
                        .map(expected -> Arguments.of(capture, expected)));
    }

    /** wstunnel-http's log has fewer columns, and a pairing of its own: see {@link #httpTunnelledInWebSocketMatchesZeek}. */
    static Stream<Arguments> httpLogs()
    {
        return logs("http.log").filter(arguments -> !arguments.get()[1].toString().contains("wstunnel-http"));
    }

    /**
     * wstunnel carries HTTP inside WebSocket messages: Zeek logs the upgrade request and the
     * tunnelled request (host, URI, user agent). Zeek hands the tunnelled response's 301 to the
     * upgrade request, whose 101 it does not log; we pair the upgrade with its 101 and the
     * tunnelled request with its 301, so the statuses are compared without the 101.
     */
    @org.junit.jupiter.api.Test
    void httpTunnelledInWebSocketMatchesZeek()
            throws IOException
    {
        Corpus.Capture capture = Corpus.capture("zeek/websocket/wstunnel-http.pcap");
        Path log = capture.expected().stream().filter(expected -> expected.getFileName().toString().equals("http.log")).findFirst().orElseThrow();
        List<String> zeekRequests = new ArrayList<>();
        List<String> zeekStatuses = new ArrayList<>();
        for (Map<String, String> row : ZeekLog.read(log).rows()) {
            zeekRequests.add(String.join(" ", row.get("host"), row.get("uri"), row.get("user_agent")));
            zeekStatuses.add(row.get("status_code"));
        }
        List<String> ourRequests = new ArrayList<>();
        List<String> ourStatuses = new ArrayList<>();
        List<String> ours = new ArrayList<>();
        for (GenericData.Record call : Dissection.of(capture.path()).calls("HTTP")) {
            @SuppressWarnings("unchecked")
            Map<Object, Object> headers = (Map<Object, Object>) call.get("request_headers");
            Object agent = headers.entrySet().stream().filter(header -> header.getKey().toString().equals("user-agent"))
                    .map(Map.Entry::getValue).findFirst().orElse("-");
            ourRequests.add(String.join(" ", text(call, "host"), text(call, "url"), agent.toString()));
            long status = (Long) call.get("status_code");
            ourStatuses.add(status == 0 ? "-" : String.valueOf(status));
            ours.add(text(call, "host") + " " + status);
        }
        assertThat(ourRequests).containsExactlyElementsOf(zeekRequests);
        zeekStatuses.remove("-");
        assertThat(ourStatuses).contains("101").filteredOn(status -> !status.equals("101")).containsExactlyElementsOf(zeekStatuses);
        assertThat(ours).containsExactly("localhost:8888 101", "zeek.org 301");
    }

    static Stream<Arguments> dnsLogs()
    {
        return logs("dns.log");
    }

    static Stream<Arguments> redisLogs()
    {
        return logs("redis.log");
    }

    @ParameterizedTest
    @MethodSource("redisLogs")
    void redisCommandsMatchZeek(Corpus.Capture capture, Path log)
            throws IOException
    {
        List<String> zeek = new ArrayList<>();
        for (Map<String, String> row : ZeekLog.read(log).rows()) {
            zeek.add(String.join(" | ", row.get("cmd.name"), row.get("cmd.key"), row.get("success"), row.get("reply.value")));
        }
        List<String> ours = new ArrayList<>();
        for (GenericData.Record call : Dissection.of(capture.path()).calls("Redis")) {
            String type = text(call, "redis_type");
            if (type.equals("MESSAGE") || type.equals("PMESSAGE") || type.equals("SMESSAGE")) {
                continue; // pushes: Zeek reports them as events, not log lines
            }
            boolean subscription = type.endsWith("SUBSCRIBE");
            boolean answered = (Long) call.get("redis_response_size") > 0;
            String success = subscription || !answered ? "-" : ((String) call.get("redis_error")).isEmpty() ? "T" : "F";
            String reply = subscription || !answered ? "-" : text(call, "redis_reply");
            String key = type.equals("SET") || type.equals("GET") ? text(call, "redis_key") : "-";
            ours.add(String.join(" | ", type, key, success, reply));
        }
        // Zeek logs a subscription when its connection ends; rows here are in request order.
        assertThat(ours).as("Redis of %s", capture).containsExactlyInAnyOrderElementsOf(zeek);
    }

    static Stream<Arguments> sslLogs()
    {
        return logs("ssl.log");
    }

    @ParameterizedTest
    @MethodSource("sslLogs")
    void tlsHandshakesMatchZeek(Corpus.Capture capture, Path log)
            throws IOException
    {
        List<String> zeek = new ArrayList<>();
        for (Map<String, String> row : ZeekLog.read(log).rows()) {
            // Zeek writes TLSv12 where the tables (and Arkime) write TLSv1.2.
            String version = row.get("version").replaceFirst("^TLSv1(\\d)$", "TLSv1.$1");
            zeek.add(String.join(" | ", endpoints(row), version, row.get("cipher"), row.get("server_name")));
        }
        List<String> ours = new ArrayList<>();
        for (GenericData.Record call : Dissection.of(capture.path()).calls("TLS")) {
            ours.add(String.join(" | ", call.get("src_ip") + ":" + call.get("src_port") + ">" + call.get("dst_ip") + ":" + call.get("dst_port"),
                    text(call, "tls_version"), text(call, "tls_cipher"), text(call, "tls_sni")));
        }
        assertThat(ours).as("TLS of %s", capture).containsExactlyInAnyOrderElementsOf(zeek);
    }

    static Stream<Arguments> connLogs()
    {
        return logs("conn.log");
    }

    @ParameterizedTest
    @MethodSource("httpLogs")
    void httpTransactionsMatchZeek(Corpus.Capture capture, Path log)
            throws IOException
    {
        List<String> zeek = new ArrayList<>();
        for (Map<String, String> row : ZeekLog.read(log).rows()) {
            zeek.add(String.join(" ", endpoints(row), row.get("method"), row.get("host"), row.get("uri"), "HTTP/" + row.get("version"),
                    row.get("request_body_len"), row.get("response_body_len"), row.get("status_code")));
        }
        List<String> ours = new ArrayList<>();
        for (GenericData.Record call : Dissection.of(capture.path()).calls("HTTP")) {
            ours.add(String.join(" ", call.get("src_ip") + ":" + call.get("src_port") + ">" + call.get("dst_ip") + ":" + call.get("dst_port"),
                    text(call, "method"), text(call, "host"), text(call, "url"), text(call, "http_version"),
                    String.valueOf(call.get("request_body_size")), String.valueOf(call.get("response_body_decoded_size")),
                    (Long) call.get("status_code") == 0 ? "-" : String.valueOf(call.get("status_code"))));
        }
        assertThat(ours).as("HTTP of %s", capture).containsExactlyElementsOf(zeek);
    }

    @ParameterizedTest
    @MethodSource("dnsLogs")
    void dnsTransactionsMatchZeek(Corpus.Capture capture, Path log)
            throws IOException
    {
        List<String> zeek = new ArrayList<>();
        for (Map<String, String> row : ZeekLog.read(log).rows()) {
            zeek.add(String.join(" ", endpoints(row), row.get("query"), row.get("qtype_name"), row.get("rcode_name")));
        }
        List<String> ours = new ArrayList<>();
        for (GenericData.Record call : Dissection.of(capture.path()).calls("DNS")) {
            List<?> questions = (List<?>) call.get("dns_questions");
            List<?> types = (List<?>) call.get("dns_question_types");
            String rcode = (Boolean) call.get("dns_response") ? text(call, "dns_rcode_name") : "-";
            ours.add(String.join(" ", call.get("src_ip") + ":" + call.get("src_port") + ">" + call.get("dst_ip") + ":" + call.get("dst_port"),
                    questions.get(0).toString(), types.get(0).toString(), rcode));
        }
        assertThat(ours).as("DNS of %s", capture).containsExactlyInAnyOrderElementsOf(zeek);
    }

    @ParameterizedTest
    @MethodSource("connLogs")
    void connectionsMatchZeek(Corpus.Capture capture, Path log)
            throws IOException
    {
        List<Map<String, String>> rows = ZeekLog.read(log).rows();
        Dissection dissection = Dissection.of(capture.path());
        if (rows.get(0).containsKey("orig_pkts")) {
            List<String> zeek = new ArrayList<>();
            for (Map<String, String> row : rows) {
                if ("tcp".equals(row.get("proto")) || "udp".equals(row.get("proto"))) {
                    zeek.add(String.join(" ", row.get("proto"), endpoints(row), row.get("orig_pkts"), row.get("orig_ip_bytes"), row.get("resp_pkts"), row.get("resp_ip_bytes")));
                }
            }
            List<String> ours = new ArrayList<>();
            for (GenericData.Record flow : dissection.flows()) {
                String protocol = text(flow, "protocol").toLowerCase(java.util.Locale.ROOT);
                if (protocol.equals("tcp") || protocol.equals("udp")) {
                    ours.add(String.join(" ", protocol, flow.get("src_ip") + ":" + flow.get("src_port") + ">" + flow.get("dst_ip") + ":" + flow.get("dst_port"),
                            String.valueOf(flow.get("conn_local_pkts")), String.valueOf(flow.get("conn_local_bytes")),
                            String.valueOf(flow.get("conn_remote_pkts")), String.valueOf(flow.get("conn_remote_bytes"))));
                }
            }
            assertThat(ours).as("connections of %s", capture).containsExactlyInAnyOrderElementsOf(zeek);
        }
        if (rows.get(0).containsKey("service")) {
            List<String> zeek = rows.stream().map(row -> row.get("service").toLowerCase(java.util.Locale.ROOT).replace("_tcp", "").replace("_udp", ""))
                    .filter(service -> !service.equals("-")).sorted().toList();
            List<String> ours = dissection.flows().stream()
                    .map(flow -> String.join(",", ((List<?>) flow.get("conn_l7_detected")).stream().map(Object::toString).toList()).toLowerCase(java.util.Locale.ROOT))
                    .filter(service -> !service.isEmpty()).sorted().toList();
            // Compare the services whose names both use the same way.
            List<String> comparable = zeek.stream().filter(service -> service.matches("(http|dns|ldap)(,.*)?")).toList();
            assertThat(ours).as("services of %s", capture).containsExactlyElementsOf(comparable);
        }
    }

    static Stream<Arguments> ldapLogs()
    {
        return logs("ldap.log");
    }

    @ParameterizedTest
    @MethodSource("ldapLogs")
    void ldapOperationsMatchZeek(Corpus.Capture capture, Path log)
            throws IOException
    {
        List<String> zeek = new ArrayList<>();
        for (Map<String, String> row : ZeekLog.read(log).rows()) {
            // Zeek names the object of a bind (its DN) and of an extended operation (its OID).
            boolean named = row.get("opcode").startsWith("bind") || row.get("opcode").equals("extended");
            zeek.add(String.join(" | ", endpoints(row), row.get("message_id"), row.get("opcode"), row.get("result"), named ? row.get("object") : "-"));
        }
        List<String> ours = new ArrayList<>();
        for (GenericData.Record call : Dissection.of(capture.path()).calls("LDAP")) {
            String type = call.get("ldap_type").toString();
            boolean named = type.equals("bind") || type.equals("extended");
            // Zeek's opcode for a bind adds its kind: "bind simple", or "bind SASL" whatever the mechanism
            String mechanism = call.get("ldap_bind_mechanism").toString();
            if (!mechanism.isEmpty()) {
                type += mechanism.equals("simple") ? " simple" : " SASL";
            }
            ours.add(String.join(" | ", call.get("src_ip") + ":" + call.get("src_port") + ">" + call.get("dst_ip") + ":" + call.get("dst_port"),
                    String.valueOf(call.get("ldap_message_id")), type, text(call, "ldap_result"), named ? text(call, "ldap_dn") : "-"));
        }
        assertThat(ours).as("LDAP of %s", capture).containsExactlyInAnyOrderElementsOf(zeek);
    }

    private static String endpoints(Map<String, String> row)
    {
        return row.get("id.orig_h") + ":" + row.get("id.orig_p") + ">" + row.get("id.resp_h") + ":" + row.get("id.resp_p");
    }

    private static String text(GenericData.Record row, String field)
    {
        String value = (String) row.get(field);
        return value.isEmpty() ? "-" : value;
    }
}
