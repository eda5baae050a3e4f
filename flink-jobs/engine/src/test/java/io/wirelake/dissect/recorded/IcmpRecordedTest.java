package io.wirelake.dissect.recorded;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.IcmpComparison;
import io.wirelake.dissect.testing.LoopbackCapture;
import io.wirelake.dissect.testing.RoutedNamespaces;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ICMP and ICMPv6 from the tools people reach for, recorded in network namespaces (a client, a
 * router with a 1280-byte MTU towards the server, a server) and on loopback: {@code ping} and
 * {@code ping -6} (answered, and unanswered while the server ignores echoes), {@code traceroute}
 * (UDP probes: time exceeded on the router, port unreachable on the server), {@code tracepath -6}
 * (also packet too big), UDP to a closed port over IPv4 and IPv6, a ping too large for the
 * router's MTU with "don't fragment". Every ICMP row is compared with tshark message by message
 * ({@link IcmpComparison}), and every flow an error quotes counts exactly the errors tshark shows
 * quoting it.
 */
@Tag("root")
class IcmpRecordedTest
{
    @TempDir
    static Path directory;
    static Path routed;
    static Path loopback;

    @BeforeAll
    static void record()
            throws Exception
    {
        try (RoutedNamespaces namespaces = RoutedNamespaces.create()) {
            try (LoopbackCapture recording = LoopbackCapture.startIn(namespaces.namespace("c"), namespaces.clientInterface(), directory.resolve("routed.pcap"),
                    "icmp or icmp6 or udp")) {
                namespaces.in("c", "ping", "-n", "-c", "3", "-i", "0.2", RoutedNamespaces.SERVER_V4);
                namespaces.in("c", "ping", "-6", "-n", "-c", "3", "-i", "0.2", RoutedNamespaces.SERVER_V6);
                // replies lost: the server ignores echo requests for a while
                namespaces.in("s", "sysctl", "-q", "-w", "net.ipv4.icmp_echo_ignore_all=1");
                assertThat(namespaces.inAllowingFailure("c", "ping", "-n", "-c", "2", "-i", "0.2", "-W", "1", RoutedNamespaces.SERVER_V4)).contains("100% packet loss");
                namespaces.in("s", "sysctl", "-q", "-w", "net.ipv4.icmp_echo_ignore_all=0");
                assertThat(namespaces.in("c", "traceroute", "-n", "-q", "1", "-m", "3", "-w", "1", RoutedNamespaces.SERVER_V4))
                        .contains(RoutedNamespaces.ROUTER_V4).contains(RoutedNamespaces.SERVER_V4);
                assertThat(namespaces.in("c", "tracepath", "-n", "-m", "3", RoutedNamespaces.SERVER_V6)).contains("pmtu " + RoutedNamespaces.SERVER_LINK_MTU);
                namespaces.in("c", "bash", "-c", "echo probe > /dev/udp/" + RoutedNamespaces.SERVER_V4 + "/9; echo probe > /dev/udp/" + RoutedNamespaces.SERVER_V6 + "/9");
                assertThat(namespaces.inAllowingFailure("c", "ping", "-n", "-c", "1", "-M", "do", "-s", "1400", RoutedNamespaces.SERVER_V4))
                        .contains("mtu = " + RoutedNamespaces.SERVER_LINK_MTU);
                routed = recording.stop();
            }
        }
        int closed = LoopbackCapture.freePort();
        try (LoopbackCapture recording = LoopbackCapture.start(directory.resolve("loopback.pcap"), "icmp or icmp6 or (udp and port " + closed + ")")) {
            LoopbackCapture.run(List.of("ping", "-n", "-c", "2", "-i", "0.2", "127.0.0.1"));
            LoopbackCapture.run(List.of("ping", "-6", "-n", "-c", "2", "-i", "0.2", "::1"));
            LoopbackCapture.run(List.of("bash", "-c", "echo probe > /dev/udp/127.0.0.1/" + closed + "; echo probe > /dev/udp/::1/" + closed));
            loopback = recording.stop();
        }
    }

    @Test
    void everyMessageIsARowAsTsharkReadsIt()
            throws Exception
    {
        for (Path capture : List.of(routed, loopback)) {
            IcmpComparison.assertAgrees(capture, Dissection.of(capture).calls());
        }
    }

    @Test
    void theRoutedCaptureHasWhatTheToolsDid()
    {
        List<GenericData.Record> rows = Dissection.of(routed).calls("ICMP");
        // three answered pings each way; unanswered: two the server ignored, and the one too large for the router's MTU
        assertThat(rows.stream().filter(row -> (Boolean) row.get("icmp_request") && (Boolean) row.get("icmp_response"))).hasSize(6)
                .allSatisfy(row -> assertThat((Long) row.get("elapsed_time")).isPositive());
        assertThat(rows.stream().filter(row -> (Boolean) row.get("icmp_request") && !(Boolean) row.get("icmp_response")))
                .extracting(row -> row.get("icmp_type") + " " + row.get("icmp_length"))
                .containsExactlyInAnyOrder("echo-request 64", "echo-request 64", "echo-request 1408");
        assertThat(rows).anySatisfy(row -> {
            assertThat(row.get("icmp_type").toString()).isEqualTo("time-exceeded");
            assertThat(row.get("icmp_code_name").toString()).isEqualTo("ttl-exceeded-in-transit");
            assertThat(row.get("src_ip").toString()).isEqualTo(RoutedNamespaces.ROUTER_V4);
            assertThat(row.get("icmp_quoted_protocol").toString()).isEqualTo("UDP");
        });
        assertThat(rows).anySatisfy(row -> {
            assertThat(row.get("icmp_type").toString()).isEqualTo("packet-too-big");
            assertThat(row.get("icmp_mtu")).isEqualTo((long) RoutedNamespaces.SERVER_LINK_MTU);
        });
        assertThat(rows).anySatisfy(row -> {
            assertThat(row.get("icmp_code_name").toString()).isEqualTo("fragmentation-needed");
            assertThat(row.get("icmp_mtu")).isEqualTo((long) RoutedNamespaces.SERVER_LINK_MTU);
            assertThat(row.get("icmp_quoted_protocol").toString()).isEqualTo("ICMP");
        });
        assertThat(rows).anySatisfy(row -> {
            assertThat(row.get("icmp_version")).isEqualTo(6L);
            assertThat(row.get("icmp_code_name").toString()).isEqualTo("port-unreachable");
            assertThat(row.get("icmp_quoted_dst_port")).isEqualTo(9L);
        });
    }

    @Test
    void theFlowAnErrorQuotesCountsIt()
            throws Exception
    {
        for (Path capture : List.of(routed, loopback)) {
            // tshark: per quoted flow (protocol, source, destination, ports), the errors that quote it, where the capture has that flow's packets
            Map<String, Integer> theirs = new HashMap<>();
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (String[] row : Tshark.fields(capture, List.of(), "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "udp.srcport", "udp.dstport", "icmp.type",
                    "icmpv6.type")) {
                boolean v6 = row[0].isEmpty();
                String[] sources = (v6 ? row[2] : row[0]).split(",");
                String[] destinations = (v6 ? row[3] : row[1]).split(",");
                String[] types = (v6 ? row[7] : row[6]).split(",");
                boolean icmp = !types[0].isEmpty();
                String udp = row[4].isEmpty() ? "" : "UDP " + row[4].split(",")[0] + " " + row[5].split(",")[0];
                if (!icmp && !udp.isEmpty()) {
                    seen.add(key(sources[0], destinations[0], udp));
                    continue;
                }
                boolean error = icmp && sources.length > 1 && (v6 ? Integer.parseInt(types[0]) < 128 : List.of("3", "4", "5", "11", "12").contains(types[0]));
                if (error) {
                    String quoted = udp.isEmpty() ? (types.length > 1 ? "ICMP" : "other") : udp;
                    String flow = key(sources[1], destinations[1], quoted);
                    if (seen.contains(flow)) {
                        theirs.merge(flow, 1, Integer::sum);
                    }
                }
                else if (icmp) {
                    seen.add(key(sources[0], destinations[0], "ICMP"));
                }
            }
            assertThat(theirs).as("tshark finds quoted flows in %s", capture).isNotEmpty();
            Map<String, Integer> ours = new HashMap<>();
            for (GenericData.Record flow : Dissection.of(capture).flows()) {
                long errors = (Long) flow.get("icmp_errors");
                if (errors > 0) {
                    String what = flow.get("protocol").equals("UDP") ? "UDP " + flow.get("src_port") + " " + flow.get("dst_port") : flow.get("protocol").toString();
                    ours.put(key(flow.get("src_ip").toString(), flow.get("dst_ip").toString(), what), (int) errors);
                    assertThat((List<?>) flow.get("icmp_error_types")).isNotEmpty();
                }
            }
            assertThat(ours).as("errors counted on the flows they quote in %s", capture).isEqualTo(theirs);
        }
    }

    /** A flow's key whichever way its packet went (ICMP flows by their two addresses). */
    private static String key(String source, String destination, String what)
    {
        if (what.startsWith("UDP ")) {
            return what + " " + source + " " + destination;
        }
        return what + " " + (source.compareTo(destination) < 0 ? source + " " + destination : destination + " " + source);
    }
}
