package io.wirelake.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongConsumer;

/**
 * Generates valid captures of the {@link DemoCluster}'s traffic: DNS lookups to CoreDNS, HTTP/1.1
 * keep-alive connections along the service graph, Redis, gRPC over h2c, GraphQL, WebSocket, Kafka,
 * AMQP, LDAP and RADIUS, with injected server errors, slow responses and
 * failed lookups. Many connections are open at once and their packets interleave in time. Each
 * connection is written to the capture of the client pod's node ({@code <node>.pcap}), as a node
 * collector there would see it. Deterministic: the same options give the same bytes.
 */
public final class DemoTrafficGenerator
{
    /** The cluster's Kubernetes metadata, written beside the captures (JSON Lines of workload events). */
    public static final String METADATA_FILE = "metadata.jsonl";

    private final GeneratorOptions options;
    private final Random random;
    private final PacketFactory packets = new PacketFactory();
    private final Map<String, Integer> nextPort = new HashMap<>();
    // ground truth
    private long tcpConnections;
    private long httpRequests;
    private final Map<Integer, Long> statusCounts = new HashMap<>();
    private final Map<String, Long> methodCounts = new HashMap<>();
    private long slowResponses;
    private long dnsQueries;
    private long dnsNxdomain;
    private long gzipResponses;
    private long chunkedResponses;
    /** Rows a dissection makes of the other protocols, by protocol (and a few details). */
    private final Map<String, Long> otherCalls = new java.util.TreeMap<>();

    private DemoTrafficGenerator(GeneratorOptions options)
    {
        this.options = options;
        this.random = new Random(options.seed());
    }

    public static GeneratorSummary generate(GeneratorOptions options, Path directory, LongConsumer progressBytes)
            throws IOException
    {
        return new DemoTrafficGenerator(options).run(directory, progressBytes);
    }

    private GeneratorSummary run(Path directory, LongConsumer progressBytes)
            throws IOException
    {
        List<Path> captures;
        long packetCount;
        long byteCount;
        try (FrameMerger merger = new FrameMerger(directory, DemoCluster.NODES, progressBytes)) {
            long start = options.start().getEpochSecond() * 1_000_000L;
            // The watcher saw the cluster a minute before the traffic starts.
            Files.write(directory.resolve(METADATA_FILE), DemoCluster.toJsonLines(DemoCluster.workloadEvents(start - 60_000_000L)));
            for (int session = 0; session < options.concurrency(); session++) {
                session(merger, start + random.nextInt(200_000));
            }
            boolean stopping = false;
            while (merger.hasNext()) {
                long ended = merger.writeNext();
                if (ended >= 0) {
                    stopping |= merger.bytes() >= options.targetBytes();
                    if (!stopping) {
                        session(merger, ended + 1 + random.nextInt(20_000));
                    }
                }
            }
            captures = merger.captures();
            packetCount = merger.packets();
            byteCount = merger.bytes();
        }
        return new GeneratorSummary(captures, packetCount, byteCount + 24L * captures.size(), tcpConnections, httpRequests, statusCounts, methodCounts,
                slowResponses, dnsQueries, dnsNxdomain, gzipResponses, chunkedResponses, otherCalls);
    }

    /**
     * A DNS lookup and, when it succeeds, an HTTP connection with a few requests: the client
     * node's frames, and with cross-node copies the frames the resolver's and server's nodes see.
     */
    private void session(FrameMerger merger, long start)
    {
        int kind = random.nextInt(100);
        List<DemoCluster.Edge> edges = kind < 8 ? DemoCluster.REDIS_EDGES : kind < 14 ? DemoCluster.GRPC_EDGES : kind < 18 ? DemoCluster.GRAPHQL_EDGES
                : kind < 21 ? DemoCluster.WEBSOCKET_EDGES : kind < 23 ? DemoCluster.KAFKA_EDGES : kind < 25 ? DemoCluster.AMQP_EDGES
                : kind < 27 ? DemoCluster.LDAP_EDGES : kind < 29 ? DemoCluster.RADIUS_EDGES : DemoCluster.EDGES;
        DemoCluster.Edge edge = edges.get(random.nextInt(edges.size()));
        DemoCluster.Pod client = edge.client();
        DemoCluster.Pod server = edge.server();
        DemoCluster.Pod resolver = DemoCluster.resolverFor(client);
        boolean crossNode = !client.node().equals(server.node());
        long halfRtt = crossNode ? 150 : 30;
        List<Frame> frames = new ArrayList<>();
        long now = start;

        boolean failedLookup = random.nextDouble() < options.dnsFailureRate();
        String host = failedLookup ? misspell(server.serviceHost()) : server.serviceHost();
        int clientAddress = PacketFactory.address(client.ip());
        int resolverAddress = PacketFactory.address(resolver.ip());
        for (int type : new int[] {DnsTraffic.A, DnsTraffic.AAAA}) {
            int id = random.nextInt(65536);
            int port = ephemeralPort(client.ip());
            frames.add(new Frame(now, packets.udp(clientAddress, resolverAddress, port, 53, DnsTraffic.query(id, host, type))));
            now += 2 * (resolver.node().equals(client.node()) ? 30 : 150) + 80 + random.nextInt(400);
            frames.add(new Frame(now, packets.udp(resolverAddress, clientAddress, 53, port,
                    DnsTraffic.response(id, host, type, type == DnsTraffic.A ? server.ip() : null, failedLookup))));
            dnsQueries++;
            if (failedLookup) {
                dnsNxdomain++;
            }
            now += 20;
        }
        int lookupFrames = frames.size();
        if (!failedLookup && edges == DemoCluster.RADIUS_EDGES) {
            // RADIUS is UDP: a few authentications, no connection
            int serverAddress = PacketFactory.address(server.ip());
            int port = ephemeralPort(client.ip());
            int exchanges = 1 + random.nextInt(3);
            for (int exchange = 0; exchange < exchanges; exchange++) {
                now += 100 + random.nextInt(5_000);
                boolean accept = random.nextInt(5) != 0;
                MoreProtocolTraffic.RadiusExchange radius = MoreProtocolTraffic.radius(random, random.nextInt(256), "user" + random.nextInt(50), accept);
                frames.add(new Frame(now, packets.udp(clientAddress, serverAddress, port, server.port(), radius.request())));
                now += 2 * halfRtt + 300 + random.nextInt(3_000);
                frames.add(new Frame(now, packets.udp(serverAddress, clientAddress, server.port(), port, radius.response())));
                otherCalls.merge("RADIUS", 1L, Long::sum);
                if (!accept) {
                    otherCalls.merge("RADIUS rejected", 1L, Long::sum);
                }
            }
        }
        else if (!failedLookup) {
            now += 100;
            TcpConversation connection = new TcpConversation(packets, clientAddress, PacketFactory.address(server.ip()), ephemeralPort(client.ip()), server.port(),
                    random.nextInt(), random.nextInt(), now, halfRtt);
            tcpConnections++;
            int requests = edges == DemoCluster.EDGES ? 1 + random.nextInt(6) : 0;
            if (edges != DemoCluster.EDGES) {
                otherProtocol(edges, edge, connection);
            }
            for (int request = 0; request < requests; request++) {
                boolean error = random.nextDouble() < options.errorRate();
                boolean slow = random.nextDouble() < options.slowRate();
                HttpTraffic.Exchange exchange = HttpTraffic.exchange(random, edge, error);
                connection.clientSends(exchange.request());
                long latency = slow ? (long) (options.slowMillis() * 1000 * (0.8 + 0.4 * random.nextDouble()))
                        : (long) Math.exp(Math.log(500) + random.nextDouble() * (Math.log(40_000) - Math.log(500)));
                connection.advance(latency);
                connection.serverSends(exchange.response());
                connection.advance(200 + random.nextInt(50_000));
                httpRequests++;
                statusCounts.merge(exchange.status(), 1L, Long::sum);
                methodCounts.merge(exchange.method(), 1L, Long::sum);
                slowResponses += slow ? 1 : 0;
                gzipResponses += exchange.gzip() ? 1 : 0;
                chunkedResponses += exchange.chunked() ? 1 : 0;
            }
            frames.addAll(connection.close());
        }
        merger.add(frames, client.node(), true);
        if (options.crossNodeCopies()) {
            copy(merger, frames.subList(0, lookupFrames), client, resolver);
            copy(merger, frames.subList(lookupFrames, frames.size()), client, server);
        }
    }

    private static void copy(FrameMerger merger, List<Frame> frames, DemoCluster.Pod client, DemoCluster.Pod server)
    {
        if (!frames.isEmpty() && !client.node().equals(server.node())) {
            merger.addCopy(frames, server.node());
        }
    }

    /** A connection of one of the other protocols: its exchanges, counted by the rows a dissection makes of them. */
    private void otherProtocol(List<DemoCluster.Edge> edges, DemoCluster.Edge edge, TcpConversation connection)
    {
        if (edges == DemoCluster.REDIS_EDGES) {
            ServiceConversations.redis(random, edge, connection, otherCalls);
        }
        else if (edges == DemoCluster.GRPC_EDGES) {
            connection.clientSends(ProtocolTraffic.h2ClientStart());
            connection.serverSends(ProtocolTraffic.h2ServerStart());
            int calls = 1 + random.nextInt(5);
            for (int call = 0; call < calls; call++) {
                int stream = 1 + 2 * call;
                String path = edge.paths().get(random.nextInt(edge.paths().size()));
                connection.clientSends(ProtocolTraffic.grpcRequest(stream, path, edge.server().serviceHost() + ":" + edge.server().port(), 20 + random.nextInt(400)));
                boolean failed = random.nextDouble() < options.errorRate();
                connection.advance((long) Math.exp(Math.log(800) + random.nextDouble() * (Math.log(60_000) - Math.log(800))));
                connection.serverSends(ProtocolTraffic.grpcResponse(stream, 50 + random.nextInt(3000), failed ? 14 : 0, "upstream connect error"));
                connection.advance(200 + random.nextInt(30_000));
                otherCalls.merge("gRPC", 1L, Long::sum);
                if (failed) {
                    otherCalls.merge("gRPC failed", 1L, Long::sum);
                }
            }
        }
        else if (edges == DemoCluster.GRAPHQL_EDGES) {
            int requests = 1 + random.nextInt(4);
            for (int request = 0; request < requests; request++) {
                ProtocolTraffic.GraphQlExchange exchange = ProtocolTraffic.graphql(random, edge);
                connection.clientSends(exchange.request());
                connection.advance(1_000 + random.nextInt(40_000));
                connection.serverSends(exchange.response());
                connection.advance(200 + random.nextInt(20_000));
                otherCalls.merge("GraphQL", 1L, Long::sum);
                otherCalls.merge("GraphQL " + exchange.type(), 1L, Long::sum);
            }
        }
        else if (edges == DemoCluster.KAFKA_EDGES) {
            ServiceConversations.kafka(random, edge, connection, otherCalls);
        }
        else if (edges == DemoCluster.AMQP_EDGES) {
            ServiceConversations.amqp(random, edge, connection, otherCalls);
        }
        else if (edges == DemoCluster.LDAP_EDGES) {
            ServiceConversations.ldap(random, edge, connection, otherCalls);
        }
        else {
            connection.clientSends(ProtocolTraffic.websocketUpgradeRequest(random, edge));
            connection.advance(500 + random.nextInt(2_000));
            connection.serverSends(ProtocolTraffic.websocketUpgradeResponse());
            otherCalls.merge("WebSocket upgrades", 1L, Long::sum);
            connection.clientSends(ProtocolTraffic.websocketFrame(random, true, 1, ProtocolTraffic.bytes("{\"subscribe\":\"orders\"}")));
            otherCalls.merge("WebSocket", 1L, Long::sum);
            int updates = 1 + random.nextInt(6);
            for (int update = 0; update < updates; update++) {
                connection.advance(5_000 + random.nextInt(200_000));
                connection.serverSends(ProtocolTraffic.websocketFrame(random, false, 1,
                        ProtocolTraffic.bytes("{\"order\":" + random.nextInt(99999) + ",\"status\":\"shipped\"}")));
                otherCalls.merge("WebSocket", 1L, Long::sum);
            }
            connection.clientSends(ProtocolTraffic.websocketFrame(random, true, 8, new byte[] {0x03, (byte) 0xE8}));
            connection.serverSends(ProtocolTraffic.websocketFrame(random, false, 8, new byte[] {0x03, (byte) 0xE8}));
            otherCalls.merge("WebSocket", 2L, Long::sum);
        }
    }

    private int ephemeralPort(String address)
    {
        int port = nextPort.computeIfAbsent(address, key -> 32768 + random.nextInt(28000));
        int next = port + 1 + random.nextInt(3);
        nextPort.put(address, next > 60999 ? 32768 + (next - 61000) : next);
        return port;
    }

    private String misspell(String host)
    {
        int dot = host.indexOf('.');
        String service = host.substring(0, dot);
        return service.length() > 3 ? service.substring(0, 1) + service.charAt(2) + service.charAt(1) + service.substring(3) + host.substring(dot)
                : "x" + host;
    }
}
