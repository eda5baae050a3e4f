package io.wirelake.demo;

import io.wirelake.demo.DriftScenario.Day;
import io.wirelake.demo.DriftTruth.DayTruth;
import io.wirelake.demo.DriftTruth.EdgeTruth;
import io.wirelake.demo.DriftTruth.EndpointTruth;
import io.wirelake.demo.DriftTruth.Finding;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * Generates the {@link DriftScenario}: a baseline day and an incident day of the demo cluster,
 * each in a directory of its own ({@code baseline/}, {@code incident/}: one capture per node and
 * the Kubernetes metadata, as {@link DemoTrafficGenerator} writes them), and beside them the
 * ground truth {@value DriftTruth#FILE} ({@link DriftTruth}). Deterministic: the same options give
 * the same bytes.
 */
public final class DriftTrafficGenerator
{
    private DriftTrafficGenerator() {}

    /**
     * Writes both days and the truth file under {@code directory}.
     *
     * @param progressBytes told the bytes written so far, now and then (may be null)
     */
    public static DriftTruth generate(DriftOptions options, Path directory, LongConsumer progressBytes)
            throws IOException
    {
        Files.createDirectories(directory);
        Map<String, DayTruth> days = new LinkedHashMap<>();
        long[] written = new long[1];
        for (Day day : Day.values()) {
            long before = written[0];
            LongConsumer progress = progressBytes == null ? null : bytes -> progressBytes.accept(before + bytes);
            DayTruth truth = new DriftDay(options, day).generate(directory, progress);
            written[0] += truth.bytes();
            days.put(day.directoryName(), truth);
        }
        DayTruth baseline = days.get(Day.BASELINE.directoryName());
        DayTruth incident = days.get(Day.INCIDENT.directoryName());
        List<Finding> findings = new ArrayList<>();
        for (DriftScenario.Planted planted : DriftScenario.planted()) {
            findings.add(finding(planted, baseline, incident));
        }
        DriftTruth truth = new DriftTruth(DriftTruth.FORMAT, options.seed(), DriftScenario.CLUSTER_RANGES, days, findings);
        truth.write(directory.resolve(DriftTruth.FILE));
        return truth;
    }

    /** The planted change with what each day measured of its subject. */
    private static Finding finding(DriftScenario.Planted planted, DayTruth baseline, DayTruth incident)
    {
        String subject = planted.subject();
        return switch (planted.check()) {
            case "new_endpoint" -> new Finding(planted.check(), subject, null, calls(endpoint(incident, subject)), planted.detail());
            case "removed_endpoint" -> new Finding(planted.check(), subject, calls(endpoint(baseline, subject)), null, planted.detail());
            case "latency_regression" -> new Finding(planted.check(), subject, latency(endpoint(baseline, subject)), latency(endpoint(incident, subject)),
                    planted.detail());
            case "error_rate_increase" -> new Finding(planted.check(), subject, errors(endpoint(baseline, subject)), errors(endpoint(incident, subject)),
                    planted.detail());
            case "new_edge" -> new Finding(planted.check(), subject, null, volume(edge(incident, subject)), planted.detail());
            case "removed_edge" -> new Finding(planted.check(), subject, volume(edge(baseline, subject)), null, planted.detail());
            case "plaintext_appeared" -> new Finding(planted.check(), subject, encryption(edge(baseline, subject)), encryption(edge(incident, subject)),
                    planted.detail());
            case "volume_shift" -> new Finding(planted.check(), subject, volume(edge(baseline, subject)), volume(edge(incident, subject)), planted.detail());
            case "rtt_regression" -> new Finding(planted.check(), subject, roundTrips(edge(baseline, subject)), roundTrips(edge(incident, subject)),
                    planted.detail());
            case "new_external_destination" -> {
                DriftTruth.ExternalDestinationTruth destination = incident.externalDestinations().stream().filter(found -> found.name().equals(subject))
                        .findFirst().orElseThrow(() -> missing(subject, incident));
                Map<String, Object> current = new LinkedHashMap<>();
                current.put("ip", destination.ip());
                current.put("port", destination.port());
                current.put("clients", destination.clients());
                current.put("connections", destination.connections());
                current.put("bytes", destination.bytes());
                yield new Finding(planted.check(), subject, null, current, planted.detail());
            }
            case "tls_downgrade" -> new Finding(planted.check(), subject, negotiated(tlsServer(baseline, subject)), negotiated(tlsServer(incident, subject)),
                    planted.detail());
            case "new_listener" -> {
                DriftTruth.ListenerTruth listener = incident.listeners().stream().filter(found -> found.subject().equals(subject)).findFirst()
                        .orElseThrow(() -> missing(subject, incident));
                yield new Finding(planted.check(), subject, null, Map.of("connections", listener.connections()), planted.detail());
            }
            default -> throw new IllegalStateException("unknown check " + planted.check());
        };
    }

    private static EndpointTruth endpoint(DayTruth day, String subject)
    {
        return day.endpoint(subject).orElseThrow(() -> missing(subject, day));
    }

    private static EdgeTruth edge(DayTruth day, String subject)
    {
        return day.edge(subject).orElseThrow(() -> missing(subject, day));
    }

    private static DriftTruth.TlsServerTruth tlsServer(DayTruth day, String subject)
    {
        return day.tlsServers().stream().filter(server -> server.subject().equals(subject)).findFirst().orElseThrow(() -> missing(subject, day));
    }

    private static IllegalStateException missing(String subject, DayTruth day)
    {
        return new IllegalStateException("the " + day.directory() + " day has no " + subject + ": too few sessions?");
    }

    private static Map<String, Object> calls(EndpointTruth endpoint)
    {
        Map<String, Object> measures = new LinkedHashMap<>();
        measures.put("requests", endpoint.requests());
        measures.put("p95_ms", endpoint.p95Ms());
        return measures;
    }

    private static Map<String, Object> latency(EndpointTruth endpoint)
    {
        Map<String, Object> measures = new LinkedHashMap<>();
        measures.put("requests", endpoint.requests());
        measures.put("p50_ms", endpoint.p50Ms());
        measures.put("p95_ms", endpoint.p95Ms());
        measures.put("p99_ms", endpoint.p99Ms());
        return measures;
    }

    private static Map<String, Object> errors(EndpointTruth endpoint)
    {
        Map<String, Object> measures = new LinkedHashMap<>();
        measures.put("requests", endpoint.requests());
        measures.put("errors", endpoint.errors());
        measures.put("error_rate", endpoint.errorRate());
        measures.put("auth_failures", endpoint.authFailures());
        measures.put("auth_failure_rate", Math.round(endpoint.authFailures() * 1_000_000.0 / endpoint.requests()) / 1_000_000.0);
        return measures;
    }

    private static Map<String, Object> volume(EdgeTruth edge)
    {
        Map<String, Object> measures = new LinkedHashMap<>();
        measures.put("connections", edge.connections());
        measures.put("bytes", edge.bytes());
        return measures;
    }

    private static Map<String, Object> encryption(EdgeTruth edge)
    {
        Map<String, Object> measures = new LinkedHashMap<>();
        measures.put("connections", edge.connections());
        measures.put("tls_connections", edge.tlsConnections());
        measures.put("plaintext_connections", edge.plaintextConnections());
        return measures;
    }

    private static Map<String, Object> roundTrips(EdgeTruth edge)
    {
        Map<String, Object> measures = new LinkedHashMap<>();
        measures.put("connections", edge.connections());
        measures.put("handshake_rtt_p50_micros", edge.handshakeRttP50Micros());
        measures.put("handshake_rtt_p95_micros", edge.handshakeRttP95Micros());
        measures.put("handshake_rtt_p99_micros", edge.handshakeRttP99Micros());
        return measures;
    }

    private static Map<String, Object> negotiated(DriftTruth.TlsServerTruth server)
    {
        Map<String, Object> measures = new LinkedHashMap<>();
        measures.put("versions", server.versions());
        measures.put("ciphers", server.ciphers());
        return measures;
    }
}
