package io.wirelake.demo;

import io.wirelake.demo.DriftScenario.Application;
import io.wirelake.demo.DriftScenario.Behaviour;
import io.wirelake.demo.DriftScenario.Endpoint;
import io.wirelake.demo.DriftScenario.SessionKind;
import io.wirelake.demo.DriftScenario.WeightedEndpoint;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.LongConsumer;

/** Generates one day of the {@link DriftScenario}: its captures, its metadata and its tally. */
final class DriftDay
{
    /** Packets may trail the last session's start by this much; the window of the truth includes it. */
    static final long TAIL_MICROS = 30_000_000L;
    private static final double GOLDEN = 0.6180339887498949;
    /** Response sizes are drawn a block of this many calls at a time, one from each equally likely stratum. */
    private static final int SIZE_STRATA = 16;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private record Start(long timestampMicros, int kind, int index) {}

    private final DriftOptions options;
    private final DriftScenario.Day day;
    private final Random random;
    private final PacketFactory packets = new PacketFactory();
    private final Map<String, Integer> nextPort = new HashMap<>();
    private final List<SessionKind> kinds;
    private final Map<String, Behaviour> behaviours;
    private final Map<String, Responder> responders = new HashMap<>();
    private final Map<String, RoundRobin> roundRobins = new HashMap<>();
    private final DriftTally tally = new DriftTally();
    /** What the shared Redis, Kafka, AMQP and LDAP conversations count; the truth counts flows instead. */
    private final Map<String, Long> serviceCalls = new TreeMap<>();
    private final String date;

    DriftDay(DriftOptions options, DriftScenario.Day day)
    {
        this.options = options;
        this.day = day;
        this.random = new Random(options.seed() * 1_000_003L + day.ordinal());
        this.kinds = DriftScenario.sessionKinds(day);
        this.behaviours = DriftScenario.behaviours(day);
        this.date = HTTP_DATE.format(options.start(day));
    }

    /** Writes the day's captures and metadata under {@code root}/{@code <day>} and returns what it holds, paths relative to {@code root}. */
    DriftTruth.DayTruth generate(Path root, LongConsumer progressBytes)
            throws IOException
    {
        Path directory = root.resolve(day.directoryName());
        long start = options.start(day).getEpochSecond() * 1_000_000L + options.start(day).getNano() / 1_000;
        long window = options.window().toNanos() / 1_000;
        List<Start> starts = schedule(start, window);
        long packetCount;
        long byteCount;
        List<Path> captures;
        long last = start;
        try (FrameMerger merger = new FrameMerger(directory, DemoCluster.NODES, progressBytes)) {
            Files.write(directory.resolve(DemoTrafficGenerator.METADATA_FILE), DemoCluster.toJsonLines(DemoCluster.controllerEvents(start - 60_000_000L)));
            int next = 0;
            while (next < starts.size() || merger.hasNext()) {
                if (next < starts.size() && (!merger.hasNext() || starts.get(next).timestampMicros() <= merger.nextTimestamp())) {
                    Start session = starts.get(next++);
                    session(merger, kinds.get(session.kind()), session.index(), session.timestampMicros());
                }
                else {
                    last = Math.max(last, merger.nextTimestamp());
                    merger.writeNext();
                }
            }
            captures = merger.captures();
            packetCount = merger.packets();
            byteCount = merger.bytes() + 24L * captures.size();
        }
        if (last >= start + window + TAIL_MICROS) {
            throw new IllegalStateException("a packet of the " + day.directoryName() + " day falls after its window");
        }
        List<String> relative = captures.stream().map(capture -> root.relativize(capture).toString()).toList();
        return new DriftTruth.DayTruth(day.directoryName(), Instant.ofEpochSecond(0, start * 1_000).toString(),
                Instant.ofEpochSecond(0, (start + window + TAIL_MICROS) * 1_000).toString(), (window + TAIL_MICROS) / 1_000_000, relative,
                root.relativize(directory.resolve(DemoTrafficGenerator.METADATA_FILE)).toString(), starts.size(), packetCount, byteCount, tally.endpoints(),
                tally.edges(), tally.listeners(), tally.externalDestinations(), tally.tlsServers());
    }

    /**
     * Every kind starts the same number of times on both days (its weight's share of the
     * baseline's sessions), spread over the window one per equal slot at a random point in it.
     */
    private List<Start> schedule(long start, long window)
    {
        int baselineWeight = DriftScenario.sessionKinds(DriftScenario.Day.BASELINE).stream().mapToInt(SessionKind::weight).sum();
        List<Start> starts = new ArrayList<>();
        for (int kind = 0; kind < kinds.size(); kind++) {
            long count = Math.round((double) options.sessions() * kinds.get(kind).weight() / baselineWeight);
            for (int index = 0; index < count; index++) {
                starts.add(new Start(start + (long) ((index + random.nextDouble()) * window / count), kind, index));
            }
        }
        starts.sort(Comparator.comparingLong(Start::timestampMicros).thenComparingInt(Start::kind));
        return starts;
    }

    private void session(FrameMerger merger, SessionKind kind, int index, long start)
    {
        List<Frame> lookup = new ArrayList<>();
        long now = start;
        DemoCluster.Pod client = kind.client();
        if (client != null) {
            String host = kind.external() != null ? kind.external().name() : kind.server().serviceHost();
            String address = kind.external() != null ? kind.external().ip() : kind.server().ip();
            boolean failed = kind.application() == Application.FAILED_LOOKUP;
            now = lookup(lookup, client, failed ? misspell(host) : host, address, failed, now);
            if (failed) {
                merger.add(lookup, client.node(), true);
                copy(merger, lookup, client, DemoCluster.resolverFor(client));
                return;
            }
            now += 100;
        }
        List<Frame> frames = switch (kind.application()) {
            case HTTP -> http(kind, index, connect(kind, now));
            case MUTUAL_TLS -> mutualTls(kind, index, connect(kind, now));
            case EXTERNAL_TLS -> externalTls(kind, index, connect(kind, now));
            case INBOUND_TLS -> inboundTls(kind, index, now);
            case GRPC -> grpc(kind, index, connect(kind, now));
            case GRAPHQL -> graphql(kind, index, connect(kind, now));
            case WEBSOCKET -> websocket(kind, index, connect(kind, now));
            case REDIS, KAFKA, AMQP, LDAP -> service(kind, connect(kind, now));
            case RADIUS -> radius(kind, index, now);
            case FAILED_LOOKUP -> throw new IllegalStateException("a failed lookup has no connection");
        };
        List<Frame> all = new ArrayList<>(lookup);
        all.addAll(frames);
        merger.add(all, client != null ? client.node() : kind.server().node(), true);
        if (client != null && options.crossNodeCopies()) {
            copy(merger, lookup, client, DemoCluster.resolverFor(client));
            if (kind.server() != null) {
                copy(merger, frames, client, kind.server());
            }
        }
    }

    private void copy(FrameMerger merger, List<Frame> frames, DemoCluster.Pod client, DemoCluster.Pod server)
    {
        if (options.crossNodeCopies() && !frames.isEmpty() && !client.node().equals(server.node())) {
            merger.addCopy(frames, server.node());
        }
    }

    /** The A and AAAA lookups of a name, as the legacy demo makes them; returns the time after them. */
    private long lookup(List<Frame> frames, DemoCluster.Pod client, String host, String address, boolean nxdomain, long start)
    {
        DemoCluster.Pod resolver = DemoCluster.resolverFor(client);
        int clientAddress = PacketFactory.address(client.ip());
        int resolverAddress = PacketFactory.address(resolver.ip());
        long now = start;
        for (int type : new int[] {DnsTraffic.A, DnsTraffic.AAAA}) {
            int id = random.nextInt(65536);
            int port = ephemeralPort(client.ip());
            byte[] query = packets.udp(clientAddress, resolverAddress, port, 53, DnsTraffic.query(id, host, type));
            frames.add(new Frame(now, query));
            now += 2 * (resolver.node().equals(client.node()) ? 30 : 150) + 80 + random.nextInt(400);
            byte[] response = packets.udp(resolverAddress, clientAddress, 53, port, DnsTraffic.response(id, host, type, type == DnsTraffic.A ? address : null, nxdomain));
            frames.add(new Frame(now, response));
            now += 20;
            tally.flow(Subjects.workload(client), Subjects.workload(resolver), "UDP", 53, ipBytes(query) + ipBytes(response), List.of("DNS"), false, 0);
        }
        return now;
    }

    private TcpConversation connect(SessionKind kind, long start)
    {
        DemoCluster.Pod client = kind.client();
        String serverIp = kind.external() != null ? kind.external().ip() : kind.server().ip();
        long halfRtt = kind.external() != null ? kind.external().halfRttMicros() : client.node().equals(kind.server().node()) ? 30 : 150;
        halfRtt = Math.round(halfRtt * kind.rttFactor() * (0.9 + 0.2 * random.nextDouble()));
        TcpConversation connection = new TcpConversation(packets, PacketFactory.address(client.ip()), PacketFactory.address(serverIp),
                ephemeralPort(client.ip()), kind.port(), random.nextInt(), random.nextInt(), start, halfRtt);
        connection.avoidTinyLastSegments();
        return connection;
    }

    private List<Frame> http(SessionKind kind, int index, TcpConversation connection)
    {
        int requests = 1 + index % 6;
        for (int request = 0; request < requests; request++) {
            httpCall(kind, nextEndpoint(kind), connection);
            connection.advance(200 + random.nextInt(50_000));
        }
        return closeFlow(kind, connection, List.of("HTTP"), false);
    }

    private void httpCall(SessionKind kind, Endpoint endpoint, TcpConversation connection)
    {
        String target = concretePath(endpoint.pattern());
        if (target.endsWith("/products") || target.endsWith("/search")) {
            target += "?page=" + (1 + random.nextInt(5)) + "&limit=20" + (random.nextBoolean() ? "&q=" + HttpTraffic.word(random) : "");
        }
        HttpTraffic.Request request = HttpTraffic.request(random, endpoint.server(), endpoint.method(), target);
        Responder responder = responder(endpoint);
        Outcome outcome = responder.next(endpoint.method());
        long requestTime = connection.now();
        connection.clientSends(request.bytes());
        connection.advance(outcome.thinkMicros());
        HttpTraffic.Response response = HttpTraffic.response(random, outcome.status(), () -> (int) Math.round(outcome.bodySize() * kind.bodyScale()), date,
                responder::gzip);
        long responseTime = connection.now();
        connection.serverSends(response.bytes());
        tally.call(new DriftTally.Call(endpoint, "HTTP/1.1", outcome.status(), outcome.serverError(), responseTime - requestTime, request.headersSize(),
                request.bodySize(), response.headersSize(), response.bodySize()));
    }

    /** Orders to payment-service: mutual TLS, except every n-th connection on a day that plants cleartext. */
    private List<Frame> mutualTls(SessionKind kind, int index, TcpConversation connection)
    {
        if (kind.plaintextEvery() > 0 && index % kind.plaintextEvery() == kind.plaintextEvery() - 1) {
            return http(kind, index, connection);
        }
        String serverName = kind.server().serviceHost();
        // As many calls as a plain connection would carry, so that the edge's volume does not move when some connections go plain.
        tlsSession(kind, serverName, List.of("istio-peer-exchange", "istio", "h2", "http/1.1"), connection, 1 + index % 6, 60_000);
        tally.tls(Subjects.workload(kind.server()), serverName, kind.tls());
        return closeFlow(kind, connection, List.of("TLS"), true);
    }

    private List<Frame> externalTls(SessionKind kind, int index, TcpConversation connection)
    {
        DriftScenario.ExternalServer server = kind.external();
        tlsSession(kind, server.name(), List.of("h2", "http/1.1"), connection, 1 + index % 3, 60_000);
        tally.tls(server.address(), server.name(), kind.tls());
        List<Frame> frames = connection.close();
        tally.external(server, Subjects.workload(kind.client()), ipBytes(frames));
        return frames;
    }

    /** A client outside the cluster: no lookup in the cluster, and its packets are seen on the gateway's node. */
    private List<Frame> inboundTls(SessionKind kind, int index, long start)
    {
        String clientIp = DriftScenario.INBOUND_CLIENT_PREFIX + (101 + random.nextInt(16));
        long halfRtt = Math.round(10_000 * (0.9 + 0.2 * random.nextDouble()));
        TcpConversation connection = new TcpConversation(packets, PacketFactory.address(clientIp), PacketFactory.address(kind.server().ip()),
                ephemeralPort(clientIp), kind.port(), random.nextInt(), random.nextInt(), start, halfRtt);
        connection.avoidTinyLastSegments();
        tlsSession(kind, DriftScenario.INBOUND_SERVER_NAME, List.of("h2", "http/1.1"), connection, 1 + index % 3, 30_000);
        tally.tls(Subjects.workload(kind.server()), DriftScenario.INBOUND_SERVER_NAME, kind.tls());
        tally.listen(Subjects.workload(kind.server()), "TCP", kind.port(), List.of("TLS"));
        return connection.close();
    }

    /** A full TLS handshake, then {@code exchanges} encrypted requests and responses, then the client's close_notify. */
    private void tlsSession(SessionKind kind, String serverName, List<String> alpn, TcpConversation connection, int exchanges, int maximumThinkMicros)
    {
        TlsTraffic.Profile profile = kind.tls();
        // The sealed responses have the sizes of the demo's bodies, drawn as an endpoint's are (one sequence per kind of session).
        Responder sealed = responders.computeIfAbsent("sealed: " + kind.name(), name -> new Responder(Behaviour.of(1), random));
        byte[] sessionId = TlsTraffic.randomBytes(random, 32);
        byte[] certificate = profile.tls13() ? new byte[900] : TlsTraffic.certificate(serverName);
        connection.clientSends(TlsTraffic.clientHello(random, serverName, alpn, sessionId));
        connection.advance(300 + random.nextInt(700));
        connection.serverSends(TlsTraffic.serverFlight(random, profile, sessionId, certificate));
        connection.clientSends(TlsTraffic.clientFinished(random, profile));
        byte[] serverFinished = TlsTraffic.serverFinished(random, profile);
        if (serverFinished.length > 0) {
            connection.serverSends(serverFinished);
        }
        for (int exchange = 0; exchange < exchanges; exchange++) {
            // An HTTP request and its response, sealed.
            connection.clientSends(TlsTraffic.applicationData(random, profile, 300 + random.nextInt(700)));
            connection.advance(1_000 + random.nextInt(maximumThinkMicros));
            connection.serverSends(TlsTraffic.applicationData(random, profile, 200 + sealed.next("GET").bodySize()));
            connection.advance(200 + random.nextInt(20_000));
        }
        connection.clientSends(TlsTraffic.closeNotify(random, profile));
    }

    private List<Frame> grpc(SessionKind kind, int index, TcpConversation connection)
    {
        connection.clientSends(ProtocolTraffic.h2ClientStart());
        connection.serverSends(ProtocolTraffic.h2ServerStart());
        int calls = 1 + index % 5;
        for (int call = 0; call < calls; call++) {
            int stream = 1 + 2 * call;
            Endpoint endpoint = nextEndpoint(kind);
            Outcome outcome = responder(endpoint).next("gRPC");
            byte[] request = ProtocolTraffic.grpcRequest(stream, endpoint.pattern(), kind.server().serviceHost() + ":" + kind.port(), 20 + random.nextInt(400));
            long requestTime = connection.now();
            connection.clientSends(request);
            connection.advance(outcome.thinkMicros());
            int grpcStatus = outcome.serverError() ? 14 : 0;
            int messageSize = 50 + outcome.bodySize() / 8;
            byte[] response = ProtocolTraffic.grpcResponse(stream, messageSize, grpcStatus, "upstream connect error");
            long responseTime = connection.now();
            connection.serverSends(response);
            connection.advance(200 + random.nextInt(30_000));
            // HEADERS then DATA: the header block is the first frame's payload, the body the second's.
            int requestBlock = frameLength(request, 0);
            int responseBlock = frameLength(response, 0);
            tally.call(new DriftTally.Call(endpoint, "HTTP/2", 200, outcome.serverError(), responseTime - requestTime, requestBlock,
                    frameLength(request, 9 + requestBlock), responseBlock, grpcStatus == 0 ? frameLength(response, 9 + responseBlock) : 0));
        }
        return closeFlow(kind, connection, List.of("HTTP/2"), false);
    }

    private List<Frame> graphql(SessionKind kind, int index, TcpConversation connection)
    {
        int requests = 1 + index % 4;
        DemoCluster.Edge edge = new DemoCluster.Edge(kind.client(), kind.server(), List.of("/graphql"));
        for (int request = 0; request < requests; request++) {
            Endpoint endpoint = nextEndpoint(kind);
            Outcome outcome = responder(endpoint).next(endpoint.method());
            ProtocolTraffic.GraphQlExchange exchange = ProtocolTraffic.graphql(random, edge);
            long requestTime = connection.now();
            connection.clientSends(exchange.request());
            connection.advance(outcome.thinkMicros());
            long responseTime = connection.now();
            connection.serverSends(exchange.response());
            connection.advance(200 + random.nextInt(20_000));
            int requestHead = headSize(exchange.request());
            int responseHead = headSize(exchange.response());
            // GraphQL reports its errors in the body; the HTTP answer is 200.
            tally.call(new DriftTally.Call(endpoint, "HTTP/1.1", 200, false, responseTime - requestTime, requestHead, exchange.request().length - requestHead,
                    responseHead, exchange.response().length - responseHead));
        }
        return closeFlow(kind, connection, List.of("HTTP"), false);
    }

    private List<Frame> websocket(SessionKind kind, int index, TcpConversation connection)
    {
        Endpoint endpoint = nextEndpoint(kind);
        Outcome outcome = responder(endpoint).next(endpoint.method());
        byte[] upgrade = ProtocolTraffic.websocketUpgradeRequest(random, new DemoCluster.Edge(kind.client(), kind.server(), List.of(endpoint.pattern())));
        byte[] accept = ProtocolTraffic.websocketUpgradeResponse();
        long requestTime = connection.now();
        connection.clientSends(upgrade);
        connection.advance(outcome.thinkMicros());
        long responseTime = connection.now();
        connection.serverSends(accept);
        tally.call(new DriftTally.Call(endpoint, "HTTP/1.1", 101, false, responseTime - requestTime, upgrade.length, 0, accept.length, 0));
        connection.clientSends(ProtocolTraffic.websocketFrame(random, true, 1, ProtocolTraffic.bytes("{\"subscribe\":\"orders\"}")));
        int updates = 1 + index % 6;
        for (int update = 0; update < updates; update++) {
            connection.advance(5_000 + random.nextInt(200_000));
            connection.serverSends(ProtocolTraffic.websocketFrame(random, false, 1,
                    ProtocolTraffic.bytes("{\"order\":" + random.nextInt(99999) + ",\"status\":\"shipped\"}")));
        }
        connection.clientSends(ProtocolTraffic.websocketFrame(random, true, 8, new byte[] {0x03, (byte) 0xE8}));
        connection.serverSends(ProtocolTraffic.websocketFrame(random, false, 8, new byte[] {0x03, (byte) 0xE8}));
        return closeFlow(kind, connection, List.of("HTTP", "WebSocket"), false);
    }

    /** Redis, Kafka, AMQP and LDAP as the demo makes them, on the demo's edge between the same pods. */
    private List<Frame> service(SessionKind kind, TcpConversation connection)
    {
        DemoCluster.Edge edge = demoEdge(kind);
        String application = switch (kind.application()) {
            case REDIS -> {
                ServiceConversations.redis(random, edge, connection, serviceCalls);
                yield "Redis";
            }
            case KAFKA -> {
                ServiceConversations.kafka(random, edge, connection, serviceCalls);
                yield "Kafka";
            }
            case AMQP -> {
                ServiceConversations.amqp(random, edge, connection, serviceCalls);
                yield "AMQP";
            }
            case LDAP -> {
                ServiceConversations.ldap(random, edge, connection, serviceCalls);
                yield "LDAP";
            }
            default -> throw new IllegalArgumentException("not a service conversation: " + kind.application());
        };
        return closeFlow(kind, connection, List.of(application), false);
    }

    /** One to three RADIUS authentications over UDP (in turn, so that both days send as many), every fifth rejected. */
    private List<Frame> radius(SessionKind kind, int index, long start)
    {
        DemoCluster.Pod client = kind.client();
        int clientAddress = PacketFactory.address(client.ip());
        int serverAddress = PacketFactory.address(kind.server().ip());
        long halfRtt = client.node().equals(kind.server().node()) ? 30 : 150;
        int port = ephemeralPort(client.ip());
        List<Frame> frames = new ArrayList<>();
        long now = start;
        int exchanges = 1 + index % 3;
        for (int exchange = 0; exchange < exchanges; exchange++) {
            now += 100 + random.nextInt(5_000);
            boolean accept = (index * 3 + exchange) % 5 != 4;
            MoreProtocolTraffic.RadiusExchange radius = MoreProtocolTraffic.radius(random, random.nextInt(256), "user" + random.nextInt(50), accept);
            frames.add(new Frame(now, packets.udp(clientAddress, serverAddress, port, kind.port(), radius.request())));
            now += 2 * halfRtt + 300 + random.nextInt(3_000);
            frames.add(new Frame(now, packets.udp(serverAddress, clientAddress, kind.port(), port, radius.response())));
        }
        tally.flow(Subjects.workload(client), Subjects.workload(kind.server()), "UDP", kind.port(), ipBytes(frames), List.of("RADIUS"), false, 0);
        return frames;
    }

    private List<Frame> closeFlow(SessionKind kind, TcpConversation connection, List<String> applications, boolean tls)
    {
        List<Frame> frames = connection.close();
        tally.flow(Subjects.workload(kind.client()), Subjects.workload(kind.server()), "TCP", kind.port(), ipBytes(frames), applications, tls,
                connection.handshakeRttMicros());
        return frames;
    }

    private static DemoCluster.Edge demoEdge(SessionKind kind)
    {
        List<DemoCluster.Edge> edges = switch (kind.application()) {
            case REDIS -> DemoCluster.REDIS_EDGES;
            case KAFKA -> DemoCluster.KAFKA_EDGES;
            case AMQP -> DemoCluster.AMQP_EDGES;
            case LDAP -> DemoCluster.LDAP_EDGES;
            default -> List.of();
        };
        return edges.stream().filter(edge -> edge.client().equals(kind.client()) && edge.server().equals(kind.server())).findFirst()
                .orElseThrow(() -> new IllegalStateException("the demo has no edge for " + kind.name()));
    }

    private Endpoint nextEndpoint(SessionKind kind)
    {
        return roundRobins.computeIfAbsent(kind.name(), name -> new RoundRobin(kind.calls())).next();
    }

    private Responder responder(Endpoint endpoint)
    {
        return responders.computeIfAbsent(endpoint.subject(), subject -> {
            Behaviour behaviour = behaviours.get(subject);
            if (behaviour == null) {
                throw new IllegalStateException("no behaviour for " + subject);
            }
            return new Responder(behaviour, random);
        });
    }

    /** The pattern with each placeholder replaced by an identifier of its shape. */
    private String concretePath(String pattern)
    {
        String path = pattern;
        while (path.contains("{number}")) {
            path = path.replaceFirst("\\{number}", String.valueOf(1000 + random.nextInt(90_000)));
        }
        while (path.contains("{uuid}")) {
            path = path.replaceFirst("\\{uuid}", new UUID(random.nextLong(), random.nextLong()).toString());
        }
        while (path.contains("{hex}")) {
            path = path.replaceFirst("\\{hex}", String.format("%08x%016x", random.nextInt(), random.nextLong()));
        }
        return path;
    }

    private int ephemeralPort(String address)
    {
        int port = nextPort.computeIfAbsent(address, key -> 32768 + random.nextInt(28000));
        int next = port + 1 + random.nextInt(3);
        nextPort.put(address, next > 60999 ? 32768 + (next - 61000) : next);
        return port;
    }

    private static String misspell(String host)
    {
        int dot = host.indexOf('.');
        String service = host.substring(0, dot);
        return service.substring(0, 1) + service.charAt(2) + service.charAt(1) + service.substring(3) + host.substring(dot);
    }

    /** IP bytes of the frames: what the flows table counts (the Ethernet header left out). */
    private static long ipBytes(List<Frame> frames)
    {
        return frames.stream().mapToLong(frame -> frame.bytes().length - 14L).sum();
    }

    private static long ipBytes(byte[] frame)
    {
        return frame.length - 14L;
    }

    /** The payload length of the HTTP/2 frame at {@code offset}. */
    private static int frameLength(byte[] frames, int offset)
    {
        return ((frames[offset] & 0xFF) << 16) | ((frames[offset + 1] & 0xFF) << 8) | (frames[offset + 2] & 0xFF);
    }

    /** The length of an HTTP/1.1 message's start line and headers, with the blank line ending them. */
    private static int headSize(byte[] message)
    {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IllegalArgumentException("not an HTTP message");
        }
        return end + 4;
    }

    /** What an endpoint answers to one call. */
    private record Outcome(int status, boolean serverError, long thinkMicros, int bodySize) {}

    /**
     * An endpoint's answers: latencies and body sizes along low-discrepancy sequences through
     * their distributions (so that every day has the same percentiles), statuses at exact rates.
     */
    private static final class Responder
    {
        private static final int[] SERVER_ERRORS = {500, 502, 503, 503};

        private final Behaviour behaviour;
        private final double latencyPhase;
        private final Random random;
        private final int[] sizeStrata = new int[SIZE_STRATA];
        private double serverErrorCredit;
        private double authCredit;
        private double notFoundCredit;
        private double gzipCredit;
        private long calls;
        private long serverErrors;
        private long authFailures;

        Responder(Behaviour behaviour, Random random)
        {
            this.behaviour = behaviour;
            this.latencyPhase = random.nextDouble();
            this.random = random;
            this.serverErrorCredit = random.nextDouble();
            this.authCredit = random.nextDouble();
            this.notFoundCredit = random.nextDouble();
            this.gzipCredit = random.nextDouble();
        }

        /** Every third body over 1 KiB goes gzip-compressed, as the demo's servers do at random. */
        boolean gzip(byte[] body)
        {
            if (body.length <= 1024) {
                return false;
            }
            gzipCredit += 1.0 / 3;
            if (gzipCredit >= 1) {
                gzipCredit -= 1;
                return true;
            }
            return false;
        }

        /** The next answer; {@code method} "gRPC" asks for a gRPC call (a server error is status 14, success needs no status). */
        Outcome next(String method)
        {
            serverErrorCredit += behaviour.serverErrorRate();
            authCredit += behaviour.authFailureRate();
            notFoundCredit += behaviour.notFoundRate();
            int status;
            boolean serverError = false;
            if (serverErrorCredit >= 1) {
                serverErrorCredit -= 1;
                serverError = true;
                status = SERVER_ERRORS[(int) (serverErrors++ % SERVER_ERRORS.length)];
            }
            else if (authCredit >= 1) {
                authCredit -= 1;
                status = authFailures++ % 4 == 3 ? 403 : 401;
            }
            else if (notFoundCredit >= 1) {
                notFoundCredit -= 1;
                status = 404;
            }
            else {
                status = switch (method) {
                    case "POST" -> 201;
                    case "DELETE" -> 204;
                    default -> 200;
                };
            }
            // Log-logistic with shape 4: the quantile function is median * (u / (1 - u))^(1/4).
            // The walk stops at the 99th percentile: the p99 of fewer than 100 calls is their maximum, which stays near the true p99.
            double u = Math.min(0.99, Math.max(0.005, fraction(latencyPhase + calls * GOLDEN)));
            long think = Math.round(behaviour.medianMillis() * 1000 * Math.pow(u / (1 - u), 0.25));
            // Log-uniform between 40 bytes and 40 KB, as the demo's responses.
            double v = sizeQuantile();
            int size = (int) Math.exp(Math.log(40) + v * (Math.log(40_000) - Math.log(40)));
            calls++;
            return new Outcome(status, serverError, think, size);
        }

        /**
         * A quantile for the next response size: each block of {@value SIZE_STRATA} calls takes one
         * from each stratum of [0, 1), in a random order, so that what an endpoint sends depends
         * on the calls it answers, not on the luck of the draw.
         */
        private double sizeQuantile()
        {
            int position = (int) (calls % SIZE_STRATA);
            if (position == 0) {
                for (int index = 0; index < SIZE_STRATA; index++) {
                    int other = random.nextInt(index + 1);
                    sizeStrata[index] = sizeStrata[other];
                    sizeStrata[other] = index;
                }
            }
            return (sizeStrata[position] + random.nextDouble()) / SIZE_STRATA;
        }

        private static double fraction(double value)
        {
            return value - Math.floor(value);
        }
    }

    /** Smooth weighted round robin (as nginx balances upstreams): each endpoint in proportion to its weight, evenly interleaved. */
    private static final class RoundRobin
    {
        private final List<WeightedEndpoint> calls;
        private final int[] current;
        private final int total;

        RoundRobin(List<WeightedEndpoint> calls)
        {
            if (calls.isEmpty()) {
                throw new IllegalArgumentException("no endpoints to call");
            }
            this.calls = calls;
            this.current = new int[calls.size()];
            this.total = calls.stream().mapToInt(WeightedEndpoint::weight).sum();
        }

        Endpoint next()
        {
            int best = 0;
            for (int index = 0; index < calls.size(); index++) {
                current[index] += calls.get(index).weight();
                if (current[index] > current[best]) {
                    best = index;
                }
            }
            current[best] -= total;
            return calls.get(best).endpoint();
        }
    }
}
