package io.wirelake.query.report;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JavaScript the HTML reports embed is exactly the npm package pinned in tools/web's
 * package-lock.json (its SHA-512 integrity checked by {@code npm ci}), not a hand-edited copy.
 */
class VendoredScriptTest
{
    @Test
    void cytoscapeIsThePinnedPackage()
            throws Exception
    {
        Path root = Path.of(System.getProperty("wirelake.root.dir", ".."));
        Path installed = root.resolve("tools/web/node_modules/cytoscape/dist/cytoscape.min.js");
        assertThat(installed).as("run 'npm ci' in tools/web (.ci/run does) to compare the vendored script with the pinned package").exists();
        byte[] vendored;
        try (InputStream input = Html.class.getResourceAsStream("vendor/cytoscape.min.js")) {
            assertThat(input).as("vendored script in the build").isNotNull();
            vendored = input.readAllBytes();
        }
        assertThat(vendored).isEqualTo(Files.readAllBytes(installed));
        assertThat(Files.readString(root.resolve("tools/web/package-lock.json"))).contains("\"node_modules/cytoscape\"").contains("\"version\": \"3.33.1\"");
    }
}
