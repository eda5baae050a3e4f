package io.wirelake.cli;

import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.demo.GeneratorOptions;
import io.wirelake.demo.GeneratorSummary;
import java.io.PrintStream;
import java.nio.file.Path;

/** Demo traffic generated with progress on the terminal and a summary of what it holds. */
final class DemoTraffic
{
    private DemoTraffic() {}

    static GeneratorSummary generate(GeneratorOptions options, Path output, PrintStream out, PrintStream err)
            throws Exception
    {
        Terminal terminal = new Terminal(err);
        GeneratorSummary summary;
        try {
            summary = DemoTrafficGenerator.generate(options, output, bytes -> terminal.progress("generating", bytes, options.targetBytes()));
        }
        finally {
            terminal.done();
        }
        out.printf("wirelake generate: %s in %d captures under %s%n", Sizes.format(summary.bytes()), summary.captures().size(), output);
        out.printf("  %s packets, %s TCP connections, %s HTTP requests %s, %s DNS lookups (%s NXDOMAIN), %s slow responses%n",
                Sizes.count(summary.packets()), Sizes.count(summary.tcpConnections()), Sizes.count(summary.httpRequests()), summary.statusCounts(),
                Sizes.count(summary.dnsQueries()), Sizes.count(summary.dnsNxdomain()), Sizes.count(summary.slowResponses()));
        out.printf("  %s Redis commands, %s gRPC calls (%s failed), %s GraphQL requests, %s WebSocket messages on %s upgraded connections%n",
                Sizes.count(summary.otherCalls().getOrDefault("Redis", 0L)), Sizes.count(summary.otherCalls().getOrDefault("gRPC", 0L)),
                Sizes.count(summary.otherCalls().getOrDefault("gRPC failed", 0L)), Sizes.count(summary.otherCalls().getOrDefault("GraphQL", 0L)),
                Sizes.count(summary.otherCalls().getOrDefault("WebSocket", 0L)), Sizes.count(summary.otherCalls().getOrDefault("WebSocket upgrades", 0L)));
        out.printf("  %s Kafka requests, %s AMQP methods, %s LDAP operations, %s RADIUS authentications (%s rejected)%n",
                Sizes.count(summary.otherCalls().getOrDefault("Kafka", 0L)), Sizes.count(summary.otherCalls().getOrDefault("AMQP", 0L)),
                Sizes.count(summary.otherCalls().getOrDefault("LDAP", 0L)), Sizes.count(summary.otherCalls().getOrDefault("RADIUS", 0L)),
                Sizes.count(summary.otherCalls().getOrDefault("RADIUS rejected", 0L)));
        return summary;
    }
}
