package io.wirelake.catalog.evidence;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The canonical form against RFC 8785's own examples, and hostile input to the bundle reader. */
class CanonicalJsonTest
{
    @TempDir
    Path temporary;

    @Test
    void sortsByUtf16CodeUnitsAndEscapesOnlyWhatJsonRequires()
            throws Exception
    {
        // RFC 8785 section 3.2.3: property sorting by UTF-16 code units.
        String input = "{\"\\u20ac\":\"Euro Sign\",\"\\r\":\"Carriage Return\",\"\\ufb33\":\"Hebrew Letter Dalet With Dagesh\",\"1\":\"One\","
                + "\"\\ud83d\\ude00\":\"Emoji: Grinning Face\",\"\\u0080\":\"Control\",\"\\u00f6\":\"Latin Small Letter O With Diaeresis\"}";
        String canonical = new String(CanonicalJson.of(new ObjectMapper().readTree(input)), StandardCharsets.UTF_8);
        assertThat(canonical).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
                + "\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
        // Section 3.2.2.2: control characters, quotes, backslashes; '/' and non-ASCII as they are.
        assertThat(new String(CanonicalJson.of(new ObjectMapper().readTree("{\"s\":\"\\u0001\\b\\t\\n\\f\\r\\\"\\\\/\\u00e9\\u001f\"}")), StandardCharsets.UTF_8))
                .isEqualTo("{\"s\":\"\\u0001\\b\\t\\n\\f\\r\\\"\\\\/\u00e9\\u001f\"}");
        assertThat(new String(CanonicalJson.of(new ObjectMapper().readTree("[ 1 , -9007199254740993 , true , null , { } ]")), StandardCharsets.UTF_8))
                .isEqualTo("[1,-9007199254740993,true,null,{}]");
        assertThatThrownBy(() -> CanonicalJson.of(new ObjectMapper().readTree("{\"x\":1.5}"))).hasMessageContaining("integers only");
        assertThatThrownBy(() -> CanonicalJson.of(new ObjectMapper().readTree("\"\\ud800\""))).hasMessageContaining("lone UTF-16 surrogate");
    }

    @Test
    void aHostileBundleIsAFailureNamedNotACrash()
            throws Exception
    {
        BundleVerifier.Options options = new BundleVerifier.Options(Optional.empty(), List.of());
        Path garbage = Files.write(temporary.resolve("garbage.tar"), new byte[] {1, 2, 3});
        assertThat(BundleVerifier.verify(garbage, options).failures()).singleElement().asString().contains("not a readable evidence bundle");

        // A name that climbs out of the directory.
        Path climbing = temporary.resolve("climbing.tar");
        try (var output = Files.newOutputStream(climbing)) {
            Tar.Writer writer = new Tar.Writer(output, java.time.Instant.now());
            writer.add("evidence-x/../../etc/passwd", new byte[] {1});
            writer.finish();
        }
        assertThat(BundleVerifier.verify(climbing, options).failures()).singleElement().asString().contains("is not a plain relative path");

        // Cut off in the middle of an entry.
        Path whole = temporary.resolve("whole.tar");
        try (var output = Files.newOutputStream(whole)) {
            Tar.Writer writer = new Tar.Writer(output, java.time.Instant.now());
            writer.add("evidence-x/manifest.json", new byte[2000]);
            writer.finish();
        }
        byte[] bytes = Files.readAllBytes(whole);
        Path cut = Files.write(temporary.resolve("cut.tar"), java.util.Arrays.copyOf(bytes, 1200));
        assertThat(BundleVerifier.verify(cut, options).failures()).singleElement().asString().contains("ends");

        // A header whose checksum does not add up.
        bytes[10] ^= 1;
        Path corrupt = Files.write(temporary.resolve("corrupt.tar"), bytes);
        assertThat(BundleVerifier.verify(corrupt, options).failures()).singleElement().asString().contains("header checksum");

        // A well-formed archive with no manifest.
        Path empty = temporary.resolve("empty.tar");
        try (var output = Files.newOutputStream(empty)) {
            Tar.Writer writer = new Tar.Writer(output, java.time.Instant.now());
            writer.add("evidence-x/README.txt", "hello".getBytes(StandardCharsets.UTF_8));
            writer.finish();
        }
        assertThat(BundleVerifier.verify(empty, options).failures()).singleElement().asString().contains("manifest.json is missing");
    }
}
