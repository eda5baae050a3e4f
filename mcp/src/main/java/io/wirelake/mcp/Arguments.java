package io.wirelake.mcp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A tool call's arguments, read with the checks the input schema states (the SDK validates the
 * schema too, but a client may not): a wrong type or a value out of range is a {@link ToolException}
 * naming the argument, never a class-cast failure.
 */
final class Arguments
{
    private final Map<String, Object> values;

    Arguments(Map<String, Object> values)
    {
        this.values = values == null ? Map.of() : values;
    }

    String requiredString(String name)
    {
        return optionalString(name).filter(value -> !value.isBlank())
                .orElseThrow(() -> new ToolException("the argument '" + name + "' is required (a non-empty string)"));
    }

    /** Strings no longer than the schema allows (a client may skip the schema's check). */
    void requireMaximumLengths(Map<String, Integer> maximumLengths)
    {
        maximumLengths.forEach((name, maximum) -> {
            if (values.get(name) instanceof String text && text.length() > maximum) {
                throw new ToolException("the argument '" + name + "' is " + text.length() + " characters; at most " + maximum + " are accepted");
            }
        });
    }

    Optional<String> optionalString(String name)
    {
        Object value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof String text)) {
            throw new ToolException("the argument '" + name + "' must be a string, not " + describe(value));
        }
        return Optional.of(text);
    }

    /** A string from a fixed set (case-insensitive), or the default. */
    String choice(String name, List<String> allowed, String defaultValue)
    {
        String value = optionalString(name).map(text -> text.toLowerCase(java.util.Locale.ROOT)).orElse(defaultValue);
        if (!allowed.contains(value)) {
            throw new ToolException("the argument '" + name + "' must be one of " + String.join(", ", allowed) + ", not " + value);
        }
        return value;
    }

    Optional<Long> optionalLong(String name)
    {
        Object value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return Optional.of(((Number) value).longValue());
        }
        if (value instanceof java.math.BigInteger big && big.bitLength() < 64) {
            return Optional.of(big.longValue());
        }
        // A JSON number written with a fraction of zero (1.0e3) is still an integer.
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue()) && Math.abs(number.doubleValue()) < 9e15) {
            return Optional.of(number.longValue());
        }
        throw new ToolException("the argument '" + name + "' must be an integer, not " + describe(value));
    }

    long requiredLong(String name)
    {
        return optionalLong(name).orElseThrow(() -> new ToolException("the argument '" + name + "' is required (an integer)"));
    }

    /** An integer in [minimum, maximum], or the default. */
    int boundedInt(String name, int defaultValue, int minimum, int maximum)
    {
        long value = optionalLong(name).orElse((long) defaultValue);
        if (value < minimum || value > maximum) {
            throw new ToolException("the argument '" + name + "' must be between " + minimum + " and " + maximum + ", not " + value);
        }
        return (int) value;
    }

    Optional<Double> optionalDouble(String name)
    {
        Object value = values.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (value instanceof Number number && Double.isFinite(number.doubleValue())) {
            return Optional.of(number.doubleValue());
        }
        throw new ToolException("the argument '" + name + "' must be a number, not " + describe(value));
    }

    boolean flag(String name, boolean defaultValue)
    {
        Object value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Boolean bool) {
            return bool;
        }
        throw new ToolException("the argument '" + name + "' must be true or false, not " + describe(value));
    }

    List<String> strings(String name)
    {
        Object value = values.get(name);
        if (value == null) {
            return List.of();
        }
        if (value instanceof String text) {
            // A comma-separated string is accepted where a list is expected: agents write both.
            return text.isBlank() ? List.of() : List.of(text.split("\\s*,\\s*"));
        }
        if (!(value instanceof List<?> list)) {
            throw new ToolException("the argument '" + name + "' must be a list of strings, not " + describe(value));
        }
        List<String> strings = new ArrayList<>();
        for (Object element : list) {
            if (!(element instanceof String text)) {
                throw new ToolException("the argument '" + name + "' must be a list of strings; it holds " + describe(element));
            }
            strings.add(text);
        }
        return List.copyOf(strings);
    }

    Map<String, String> stringMap(String name)
    {
        Object value = values.get(name);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw new ToolException("the argument '" + name + "' must be an object of string values, not " + describe(value));
        }
        Map<String, String> strings = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (!(entry.getValue() instanceof String text)) {
                throw new ToolException("the argument '" + name + "' must map names to strings; '" + entry.getKey() + "' is " + describe(entry.getValue()));
            }
            strings.put(String.valueOf(entry.getKey()), text);
        }
        return strings;
    }

    /** Refuses arguments the tool does not know: a misspelt name would otherwise be ignored silently. */
    void requireOnly(java.util.Set<String> known)
    {
        requireNonNull(known, "known is null");
        for (String name : values.keySet()) {
            if (!known.contains(name)) {
                throw new ToolException("unknown argument '" + name + "'; this tool takes " + (known.isEmpty() ? "no arguments" : String.join(", ", new java.util.TreeSet<>(known))));
            }
        }
    }

    private static String describe(Object value)
    {
        if (value instanceof String text) {
            return "the string \"" + (text.length() > 40 ? text.substring(0, 40) + "..." : text) + "\"";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof List<?>) {
            return "a list";
        }
        return value instanceof Boolean ? "a boolean" : value instanceof Number ? "the number " + value : "a " + value.getClass().getSimpleName();
    }
}
