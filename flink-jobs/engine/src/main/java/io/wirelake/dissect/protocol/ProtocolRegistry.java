package io.wirelake.dissect.protocol;

import io.wirelake.dissect.protocol.diameter.DiameterDetector;
import io.wirelake.dissect.protocol.dns.DnsDetector;
import io.wirelake.dissect.protocol.dns.DnsTcpDetector;
import io.wirelake.dissect.protocol.http1.Http1Detector;
import io.wirelake.dissect.protocol.http2.Http2Detector;
import io.wirelake.dissect.protocol.amqp.AmqpDetector;
import io.wirelake.dissect.protocol.kafka.KafkaDetector;
import io.wirelake.dissect.protocol.ldap.CldapDetector;
import io.wirelake.dissect.protocol.ldap.LdapDetector;
import io.wirelake.dissect.protocol.websocket.WebSocketDetector;
import io.wirelake.dissect.protocol.radius.RadiusDetector;
import io.wirelake.dissect.protocol.redis.RedisDetector;
import io.wirelake.dissect.protocol.tls.TlsDetector;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * The detectors, in the order they are asked. Detection is by content first: every detector sees
 * the first bytes whatever the port, and port hints only order the questions. A protocol that
 * arrives later (an HTTP/2 connection upgraded, h2c prior knowledge on an odd port) registers a
 * detector here and needs no change elsewhere: protocol switches find it by the upgrade tokens it
 * declares ({@link #forUpgrade}), SCTP messages by its payload protocol identifiers
 * ({@link #forSctpMessage}). Nothing outside the protocol packages names a protocol.
 */
public final class ProtocolRegistry
{
    private final List<ProtocolDetector> detectors;
    /** The transports some detector reads: asked once per new flow, so answered from a set. */
    private final Set<Transport> transports;

    public ProtocolRegistry(List<ProtocolDetector> detectors)
    {
        this.detectors = List.copyOf(requireNonNull(detectors, "detectors is null"));
        this.transports = this.detectors.stream().map(ProtocolDetector::transport).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * The names a dissection can be limited to (Kubeshark's {@code tap.enabledDissectors}), each with
     * the detectors it enables: {@code http} is HTTP/1.x and HTTP/2 (with gRPC and GraphQL, which
     * ride on them), {@code ws} the WebSocket after an HTTP upgrade. TCP, UDP, SCTP and ICMP are not
     * among them: flows are always tracked, and a flow no enabled protocol claims still gets its row.
     */
    private static final Map<String, Set<String>> SELECTIONS;

    static {
        Map<String, Set<String>> selections = new LinkedHashMap<>();
        selections.put("http", Set.of("HTTP", "HTTP/2"));
        selections.put("ws", Set.of("WebSocket"));
        selections.put("dns", Set.of("DNS"));
        selections.put("tls", Set.of("TLS"));
        selections.put("redis", Set.of("Redis"));
        selections.put("kafka", Set.of("Kafka"));
        selections.put("amqp", Set.of("AMQP"));
        selections.put("ldap", Set.of("LDAP"));
        selections.put("radius", Set.of("RADIUS"));
        selections.put("diameter", Set.of("Diameter"));
        SELECTIONS = java.util.Collections.unmodifiableMap(selections);
    }

    /** The protocol names {@link #only} takes, in a stable order. */
    public static List<String> selectable()
    {
        return List.copyOf(SELECTIONS.keySet());
    }

    /**
     * This registry with only the detectors of the named protocols ({@link #selectable()}; Kubeshark's
     * {@code tlsx} is {@code tls}); an empty selection keeps them all.
     *
     * @throws IllegalArgumentException for a name that is not selectable
     */
    public ProtocolRegistry only(java.util.Collection<String> selection)
    {
        if (selection.isEmpty()) {
            return this;
        }
        Set<String> detectorNames = new java.util.HashSet<>();
        for (String name : selection) {
            String key = name.strip().toLowerCase(Locale.ROOT);
            key = key.equals("tlsx") ? "tls" : key;
            Set<String> enabled = SELECTIONS.get(key);
            if (enabled == null) {
                throw new IllegalArgumentException("no protocol '" + name + "' to detect; choose among " + String.join(", ", SELECTIONS.keySet())
                        + (List.of("tcp", "udp", "sctp", "icmp").contains(key) ? " (" + key + " flows are always tracked)" : ""));
            }
            detectorNames.addAll(enabled);
        }
        return new ProtocolRegistry(detectors.stream().filter(detector -> detectorNames.contains(detector.name())).toList());
    }

    public static ProtocolRegistry standard()
    {
        return new ProtocolRegistry(List.of(new Http1Detector(), new Http2Detector(), new WebSocketDetector(), new DnsDetector(), new DnsTcpDetector(), new RedisDetector(), new TlsDetector(), new RadiusDetector(), new DiameterDetector(), new KafkaDetector(), new LdapDetector(), new CldapDetector(), new AmqpDetector()));
    }

    public List<ProtocolDetector> detectors()
    {
        return detectors;
    }

    /** The detectors for a transport, those hinting the port first. */
    public List<ProtocolDetector> candidates(Transport transport, int serverPort, int clientPort)
    {
        List<ProtocolDetector> hinted = new ArrayList<>();
        List<ProtocolDetector> others = new ArrayList<>();
        for (ProtocolDetector detector : detectors) {
            if (detector.transport() != transport) {
                continue;
            }
            if (detector.hintsPort(serverPort) || detector.hintsPort(clientPort)) {
                hinted.add(detector);
            }
            else {
                others.add(detector);
            }
        }
        hinted.addAll(others);
        return hinted;
    }

    /** The detector whose protocol an HTTP {@code Upgrade} token switches to (case-insensitive), if any. */
    public Optional<ProtocolDetector> forUpgrade(String token)
    {
        String lowerCase = token.toLowerCase(Locale.ROOT);
        return detectors.stream().filter(detector -> detector.upgradeTokens().contains(lowerCase)).findFirst();
    }

    /**
     * The detector whose protocol an SCTP message is: the one declaring its payload protocol
     * identifier, or for the unspecified identifier (0) the one hinting either port.
     */
    public Optional<ProtocolDetector> forSctpMessage(long payloadProtocol, int serverPort, int clientPort)
    {
        return detectors.stream()
                .filter(detector -> detector.sctpPayloadProtocols().contains(payloadProtocol)
                        || (payloadProtocol == 0 && !detector.sctpPayloadProtocols().isEmpty() && (detector.hintsPort(serverPort) || detector.hintsPort(clientPort))))
                .findFirst();
    }

    public boolean anyFor(Transport transport)
    {
        return transports.contains(transport);
    }
}
