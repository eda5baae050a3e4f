package io.wirelake.dissect;

import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.demo.GeneratorOptions;
import io.wirelake.demo.GeneratorSummary;
import io.wirelake.dissect.testing.Dissection;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Dissecting the demo traffic reproduces exactly what the generator made (its ground truth). */
class DemoTrafficDissectionTest
{
    @TempDir
    static Path directory;
    static GeneratorSummary summary;
    static Dissection dissection;

    @BeforeAll
    static void generateAndDissect()
            throws Exception
    {
        summary = DemoTrafficGenerator.generate(GeneratorOptions.defaults(4_000_000).withRates(0.1, 0.05, 0.05), directory, null);
        dissection = Dissection.of(summary.captures().toArray(Path[]::new));
    }

    @Test
    void everyHttpRequestIsOneRowWithItsStatus()
    {
        // WebSocket upgrades are HTTP rows too (the GET answered by 101): the REST calls are the rest.
        List<GenericData.Record> upgrades = dissection.calls("HTTP").stream().filter(call -> (Long) call.get("status_code") == 101).toList();
        assertThat(upgrades).hasSize(summary.otherCalls().getOrDefault("WebSocket upgrades", 0L).intValue());
        List<GenericData.Record> http = dissection.calls("HTTP").stream().filter(call -> (Long) call.get("status_code") != 101).toList();
        assertThat(http).hasSize((int) summary.httpRequests());
        Map<Integer, Long> statuses = new HashMap<>();
        Map<String, Long> methods = new HashMap<>();
        for (GenericData.Record call : http) {
            statuses.merge(((Long) call.get("status_code")).intValue(), 1L, Long::sum);
            methods.merge((String) call.get("method"), 1L, Long::sum);
            assertThat((Long) call.get("elapsed_time")).isPositive();
            assertThat((List<?>) call.get("anomalies")).as("anomalies of %s", call.get("url")).isEmpty();
        }
        assertThat(statuses).isEqualTo(summary.statusCounts());
        assertThat(methods).isEqualTo(summary.methodCounts());
        long slow = http.stream().filter(call -> (Long) call.get("elapsed_time") > 1_500_000).count();
        assertThat(slow).isEqualTo(summary.slowResponses());
        long gzip = http.stream().filter(call -> "gzip".equals(((Map<?, ?>) call.get("response_headers")).get("content-encoding"))).count();
        assertThat(gzip).isEqualTo(summary.gzipResponses()).as("gzip responses, so the next check has rows to check").isPositive();
        assertThat(http).filteredOn(call -> "gzip".equals(((Map<?, ?>) call.get("response_headers")).get("content-encoding")))
                .allSatisfy(call -> assertThat((Long) call.get("response_body_decoded_size")).isGreaterThan((Long) call.get("response_body_size")));
    }

    @Test
    void theOtherProtocolsAreAllThere()
    {
        List<String> protocols = List.of("Redis", "gRPC", "GraphQL", "WebSocket", "Kafka", "AMQP", "LDAP", "RADIUS");
        assertThat(summary.otherCalls().keySet()).containsAll(protocols);
        for (String protocol : protocols) {
            List<GenericData.Record> rows = dissection.calls(protocol);
            assertThat(rows).as(protocol).hasSize(summary.otherCalls().get(protocol).intValue());
            assertThat(rows).allSatisfy(row -> assertThat((List<?>) row.get("anomalies")).as("anomalies of a %s row", protocol).isEmpty());
        }
        assertThat(dissection.calls("gRPC").stream().filter(row -> (Long) row.get("grpc_status") == 14).count())
                .isEqualTo(summary.otherCalls().getOrDefault("gRPC failed", 0L));
        assertThat(dissection.calls("GraphQL").stream().filter(row -> row.get("gql_operation_type").equals("mutation")).count())
                .isEqualTo(summary.otherCalls().getOrDefault("GraphQL mutation", 0L));
        assertThat(dissection.calls("gRPC")).allSatisfy(row -> assertThat(row.get("grpc_service")).isEqualTo("shop.Recommendations"));
        assertThat(dissection.calls("RADIUS").stream().filter(row -> row.get("radius_response_code_name").equals("Access-Reject")).count())
                .isEqualTo(summary.otherCalls().getOrDefault("RADIUS rejected", 0L));
        assertThat(dissection.calls("AMQP").stream().filter(row -> row.get("amqp_method").equals("basic.publish")).count())
                .isEqualTo(summary.otherCalls().getOrDefault("AMQP publishes", 0L));
        assertThat(dissection.calls("Kafka")).allSatisfy(row -> assertThat(row.get("kafka_api_key_name")).isEqualTo("METADATA"));
        assertThat(dissection.calls("LDAP")).extracting(row -> row.get("ldap_type").toString()).containsOnly("bind", "search", "unbind");
    }

    @Test
    void everyLookupIsOneDnsRow()
    {
        List<GenericData.Record> dns = dissection.calls("DNS");
        assertThat(dns).hasSize((int) summary.dnsQueries());
        assertThat(dns).allSatisfy(call -> {
            assertThat((Boolean) call.get("dns_request")).isTrue();
            assertThat((Boolean) call.get("dns_response")).isTrue();
        });
        assertThat(dns.stream().filter(call -> (Long) call.get("status_code") == 3).count()).isEqualTo(summary.dnsNxdomain());
    }

    @Test
    void everyConnectionIsOneClosedFlowWithItsHandshake()
    {
        List<GenericData.Record> tcp = dissection.flows().stream().filter(flow -> flow.get("protocol").equals("TCP")).toList();
        assertThat(tcp).hasSize((int) summary.tcpConnections());
        assertThat(tcp).allSatisfy(flow -> {
            assertThat(flow.get("conn_state")).isEqualTo("closed");
            assertThat((Long) flow.get("tcp_handshake_rtt")).isPositive();
            assertThat((Long) flow.get("tcp_retransmissions")).isZero();
            assertThat(((List<?>) flow.get("conn_l7_detected")).toString()).isIn("[HTTP]", "[HTTP/2]", "[Redis]", "[HTTP, WebSocket]", "[Kafka]", "[AMQP]", "[LDAP]");
        });
        long packets = dissection.flows().stream().mapToLong(flow -> (Long) flow.get("conn_local_pkts") + (Long) flow.get("conn_remote_pkts")).sum();
        assertThat(packets).isEqualTo(summary.packets());
    }

    @Test
    void destinationsResolveToTheNamesLookedUp()
    {
        List<GenericData.Record> calls = dissection.calls().stream().filter(call -> !call.get("protocol").equals("DNS")).toList();
        assertThat(calls).allSatisfy(call -> assertThat((String) call.get("dst_dns")).endsWith(".svc.cluster.local"));
    }
}
