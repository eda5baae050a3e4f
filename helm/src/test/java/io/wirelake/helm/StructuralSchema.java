package io.wirelake.helm;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * A custom resource checked against its CustomResourceDefinition's OpenAPI schema, the way the
 * API server checks it with strict field validation: unknown fields, wrong types, values outside
 * an enum, missing required fields. (The mock API server stores custom resources without looking
 * at them, so this is where a FlinkDeployment with a misnamed field fails.) CEL validation rules
 * and formats are not evaluated.
 */
final class StructuralSchema
{
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    private final CustomResourceDefinition definition;
    private final JSONSchemaProps root;
    private final String apiVersion;

    private StructuralSchema(CustomResourceDefinition definition, CustomResourceDefinitionVersion version)
    {
        this.definition = requireNonNull(definition, "definition is null");
        this.root = requireNonNull(version.getSchema().getOpenAPIV3Schema(), "openAPIV3Schema is null");
        this.apiVersion = definition.getSpec().getGroup() + "/" + version.getName();
    }

    /** The served version of a CRD kept under src/test/resources/crds/ (see SOURCES.md there). */
    static StructuralSchema load(String resource, String version)
    {
        try (InputStream input = StructuralSchema.class.getResourceAsStream("/crds/" + resource)) {
            if (input == null) {
                throw new IllegalArgumentException("no CRD " + resource + " in the test resources");
            }
            CustomResourceDefinition definition = SERIALIZATION.unmarshal(input, CustomResourceDefinition.class);
            CustomResourceDefinitionVersion served = definition.getSpec().getVersions().stream()
                    .filter(candidate -> candidate.getName().equals(version)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(resource + " has no version " + version));
            return new StructuralSchema(definition, served);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    CustomResourceDefinition definition()
    {
        return definition;
    }

    String apiVersion()
    {
        return apiVersion;
    }

    String kind()
    {
        return definition.getSpec().getNames().getKind();
    }

    /** Every violation, as "path: problem"; empty when the object is valid. */
    List<String> violations(Map<String, Object> object)
    {
        List<String> violations = new ArrayList<>();
        if (!apiVersion.equals(object.get("apiVersion")) || !kind().equals(object.get("kind"))) {
            violations.add("not a " + apiVersion + " " + kind() + ": " + object.get("apiVersion") + " " + object.get("kind"));
            return violations;
        }
        // apiVersion, kind and metadata are the API server's own; the schema covers the rest.
        Map<String, JSONSchemaProps> properties = root.getProperties();
        for (Map.Entry<String, Object> field : object.entrySet()) {
            if (List.of("apiVersion", "kind", "metadata").contains(field.getKey())) {
                continue;
            }
            JSONSchemaProps schema = properties.get(field.getKey());
            if (schema == null) {
                violations.add("." + field.getKey() + ": unknown field");
            }
            else {
                check(field.getValue(), schema, "." + field.getKey(), violations);
            }
        }
        return violations;
    }

    private static void check(Object value, JSONSchemaProps schema, String path, List<String> violations)
    {
        if (value == null) {
            if (!Boolean.TRUE.equals(schema.getNullable())) {
                violations.add(path + ": null is not allowed");
            }
            return;
        }
        if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
            if (!(value instanceof String || isInteger(value))) {
                violations.add(path + ": expected an integer or a string, found " + describe(value));
            }
            return;
        }
        String type = schema.getType();
        if (type == null) {
            return;
        }
        switch (type) {
            case "object" -> checkObject(value, schema, path, violations);
            case "array" -> {
                if (!(value instanceof List<?> list)) {
                    violations.add(path + ": expected an array, found " + describe(value));
                    return;
                }
                JSONSchemaProps items = schema.getItems() == null ? null : schema.getItems().getSchema();
                for (int index = 0; index < list.size(); index++) {
                    if (items != null) {
                        check(list.get(index), items, path + "[" + index + "]", violations);
                    }
                }
            }
            case "string" -> {
                if (!(value instanceof String text)) {
                    violations.add(path + ": expected a string, found " + describe(value));
                    return;
                }
                List<JsonNode> allowed = schema.getEnum();
                if (allowed != null && !allowed.isEmpty() && allowed.stream().noneMatch(node -> node.isString() && node.asString().equals(text))) {
                    violations.add(path + ": " + text + " is not one of " + allowed);
                }
            }
            case "integer" -> {
                if (!isInteger(value)) {
                    violations.add(path + ": expected an integer, found " + describe(value));
                }
            }
            case "number" -> {
                if (!(value instanceof Number)) {
                    violations.add(path + ": expected a number, found " + describe(value));
                }
            }
            case "boolean" -> {
                if (!(value instanceof Boolean)) {
                    violations.add(path + ": expected a boolean, found " + describe(value));
                }
            }
            default -> violations.add(path + ": the schema has a type this check does not know: " + type);
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkObject(Object value, JSONSchemaProps schema, String path, List<String> violations)
    {
        if (!(value instanceof Map<?, ?> map)) {
            violations.add(path + ": expected an object, found " + describe(value));
            return;
        }
        Map<String, JSONSchemaProps> properties = schema.getProperties() == null ? Map.of() : schema.getProperties();
        JSONSchemaProps additional = schema.getAdditionalProperties() == null ? null : schema.getAdditionalProperties().getSchema();
        boolean preserveUnknown = Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())
                || (schema.getAdditionalProperties() != null && Boolean.TRUE.equals(schema.getAdditionalProperties().getAllows()));
        for (Map.Entry<String, Object> field : ((Map<String, Object>) map).entrySet()) {
            JSONSchemaProps fieldSchema = properties.get(field.getKey());
            if (fieldSchema == null) {
                fieldSchema = additional;
            }
            if (fieldSchema != null) {
                check(field.getValue(), fieldSchema, path + "." + field.getKey(), violations);
            }
            else if (!preserveUnknown) {
                violations.add(path + "." + field.getKey() + ": unknown field");
            }
        }
        if (schema.getRequired() != null) {
            for (String required : schema.getRequired()) {
                if (!map.containsKey(required)) {
                    violations.add(path + "." + required + ": required");
                }
            }
        }
    }

    private static boolean isInteger(Object value)
    {
        return value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof java.math.BigInteger;
    }

    private static String describe(Object value)
    {
        return value.getClass().getSimpleName() + " " + value;
    }
}
