package io.wirelake.kfl;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every filter in the seed documents compiles; the SQL each produces is recorded in
 * src/test/resources/seed-filters.baseline (regenerate with -Dkfl.baseline.update=true and review
 * the diff).
 */
class SeedFiltersTest
{
    static final Instant NOW = Instant.parse("2026-03-14T23:00:00Z");
    private static final Path BASELINE = Path.of("src/test/resources/seed-filters.baseline");

    @Test
    void everySeedFilterCompilesToTheRecordedSql()
            throws IOException, KflException
    {
        List<String> filters = SeedFilters.filters();
        assertThat(filters).hasSizeGreaterThan(60).contains("dns && dns_response && status_code != 0",
                "src.service.namespace != dst.service.namespace", "timestamp > now() - duration(\"5m\")");
        KflCompiler compiler = new KflCompiler();
        List<String> baseline = new ArrayList<>();
        for (String filter : filters) {
            CompiledFilter compiled = compiler.compile(filter, NOW);
            baseline.add("KFL   " + filter);
            baseline.add("TABLE " + compiled.table().sqlName());
            baseline.add("SQL   " + compiled.predicate());
            baseline.add("");
        }
        for (String expression : SeedFilters.referenceExpressions()) {
            String filter = expression + " == \"\"";
            baseline.add("KFL   " + filter);
            baseline.add("SQL   " + compiler.compile(filter, NOW).predicate());
            baseline.add("");
        }
        String rendered = String.join("\n", baseline);
        if (Boolean.getBoolean("kfl.baseline.update")) {
            Files.writeString(BASELINE, rendered);
        }
        assertThat(rendered).as("the SQL of the seed filters changed: review and regenerate with -Dkfl.baseline.update=true")
                .isEqualTo(Files.readString(BASELINE));
    }

    @Test
    void routesFiltersToTheirTable()
            throws KflException
    {
        KflCompiler compiler = new KflCompiler();
        assertThat(compiler.compile("conn && conn_state == \"open\"", NOW).table().sqlName()).isEqualTo("flows");
        assertThat(compiler.compile("flow && flow_local_pps > 1000", NOW).table().sqlName()).isEqualTo("flows");
        assertThat(compiler.compile("http && status_code >= 500", NOW).table().sqlName()).isEqualTo("api_calls");
        assertThat(compiler.compile("src.ip == \"10.0.0.1\"", NOW).table().sqlName()).isEqualTo("api_calls");
    }
}
