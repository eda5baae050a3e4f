package io.wirelake.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The JSON the tools answer with: values as Trino or the catalog give them turned into JSON,
 * times as ISO-8601 UTC and as Unix milliseconds (Kubeshark's tools speak milliseconds).
 */
final class Json
{
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static ObjectNode object()
    {
        return JsonNodeFactory.instance.objectNode();
    }

    static ArrayNode array()
    {
        return JsonNodeFactory.instance.arrayNode();
    }

    static String text(JsonNode node)
    {
        try {
            return MAPPER.writeValueAsString(node);
        }
        catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of JSON nodes always serialises", e);
        }
    }

    /** Unix milliseconds of a UTC microsecond time. */
    static long millis(long micros)
    {
        return Math.floorDiv(micros, 1000L);
    }

    static String iso(long micros)
    {
        return Instant.EPOCH.plus(micros, ChronoUnit.MICROS).toString();
    }

    static long micros(Instant instant)
    {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
    }

    /** A value from a query row as JSON: instants as ISO text, bytes as text (or base64 when not UTF-8), lists and maps as such. */
    static JsonNode value(Object value)
    {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (value == null) {
            return nodes.nullNode();
        }
        if (value instanceof String text) {
            return nodes.textNode(text);
        }
        if (value instanceof Long number) {
            return nodes.numberNode(number);
        }
        if (value instanceof Integer number) {
            return nodes.numberNode(number);
        }
        if (value instanceof Double number) {
            return Double.isFinite(number) ? nodes.numberNode(number) : nodes.nullNode();
        }
        if (value instanceof Number number) {
            return nodes.numberNode(number.doubleValue());
        }
        if (value instanceof Boolean bool) {
            return nodes.booleanNode(bool);
        }
        if (value instanceof Instant instant) {
            return nodes.textNode(instant.toString());
        }
        if (value instanceof byte[] bytes) {
            return nodes.textNode(utf8(bytes).orElseGet(() -> "base64:" + Base64.getEncoder().encodeToString(bytes)));
        }
        if (value instanceof List<?> list) {
            ArrayNode array = nodes.arrayNode();
            list.forEach(element -> array.add(value(element)));
            return array;
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode object = nodes.objectNode();
            new java.util.TreeMap<>(map).forEach((key, element) -> object.set(String.valueOf(key), value(element)));
            return object;
        }
        return nodes.textNode(value.toString());
    }

    /** The bytes as text when they are valid UTF-8. */
    static java.util.Optional<String> utf8(byte[] bytes)
    {
        try {
            return java.util.Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString());
        }
        catch (CharacterCodingException e) {
            return java.util.Optional.empty();
        }
    }
}
