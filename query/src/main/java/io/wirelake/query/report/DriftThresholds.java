package io.wirelake.query.report;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * What counts as drift. Changes of a rate, a latency or a volume flag only with enough traffic
 * on both sides; things that appear or disappear are reported at any volume, one severity higher
 * with volume behind them.
 *
 * @param minimumRequests calls of an endpoint on each side before its latency or error rate is compared,
 *        and the volume at which an appearing or disappearing endpoint, edge or listener becomes a warning
 * @param minimumTailCalls calls beyond a percentile on each side before that percentile is compared, so one slow call
 *        cannot move it: with 5, p95 compares from 100 calls on, p99 from 500
 * @param latencyRatio p95 (or p99) of the current window over the baseline's that flags a regression
 * @param latencyFloorMillis and by at least this much
 * @param errorRateIncrease an error rate up by at least this fraction (0.02 = two percentage points)
 * @param errorZ and significant: a two-proportion z statistic at least this large
 * @param minimumFlows flows of an edge on each side before its volume or handshake RTT is compared
 * @param volumeRatio bytes per minute of an edge changed by at least this factor, either way
 * @param volumeTopEdges among the edges this many busiest by bytes on either side
 * @param rttRatio handshake RTT p95 of an edge up by at least this factor
 * @param rttFloorMicros and by at least this much
 * @param clusterCidrs address ranges of the cluster: a server outside them, without Kubernetes names, is an external destination
 */
public record DriftThresholds(long minimumRequests, long minimumTailCalls, double latencyRatio, double latencyFloorMillis, double errorRateIncrease, double errorZ,
                              long minimumFlows, double volumeRatio, int volumeTopEdges, double rttRatio, double rttFloorMicros,
                              List<String> clusterCidrs)
{
    /** The private and special-use ranges: pods, services and nodes live there in nearly every cluster. */
    public static final List<String> DEFAULT_CLUSTER_CIDRS = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8",
            "169.254.0.0/16", "fc00::/7", "fe80::/10", "::1/128");

    public DriftThresholds
    {
        clusterCidrs = List.copyOf(requireNonNull(clusterCidrs, "clusterCidrs is null"));
        for (String cidr : clusterCidrs) {
            if (!cidr.matches("[0-9a-fA-F:.]+/[0-9]{1,3}")) {
                throw new IllegalArgumentException("not an address range: " + cidr + " (write it as 10.0.0.0/8 or fd00::/8)");
            }
        }
        if (latencyRatio <= 1 || volumeRatio <= 1 || rttRatio <= 1) {
            throw new IllegalArgumentException("the ratios must be above 1");
        }
    }

    public static DriftThresholds defaults()
    {
        return new DriftThresholds(50, 5, 1.5, 50, 0.02, 3.0, 20, 2.0, 10, 2.0, 500, DEFAULT_CLUSTER_CIDRS);
    }
}
