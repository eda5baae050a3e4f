package io.wirelake.demo;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The ground truth of the drift scenario, written beside its captures as {@value #FILE}: what each
 * day holds (per endpoint, edge, listener, external destination and TLS server, as generated) and
 * the findings a drift report of the two days must make, no more and no fewer. JSON, snake_case
 * names; subjects as {@link Subjects} defines them. Paths are relative to the truth file's directory.
 *
 * @param format {@value #FORMAT}
 * @param clusterRanges the cluster's address ranges; servers outside them are external
 * @param days {@code baseline} and {@code incident}
 * @param findings the planted changes, in the drift report's vocabulary
 */
public record DriftTruth(String format, long seed, List<String> clusterRanges, Map<String, DayTruth> days, List<Finding> findings)
{
    public static final String FILE = "drift-truth.json";
    public static final String FORMAT = "wirelake-drift-truth/1";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(SerializationFeature.INDENT_OUTPUT, true)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public DriftTruth
    {
        requireNonNull(format, "format is null");
        clusterRanges = List.copyOf(clusterRanges);
        days = Map.copyOf(days);
        findings = List.copyOf(findings);
    }

    public DayTruth day(DriftScenario.Day day)
    {
        return days.get(day.directoryName());
    }

    public void write(Path file)
            throws IOException
    {
        Files.write(file, MAPPER.writeValueAsBytes(this));
    }

    public static DriftTruth read(Path file)
            throws IOException
    {
        return MAPPER.readValue(file.toFile(), DriftTruth.class);
    }

    /**
     * One day of traffic.
     *
     * @param directory the day's captures and metadata, relative to the truth file
     * @param from the window's start (ISO-8601): the first session starts at or after it
     * @param to the window's end: every packet of the day is before it; both days' windows are equally long
     * @param captures {@code <node>.pcap} files, relative to the truth file
     * @param metadata the Kubernetes metadata (JSON Lines), relative to the truth file
     * @param sessions sessions started (a DNS lookup, and a connection or datagrams unless the lookup failed)
     * @param packets frames written, cross-node copies included
     * @param bytes bytes of the capture files
     */
    public record DayTruth(String directory, String from, String to, long windowSeconds, List<String> captures, String metadata, long sessions,
            long packets, long bytes, List<EndpointTruth> endpoints, List<EdgeTruth> edges, List<ListenerTruth> listeners,
            List<ExternalDestinationTruth> externalDestinations, List<TlsServerTruth> tlsServers)
    {
        public DayTruth
        {
            captures = List.copyOf(captures);
            endpoints = List.copyOf(endpoints);
            edges = List.copyOf(edges);
            listeners = List.copyOf(listeners);
            externalDestinations = List.copyOf(externalDestinations);
            tlsServers = List.copyOf(tlsServers);
        }

        public Optional<EndpointTruth> endpoint(String subject)
        {
            return endpoints.stream().filter(endpoint -> endpoint.subject().equals(subject)).findFirst();
        }

        public Optional<EdgeTruth> edge(String subject)
        {
            return edges.stream().filter(edge -> edge.subject().equals(subject)).findFirst();
        }
    }

    /**
     * One endpoint's calls on one day, each counted once (cross-node copies are the same calls).
     *
     * @param errors 5xx responses and gRPC calls with a non-zero status
     * @param authFailures 401 and 403 responses
     * @param statuses responses by HTTP status
     * @param p50Ms latency percentiles (nearest rank) in milliseconds: the request's first byte to the response's first byte
     * @param requestHeadersBytes request lines and headers (HTTP/2: the request's header block) summed, as the api_calls columns count them
     * @param requestBodyBytes request bodies as on the wire (HTTP/2: DATA payloads)
     * @param responseHeadersBytes status lines and headers (HTTP/2: the first header block)
     * @param responseBodyBytes response bodies as on the wire: compressed when gzip, without chunk framing
     */
    public record EndpointTruth(String subject, String service, String method, String path, String httpVersion, long requests, long errors,
            double errorRate, long authFailures, Map<String, Long> statuses, double p50Ms, double p95Ms, double p99Ms, double meanMs,
            long requestHeadersBytes, long requestBodyBytes, long responseHeadersBytes, long responseBodyBytes)
    {
        public EndpointTruth
        {
            statuses = Map.copyOf(statuses);
        }
    }

    /**
     * One edge between two workloads of the cluster on one day.
     *
     * @param connections flows (TCP connections; UDP flows, one per client port)
     * @param bytes IP bytes of the flows in both directions (IP headers included, as the flows table counts them)
     * @param applications application protocols of the flows, as {@code conn_l7_detected} names them
     * @param tlsConnections flows that began with a TLS handshake
     * @param plaintextConnections flows with an application protocol that were not TLS
     * @param handshakeRttP50Micros TCP handshake round trips (SYN to the client's ACK) in microseconds; 0 for UDP
     */
    public record EdgeTruth(String subject, String client, String server, String transport, int port, long connections, long bytes,
            List<String> applications, long tlsConnections, long plaintextConnections, long handshakeRttP50Micros, long handshakeRttP95Micros,
            long handshakeRttP99Micros)
    {
        public EdgeTruth
        {
            applications = List.copyOf(applications);
        }
    }

    /** A workload serving an application protocol on a port, with the flows it served. */
    public record ListenerTruth(String subject, String workload, String transport, int port, String application, long connections) {}

    /** A server outside the cluster: its name (DNS answer and TLS SNI), address and who called it. */
    public record ExternalDestinationTruth(String name, String ip, int port, List<String> clients, long connections, long bytes)
    {
        public ExternalDestinationTruth
        {
            clients = List.copyOf(clients);
        }
    }

    /** What a TLS server negotiated on one day, by version and cipher suite, counted per connection. */
    public record TlsServerTruth(String subject, String server, String serverName, Map<String, Long> versions, Map<String, Long> ciphers)
    {
        public TlsServerTruth
        {
            versions = Map.copyOf(versions);
            ciphers = Map.copyOf(ciphers);
        }
    }

    /**
     * A change a drift report of the two days must find.
     *
     * @param check the drift check's name
     * @param subject what changed ({@link Subjects})
     * @param baseline the measure on the baseline day (null when the subject is new)
     * @param current the measure on the incident day (null when the subject is gone)
     * @param detail what was planted, in words
     */
    public record Finding(String check, String subject, Map<String, Object> baseline, Map<String, Object> current, String detail)
    {
        public Finding
        {
            requireNonNull(check, "check is null");
            requireNonNull(subject, "subject is null");
            requireNonNull(detail, "detail is null");
        }
    }
}
