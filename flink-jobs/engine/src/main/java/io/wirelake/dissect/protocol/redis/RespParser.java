package io.wirelake.dissect.protocol.redis;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/**
 * An incremental RESP2/RESP3 parser for one direction, as a state machine over lines and bulk
 * payloads. Clients may also send inline commands (a plain text line). Named limits bound what is
 * kept: aggregates keep their first {@link #MAX_KEPT_ELEMENTS} elements, texts their first
 * {@link #MAX_TEXT} characters, lines their first {@link #MAX_LINE} bytes, aggregates nested
 * deeper than {@link #MAX_DEPTH} none of their elements; bulk payloads of any size are counted
 * without being kept. A limit reached is an anomaly, and the value is still whole, with its size
 * on the wire, so what follows it is read as it should be. Only nesting deeper than
 * {@link #MAX_FRAMED_DEPTH} (which no server sends) and bad framing lose the value: an anomaly,
 * and the parser resynchronises on the next line that starts a value.
 */
final class RespParser
{
    static final int MAX_LINE = 64 * 1024;
    static final int MAX_DEPTH = 32;
    /** Levels of nesting followed (counted, their elements not kept) before the framing is given up. */
    static final int MAX_FRAMED_DEPTH = 1024;
    static final int MAX_KEPT_ELEMENTS = 64;
    static final int MAX_TEXT = 1024;

    enum State
    {
        LINE,
        BULK,
        BULK_END,
        RESYNC
    }

    /** An aggregate being filled. */
    private static final class Frame
    {
        final char type;
        long remaining;
        final List<RespValue> elements = new ArrayList<>();
        /** Beyond {@link #MAX_DEPTH} an aggregate is counted, its elements not kept. */
        final boolean kept;
        long wireSize;

        Frame(char type, long remaining, long headerSize, boolean kept)
        {
            this.type = type;
            this.remaining = remaining;
            this.wireSize = headerSize;
            this.kept = kept;
        }
    }

    private final boolean client;
    private final Consumer<RespValue> onValue;
    private final Consumer<String> onAnomaly;
    private final Deque<Frame> stack = new ArrayDeque<>();
    /** The line being read, as bytes: decoded once, as UTF-8, when it ends. */
    private byte[] line = new byte[64];
    private int lineFill;
    private long lineBytes;
    /** The line being read passed {@link #MAX_LINE}: its rest is counted, not kept. */
    private boolean lineCut;
    private State state = State.LINE;
    private char bulkType;
    private long bulkRemaining;
    private long bulkSize;
    /** A bulk string's first {@link #MAX_TEXT} bytes; the rest is counted, not kept. */
    private final byte[] bulk = new byte[MAX_TEXT];
    private int bulkFill;
    private int bulkEndSeen;
    /** After a gap the next bytes may start a value: the resync looks at them before any newline. */
    private boolean resyncAtStart;

    RespParser(boolean client, Consumer<RespValue> onValue, Consumer<String> onAnomaly)
    {
        this.client = client;
        this.onValue = onValue;
        this.onAnomaly = onAnomaly;
    }

    void data(byte[] data, int offset, int length)
    {
        int at = offset;
        int end = offset + length;
        while (at < end) {
            at = switch (state) {
                case LINE -> line(data, at, end);
                case BULK -> bulk(data, at, end);
                case BULK_END -> bulkEnd(data, at, end);
                case RESYNC -> resync(data, at, end);
            };
        }
    }

    /** Lost bytes: the framing cannot be followed across them. */
    void gap()
    {
        stack.clear();
        lineFill = 0;
        lineBytes = 0;
        lineCut = false;
        state = State.RESYNC;
        resyncAtStart = true;
        onAnomaly.accept("redis.gap");
    }

    private int line(byte[] data, int at, int end)
    {
        int newline = at;
        while (newline < end && data[newline] != '\n') {
            newline++;
        }
        int count = newline - at;
        // past MAX_LINE the line is counted, not kept: its value (cut) still answers its command
        int keep = Math.min(count, MAX_LINE - lineFill);
        if (keep < count) {
            lineCut = true;
        }
        if (keep > 0) {
            if (lineFill + keep > line.length) {
                line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE, Math.max(lineFill + keep, line.length * 2)));
            }
            System.arraycopy(data, at, line, lineFill, keep);
            lineFill += keep;
        }
        lineBytes += count;
        if (newline == end) {
            return end;
        }
        lineBytes++;
        int length = lineFill > 0 && line[lineFill - 1] == '\r' ? lineFill - 1 : lineFill;
        long size = lineBytes;
        lineFill = 0;
        lineBytes = 0;
        if (lineCut) {
            lineCut = false;
            onAnomaly.accept("redis.line_too_long");
        }
        header(line, length, size);
        return newline + 1;
    }

    /** A line that starts a value: its type byte and the rest, {@code textLength} bytes of {@code text} without the line end. */
    private void header(byte[] text, int textLength, long size)
    {
        if (textLength == 0) {
            return;
        }
        char type = (char) (text[0] & 0xFF);
        switch (type) {
            case '+', '-', ':', '_', '#', ',', '(' -> value(new RespValue(type, decode(text, 1, textLength - 1), List.of(), size));
            case '$', '!', '=' -> {
                long length = number(text, 1, textLength - 1);
                if (length == -1 && type == '$') {
                    value(new RespValue('_', "", List.of(), size));
                }
                else if (length < 0) {
                    violation("redis.bad_length");
                }
                else {
                    bulkType = type;
                    bulkRemaining = length;
                    bulkSize = size + length + 2;
                    bulkFill = 0;
                    state = length == 0 ? State.BULK_END : State.BULK;
                    bulkEndSeen = 0;
                }
            }
            case '*', '%', '~', '>', '|' -> {
                long count = number(text, 1, textLength - 1);
                if (count == -1 && type == '*') {
                    value(new RespValue('_', "", List.of(), size));
                }
                else if (count < 0) {
                    violation("redis.bad_length");
                }
                else if (stack.size() >= MAX_FRAMED_DEPTH) {
                    violation("redis.too_deep");
                }
                else {
                    if (stack.size() == MAX_DEPTH) {
                        onAnomaly.accept("redis.nesting_not_kept");
                    }
                    // Maps and attributes hold key/value pairs: twice as many values.
                    long values = type == '%' || type == '|' ? count * 2 : count;
                    Frame frame = new Frame(type, values, size, stack.size() < MAX_DEPTH);
                    if (values == 0) {
                        value(new RespValue(type, "", List.of(), size));
                    }
                    else {
                        stack.push(frame);
                    }
                }
            }
            default -> {
                if (client && stack.isEmpty()) {
                    // An inline command: words separated by spaces.
                    List<RespValue> words = new ArrayList<>();
                    for (String word : inlineWords(new String(text, 0, textLength, StandardCharsets.ISO_8859_1))) {
                        words.add(new RespValue('$', decode(word), List.of(), 0));
                    }
                    value(new RespValue(' ', "", words, size));
                }
                else {
                    violation("redis.bad_type");
                }
            }
        }
    }

    private int bulk(byte[] data, int at, int end)
    {
        int take = (int) Math.min(bulkRemaining, end - at);
        int keep = Math.min(take, MAX_TEXT - bulkFill);
        System.arraycopy(data, at, bulk, bulkFill, keep);
        bulkFill += keep;
        bulkRemaining -= take;
        if (bulkRemaining == 0) {
            state = State.BULK_END;
            bulkEndSeen = 0;
        }
        return at + take;
    }

    private int bulkEnd(byte[] data, int at, int end)
    {
        while (at < end && bulkEndSeen < 2) {
            byte expected = bulkEndSeen == 0 ? (byte) '\r' : (byte) '\n';
            if (data[at] != expected) {
                violation("redis.bad_bulk_end");
                return at;
            }
            at++;
            bulkEndSeen++;
        }
        if (bulkEndSeen == 2) {
            state = State.LINE;
            char type = bulkType == '=' ? '$' : bulkType;
            value(new RespValue(type, new String(bulk, 0, bulkFill, StandardCharsets.UTF_8), List.of(), bulkSize));
        }
        return at;
    }

    private int resync(byte[] data, int at, int end)
    {
        // Skip to the start of a line that begins a value: '*' for commands, a type byte for replies.
        if (resyncAtStart) {
            resyncAtStart = false;
            if (startsValue(data[at])) {
                state = State.LINE;
                onAnomaly.accept("redis.resynchronised");
                return at;
            }
        }
        while (at < end) {
            byte value = data[at++];
            if (value == '\n' && at < end && startsValue(data[at])) {
                state = State.LINE;
                onAnomaly.accept("redis.resynchronised");
                return at;
            }
        }
        return at;
    }

    private boolean startsValue(byte value)
    {
        return value == '*' || (!client && "+-:$_#,(!=%~>".indexOf(value) >= 0);
    }

    private void value(RespValue value)
    {
        RespValue completed = value;
        while (true) {
            Frame parent = stack.peek();
            if (parent == null) {
                onValue.accept(completed);
                return;
            }
            parent.wireSize += completed.wireSize();
            if (parent.kept && parent.elements.size() < MAX_KEPT_ELEMENTS) {
                parent.elements.add(completed);
            }
            if (--parent.remaining > 0) {
                return;
            }
            stack.pop();
            if (parent.type == '|') {
                // An attribute annotates the value that follows: it is not a value itself.
                return;
            }
            completed = new RespValue(parent.type, "", List.copyOf(parent.elements), parent.wireSize);
            if (stack.isEmpty()) {
                onValue.accept(completed);
                return;
            }
        }
    }

    /** Splits an inline command as redis-cli does: spaces separate, "double" (with escapes) and 'single' quotes group. */
    static List<String> inlineWords(String line)
    {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int index = 0; index < line.length(); index++) {
            char character = line.charAt(index);
            if (quote != 0) {
                if (character == '\\' && quote == '"' && index + 1 < line.length()) {
                    char next = line.charAt(++index);
                    word.append(switch (next) {
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case 't' -> '\t';
                        default -> next;
                    });
                }
                else if (character == quote) {
                    quote = 0;
                }
                else {
                    word.append(character);
                }
            }
            else if (character == '"' || character == '\'') {
                quote = character;
                inWord = true;
            }
            else if (character == ' ' || character == '\t') {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            }
            else {
                word.append(character);
                inWord = true;
            }
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }

    private void violation(String anomaly)
    {
        onAnomaly.accept(anomaly);
        stack.clear();
        lineFill = 0;
        lineBytes = 0;
        lineCut = false;
        state = State.RESYNC;
    }

    /** A length or count as {@code Long.parseLong} reads it after trimming (spaces and controls around it); -2 when it is not one. */
    static long number(byte[] text, int offset, int length)
    {
        int start = offset;
        int end = offset + length;
        while (start < end && (text[start] & 0xFF) <= ' ') {
            start++;
        }
        while (end > start && (text[end - 1] & 0xFF) <= ' ') {
            end--;
        }
        boolean negative = start < end && text[start] == '-';
        if (start < end && (text[start] == '-' || text[start] == '+')) {
            start++;
        }
        if (start == end) {
            return -2;
        }
        long value = 0;
        for (int index = start; index < end; index++) {
            int digit = text[index] - '0';
            if (digit < 0 || digit > 9) {
                return -2;
            }
            // accumulate negatively, as Long.parseLong does, so Long.MIN_VALUE fits
            if (value < (Long.MIN_VALUE + digit) / 10) {
                return -2;
            }
            value = value * 10 - digit;
        }
        if (!negative && value == Long.MIN_VALUE) {
            return -2;
        }
        return negative ? value : -value;
    }

    /** UTF-8 bytes as text, cut to {@link #MAX_TEXT} characters. */
    private static String decode(byte[] bytes, int offset, int length)
    {
        String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
        return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
    }

    private static String decode(String latin1)
    {
        String text = reencode(latin1);
        return text.length() > MAX_TEXT ? text.substring(0, MAX_TEXT) : text;
    }

    /** Bytes were collected as ISO-8859-1 characters: read them as UTF-8. */
    private static String reencode(String latin1)
    {
        return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
