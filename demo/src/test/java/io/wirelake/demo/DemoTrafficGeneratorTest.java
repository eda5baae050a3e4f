package io.wirelake.demo;

import io.wirelake.packets.testing.Tshark;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DemoTrafficGeneratorTest
{
    private static final List<String> STRICT = List.of(
            "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
            "-o", "tcp.analyze_sequence_numbers:TRUE");

    @TempDir
    static Path directory;
    static GeneratorSummary summary;

    @BeforeAll
    static void generate()
            throws Exception
    {
        summary = DemoTrafficGenerator.generate(GeneratorOptions.defaults(3_000_000).withRates(0.1, 0.05, 0.05), directory.resolve("demo"), null);
    }

    @Test
    void tsharkFindsNoMalformedPacketAndNoExpertWarning()
            throws Exception
    {
        assertThat(summary.captures()).hasSize(3);
        for (Path capture : summary.captures()) {
            List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString()));
            command.addAll(STRICT);
            command.addAll(List.of("-Y", "_ws.malformed || _ws.expert.severity >= warning"));
            assertThat(Tshark.run(command)).as("frames tshark flags in %s", capture).isEmpty();
        }
    }

    @Test
    void tsharkSeesTheTransactionsTheGeneratorMade()
            throws Exception
    {
        long packets = 0;
        Map<String, Long> statuses = new HashMap<>();
        long requests = 0;
        long dnsResponses = 0;
        long nxdomain = 0;
        long grpcCalls = 0;
        long websocketMessages = 0;
        for (Path capture : summary.captures()) {
            for (String[] row : Tshark.fields(capture, List.of("-d", "tcp.port==50051,http2", "-Y", "http2.headers.path"), "http2.headers.path")) {
                grpcCalls += row[0].split(",").length;
            }
            for (String[] row : Tshark.fields(capture, List.of("-Y", "websocket"), "websocket.opcode")) {
                websocketMessages += row[0].split(",").length;
            }
            packets += Tshark.fields(capture, List.of(), "frame.number").size();
            for (String[] row : Tshark.fields(capture, List.of("-Y", "http.request"), "http.request.method")) {
                requests++;
            }
            for (String[] row : Tshark.fields(capture, List.of("-Y", "http.response"), "http.response.code")) {
                statuses.merge(row[0], 1L, Long::sum);
            }
            for (String[] row : Tshark.fields(capture, List.of("-Y", "dns.flags.response == 1"), "dns.flags.rcode")) {
                dnsResponses++;
                nxdomain += row[0].equals("3") ? 1 : 0;
            }
        }
        assertThat(packets).isEqualTo(summary.packets());
        // HTTP/1.1 requests: the REST calls, the GraphQL POSTs and the WebSocket upgrades
        long graphql = summary.otherCalls().get("GraphQL");
        long upgrades = summary.otherCalls().get("WebSocket upgrades");
        assertThat(requests).isEqualTo(summary.httpRequests() + graphql + upgrades);
        Map<String, Long> expectedStatuses = new HashMap<>();
        summary.statusCounts().forEach((status, count) -> expectedStatuses.put(String.valueOf(status), count));
        expectedStatuses.merge("200", graphql, Long::sum);
        expectedStatuses.merge("101", upgrades, Long::sum);
        assertThat(grpcCalls).isEqualTo(summary.otherCalls().get("gRPC")).isPositive();
        assertThat(websocketMessages).isEqualTo(summary.otherCalls().get("WebSocket")).isPositive();
        assertThat(statuses).isEqualTo(expectedStatuses);
        assertThat(dnsResponses).isEqualTo(summary.dnsQueries());
        assertThat(nxdomain).isEqualTo(summary.dnsNxdomain()).isPositive();
        assertThat(summary.statusCounts().keySet()).contains(200, 500, 503);
        assertThat(summary.gzipResponses()).isPositive();
        assertThat(summary.chunkedResponses()).isPositive();
        assertThat(summary.slowResponses()).isPositive();
    }

    @Test
    void capturesAreTheBytesTheyHaveAlwaysBeen()
            throws Exception
    {
        // SHA-256 of this test's captures as the generator wrote them before the drift scenario shared its code: golden
        // files and tests elsewhere rely on the demo traffic staying what it was for the same options.
        List<String> expected = List.of("af2492a0f506620ccbaa314132746200d6d4b1c66066da56ff66e9fd8dc052a9",
                "15b217c43c9aae004d1e3ad9b4851d429f74a5455a68819dacd3f6d09ee8fa7e", "834e3608b0e2d1b8c10d4dc6b81b974e643eb7bba210a447cabfc777b6ce5202");
        List<String> actual = new ArrayList<>();
        for (Path capture : summary.captures()) {
            actual.add(java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(capture))));
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void sameOptionsGiveTheSameBytes()
            throws Exception
    {
        GeneratorSummary again = DemoTrafficGenerator.generate(GeneratorOptions.defaults(3_000_000).withRates(0.1, 0.05, 0.05), directory.resolve("again"), null);
        for (int index = 0; index < summary.captures().size(); index++) {
            assertThat(Files.mismatch(summary.captures().get(index), again.captures().get(index))).isEqualTo(-1);
        }
        assertThat(Files.mismatch(directory.resolve("demo").resolve(DemoTrafficGenerator.METADATA_FILE),
                directory.resolve("again").resolve(DemoTrafficGenerator.METADATA_FILE))).isEqualTo(-1);
    }
}
