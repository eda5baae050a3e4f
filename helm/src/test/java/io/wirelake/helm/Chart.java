package io.wirelake.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static java.util.Objects.requireNonNull;

/**
 * The chart in {@code helm/wirelake}, rendered and linted by Helm's own code (helm-java runs
 * Helm's Go packages as a native library: no helm binary), as {@code helm template} and
 * {@code helm lint} would.
 */
final class Chart
{
    static final Path DIRECTORY = Path.of("wirelake").toAbsolutePath();
    static final String RELEASE = "lake";
    static final String NAMESPACE = "traffic";
    /** The smallest values an install needs: the bucket. */
    static final String BUCKET_ONLY = """
            global:
              wirelake:
                store:
                  bucket: wirelake-test-lake
            """;

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private Chart() {}

    /** {@code helm template lake helm/wirelake --namespace traffic -f VALUES}. */
    static Rendered render(String values)
    {
        return Rendered.parse(template(values));
    }

    /** The rendered text; Helm's error (a schema violation, a failed {@code required}) as an exception. */
    static String template(String values)
    {
        requireNonNull(values, "values is null");
        Path valuesFile = writeTemporary("values-", ".yaml", values);
        try {
            return new Helm(DIRECTORY).template()
                    .withName(RELEASE)
                    .withNamespace(NAMESPACE)
                    .withKubeVersion("1.31.0")
                    .withValuesFile(valuesFile)
                    .call();
        }
        finally {
            delete(valuesFile);
        }
    }

    /** {@code helm lint --strict} of the chart as it is, with its own values.yaml only. */
    static LintResult lintAsShipped()
    {
        return new Helm(DIRECTORY).lint().strict().call();
    }

    /**
     * {@code helm lint --strict -f VALUES}: helm-java's lint takes no values, so this lints a copy
     * of the chart whose values.yaml is the chart's own with VALUES merged over it, as Helm merges
     * a values file (maps merge key by key, anything else replaces).
     */
    static LintResult lint(String values)
    {
        Path copy = copyOfChart();
        try {
            Map<String, Object> merged = merge(yaml(Files.readString(DIRECTORY.resolve("values.yaml"))), yaml(values));
            Files.writeString(copy.resolve("values.yaml"), SERIALIZATION.asYaml(merged));
            return new Helm(copy).lint().strict().call();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        finally {
            delete(copy.getParent());
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String text)
    {
        Map<String, Object> parsed = SERIALIZATION.unmarshal(text, Map.class);
        return parsed == null ? Map.of() : parsed;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> merge(Map<String, Object> base, Map<String, Object> override)
    {
        Map<String, Object> merged = new LinkedHashMap<>(base);
        override.forEach((key, value) -> {
            if (value instanceof Map<?, ?> overrideMap && merged.get(key) instanceof Map<?, ?> baseMap) {
                merged.put(key, merge((Map<String, Object>) baseMap, (Map<String, Object>) overrideMap));
            }
            else {
                merged.put(key, value);
            }
        });
        return merged;
    }

    private static Path copyOfChart()
    {
        try {
            Path target = Files.createTempDirectory("wirelake-chart-").resolve("wirelake");
            try (Stream<Path> files = Files.walk(DIRECTORY)) {
                for (Path source : (Iterable<Path>) files::iterator) {
                    Path destination = target.resolve(DIRECTORY.relativize(source).toString());
                    if (Files.isDirectory(source)) {
                        Files.createDirectories(destination);
                    }
                    else {
                        Files.copy(source, destination);
                    }
                }
            }
            return target;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path writeTemporary(String prefix, String suffix, String text)
    {
        try {
            Path file = Files.createTempFile(prefix, suffix);
            Files.writeString(file, text);
            return file;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path path)
    {
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(file);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
