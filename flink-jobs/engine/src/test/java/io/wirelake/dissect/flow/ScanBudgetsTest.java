package io.wirelake.dissect.flow;

import io.wirelake.demo.HostileTraffic;
import io.wirelake.dissect.enrich.Enrichment;
import io.wirelake.dissect.protocol.ProtocolRegistry;
import io.wirelake.dissect.testing.Dissection;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scan's budgets against a small hostile capture (the generator's ground truth says what it
 * holds): a SYN flood is evicted half-open flow by half-open flow while the connections that did
 * something stay, segments held ahead of holes let go at the held-bytes budget, fragment floods
 * and decompression bombs are counted, and no dissector fails.
 */
class ScanBudgetsTest
{
    private static final long MAX_FLOWS = 2_000;

    @TempDir
    static Path directory;
    static HostileTraffic.Truth truth;
    static Dissection dissection;

    @BeforeAll
    static void dissect()
            throws Exception
    {
        Path capture = directory.resolve("hostile.pcap");
        truth = HostileTraffic.write(capture, new HostileTraffic.Options(50_000, 20, 5_000));
        FlowTracker.Settings settings = FlowTracker.Settings.defaults("test-node", 0).withLimits(new ScanLimits(MAX_FLOWS, 8L << 20, 1));
        dissection = Dissection.of(ProtocolRegistry.standard(), settings, Enrichment.none(), capture);
    }

    @Test
    void theSynFloodIsEvictedBeforeTheConnectionsThatCarriedBytes()
    {
        long halfOpen = dissection.report().get("flows.evicted.half_open");
        // every SYN-flood flow but those the table holds at the end; no flow that carried bytes was evicted for them
        assertThat(halfOpen).isGreaterThanOrEqualTo(truth.synFloodFlows() - MAX_FLOWS).isLessThanOrEqualTo(truth.synFloodFlows());
        assertThat(dissection.report().get("flows.evicted.idle")).isZero();
        // no traffic is invisible: each evicted flow still has its flows row, named as evicted
        List<GenericData.Record> evicted = dissection.flows().stream()
                .filter(flow -> ((List<?>) flow.get("anomalies")).stream().anyMatch(anomaly -> anomaly.toString().equals("flow.evicted")))
                .toList();
        assertThat((long) evicted.size()).isEqualTo(halfOpen);
        assertThat(dissection.flows()).hasSizeGreaterThan((int) truth.synFloodFlows());
    }

    @Test
    void segmentsHeldAheadOfHolesLetGoAtTheBudget()
    {
        assertThat(dissection.report().get("tcp.held_bytes_over_budget")).isPositive();
        assertThat(dissection.report().get("tcp.gaps")).isPositive();
    }

    @Test
    void floodsAndBombsAreCountedAndNoDissectorFails()
    {
        assertThat(dissection.report().get("dissector_errors")).isZero();
        assertThat(dissection.report().get("ip.fragments_dropped.evicted")).isPositive();
        assertThat(dissection.report().get("anomaly.http.decoded_body_too_large")).isEqualTo(truth.decompressionBombs());
        assertThat(dissection.report().get("anomaly.http2.hpack_error")).isPositive();
    }
}
