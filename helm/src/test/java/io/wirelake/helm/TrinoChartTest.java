package io.wirelake.helm;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;

/** Trino from the official chart, with the wirelake catalog and the settings KFL's semantics need. */
class TrinoChartTest
{
    @Test
    void theWirelakeCatalogIsTheHiveConnectorOverTheStore()
            throws IOException
    {
        Rendered rendered = Chart.render(Chart.BUCKET_ONLY);
        Properties catalog = properties(rendered.one(ConfigMap.class, "lake-trino-catalog").getData().get("wirelake.properties"));
        assertThat(catalog).containsExactlyInAnyOrderEntriesOf(Map.ofEntries(
                Map.entry("connector.name", "hive"),
                Map.entry("hive.metastore", "file"),
                Map.entry("hive.metastore.catalog.dir", "s3://wirelake-test-lake/wirelake/metastore"),
                Map.entry("fs.native-s3.enabled", "true"),
                Map.entry("s3.region", "us-east-1"),
                Map.entry("s3.path-style-access", "false"),
                // CEL's timestamps are microseconds, in UTC (DESIGN.md: exact parity needs both).
                Map.entry("hive.timestamp-precision", "MICROSECONDS"),
                Map.entry("hive.parquet.time-zone", "UTC"),
                Map.entry("hive.non-managed-table-writes-enabled", "false"),
                Map.entry("hive.allow-register-partition-procedure", "true")));

        Properties compatible = properties(Chart.render("""
                global:
                  wirelake:
                    store:
                      bucket: wirelake-test-lake
                      prefix: ""
                      region: eu-central-1
                      endpoint: http://minio.storage.svc:9000
                      pathStyle: true
                """).one(ConfigMap.class, "lake-trino-catalog").getData().get("wirelake.properties"));
        assertThat(compatible).containsEntry("hive.metastore.catalog.dir", "s3://wirelake-test-lake/metastore")
                .containsEntry("s3.endpoint", "http://minio.storage.svc:9000")
                .containsEntry("s3.region", "eu-central-1")
                .containsEntry("s3.path-style-access", "true");
    }

    @Test
    void regularExpressionsAreRe2AndTheJvmRunsInUtc()
            throws IOException
    {
        Rendered rendered = Chart.render(Chart.BUCKET_ONLY);
        for (String node : new String[] {"coordinator", "worker"}) {
            Map<String, String> files = rendered.one(ConfigMap.class, "lake-trino-" + node).getData();
            assertThat(properties(files.get("config.properties"))).containsEntry("deprecated.regex-library", "RE2J");
            assertThat(files.get("jvm.config").lines()).contains("-Duser.timezone=UTC");
        }
        Deployment coordinator = rendered.one(Deployment.class, "lake-trino-coordinator");
        assertThat(coordinator.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("trinodb/trino:476");
        assertThat(rendered.one(Deployment.class, "lake-trino-worker").getSpec().getReplicas()).isEqualTo(2);
        // The catalogs are mounted where Trino reads them.
        assertThat(coordinator.getSpec().getTemplate().getSpec().getVolumes())
                .anySatisfy(volume -> assertThat(volume.getConfigMap() == null ? null : volume.getConfigMap().getName()).isEqualTo("lake-trino-catalog"));
    }

    @Test
    void trinoIsOptional()
    {
        Rendered rendered = Chart.render(Chart.BUCKET_ONLY + """
                trino:
                  enabled: false
                """);
        assertThat(rendered.names()).noneMatch(name -> name.contains("trino"));
    }

    private static Properties properties(String text)
            throws IOException
    {
        Properties properties = new Properties();
        properties.load(new StringReader(text));
        return properties;
    }
}
