package io.wirelake.dissect.protocol;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Protocol switches and SCTP messages find their protocol by what its detector declares. */
class ProtocolRegistryTest
{
    private final ProtocolRegistry registry = ProtocolRegistry.standard();

    @Test
    void upgradeTokensNameTheirProtocolWhateverTheirCase()
    {
        assertThat(registry.forUpgrade("websocket")).map(ProtocolDetector::name).contains("WebSocket");
        assertThat(registry.forUpgrade("WebSocket")).map(ProtocolDetector::name).contains("WebSocket");
        assertThat(registry.forUpgrade("h2c")).map(ProtocolDetector::name).contains("HTTP/2");
        // RFC 2817's upgrade to TLS, and a detector's name that is no upgrade token
        assertThat(registry.forUpgrade("TLS/1.0")).isEmpty();
        assertThat(registry.forUpgrade("redis")).isEmpty();
    }

    @Test
    void sctpMessagesGoByPayloadProtocolOrByPortWhenUnspecified()
    {
        // RFC 6733 section 2.1: 46 is Diameter, 47 Diameter over DTLS (not cleartext)
        assertThat(registry.forSctpMessage(46, 40000, 40001)).map(ProtocolDetector::name).contains("Diameter");
        assertThat(registry.forSctpMessage(47, 3868, 40001)).isEmpty();
        assertThat(registry.forSctpMessage(0, 3868, 40001)).map(ProtocolDetector::name).contains("Diameter");
        assertThat(registry.forSctpMessage(0, 40001, 3868)).map(ProtocolDetector::name).contains("Diameter");
        assertThat(registry.forSctpMessage(0, 80, 40001)).isEmpty();
    }

    @Test
    void candidatesAreThoseOfTheTransportHintedPortsFirst()
    {
        assertThat(registry.candidates(Transport.UDP, 53, 40000)).extracting(ProtocolDetector::name).startsWith("DNS").containsOnly("DNS", "RADIUS", "CLDAP");
        assertThat(registry.candidates(Transport.TCP, 6379, 40000).get(0).name()).isEqualTo("Redis");
        assertThat(registry.candidates(Transport.SCTP, 3868, 40000)).isEmpty();
        assertThat(registry.anyFor(Transport.ICMP)).isFalse();
    }

    @Test
    void aDissectionCanBeLimitedToSomeProtocolsByKubesharksNames()
    {
        assertThat(ProtocolRegistry.selectable()).containsExactly("http", "ws", "dns", "tls", "redis", "kafka", "amqp", "ldap", "radius", "diameter");
        assertThat(registry.only(List.of()).detectors()).isEqualTo(registry.detectors());
        // http is HTTP/1.x and HTTP/2 (gRPC and GraphQL ride on them); DNS over UDP and TCP.
        assertThat(registry.only(List.of("http", "DNS")).detectors()).extracting(ProtocolDetector::name).containsExactly("HTTP", "HTTP/2", "DNS", "DNS");
        assertThat(registry.only(List.of("tlsx")).detectors()).extracting(ProtocolDetector::name).containsExactly("TLS");
        ProtocolRegistry httpOnly = registry.only(List.of("http"));
        assertThat(httpOnly.forUpgrade("h2c")).isPresent();
        assertThat(httpOnly.forUpgrade("websocket")).isEmpty();
        assertThat(httpOnly.anyFor(Transport.UDP)).isFalse();
        assertThatThrownBy(() -> registry.only(List.of("http", "smtp"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no protocol 'smtp'").hasMessageContaining("http, ws, dns");
        assertThatThrownBy(() -> registry.only(List.of("udp"))).hasMessageContaining("udp flows are always tracked");
    }
}
