package io.wirelake.dissect;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.packets.testing.Corpus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every corpus capture dissects without the scan failing, and every packet is accounted for. */
class CorpusSmokeTest
{
    static List<Corpus.Capture> captures()
    {
        return Corpus.captures();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void dissectsWithoutFailing(Corpus.Capture capture)
    {
        Dissection dissection = Dissection.of(capture.path());
        System.out.printf("%-70s packets=%d flows=%d calls=%s anomalies=%s%n", capture.name(), dissection.report().get("packets"),
                dissection.flows().size(), dissection.report().withPrefix("rows."), dissection.report().withPrefix("anomaly."));
        if (!capture.name().contains("tls_DER-incomplete-header")) {
            assertThat(dissection.report().get("packets")).isEqualTo(capture.packets());
            assertThat(dissection.report().damageMessages()).isEmpty();
        }
        else {
            assertThat(dissection.report().damageMessages()).hasSize(1);
        }
    }

    /**
     * No traffic is invisible: every flow has api_calls rows, from a dissector or as unclaimed
     * transport traffic, except TCP connections that carried no payload and were not reset.
     */
    @ParameterizedTest
    @MethodSource("captures")
    void everyFlowWithPayloadHasARow(Corpus.Capture capture)
    {
        Dissection dissection = Dissection.of(capture.path());
        java.util.Set<Object> withRows = new java.util.HashSet<>();
        dissection.calls().forEach(call -> withRows.add(call.get("conn_id")));
        for (org.apache.avro.generic.GenericData.Record flow : dissection.flows()) {
            String protocol = (String) flow.get("protocol");
            boolean silent = protocol.equals("TCP") && (Long) flow.get("flow_local_payload_bytes") + (Long) flow.get("flow_remote_payload_bytes") == 0
                    && (Long) flow.get("tcp_rst_count") == 0;
            if (!silent && !protocol.equals("IP")) {
                assertThat(withRows).as("%s: the %s flow %s:%s -> %s:%s has no row", capture, protocol, flow.get("src_ip"), flow.get("src_port"),
                        flow.get("dst_ip"), flow.get("dst_port")).contains(flow.get("conn_id"));
            }
        }
    }
}
