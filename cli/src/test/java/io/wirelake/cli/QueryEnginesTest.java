package io.wirelake.cli;

import io.wirelake.catalog.LocalTrino;
import io.wirelake.catalog.TrinoTables;
import io.wirelake.columns.Column;
import io.wirelake.columns.Columns;
import io.wirelake.demo.GeneratorOptions;
import io.wirelake.kfl.CompiledFilter;
import io.wirelake.kfl.KflCompiler;
import io.wirelake.kfl.KflEvaluator;
import io.wirelake.packets.testing.Corpus;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On real dissected captures (the demo traffic and corpus captures, through the Flink job), Trino
 * and CEL's evaluator select the same rows for the seed documents' filters and more.
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
        GenerateCommand.run(GeneratorOptions.defaults(2_000_000).withRates(0.1, 0.05, 0.05), captures, quiet(), quiet());
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
        try (Connection connection = trino.connect(); Statement statement = connection.createStatement()) {
            for (String ddl : TrinoTables.createForDirectory(tables)) {
                statement.execute(ddl);
            }
            String schema = TrinoTables.schemaForDirectory(tables);
            for (String kfl : filters) {
                CompiledFilter filter = compiler.compile(kfl, now);
                List<Long> trinoIds = new ArrayList<>();
                try (ResultSet results = statement.executeQuery("SELECT id FROM " + TrinoTables.qualified(schema, filter.table()) + " WHERE "
                        + filter.predicate() + " ORDER BY id")) {
                    while (results.next()) {
                        trinoIds.add(results.getLong(1));
                    }
                }
                KflEvaluator evaluator = new KflEvaluator(filter);
                List<Long> celIds = new ArrayList<>();
                for (GenericRecord record : TableReader.read(tables.resolve(filter.table().sqlName()))) {
                    Map<String, Object> values = new LinkedHashMap<>();
                    for (Column column : Columns.of(filter.table())) {
                        values.put(column.sqlName(), QueryCommand.plain(record.get(column.sqlName())));
                    }
                    if (evaluator.matches(values)) {
                        celIds.add((Long) record.get("id"));
                    }
                }
                celIds.sort(Long::compare);
                assertThat(trinoIds).as(kfl).isEqualTo(celIds);
                nonEmpty += trinoIds.isEmpty() ? 0 : 1;
            }
        }
        assertThat(nonEmpty).as("filters that select rows").isGreaterThanOrEqualTo(filters.size() - 2);
    }

    private static PrintStream quiet()
    {
        return new PrintStream(new ByteArrayOutputStream());
    }
}
