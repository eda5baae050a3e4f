package io.wirelake.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What one day of the drift scenario generated, counted as it is generated: calls per endpoint,
 * flows per edge, listeners, external destinations and TLS servers. Each call and flow is counted
 * once, whatever copies of it the captures hold.
 */
final class DriftTally
{
    private final Map<String, EndpointTally> endpoints = new TreeMap<>();
    private final Map<String, EdgeTally> edges = new TreeMap<>();
    private final Map<String, DriftTruth.ListenerTruth> listeners = new TreeMap<>();
    private final Map<String, ExternalTally> externals = new TreeMap<>();
    private final Map<String, TlsTally> tlsServers = new TreeMap<>();

    /** One call and its answer. */
    record Call(DriftScenario.Endpoint endpoint, String httpVersion, int status, boolean error, long latencyMicros, long requestHeadersBytes,
            long requestBodyBytes, long responseHeadersBytes, long responseBodyBytes) {}

    void call(Call call)
    {
        endpoints.computeIfAbsent(call.endpoint().subject(), subject -> new EndpointTally(call.endpoint(), call.httpVersion())).add(call);
    }

    /**
     * A flow between two workloads of the cluster: it counts for the edge and makes the server a
     * listener of each application protocol on it.
     */
    void flow(String client, String server, String transport, int port, long bytes, List<String> applications, boolean tls, long handshakeRttMicros)
    {
        String subject = Subjects.edge(client, server, transport, port);
        edges.computeIfAbsent(subject, key -> new EdgeTally(client, server, transport, port)).add(bytes, applications, tls, handshakeRttMicros);
        listen(server, transport, port, applications);
    }

    /** A flow from outside the cluster to a workload: not an edge, but the workload listens. */
    void listen(String server, String transport, int port, List<String> applications)
    {
        for (String application : applications) {
            listeners.merge(Subjects.listener(server, transport, port, application),
                    new DriftTruth.ListenerTruth(Subjects.listener(server, transport, port, application), server, transport, port, application, 1),
                    (known, added) -> new DriftTruth.ListenerTruth(known.subject(), server, transport, port, application, known.connections() + 1));
        }
    }

    void external(DriftScenario.ExternalServer server, String client, long bytes)
    {
        ExternalTally tally = externals.computeIfAbsent(server.name(), name -> new ExternalTally(server));
        tally.clients.add(client);
        tally.connections++;
        tally.bytes += bytes;
    }

    void tls(String server, String serverName, TlsTraffic.Profile profile)
    {
        TlsTally tally = tlsServers.computeIfAbsent(Subjects.tlsServer(server, serverName), subject -> new TlsTally(server, serverName));
        tally.versions.merge(profile.version(), 1L, Long::sum);
        tally.ciphers.merge(profile.cipher(), 1L, Long::sum);
    }

    List<DriftTruth.EndpointTruth> endpoints()
    {
        return endpoints.values().stream().map(EndpointTally::truth).toList();
    }

    List<DriftTruth.EdgeTruth> edges()
    {
        return edges.entrySet().stream().map(entry -> entry.getValue().truth(entry.getKey())).toList();
    }

    List<DriftTruth.ListenerTruth> listeners()
    {
        return List.copyOf(listeners.values());
    }

    List<DriftTruth.ExternalDestinationTruth> externalDestinations()
    {
        return externals.values().stream()
                .map(tally -> new DriftTruth.ExternalDestinationTruth(tally.server.name(), tally.server.ip(), tally.server.port(), List.copyOf(tally.clients),
                        tally.connections, tally.bytes))
                .toList();
    }

    List<DriftTruth.TlsServerTruth> tlsServers()
    {
        return tlsServers.entrySet().stream()
                .map(entry -> new DriftTruth.TlsServerTruth(entry.getKey(), entry.getValue().server, entry.getValue().serverName, entry.getValue().versions,
                        entry.getValue().ciphers))
                .toList();
    }

    /** The value at the nearest rank of {@code fraction} among sorted values (0 when there are none). */
    static long percentile(long[] sorted, double fraction)
    {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(fraction * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    private static double millis(long micros)
    {
        return micros / 1000.0;
    }

    private static final class EndpointTally
    {
        private final DriftScenario.Endpoint endpoint;
        private final String httpVersion;
        private final Map<String, Long> statuses = new TreeMap<>();
        private long[] latencies = new long[64];
        private int requests;
        private long errors;
        private long authFailures;
        private long requestHeadersBytes;
        private long requestBodyBytes;
        private long responseHeadersBytes;
        private long responseBodyBytes;

        EndpointTally(DriftScenario.Endpoint endpoint, String httpVersion)
        {
            this.endpoint = endpoint;
            this.httpVersion = httpVersion;
        }

        void add(Call call)
        {
            if (requests == latencies.length) {
                latencies = Arrays.copyOf(latencies, requests * 2);
            }
            latencies[requests++] = call.latencyMicros();
            statuses.merge(String.valueOf(call.status()), 1L, Long::sum);
            errors += call.error() ? 1 : 0;
            authFailures += call.status() == 401 || call.status() == 403 ? 1 : 0;
            requestHeadersBytes += call.requestHeadersBytes();
            requestBodyBytes += call.requestBodyBytes();
            responseHeadersBytes += call.responseHeadersBytes();
            responseBodyBytes += call.responseBodyBytes();
        }

        DriftTruth.EndpointTruth truth()
        {
            long[] sorted = Arrays.copyOf(latencies, requests);
            Arrays.sort(sorted);
            double mean = Arrays.stream(sorted).average().orElse(0);
            return new DriftTruth.EndpointTruth(endpoint.subject(), endpoint.server().service(), endpoint.method(), endpoint.template(), httpVersion, requests,
                    errors, Math.round(errors * 1_000_000.0 / requests) / 1_000_000.0, authFailures, statuses, millis(percentile(sorted, 0.50)),
                    millis(percentile(sorted, 0.95)), millis(percentile(sorted, 0.99)), Math.round(mean) / 1000.0, requestHeadersBytes, requestBodyBytes,
                    responseHeadersBytes, responseBodyBytes);
        }
    }

    private static final class EdgeTally
    {
        private final String client;
        private final String server;
        private final String transport;
        private final int port;
        private final Set<String> applications = new LinkedHashSet<>();
        private final List<Long> handshakes = new ArrayList<>();
        private long connections;
        private long bytes;
        private long tlsConnections;
        private long plaintextConnections;

        EdgeTally(String client, String server, String transport, int port)
        {
            this.client = client;
            this.server = server;
            this.transport = transport;
            this.port = port;
        }

        void add(long flowBytes, List<String> flowApplications, boolean tls, long handshakeRttMicros)
        {
            connections++;
            bytes += flowBytes;
            applications.addAll(flowApplications);
            if (tls) {
                tlsConnections++;
            }
            else if (!flowApplications.isEmpty()) {
                plaintextConnections++;
            }
            if (handshakeRttMicros > 0) {
                handshakes.add(handshakeRttMicros);
            }
        }

        DriftTruth.EdgeTruth truth(String subject)
        {
            long[] sorted = handshakes.stream().mapToLong(Long::longValue).sorted().toArray();
            return new DriftTruth.EdgeTruth(subject, client, server, transport, port, connections, bytes, new ArrayList<>(new TreeSet<>(applications)),
                    tlsConnections, plaintextConnections, percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99));
        }
    }

    private static final class ExternalTally
    {
        private final DriftScenario.ExternalServer server;
        private final Set<String> clients = new TreeSet<>();
        private long connections;
        private long bytes;

        ExternalTally(DriftScenario.ExternalServer server)
        {
            this.server = server;
        }
    }

    private static final class TlsTally
    {
        private final String server;
        private final String serverName;
        private final Map<String, Long> versions = new TreeMap<>();
        private final Map<String, Long> ciphers = new TreeMap<>();

        TlsTally(String server, String serverName)
        {
            this.server = server;
            this.serverName = serverName;
        }
    }
}
