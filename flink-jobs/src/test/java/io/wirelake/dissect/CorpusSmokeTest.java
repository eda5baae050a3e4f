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
}
