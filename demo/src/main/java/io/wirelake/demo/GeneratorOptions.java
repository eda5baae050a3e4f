package io.wirelake.demo;

import java.time.Instant;

import static java.util.Objects.requireNonNull;

/**
 * What to generate.
 *
 * @param targetBytes stop once the captures hold this many bytes
 * @param seed the same seed gives the same bytes
 * @param errorRate fraction of HTTP responses that are server errors (500, 502, 503)
 * @param slowRate fraction of HTTP responses delayed by about {@code slowMillis}
 * @param dnsFailureRate fraction of lookups for a name that does not exist (NXDOMAIN)
 * @param concurrency connections open at once
 * @param crossNodeCopies also write traffic between pods on two nodes into the other node's capture,
 *        as collectors on both nodes see it (a few tens of microseconds later there)
 */
public record GeneratorOptions(long targetBytes, long seed, double errorRate, double slowRate, long slowMillis, double dnsFailureRate,
        int concurrency, Instant start, boolean crossNodeCopies)
{
    public GeneratorOptions
    {
        requireNonNull(start, "start is null");
        if (targetBytes <= 0) {
            throw new IllegalArgumentException("size must be positive");
        }
        for (double rate : new double[] {errorRate, slowRate, dnsFailureRate}) {
            if (rate < 0 || rate > 1) {
                throw new IllegalArgumentException("rates are fractions between 0 and 1");
            }
        }
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1");
        }
    }

    public static GeneratorOptions defaults(long targetBytes)
    {
        return new GeneratorOptions(targetBytes, 42, 0.03, 0.02, 2500, 0.02, 64, Instant.parse("2026-03-14T22:00:00Z"), false);
    }

    public GeneratorOptions withSeed(long seed)
    {
        return new GeneratorOptions(targetBytes, seed, errorRate, slowRate, slowMillis, dnsFailureRate, concurrency, start, crossNodeCopies);
    }

    public GeneratorOptions withRates(double errorRate, double slowRate, double dnsFailureRate)
    {
        return new GeneratorOptions(targetBytes, seed, errorRate, slowRate, slowMillis, dnsFailureRate, concurrency, start, crossNodeCopies);
    }

    public GeneratorOptions withCrossNodeCopies(boolean crossNodeCopies)
    {
        return new GeneratorOptions(targetBytes, seed, errorRate, slowRate, slowMillis, dnsFailureRate, concurrency, start, crossNodeCopies);
    }
}
