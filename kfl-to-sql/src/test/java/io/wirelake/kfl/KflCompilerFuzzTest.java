package io.wirelake.kfl;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The KFL compiler (Jazzer): any text compiles to SQL or is refused with a positioned
 * {@link KflException}, never another exception. The input is the filter's UTF-8 bytes (malformed
 * bytes become U+FFFD), so the saved inputs in {@code KflCompilerFuzzTestInputs/filters/} are
 * plain filters, one a file.
 */
class KflCompilerFuzzTest
{
    private static final KflCompiler COMPILER = new KflCompiler();
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @FuzzTest(maxDuration = "10s")
    void filters(byte[] input)
    {
        String kfl = new String(input, StandardCharsets.UTF_8);
        CompiledFilter filter;
        try {
            filter = COMPILER.compile(kfl, NOW);
        }
        catch (KflException e) {
            // refused: the error must say where, for the user to fix the filter
            assertThat(e.getMessage()).as("message of a refused filter").isNotBlank();
            assertThat(e.line()).as("line of: %s", e.getMessage()).isPositive();
            assertThat(e.column()).as("column of: %s", e.getMessage()).isPositive();
            return;
        }
        assertThat(filter.predicate()).as("SQL predicate of %s", kfl).isNotBlank();
    }
}
