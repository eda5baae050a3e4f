package io.wirelake.cli;

import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.query.LakeTables;
import io.wirelake.store.S3ObjectStore;
import io.wirelake.store.S3Settings;
import io.wirelake.store.testing.SharedS3Proxy;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code wirelake catalog ddl} prints what an operator installs on an existing Trino, and the Helm
 * chart's {@code trino.catalogs.wirelake} is the same catalog: its properties, rendered for a
 * store as Helm would, are the ones the command prints.
 */
class CatalogDdlTest
{
    @Test
    void theChartsCatalogIsTheOneTheCommandPrints()
            throws Exception
    {
        S3Settings s3 = new S3Settings(Optional.of("https://minio.example:9000"), "eu-west-1", true);
        try (S3ObjectStore store = SharedS3Proxy.store("catalog-ddl")) {
            List<String> printed = LakeTables.catalogProperties(store, s3);
            List<String> chart = chartCatalog(store.location().replaceAll("/$", ""), s3);
            assertThat(chart).containsExactlyInAnyOrderElementsOf(printed);

            ByteArrayOutputStream text = new ByteArrayOutputStream();
            CatalogCommand.print(new PrintStream(text, true, StandardCharsets.UTF_8), store, "lake", s3, new Snapshots(store));
            String output = text.toString(StandardCharsets.UTF_8);
            assertThat(output).contains("# etc/catalog/lake.properties").contains(String.join("\n", printed))
                    .contains("deprecated.regex-library=RE2J").contains("-Duser.timezone=UTC")
                    .contains("CREATE TABLE IF NOT EXISTS \"lake\".\"" + LakeTables.schemaForStore(store) + "\".\"api_calls\"")
                    .contains("external_location = '" + store.uri("tables") + "/flows'")
                    .contains("partitioned_by = ARRAY['snapshot_id']");
        }
    }

    /** The chart's catalog text with its template expressions evaluated as Helm would for this store. */
    private static List<String> chartCatalog(String storeUrl, S3Settings s3)
            throws Exception
    {
        List<String> lines = Files.readAllLines(Path.of("..", "helm", "wirelake", "values.yaml"));
        int start = lines.indexOf("    wirelake: |");
        assertThat(start).as("values.yaml has trino.catalogs.wirelake").isPositive();
        List<String> properties = new ArrayList<>();
        for (String line : lines.subList(start + 1, lines.size())) {
            if (!line.startsWith("      ")) {
                break;
            }
            String property = line.strip();
            if (property.startsWith("{{-")) {
                continue;
            }
            properties.add(property.replace("{{ include \"wirelake.storeUrl\" . }}", storeUrl)
                    .replace("{{ .Values.global.wirelake.store.region }}", s3.region())
                    .replace("{{ . }}", s3.endpoint().orElseThrow())
                    .replace("{{ .Values.global.wirelake.store.pathStyle }}", String.valueOf(s3.pathStyle())));
        }
        return properties;
    }
}
