package io.wirelake.catalog.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The canonical bytes of a JSON value, after RFC 8785 (JSON Canonicalization Scheme): UTF-8, no
 * whitespace, object members sorted by their names' UTF-16 code units, strings escaped only where
 * JSON requires it ({@code \"}, {@code \\}, and control characters as {@code \b \t \n \f \r} or
 * a backslash-u escape with lower-case hex digits), everything else as is. Manifests hold only
 * strings, integers, booleans, nulls, arrays and objects; a fractional number is refused rather than risk a second
 * spelling of it (JCS formats them as ECMAScript does, which no manifest needs).
 *
 * <p>Signatures and hashes are over these bytes, and the bytes are what is stored: verifiers hash
 * the file they have and never re-serialize. The canonical form makes the bytes reproducible from
 * the content, and lets plain tools ({@code grep}, {@code sed}) read fields in a fixed order.
 */
public final class CanonicalJson
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private CanonicalJson() {}

    /** The canonical bytes of any value Jackson can turn into a tree (records, maps, lists). */
    public static byte[] of(Object value)
    {
        return of(JSON.valueToTree(value));
    }

    public static byte[] of(JsonNode node)
    {
        StringBuilder text = new StringBuilder();
        write(node, text);
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(JsonNode node, StringBuilder text)
    {
        switch (node.getNodeType()) {
            case OBJECT -> {
                List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
                // String.compareTo compares UTF-16 code units, which is JCS's order.
                members.sort(Map.Entry.comparingByKey());
                text.append('{');
                for (int i = 0; i < members.size(); i++) {
                    if (i > 0) {
                        text.append(',');
                    }
                    writeString(members.get(i).getKey(), text);
                    text.append(':');
                    write(members.get(i).getValue(), text);
                }
                text.append('}');
            }
            case ARRAY -> {
                text.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        text.append(',');
                    }
                    write(node.get(i), text);
                }
                text.append(']');
            }
            case STRING -> writeString(node.textValue(), text);
            case NUMBER -> {
                if (!node.isIntegralNumber()) {
                    throw new IllegalArgumentException("canonical manifests hold integers only, not " + node);
                }
                text.append(node.bigIntegerValue().toString());
            }
            case BOOLEAN -> text.append(node.booleanValue());
            case NULL, MISSING -> text.append("null");
            case BINARY, POJO -> throw new IllegalArgumentException("no canonical JSON form for " + node.getNodeType());
        }
    }

    private static void writeString(String value, StringBuilder text)
    {
        text.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> text.append("\\\"");
                case '\\' -> text.append("\\\\");
                case '\b' -> text.append("\\b");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\f' -> text.append("\\f");
                case '\r' -> text.append("\\r");
                default -> {
                    if (c < 0x20) {
                        text.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
                    }
                    else if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1)))
                            && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(value.charAt(i - 1)))) {
                        throw new IllegalArgumentException("a lone UTF-16 surrogate has no UTF-8 form (RFC 8785 section 3.2.2.2)");
                    }
                    else {
                        text.append(c);
                    }
                }
            }
        }
        text.append('"');
    }
}
