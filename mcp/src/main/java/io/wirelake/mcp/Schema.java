package io.wirelake.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tool's input schema (JSON Schema 2020-12, as MCP asks): an object of named properties, some
 * required, no others allowed (a misspelt argument is refused, not ignored).
 */
final class Schema
{
    private final Map<String, Object> properties = new LinkedHashMap<>();
    private final List<String> required = new ArrayList<>();

    static Schema object()
    {
        return new Schema();
    }

    Schema string(String name, String description, boolean isRequired)
    {
        return property(name, isRequired, Map.of("type", "string", "description", description));
    }

    Schema string(String name, String description, int maximumLength, boolean isRequired)
    {
        return property(name, isRequired, Map.of("type", "string", "description", description, "maxLength", maximumLength));
    }

    Schema choice(String name, String description, List<String> values, String defaultValue)
    {
        return property(name, false, Map.of("type", "string", "description", description, "enum", List.copyOf(values), "default", defaultValue));
    }

    Schema integer(String name, String description, long minimum, long maximum, Long defaultValue, boolean isRequired)
    {
        Map<String, Object> property = new LinkedHashMap<>(Map.of("type", "integer", "description", description, "minimum", minimum, "maximum", maximum));
        if (defaultValue != null) {
            property.put("default", defaultValue);
        }
        return property(name, isRequired, property);
    }

    /** Unix milliseconds, as Kubeshark's tools take times. */
    Schema time(String name, String description)
    {
        return property(name, false, Map.of("type", "integer", "description", description + " (Unix milliseconds, UTC)", "minimum", 0));
    }

    Schema number(String name, String description, double exclusiveMinimum)
    {
        return property(name, false, Map.of("type", "number", "description", description, "exclusiveMinimum", exclusiveMinimum));
    }

    Schema flag(String name, String description, boolean defaultValue)
    {
        return property(name, false, Map.of("type", "boolean", "description", description, "default", defaultValue));
    }

    Schema strings(String name, String description)
    {
        return property(name, false, Map.of("type", "array", "description", description, "items", Map.of("type", "string")));
    }

    Schema choices(String name, String description, List<String> values)
    {
        return property(name, false, Map.of("type", "array", "description", description, "items", Map.of("type", "string", "enum", List.copyOf(values)),
                "uniqueItems", true));
    }

    Schema stringMap(String name, String description)
    {
        return property(name, false, Map.of("type", "object", "description", description, "additionalProperties", Map.of("type", "string")));
    }

    private Schema property(String name, boolean isRequired, Map<String, Object> property)
    {
        if (properties.put(name, Map.copyOf(property)) != null) {
            throw new IllegalStateException("property " + name + " declared twice");
        }
        if (isRequired) {
            required.add(name);
        }
        return this;
    }

    Map<String, Object> build()
    {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", java.util.Collections.unmodifiableMap(new LinkedHashMap<>(properties)));
        if (!required.isEmpty()) {
            schema.put("required", List.copyOf(required));
        }
        schema.put("additionalProperties", false);
        return java.util.Collections.unmodifiableMap(schema);
    }
}
