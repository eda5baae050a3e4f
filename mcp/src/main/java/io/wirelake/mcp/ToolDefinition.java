package io.wirelake.mcp;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * One tool: its name (Kubeshark's where the tool is Kubeshark's), what it does, its input schema,
 * whether it changes the lake, and what answers it.
 */
record ToolDefinition(String name, String description, Map<String, Object> inputSchema, Access access, Handler handler)
{
    /** What a tool may do to the lake. */
    enum Access
    {
        /** Reads only: always offered. */
        READ,
        /** Creates, dissects, exports or deletes: offered only with {@code --allow-write}. */
        WRITE
    }

    @FunctionalInterface
    interface Handler
    {
        JsonNode call(Arguments arguments)
                throws Exception;
    }

    ToolDefinition
    {
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(inputSchema, "inputSchema is null");
        requireNonNull(access, "access is null");
        requireNonNull(handler, "handler is null");
        if (!name.matches("[a-z][a-z0-9_]*")) {
            throw new IllegalArgumentException("tool names are snake_case: " + name);
        }
    }

    @SuppressWarnings("unchecked")
    Set<String> argumentNames()
    {
        return ((Map<String, Object>) inputSchema.get("properties")).keySet();
    }

    /** The longest each string argument may be, by name (the schema's {@code maxLength}). */
    @SuppressWarnings("unchecked")
    Map<String, Integer> maximumLengths()
    {
        Map<String, Integer> lengths = new java.util.HashMap<>();
        ((Map<String, Object>) inputSchema.get("properties")).forEach((name, property) -> {
            Object maximum = ((Map<String, Object>) property).get("maxLength");
            if (maximum instanceof Integer length) {
                lengths.put(name, length);
            }
        });
        return lengths;
    }
}
