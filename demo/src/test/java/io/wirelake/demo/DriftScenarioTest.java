package io.wirelake.demo;

import io.wirelake.demo.DriftScenario.Day;
import io.wirelake.demo.DriftTruth.DayTruth;
import io.wirelake.demo.DriftTruth.EdgeTruth;
import io.wirelake.demo.DriftTruth.EndpointTruth;
import io.wirelake.packets.testing.Tshark;
import io.wirelake.store.meta.WorkloadEvent;
import io.wirelake.store.meta.WorkloadEvents;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drift scenario's two days: deterministic, valid to tshark, and holding what the truth file
 * says, checked against tshark's reading of the packets (the independent oracle), day by day:
 * the HTTP endpoints with their statuses and latencies, gRPC calls, every edge's bytes,
 * connections and handshake round trips, what each TLS server negotiated, the external names
 * in DNS answers, and who reaches the gateway's new port.
 */
class DriftScenarioTest
{
    /** The smallest scenario: what a test of the drift report would generate. */
    static final DriftOptions OPTIONS = new DriftOptions(42, DriftOptions.MINIMUM_SESSIONS, DriftOptions.DEFAULT_WINDOW, DriftOptions.DEFAULT_START, false);
    private static final List<String> STRICT = List.of(
            "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
            "-o", "tcp.analyze_sequence_numbers:TRUE");

    @TempDir
    static Path directory;
    static DriftTruth truth;
    private static final Map<String, List<Packet>> PACKETS = new HashMap<>();

    @BeforeAll
    static void generate()
            throws Exception
    {
        truth = DriftTrafficGenerator.generate(OPTIONS, directory.resolve("drift"), null);
    }

    @Test
    void sameOptionsGiveTheSameBytes()
            throws Exception
    {
        Path again = directory.resolve("again");
        DriftTrafficGenerator.generate(OPTIONS, again, null);
        List<Path> files = files(directory.resolve("drift"));
        assertThat(files).hasSize(2 * (DemoCluster.NODES.size() + 1) + 1);
        for (Path file : files) {
            Path twin = again.resolve(directory.resolve("drift").relativize(file));
            assertThat(Files.mismatch(file, twin)).as("first difference in %s", twin).isEqualTo(-1);
        }
    }

    @Test
    void anotherSeedGivesOtherPacketsButTheSamePlantedChanges()
            throws Exception
    {
        DriftTruth other = DriftTrafficGenerator.generate(new DriftOptions(7, OPTIONS.sessions(), OPTIONS.window(), OPTIONS.start(), false),
                directory.resolve("seed-7"), null);
        assertThat(Files.mismatch(directory.resolve("drift").resolve(truth.day(Day.BASELINE).captures().get(0)),
                directory.resolve("seed-7").resolve(other.day(Day.BASELINE).captures().get(0)))).isNotEqualTo(-1);
        assertThat(other.findings().stream().map(finding -> finding.check() + " " + finding.subject()).toList())
                .isEqualTo(truth.findings().stream().map(finding -> finding.check() + " " + finding.subject()).toList());
        assertThat(ReferenceDrift.findings(other)).isEqualTo(ReferenceDrift.planted(other));
    }

    @Test
    void theTruthFileReadsBackAsWritten()
            throws Exception
    {
        Path file = directory.resolve("drift").resolve(DriftTruth.FILE);
        DriftTruth read = DriftTruth.read(file);
        assertThat(read.days()).isEqualTo(truth.days());
        Path rewritten = directory.resolve("rewritten.json");
        read.write(rewritten);
        assertThat(Files.mismatch(file, rewritten)).isEqualTo(-1);
        assertThat(read.format()).isEqualTo(DriftTruth.FORMAT);
        assertThat(read.findings()).hasSize(13);
    }

    @Test
    void bothDaysAreTheSameClusterInWindowsADayApart()
            throws Exception
    {
        DayTruth baseline = truth.day(Day.BASELINE);
        DayTruth incident = truth.day(Day.INCIDENT);
        assertThat(Instant.parse(incident.from())).isEqualTo(Instant.parse(baseline.from()).plus(Duration.ofDays(1)));
        assertThat(Duration.between(Instant.parse(baseline.from()), Instant.parse(baseline.to())))
                .isEqualTo(Duration.between(Instant.parse(incident.from()), Instant.parse(incident.to())))
                .isEqualTo(Duration.ofSeconds(baseline.windowSeconds()));
        List<WorkloadEvent> baselineEvents = metadata(baseline);
        List<WorkloadEvent> incidentEvents = metadata(incident);
        assertThat(incidentEvents).hasSameSizeAs(baselineEvents).hasSize(DemoCluster.controllerEvents(0).size());
        for (int index = 0; index < baselineEvents.size(); index++) {
            WorkloadEvent event = baselineEvents.get(index);
            assertThat(incidentEvents.get(index)).isEqualTo(new WorkloadEvent(event.timeMicros() + 86_400_000_000L, event.op(), event.kind(), event.ip(),
                    event.namespace(), event.name(), event.node(), event.labels(), event.annotations(), event.owner()));
        }
        assertThat(baselineEvents).filteredOn(event -> event.name().equals("redis-0")).singleElement()
                .satisfies(event -> assertThat(event.owner()).isEqualTo("StatefulSet/redis"));
        for (DayTruth day : List.of(baseline, incident)) {
            long from = micros(day.from());
            long to = micros(day.to());
            for (String capture : day.captures()) {
                for (Packet packet : packets(capture)) {
                    long time = micros(packet.get("frame.time_epoch"));
                    assertThat(time).as("a packet of %s", capture).isBetween(from, to - 1);
                }
            }
        }
    }

    @Test
    void tsharkFindsNoMalformedPacketAndNoExpertWarning()
            throws Exception
    {
        for (DayTruth day : truth.days().values()) {
            for (String capture : day.captures()) {
                List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", path(capture).toString()));
                command.addAll(STRICT);
                // A client port can be another protocol's registered port (48898 is TwinCAT ADS, "AMS"): tshark then
                // decodes that connection as ADS, which it is not.
                command.addAll(List.of("--disable-protocol", "ams", "-Y", "_ws.malformed || _ws.expert.severity >= warning"));
                assertThat(Tshark.run(command)).as("frames tshark flags in %s", capture).isEmpty();
            }
        }
    }

    @Test
    void theTruthHoldsThePlantedChangesAndNothingElseStandsOut()
    {
        assertThat(ReferenceDrift.findings(truth)).isEqualTo(ReferenceDrift.planted(truth));
        ReferenceDrift.assertSeparated(truth);
    }

    @Test
    void tsharkSeesTheHttpEndpointsOfEachDay()
            throws Exception
    {
        for (DayTruth day : truth.days().values()) {
            Map<String, List<long[]>> calls = new TreeMap<>();
            for (String capture : day.captures()) {
                Map<String, String> requests = new HashMap<>();
                for (Packet packet : packets(capture)) {
                    if (packet.get("tcp.srcport").equals("50051") || packet.get("tcp.dstport").equals("50051")) {
                        continue;
                    }
                    if (!packet.get("http.request.method").isEmpty()) {
                        requests.put(packet.get("frame.number"), Cluster.service(packet.get("ip.dst")) + " " + packet.get("http.request.method") + " "
                                + Subjects.pathTemplate(packet.get("http.request.uri")));
                    }
                    else if (!packet.get("http.response.code").isEmpty()) {
                        String endpoint = requests.get(packet.get("http.request_in"));
                        assertThat(endpoint).as("the request of response %s in %s", packet.get("frame.number"), capture).isNotNull();
                        calls.computeIfAbsent(endpoint, key -> new ArrayList<>())
                                .add(new long[] {Long.parseLong(packet.get("http.response.code")), micros(packet.get("http.time"))});
                    }
                }
            }
            List<EndpointTruth> expected = day.endpoints().stream().filter(endpoint -> endpoint.httpVersion().equals("HTTP/1.1")).toList();
            assertThat(calls.keySet()).as("HTTP/1.1 endpoints of the %s day", day.directory())
                    .containsExactlyElementsOf(expected.stream().map(EndpointTruth::subject).sorted().toList());
            for (EndpointTruth endpoint : expected) {
                List<long[]> seen = calls.get(endpoint.subject());
                Map<String, Long> statuses = seen.stream().collect(Collectors.groupingBy(call -> String.valueOf(call[0]), TreeMap::new, Collectors.counting()));
                assertThat(statuses).as("statuses of %s on the %s day", endpoint.subject(), day.directory()).isEqualTo(endpoint.statuses());
                assertThat(seen.stream().filter(call -> call[0] >= 500).count()).isEqualTo(endpoint.errors());
                // tshark times a call from the request's last segment to the response's last: a little later than the first
                // byte of the response, by the segments that follow it (13 microseconds each).
                long[] latencies = seen.stream().mapToLong(call -> call[1]).sorted().toArray();
                for (double fraction : new double[] {0.5, 0.95, 0.99}) {
                    double generated = fraction == 0.5 ? endpoint.p50Ms() : fraction == 0.95 ? endpoint.p95Ms() : endpoint.p99Ms();
                    assertThat(DriftTally.percentile(latencies, fraction) / 1000.0).as("p%d of %s on the %s day", (int) (fraction * 100), endpoint.subject(),
                            day.directory()).isBetween(generated - 0.001, generated + 2.0);
                }
            }
        }
        EndpointTruth slow = truth.day(Day.INCIDENT).endpoint(DriftScenario.CATALOG_PRODUCT.subject()).orElseThrow();
        assertThat(slow.p95Ms()).isGreaterThan(250);
        assertThat(truth.day(Day.BASELINE).endpoint(slow.subject()).orElseThrow().p95Ms()).isLessThan(20);
    }

    @Test
    void tsharkSeesTheGrpcCallsOfEachDay()
            throws Exception
    {
        for (DayTruth day : truth.days().values()) {
            Map<String, Long> calls = new TreeMap<>();
            Map<String, Long> failed = new TreeMap<>();
            Set<String> clients = new TreeSet<>();
            for (String capture : day.captures()) {
                for (Packet packet : packets(capture)) {
                    String[] names = packet.get("http2.header.name").split(",", -1);
                    String[] values = packet.get("http2.header.value").split(",", -1);
                    for (int index = 0; index < names.length; index++) {
                        if (names[index].equals(":path")) {
                            calls.merge(Cluster.service(packet.get("ip.dst")) + " POST " + values[index], 1L, Long::sum);
                            clients.add(Cluster.workload(packet.get("ip.src")));
                        }
                        if (names[index].equals("grpc-status") && !values[index].equals("0")) {
                            failed.merge(Cluster.service(packet.get("ip.src")), 1L, Long::sum);
                        }
                    }
                }
            }
            List<EndpointTruth> expected = day.endpoints().stream().filter(endpoint -> endpoint.httpVersion().equals("HTTP/2")).toList();
            assertThat(calls).isEqualTo(expected.stream().collect(Collectors.toMap(EndpointTruth::subject, EndpointTruth::requests, Long::sum, TreeMap::new)));
            assertThat(failed.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(expected.stream().mapToLong(EndpointTruth::errors).sum());
            assertThat(clients).as("who calls recommendations on the %s day", day.directory())
                    .isEqualTo(day.directory().equals("baseline") ? Set.of("shop/frontend") : Set.of("shop/frontend", "shop/orders"));
        }
    }

    @Test
    void tsharkSeesEveryEdgeWithItsBytesConnectionsAndRoundTrips()
            throws Exception
    {
        for (DayTruth day : truth.days().values()) {
            Map<String, Flow> flows = new HashMap<>();
            for (String capture : day.captures()) {
                for (Packet packet : packets(capture)) {
                    String[] row = packet.values("ip.src", "ip.dst", "ip.len", "tcp.stream", "tcp.srcport", "tcp.dstport", "tcp.flags.syn", "tcp.flags.ack",
                            "udp.stream", "udp.srcport", "udp.dstport", "tcp.analysis.initial_rtt");
                    boolean tcp = !row[3].isEmpty();
                    String key = capture + (tcp ? " tcp " + row[3] : " udp " + row[8]);
                    Flow flow = flows.computeIfAbsent(key, ignored -> new Flow());
                    if (tcp && flow.server == null && row[6].equals("1") && row[7].equals("0")) {
                        flow.client = row[0];
                        flow.server = row[1];
                        flow.port = Integer.parseInt(row[5]);
                        flow.transport = "TCP";
                    }
                    else if (!tcp && flow.server == null) {
                        boolean toServer = Set.of(53, 1812).contains(Integer.parseInt(row[10]));
                        flow.client = toServer ? row[0] : row[1];
                        flow.server = toServer ? row[1] : row[0];
                        flow.port = Integer.parseInt(toServer ? row[10] : row[9]);
                        flow.transport = "UDP";
                    }
                    flow.bytes += Long.parseLong(row[2]);
                    if (!row[11].isEmpty() && flow.handshakeMicros < 0) {
                        flow.handshakeMicros = micros(row[11]);
                    }
                }
            }
            Map<String, List<Flow>> edges = flows.values().stream().filter(flow -> Cluster.isPod(flow.client) && Cluster.isPod(flow.server))
                    .collect(Collectors.groupingBy(flow -> Subjects.edge(Cluster.workload(flow.client), Cluster.workload(flow.server), flow.transport, flow.port),
                            TreeMap::new, Collectors.toList()));
            assertThat(edges.keySet()).as("edges of the %s day", day.directory())
                    .containsExactlyElementsOf(day.edges().stream().map(EdgeTruth::subject).sorted().toList());
            for (EdgeTruth edge : day.edges()) {
                List<Flow> seen = edges.get(edge.subject());
                assertThat(seen).as("flows of %s", edge.subject()).hasSize((int) edge.connections());
                assertThat(seen.stream().mapToLong(flow -> flow.bytes).sum()).as("bytes of %s", edge.subject()).isEqualTo(edge.bytes());
                long[] roundTrips = seen.stream().filter(flow -> flow.handshakeMicros >= 0).mapToLong(flow -> flow.handshakeMicros).sorted().toArray();
                assertThat(DriftTally.percentile(roundTrips, 0.5)).as("handshake p50 of %s", edge.subject()).isEqualTo(edge.handshakeRttP50Micros());
                assertThat(DriftTally.percentile(roundTrips, 0.95)).as("handshake p95 of %s", edge.subject()).isEqualTo(edge.handshakeRttP95Micros());
                assertThat(DriftTally.percentile(roundTrips, 0.99)).as("handshake p99 of %s", edge.subject()).isEqualTo(edge.handshakeRttP99Micros());
            }
        }
    }

    @Test
    void tsharkSeesWhatEachTlsServerNegotiatedAndWhereCleartextAppeared()
            throws Exception
    {
        for (DayTruth day : truth.days().values()) {
            Map<String, Map<String, Long>> versions = new TreeMap<>();
            Map<String, Map<String, Long>> ciphers = new TreeMap<>();
            Map<String, String> serverNames = new HashMap<>();
            for (String capture : day.captures()) {
                for (Packet packet : packets(capture)) {
                    String[] row = packet.values("tcp.stream", "ip.src", "ip.dst", "tcp.srcport", "tcp.dstport", "tls.handshake.type",
                            "tls.handshake.extensions_server_name", "tls.handshake.version", "tls.handshake.extensions.supported_version",
                            "tls.handshake.ciphersuite");
                    String stream = capture + " " + row[0];
                    List<String> types = List.of(row[5].split(","));
                    if (types.contains("1")) {
                        serverNames.put(stream, row[6]);
                    }
                    if (types.contains("2")) {
                        String server = Cluster.isPod(row[1]) ? Cluster.workload(row[1]) : row[1] + ":" + row[3];
                        String subject = Subjects.tlsServer(server, serverNames.get(stream));
                        String version = row[8].isEmpty() ? row[7] : row[8];
                        versions.computeIfAbsent(subject, key -> new TreeMap<>()).merge(Cluster.versionName(version), 1L, Long::sum);
                        ciphers.computeIfAbsent(subject, key -> new TreeMap<>()).merge(Cluster.cipherName(row[9]), 1L, Long::sum);
                    }
                }
            }
            assertThat(versions.keySet()).containsExactlyElementsOf(day.tlsServers().stream().map(DriftTruth.TlsServerTruth::subject).sorted().toList());
            for (DriftTruth.TlsServerTruth server : day.tlsServers()) {
                assertThat(versions.get(server.subject())).as("versions of %s", server.subject()).isEqualTo(server.versions());
                assertThat(ciphers.get(server.subject())).as("ciphers of %s", server.subject()).isEqualTo(server.ciphers());
            }
        }
        String provider = Subjects.tlsServer(DriftScenario.PAYMENTS_PROVIDER.address(), DriftScenario.PAYMENTS_PROVIDER.name());
        assertThat(tlsServer(Day.BASELINE, provider).versions().keySet()).containsExactly("TLSv1.3");
        assertThat(tlsServer(Day.INCIDENT, provider).versions().keySet()).containsExactly("TLSv1.2");
        assertThat(tlsServer(Day.INCIDENT, provider).ciphers().keySet()).containsExactly("TLS_RSA_WITH_AES_128_CBC_SHA");

        // Orders to payment-service on 8443: every connection TLS on the baseline day, some plain HTTP on the incident day.
        for (Day day : Day.values()) {
            long tls = 0;
            long plain = 0;
            for (String capture : truth.day(day).captures()) {
                for (Packet packet : packets(capture)) {
                    if (packet.get("tcp.dstport").equals("8443") && Cluster.workload(packet.get("ip.src")).equals("shop/orders")) {
                        tls += packet.types().contains("1") ? 1 : 0;
                        plain += packet.get("http.request.method").isEmpty() ? 0 : 1;
                    }
                }
            }
            assertThat(tls).isPositive();
            assertThat(plain > 0).as("cleartext from orders to payment-service on the %s day", day).isEqualTo(day == Day.INCIDENT);
        }
    }

    @Test
    void tsharkSeesTheExternalNamesAndWhoReachesTheGatewaysNewPort()
            throws Exception
    {
        for (DayTruth day : truth.days().values()) {
            Set<String> resolved = new TreeSet<>();
            Set<String> inbound = new TreeSet<>();
            for (String capture : day.captures()) {
                for (Packet packet : packets(capture)) {
                    // Only responses carry answers.
                    if (!packet.get("dns.a").isEmpty() && !Cluster.inCluster(packet.get("dns.a"))) {
                        resolved.add(packet.get("dns.qry.name") + " " + packet.get("dns.a"));
                    }
                    if (packet.get("tcp.dstport").equals("8443") && packet.types().contains("1") && !Cluster.inCluster(packet.get("ip.src"))) {
                        inbound.add(Cluster.workload(packet.get("ip.dst")) + " " + packet.get("tls.handshake.extensions_server_name"));
                    }
                }
            }
            assertThat(resolved).isEqualTo(day.externalDestinations().stream().map(destination -> destination.name() + " " + destination.ip())
                    .collect(Collectors.toCollection(TreeSet::new)));
            assertThat(inbound).isEqualTo(day.directory().equals("incident") ? Set.of("shop/api-gateway shop.example") : Set.of());
        }
        assertThat(truth.day(Day.INCIDENT).externalDestinations()).extracting(DriftTruth.ExternalDestinationTruth::name)
                .contains(DriftScenario.TRACKER.name());
        assertThat(truth.day(Day.BASELINE).externalDestinations()).extracting(DriftTruth.ExternalDestinationTruth::name)
                .doesNotContain(DriftScenario.TRACKER.name());
    }

    @Test
    void crossNodeCopiesAddPacketsButNotTraffic()
            throws Exception
    {
        DriftTruth copied = DriftTrafficGenerator.generate(OPTIONS.withCrossNodeCopies(true), directory.resolve("copies"), null);
        for (Day day : Day.values()) {
            DayTruth plain = truth.day(day);
            DayTruth withCopies = copied.day(day);
            assertThat(withCopies.packets()).isGreaterThan(plain.packets());
            assertThat(withCopies.endpoints()).isEqualTo(plain.endpoints());
            assertThat(withCopies.edges()).isEqualTo(plain.edges());
            for (String capture : withCopies.captures()) {
                List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", directory.resolve("copies").resolve(capture).toString()));
                command.addAll(STRICT);
                command.addAll(List.of("--disable-protocol", "ams", "-Y", "_ws.malformed || _ws.expert.severity >= warning"));
                assertThat(Tshark.run(command)).as("frames tshark flags in %s", capture).isEmpty();
            }
        }
        assertThat(copied.findings()).isEqualTo(truth.findings());
    }

    /** Every packet of a capture as tshark dissects it, read once (HTTP/2 on the gRPC port, which tshark does not guess). */
    private static List<Packet> packets(String capture)
            throws IOException, InterruptedException
    {
        List<Packet> packets = PACKETS.get(capture);
        if (packets == null) {
            packets = new ArrayList<>();
            for (String[] row : Tshark.fields(path(capture), List.of("-d", "tcp.port==50051,http2"), Packet.FIELDS.toArray(String[]::new))) {
                packets.add(new Packet(row));
            }
            PACKETS.put(capture, packets);
        }
        return packets;
    }

    /** One packet's fields, in the order of {@link #FIELDS}; multi-valued fields joined with commas, absent ones empty. */
    private record Packet(String[] row)
    {
        static final List<String> FIELDS = List.of("frame.number", "frame.time_epoch", "ip.src", "ip.dst", "ip.len", "tcp.stream", "tcp.srcport",
                "tcp.dstport", "tcp.flags.syn", "tcp.flags.ack", "tcp.analysis.initial_rtt", "udp.stream", "udp.srcport", "udp.dstport",
                "http.request.method", "http.request.uri", "http.response.code", "http.request_in", "http.time", "http2.header.name", "http2.header.value",
                "tls.handshake.type", "tls.handshake.extensions_server_name", "tls.handshake.version", "tls.handshake.extensions.supported_version",
                "tls.handshake.ciphersuite", "dns.qry.name", "dns.a");

        String get(String field)
        {
            int index = FIELDS.indexOf(field);
            if (index < 0) {
                throw new IllegalArgumentException("not a field read: " + field);
            }
            return index < row.length ? row[index] : "";
        }

        String[] values(String... fields)
        {
            return Stream.of(fields).map(this::get).toArray(String[]::new);
        }

        List<String> types()
        {
            return List.of(get("tls.handshake.type").split(","));
        }
    }

    private static DriftTruth.TlsServerTruth tlsServer(Day day, String subject)
    {
        return truth.day(day).tlsServers().stream().filter(server -> server.subject().equals(subject)).findFirst().orElseThrow();
    }

    private static List<WorkloadEvent> metadata(DayTruth day)
            throws IOException
    {
        try (InputStream input = Files.newInputStream(path(day.metadata()))) {
            return WorkloadEvents.read(input, line -> {
                throw new AssertionError("bad metadata line: " + line);
            });
        }
    }

    private static Path path(String relative)
    {
        return directory.resolve("drift").resolve(relative);
    }

    private static List<Path> files(Path root)
            throws IOException
    {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Microseconds from an ISO-8601 instant or from tshark's seconds with a fraction. */
    private static long micros(String value)
    {
        if (value.contains("T")) {
            Instant instant = Instant.parse(value);
            return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000;
        }
        return new java.math.BigDecimal(value).movePointRight(6).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact();
    }

    /** One flow as tshark sees it: who opened it, to which port, its IP bytes and its handshake round trip. */
    private static final class Flow
    {
        String client;
        String server;
        int port;
        String transport;
        long bytes;
        long handshakeMicros = -1;
    }

    /** What the test knows of the cluster: which address is whose, and the names of TLS versions and suites. */
    private static final class Cluster
    {
        private static final Map<String, DemoCluster.Pod> PODS = DemoCluster.PODS.stream().collect(Collectors.toMap(DemoCluster.Pod::ip, pod -> pod));
        private static final Set<String> PREFIXES = new HashSet<>(List.of("10.0.", "10.96.", "10.244."));

        static boolean isPod(String ip)
        {
            return PODS.containsKey(ip);
        }

        static boolean inCluster(String ip)
        {
            return PREFIXES.stream().anyMatch(ip::startsWith);
        }

        static String workload(String ip)
        {
            DemoCluster.Pod pod = PODS.get(ip);
            return pod == null ? ip : Subjects.workload(pod);
        }

        static String service(String ip)
        {
            DemoCluster.Pod pod = PODS.get(ip);
            return pod == null ? ip : pod.service();
        }

        static String versionName(String hex)
        {
            return switch (hex) {
                case "0x0304" -> "TLSv1.3";
                case "0x0303" -> "TLSv1.2";
                default -> hex;
            };
        }

        static String cipherName(String hex)
        {
            return switch (hex) {
                case "0x1301" -> "TLS_AES_128_GCM_SHA256";
                case "0xc02f" -> "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";
                case "0x002f" -> "TLS_RSA_WITH_AES_128_CBC_SHA";
                default -> hex;
            };
        }
    }
}
