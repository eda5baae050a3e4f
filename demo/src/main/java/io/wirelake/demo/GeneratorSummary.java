package io.wirelake.demo;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the generator made: the ground truth a dissection of its output must reproduce.
 *
 * @param statusCounts HTTP responses by status code
 * @param methodCounts HTTP requests by method
 * @param otherCalls rows of the other protocols by protocol name (Redis commands, gRPC calls,
 *        GraphQL requests, WebSocket messages), with details under longer keys ("gRPC failed", ...)
 */
public record GeneratorSummary(List<Path> captures, long packets, long bytes, long tcpConnections, long httpRequests, Map<Integer, Long> statusCounts,
        Map<String, Long> methodCounts, long slowResponses, long dnsQueries, long dnsNxdomain, long gzipResponses, long chunkedResponses,
        Map<String, Long> otherCalls)
{
    public GeneratorSummary
    {
        captures = List.copyOf(captures);
        statusCounts = new TreeMap<>(statusCounts);
        methodCounts = new TreeMap<>(methodCounts);
        otherCalls = new TreeMap<>(otherCalls);
    }
}
