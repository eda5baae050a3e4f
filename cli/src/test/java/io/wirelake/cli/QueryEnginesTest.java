package io.wirelake.cli;

import io.wirelake.catalog.LocalTrino;
import io.wirelake.query.ParquetRows;
import io.wirelake.query.QueryService;
import io.wirelake.query.Selection;
import io.wirelake.query.TableSource;
import io.wirelake.query.TrinoAccess;
import io.wirelake.demo.GeneratorOptions;
import io.wirelake.kfl.CompiledFilter;
import io.wirelake.kfl.KflCompiler;
import io.wirelake.kfl.KflEvaluator;
import io.wirelake.packets.testing.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On real dissected captures (the demo traffic and corpus captures, through the Flink job), Trino
 * and CEL's evaluator select the same rows for filters of the kinds the seed documents show, in
 * process. Every filter of the seed documents themselves runs through the packaged command on
 * both engines in the distribution's QueryEnginesTest.
 */
class QueryEnginesTest
{
    static Path tables;
    static LocalTrino trino;

    @BeforeAll
    static void dissectAndStart()
            throws Exception
    {
        Path work = Path.of("target", "query-engines").toAbsolutePath();
        io.wirelake.catalog.Directories.deleteTree(work);
        Path captures = work.resolve("captures");
        DemoTraffic.generate(GeneratorOptions.defaults(2_000_000).withRates(0.1, 0.05, 0.05), captures, quiet(), quiet());
        for (String name : List.of("zeek/http/pipelined-requests.pcap", "arkime/v6-http.pcap", "arkime/dns-tcp.pcap", "zeek/ipv6-fragmented-dns.pcap")) {
            Files.copy(Corpus.capture(name).path(), captures.resolve(name.replace('/', '_')));
        }
        tables = work.resolve("tables");
        DissectCommand.run(List.of(captures), tables, 2, "node-a", 64 * 1024, "unspecified", true, quiet(), quiet());
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        trino = new LocalTrino(Path.of("target", "trino-home"), port, Optional.empty());
        trino.start();
    }

    @AfterAll
    static void stop()
            throws Exception
    {
        if (trino != null) {
            trino.stop();
        }
    }

    @Test
    void trinoAndCelSelectTheSameRows()
            throws Exception
    {
        List<String> filters = new ArrayList<>(List.of(
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
                "timestamp > timestamp(\"2026-03-14T22:00:10Z\") && http"));
        KflCompiler compiler = new KflCompiler();
        Instant now = Instant.parse("2026-03-14T23:00:00Z");
        int nonEmpty = 0;
        // Both engines of the query service against CEL's runtime over every row of the files.
        QueryService service = new QueryService(new TrinoAccess.Local(trino, notice -> {}));
        TableSource source = TableSource.directory(tables);
        for (String kfl : filters) {
            CompiledFilter filter = compiler.compile(kfl, now);
            KflEvaluator evaluator = new KflEvaluator(filter);
            List<Long> celIds = new ArrayList<>();
            for (Map<String, Object> row : ParquetRows.readAll(tables.resolve(filter.table().sqlName()))) {
                if (evaluator.matches(row)) {
                    celIds.add((Long) row.get("id"));
                }
            }
            celIds.sort(Long::compare);
            for (QueryService.Engine engine : QueryService.Engine.values()) {
                List<Long> ids = new ArrayList<>();
                service.select(new Selection(source, filter, List.of("id"), Selection.MAXIMUM_LIMIT), engine, values -> ids.add((Long) values.get(0)));
                ids.sort(Long::compare);
                assertThat(ids).as(engine + ": " + kfl).isEqualTo(celIds);
            }
            nonEmpty += celIds.isEmpty() ? 0 : 1;
        }
        assertThat(nonEmpty).as("filters that select rows").isGreaterThanOrEqualTo(filters.size() - 2);
    }

    private static PrintStream quiet()
    {
        return new PrintStream(new ByteArrayOutputStream());
    }
}
