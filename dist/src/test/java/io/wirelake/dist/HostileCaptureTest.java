package io.wirelake.dist;

import io.wirelake.demo.HostileTraffic;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The generated hostile capture (length-field bombs on 900 connections for every framed protocol,
 * a SYN flood of 2 M 5-tuples, HPACK amplification, fragment floods, segments held ahead of holes,
 * decompression bombs) dissected by the installed {@code bin/wirelake dissect} in a JVM of
 * 512 MiB: it succeeds, no dissector fails, and the report counts what the budgets dropped, as
 * the generator's ground truth says it must. The 10-minute limit of {@link Distribution#run} is
 * only a guard against a hang, not a measure of speed.
 */
class HostileCaptureTest
{
    @Test
    void dissectsWithinHalfAGigabyteAndCountsWhatItDropped()
            throws Exception
    {
        Path work = Distribution.emptyDirectory("hostile-capture");
        HostileTraffic.Truth truth = HostileTraffic.write(work.resolve("hostile.pcap"), HostileTraffic.Options.full());

        // The launcher's default options, with half a gigabyte of heap.
        Map<String, String> smallHeap = Map.of("WIRELAKE_EXTRA_JAVA_OPTS", Distribution.baseEnvironment(work).get("WIRELAKE_EXTRA_JAVA_OPTS") + " -Xmx512m");
        Distribution.Run run = Distribution.run(work, smallHeap, "dissect", "hostile.pcap", "--out", "tables");
        assertThat(run.exit()).as(run.both()).isZero();
        assertThat(run.out()).as(run.both()).doesNotContain("defects").doesNotContain("damaged");
        // every flood SYN but what the flow budget holds is evicted as half-open; nothing that carried bytes is
        Matcher halfOpen = Pattern.compile("flows ended early to stay within the flow budget: half_open ([0-9,]+)").matcher(run.out());
        assertThat(halfOpen.find()).as(run.both()).isTrue();
        long evicted = Long.parseLong(halfOpen.group(1).replace(",", ""));
        assertThat(evicted).isGreaterThan(truth.synFloodFlows() / 2).isLessThanOrEqualTo(truth.synFloodFlows());
        String budgets = run.out().lines().filter(line -> line.contains("flows ended early")).findFirst().orElseThrow();
        assertThat(budgets).doesNotContain("idle");
        // the fragment flood: datagrams beyond the reassembler's room given up and counted
        Matcher fragments = Pattern.compile("datagrams given up: evicted ([0-9,]+)").matcher(run.out());
        assertThat(fragments.find()).as(run.both()).isTrue();
        assertThat(Long.parseLong(fragments.group(1).replace(",", ""))).isGreaterThan(truth.fragmentDatagrams() / 2);
        // each decompression bomb stopped at the decoder's limit
        assertThat(run.out()).contains("http.decoded_body_too_large " + truth.decompressionBombs());
        assertThat(run.out()).contains("http2.hpack_error");
        assertThat(Files.list(work.resolve("tables/flows")).anyMatch(file -> file.toString().endsWith(".parquet"))).isTrue();
    }
}
