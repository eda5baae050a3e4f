package io.wirelake.dissect.protocol.redis;

import java.util.List;

/**
 * One RESP value (https://redis.io/docs/latest/develop/reference/protocol-spec/): its type byte,
 * its text for scalars (cut at a limit), its elements for aggregates (the first ones kept), and
 * its size on the wire.
 *
 * @param type the RESP type byte ({@code + - : $ * _ # , ( ! = % ~ > |}), or {@code ' '} for an inline command
 */
record RespValue(char type, String text, List<RespValue> elements, long wireSize)
{
    boolean isError()
    {
        return type == '-' || type == '!';
    }

    boolean isAggregate()
    {
        return type == '*' || type == '%' || type == '~' || type == '>' || type == ' ';
    }

    /** A short human form of a reply: the text of scalars, {@code [a, b]} for aggregates. */
    String summary()
    {
        if (!isAggregate()) {
            return text;
        }
        StringBuilder summary = new StringBuilder("[");
        for (int index = 0; index < elements.size() && summary.length() < 256; index++) {
            summary.append(index == 0 ? "" : ", ").append(elements.get(index).summary());
        }
        return summary.append(']').toString();
    }
}
