package io.wirelake.dist;

import io.wirelake.kfl.CompiledFilter;
import io.wirelake.kfl.KflCompiler;
import io.wirelake.packets.testing.Corpus;
import io.wirelake.query.LakeSession;
import io.wirelake.query.QueryService;
import io.wirelake.query.Selection;
import io.wirelake.query.TableSource;
import io.wirelake.query.TrinoAccess;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On real captures dissected by {@code bin/wirelake dissect} into a directory of tables (the demo
 * traffic with more errors, slow responses and failed lookups than by default, and corpus captures
 * with pipelined HTTP, HTTP over IPv6, DNS over TCP and fragmented IPv6 DNS), Trino and the local
 * engine select the same rows as CEL's own evaluator over every row of the files, for filters of
 * the kinds the seed documents show. The Trino is the one the distribution tests share, the
 * queries go through the query service the command runs, in this JVM (on Trino in one session). The seed documents' own
 * filters run on a snapshot in {@link QueryEnginesTest}.
 */
class DirectoryQueryEnginesTest
{
    private static Path tables;

    @BeforeAll
    static void dissect()
            throws Exception
    {
        Path directory = Distribution.emptyDirectory("directory-query-engines");
        Map<String, String> environment = Distribution.trino();
        Distribution.Run generated = Distribution.run(directory, environment, "generate", "--out", "captures", "--size", "2MB",
                "--error-rate", "0.1", "--slow-rate", "0.05", "--dns-failure-rate", "0.05");
        assertThat(generated.exit()).as(generated.both()).isZero();
        Path captures = directory.resolve("captures");
        for (String name : List.of("zeek/http/pipelined-requests.pcap", "arkime/v6-http.pcap", "arkime/dns-tcp.pcap", "zeek/ipv6-fragmented-dns.pcap")) {
            Files.copy(Corpus.capture(name).path(), captures.resolve(name.replace('/', '_')));
        }
        Distribution.Run dissected = Distribution.run(directory, environment, "dissect", "--out", "tables", "--node", "node-a", "captures");
        assertThat(dissected.exit()).as(dissected.both()).isZero();
        tables = directory.resolve("tables");
    }

    @Test
    void trinoAndTheLocalEngineSelectTheSameRowsAsCel()
            throws Exception
    {
        List<String> filters = List.of(
                "http && status_code >= 500",
                "http && elapsed_time > 1000000",
                "dns && dns_response && status_code != 0",
                "dns && \"AAAA\" in dns_question_types",
                "http && request.headers[\"user-agent\"].startsWith(\"curl\")",
                "http && map_get(request.headers, \"cookie\", \"\").contains(\"session=\")",
                "http && method == \"POST\" && path.matches(\"^/api/v[0-9]+/orders$\")",
                "http && dst.dns.endsWith(\".svc.cluster.local\") && response_body_size > 1000",
                "http && response.headers[\"content-encoding\"] == \"gzip\"",
                "conn && conn_state == \"closed\" && \"HTTP\" in conn_l7_detected",
                "flow && flow_remote_bytes > 10000",
                "tcp_conn && tcp_handshake_rtt > 100",
                "udp_flow && dst.port == 53",
                "ip_version == 6",
                "timestamp > timestamp(\"2026-03-14T22:00:10Z\") && http");
        KflCompiler compiler = new KflCompiler();
        Instant now = Instant.parse("2026-03-14T23:00:00Z");
        int nonEmpty = 0;
        List<String> differing = new ArrayList<>();
        QueryService service = new QueryService(new TrinoAccess.Local(Distribution.localTrino(), notice -> {}));
        TableSource source = TableSource.directory(tables);
        try (LakeSession session = service.open(source)) {
            for (String kfl : filters) {
                CompiledFilter filter = compiler.compile(kfl, now);
                List<Long> expected = CelOracle.matchingIds(kfl, filter.table(), tables.resolve(filter.table().sqlName()));
                for (QueryService.Engine engine : QueryService.Engine.values()) {
                    List<Long> ids = QueryEnginesTest.selectedIds(service, session, new Selection(source, filter, List.of("id"), Selection.MAXIMUM_LIMIT), engine);
                    if (!ids.equals(expected)) {
                        differing.add(engine + ": " + kfl + " selects " + ids.size() + " rows, CEL " + expected.size());
                    }
                }
                nonEmpty += expected.isEmpty() ? 0 : 1;
            }
        }
        assertThat(differing).as("filters whose rows differ from CEL's").isEmpty();
        assertThat(nonEmpty).as("filters that select rows").isGreaterThanOrEqualTo(filters.size() - 2);
    }
}
