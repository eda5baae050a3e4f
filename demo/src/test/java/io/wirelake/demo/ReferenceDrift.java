package io.wirelake.demo;

import io.wirelake.demo.DriftScenario.Day;
import io.wirelake.demo.DriftTruth.DayTruth;
import io.wirelake.demo.DriftTruth.EdgeTruth;
import io.wirelake.demo.DriftTruth.EndpointTruth;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drift checks done on the truth's own statistics, with thresholds a drift report would
 * sensibly use: the generator's promise is that these find the planted changes and nothing else,
 * with room to spare on both sides ({@link #assertSeparated}).
 */
final class ReferenceDrift
{
    /** Rate checks need this many calls on both days. */
    static final int MINIMUM_CALLS = 30;
    static final int TOP_EDGES = 10;

    private ReferenceDrift() {}

    /** The truth's findings as "check subject". */
    static Set<String> planted(DriftTruth truth)
    {
        return truth.findings().stream().map(finding -> finding.check() + " " + finding.subject()).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> findings(DriftTruth truth)
    {
        DayTruth baseline = truth.day(Day.BASELINE);
        DayTruth current = truth.day(Day.INCIDENT);
        Set<String> findings = new TreeSet<>();
        appeared(findings, "new_endpoint", "removed_endpoint", subjects(baseline.endpoints(), EndpointTruth::subject),
                subjects(current.endpoints(), EndpointTruth::subject));
        appeared(findings, "new_edge", "removed_edge", subjects(baseline.edges(), EdgeTruth::subject), subjects(current.edges(), EdgeTruth::subject));
        appeared(findings, "new_external_destination", null, subjects(baseline.externalDestinations(), DriftTruth.ExternalDestinationTruth::name),
                subjects(current.externalDestinations(), DriftTruth.ExternalDestinationTruth::name));
        appeared(findings, "new_listener", null, subjects(baseline.listeners(), DriftTruth.ListenerTruth::subject),
                subjects(current.listeners(), DriftTruth.ListenerTruth::subject));
        for (EndpointTruth before : baseline.endpoints()) {
            EndpointTruth after = current.endpoint(before.subject()).orElse(null);
            if (after == null || Math.min(before.requests(), after.requests()) < MINIMUM_CALLS) {
                continue;
            }
            if ((after.p95Ms() >= 1.5 * before.p95Ms() && after.p95Ms() - before.p95Ms() >= 50)
                    || (after.p99Ms() >= 1.5 * before.p99Ms() && after.p99Ms() - before.p99Ms() >= 50)) {
                findings.add("latency_regression " + before.subject());
            }
            if (rateRise(before.errors(), before.requests(), after.errors(), after.requests())
                    || rateRise(before.authFailures(), before.requests(), after.authFailures(), after.requests())) {
                findings.add("error_rate_increase " + before.subject());
            }
        }
        List<EdgeTruth> top = baseline.edges().stream().sorted(Comparator.comparingLong(EdgeTruth::bytes).reversed()).limit(TOP_EDGES).toList();
        for (EdgeTruth before : baseline.edges()) {
            EdgeTruth after = current.edge(before.subject()).orElse(null);
            if (after == null) {
                continue;
            }
            double ratio = (double) after.bytes() / before.bytes();
            if (top.contains(before) && (ratio > 2 || ratio < 0.5)) {
                findings.add("volume_shift " + before.subject());
            }
            if (before.handshakeRttP95Micros() > 0 && after.handshakeRttP95Micros() > 2 * before.handshakeRttP95Micros()) {
                findings.add("rtt_regression " + before.subject());
            }
            if (before.tlsConnections() > 0 && before.plaintextConnections() == 0 && after.plaintextConnections() > 0) {
                findings.add("plaintext_appeared " + before.subject());
            }
        }
        for (DriftTruth.TlsServerTruth before : baseline.tlsServers()) {
            current.tlsServers().stream().filter(server -> server.subject().equals(before.subject())).findFirst().ifPresent(after -> {
                boolean olderVersion = lowest(after.versions()) < lowest(before.versions());
                boolean otherCipher = !before.ciphers().keySet().containsAll(after.ciphers().keySet());
                if (olderVersion || otherCipher) {
                    findings.add("tls_downgrade " + before.subject());
                }
            });
        }
        return findings;
    }

    /** The margins: what is planted is far past the thresholds above, what is not stays far below them. */
    static void assertSeparated(DriftTruth truth)
    {
        DayTruth baseline = truth.day(Day.BASELINE);
        DayTruth current = truth.day(Day.INCIDENT);
        Set<String> planted = planted(truth);
        for (EndpointTruth before : baseline.endpoints()) {
            EndpointTruth after = current.endpoint(before.subject()).orElse(null);
            if (after == null) {
                continue;
            }
            if (planted.contains("latency_regression " + before.subject())) {
                assertThat(after.p95Ms()).as("planted p95 of %s", before.subject()).isGreaterThanOrEqualTo(3 * before.p95Ms())
                        .isGreaterThanOrEqualTo(before.p95Ms() + 200);
            }
            else if (Math.min(before.requests(), after.requests()) >= MINIMUM_CALLS) {
                // Far from a regression: not both 1.35 times and 10 ms slower at the p95, nor 30 ms slower at the p99.
                assertThat(after.p95Ms() < 1.35 * before.p95Ms() || after.p95Ms() - before.p95Ms() < 10).as("p95 of %s: %s then %s", before.subject(),
                        before.p95Ms(), after.p95Ms()).isTrue();
                assertThat(after.p99Ms() - before.p99Ms()).as("p99 of %s", before.subject()).isLessThan(30.0);
            }
            double errorRise = rate(after.errors(), after.requests()) - rate(before.errors(), before.requests());
            double authRise = rate(after.authFailures(), after.requests()) - rate(before.authFailures(), before.requests());
            if (planted.contains("error_rate_increase " + before.subject())) {
                double rise = Math.max(errorRise, authRise);
                assertThat(rise).as("planted error rate rise of %s", before.subject()).isGreaterThan(0.15);
                assertThat(Math.max(z(before.errors(), before.requests(), after.errors(), after.requests()),
                        z(before.authFailures(), before.requests(), after.authFailures(), after.requests()))).isGreaterThan(3.0);
            }
            else if (Math.min(before.requests(), after.requests()) >= MINIMUM_CALLS) {
                assertThat(errorRise).as("error rate rise of %s", before.subject()).isLessThan(0.04);
                assertThat(authRise).as("auth failure rise of %s", before.subject()).isLessThan(0.04);
                assertThat(z(before.errors(), before.requests(), after.errors(), after.requests())).as("errors of %s", before.subject()).isLessThan(2.0);
            }
        }
        List<EdgeTruth> top = baseline.edges().stream().sorted(Comparator.comparingLong(EdgeTruth::bytes).reversed()).limit(TOP_EDGES).toList();
        for (EdgeTruth before : baseline.edges()) {
            EdgeTruth after = current.edge(before.subject()).orElse(null);
            if (after == null) {
                continue;
            }
            double ratio = (double) after.bytes() / before.bytes();
            if (planted.contains("volume_shift " + before.subject())) {
                assertThat(ratio).as("planted volume of %s", before.subject()).isGreaterThan(2.5);
                assertThat(top.indexOf(before)).as("rank of %s by bytes", before.subject()).isBetween(0, 4);
            }
            else if (top.contains(before)) {
                assertThat(ratio).as("volume of %s", before.subject()).isBetween(1 / 1.5, 1.5);
            }
            double roundTrip = before.handshakeRttP95Micros() == 0 ? 1 : (double) after.handshakeRttP95Micros() / before.handshakeRttP95Micros();
            if (planted.contains("rtt_regression " + before.subject())) {
                assertThat(roundTrip).as("planted handshake p95 of %s", before.subject()).isGreaterThan(3.0);
            }
            else {
                assertThat(roundTrip).as("handshake p95 of %s", before.subject()).isBetween(1 / 1.25, 1.25);
            }
        }
    }

    private static boolean rateRise(long beforeCount, long beforeCalls, long afterCount, long afterCalls)
    {
        return rate(afterCount, afterCalls) - rate(beforeCount, beforeCalls) >= 0.05 && z(beforeCount, beforeCalls, afterCount, afterCalls) >= 2.58;
    }

    private static double rate(long count, long calls)
    {
        return (double) count / calls;
    }

    /** The two-proportion z statistic of a rise (pooled variance). */
    static double z(long beforeCount, long beforeCalls, long afterCount, long afterCalls)
    {
        double pooled = (double) (beforeCount + afterCount) / (beforeCalls + afterCalls);
        if (pooled == 0 || pooled == 1) {
            return 0;
        }
        return (rate(afterCount, afterCalls) - rate(beforeCount, beforeCalls)) / Math.sqrt(pooled * (1 - pooled) * (1.0 / beforeCalls + 1.0 / afterCalls));
    }

    private static int lowest(Map<String, Long> versions)
    {
        return versions.keySet().stream().mapToInt(version -> switch (version) {
            case "TLSv1.3" -> 4;
            case "TLSv1.2" -> 3;
            case "TLSv1.1" -> 2;
            case "TLSv1.0" -> 1;
            default -> 0;
        }).min().orElse(0);
    }

    private static <T> Set<String> subjects(List<T> items, Function<T, String> subject)
    {
        return items.stream().map(subject).collect(Collectors.toCollection(TreeSet::new));
    }

    private static void appeared(Set<String> findings, String newCheck, String removedCheck, Set<String> before, Set<String> after)
    {
        after.stream().filter(subject -> !before.contains(subject)).forEach(subject -> findings.add(newCheck + " " + subject));
        if (removedCheck != null) {
            before.stream().filter(subject -> !after.contains(subject)).forEach(subject -> findings.add(removedCheck + " " + subject));
        }
    }
}
