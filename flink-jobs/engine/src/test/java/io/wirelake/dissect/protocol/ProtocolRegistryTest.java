package io.wirelake.dissect.protocol;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

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
}
