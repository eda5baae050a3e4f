package io.wirelake.dissect.redact;

import java.io.ByteArrayOutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.BiFunction;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * Finds the values of secret keys in text held as bytes and replaces them with markers: JSON
 * members ({@code "name": "value"} or {@code "name": 123}) at any depth, then form and query
 * parameters ({@code name=value}). A name is a secret when it matches a key rule as a whole.
 *
 * <p>This runs on every body of every api_calls row, so it reads the bytes where they are: one
 * pass per form, no copy of a body that holds no secret (most hold none), no string made per
 * member name, no regular expression over the text (Java's engine recurses per repetition of a
 * group, so a long string of escapes would overflow the stack), no recursion. Bodies are read as
 * ISO-8859-1, one char per byte, so a secret's own bytes are what is replaced whatever the body's
 * encoding. A text column that holds characters beyond ISO-8859-1 is scanned as a shadow of one
 * byte per character (such a character becomes a byte that plays its part: white space to JSON
 * where {@link Character#isWhitespace} says so, else a plain name character), and its names and
 * values are read from the text itself, so it is redacted exactly as a string scanner would.
 *
 * <p>Key names repeat (a JSON API's members, its parameters) and a key rule is a regular
 * expression of the form {@code .*(a|b|...).*}, which costs a pass per alternative at every
 * position: the answers for up to {@value #NAMES_REMEMBERED} names are remembered, in a table of
 * their bytes, and the table is emptied when full, so hostile traffic of ever-new names costs a
 * match per name in bounded memory.
 */
final class KeyedValues
{
    /** The longest key name looked at, a parameter's or a JSON member's: a longer name is not matched against the key rules. */
    static final int KEY_NAME_LIMIT = 256;
    /** How many key names the table holds before it starts again. */
    private static final int NAMES_REMEMBERED = 4096;
    /** Twice the names remembered, a power of two: probes stay short. */
    private static final int SLOTS = 2 * NAMES_REMEMBERED;
    /** The longest number, {@code true}, {@code false} or {@code null} taken as a JSON member's value. */
    private static final int LITERAL_LIMIT = 64;
    /** What {@link Character#isWhitespace} says of the ASCII characters (no byte from 0x80 up is white space to it in ISO-8859-1). */
    private static final boolean[] WHITE_SPACE = new boolean[128];
    /** The characters of a JSON number or literal as a member's value is taken. */
    private static final boolean[] LITERAL = new boolean[128];

    static {
        for (char character = 0; character < 128; character++) {
            WHITE_SPACE[character] = Character.isWhitespace(character);
            LITERAL[character] = "-0123456789.eEtruefalsn".indexOf(character) >= 0;
        }
    }

    /** Eight bytes of text at a time, for the searches (SWAR: the bytes of a long compared at once). */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;
    private static final long QUOTES = '"' * ONES;
    private static final long BACKSLASHES = '\\' * ONES;
    private static final long QUESTION_MARKS = '?' * ONES;
    private static final long AMPERSANDS = '&' * ONES;
    private static final long SEMICOLONS = ';' * ONES;

    private final Pattern keys;
    /** The marker that stands for a secret value, and what the secret was ("json", "parameter"). */
    private final BiFunction<String, String, String> marker;
    /** Names of one to eight bytes, as a long of their bytes, with their lengths (0: a free slot) and answers. */
    private final long[] shortNames = new long[SLOTS];
    private final byte[] shortLengths = new byte[SLOTS];
    private final boolean[] shortSecrets = new boolean[SLOTS];
    /** Longer names, as their bytes, with their hashes and answers. */
    private final byte[][] names = new byte[SLOTS][];
    private final int[] hashes = new int[SLOTS];
    private final boolean[] secrets = new boolean[SLOTS];
    private int remembered;

    KeyedValues(Pattern keys, BiFunction<String, String, String> marker)
    {
        this.keys = requireNonNull(keys, "keys is null");
        this.marker = requireNonNull(marker, "marker is null");
    }

    /** {@code text[from, to)} with the values of its secret JSON members, then of its secret parameters, replaced; null when it holds none. */
    byte[] redact(byte[] text, int from, int to)
    {
        Edits json = jsonMembers(text, from, to, null);
        if (json == null) {
            Edits parameters = parameters(text, from, to, null);
            return parameters == null ? null : parameters.apply(text, from, to);
        }
        byte[] redacted = json.apply(text, from, to);
        Edits parameters = parameters(redacted, 0, redacted.length, null);
        return parameters == null ? redacted : parameters.apply(redacted, 0, redacted.length);
    }

    /** A text column's value redacted the same way (only its parameters for a URL); the same instance when it holds no secret. */
    String redact(String text, boolean parametersOnly)
    {
        String result = text;
        if (!parametersOnly) {
            byte[] shadow = shadow(result);
            Edits json = jsonMembers(shadow, 0, shadow.length, wide(result));
            result = json == null ? result : json.apply(result);
        }
        byte[] shadow = shadow(result);
        Edits parameters = parameters(shadow, 0, shadow.length, wide(result));
        return parameters == null ? result : parameters.apply(result);
    }

    /** The text as one byte per character: itself in ISO-8859-1, a character beyond it as 0x1C if it is white space (as 0x1C is), else as 'x'. */
    private static byte[] shadow(String text)
    {
        byte[] shadow = new byte[text.length()];
        for (int index = 0; index < shadow.length; index++) {
            char character = text.charAt(index);
            shadow[index] = character <= 0xFF ? (byte) character : Character.isWhitespace(character) ? (byte) 0x1C : (byte) 'x';
        }
        return shadow;
    }

    /** The text when its shadow stands for characters beyond ISO-8859-1 (names and values are then read from it), else null. */
    private static String wide(String text)
    {
        return latin1(text) ? null : text;
    }

    /** Whether a key name's value is a secret. */
    boolean secret(String name)
    {
        if (name.length() > KEY_NAME_LIMIT || !latin1(name)) {
            return keys.matcher(name).matches();
        }
        byte[] bytes = name.getBytes(StandardCharsets.ISO_8859_1);
        return secret(bytes, 0, bytes.length, null);
    }

    /**
     * JSON members whose names are secret keys: a string followed by {@code :} is a member's name,
     * its value a string or up to {@value #LITERAL_LIMIT} characters of a number or literal.
     */
    private Edits jsonMembers(byte[] text, int from, int to, String wide)
    {
        Edits edits = null;
        int at = indexOf(text, (byte) '"', from, to);
        while (at >= 0) {
            int nameEnd = stringEnd(text, at, to);
            if (nameEnd < 0) {
                break;
            }
            int colon = skipSpace(text, nameEnd + 1, to);
            if (colon >= to || text[colon] != ':') {
                // a string that is not a member name (a value, or text that only looks like JSON)
                at = indexOf(text, (byte) '"', nameEnd + 1, to);
                continue;
            }
            int valueStart = skipSpace(text, colon + 1, to);
            int valueEnd;
            int contentStart;
            boolean secret;
            if (valueStart < to && text[valueStart] == '"') {
                valueEnd = stringEnd(text, valueStart, to);
                if (valueEnd < 0) {
                    break;
                }
                contentStart = valueStart + 1;
                secret = valueEnd > contentStart && secretName(text, at, nameEnd, wide);
            }
            else if (!secretName(text, at, nameEnd, wide)) {
                // most names are no secret: the literal's extent is not needed, only where the scan goes on
                at = afterLiteral(text, valueStart, to);
                continue;
            }
            else {
                valueEnd = literalEnd(text, valueStart, to);
                contentStart = valueStart;
                secret = valueEnd > contentStart;
            }
            if (secret && !startsWith(text, contentStart, valueEnd, Redactor.MARKER_START)) {
                edits = Edits.add(edits, contentStart, valueEnd, marker.apply(substring(text, contentStart, valueEnd, wide), "json"));
            }
            at = indexOf(text, (byte) '"', valueEnd + (valueEnd < to && text[valueEnd] == '"' ? 1 : 0), to);
        }
        return edits;
    }

    /** Whether the member name quoted from {@code open} to {@code close} is a secret key. */
    private boolean secretName(byte[] text, int open, int close, String wide)
    {
        return close - open - 1 <= KEY_NAME_LIMIT && secret(text, open + 1, close, wide);
    }

    /** Where a number or literal starting at {@code from} ends: at the first byte that is not part of one, or {@value #LITERAL_LIMIT} bytes on. */
    private static int literalEnd(byte[] text, int from, int to)
    {
        int end = from;
        while (end < to && end - from < LITERAL_LIMIT && text[end] >= 0 && LITERAL[text[end]]) {
            end++;
        }
        return end;
    }

    /**
     * Where the scan goes on after a value that is not a string: at the next quote after the
     * literal, and past it when it follows the literal directly (as in text that only looks like
     * JSON). The literal holds no quote, so the next quote from its start is that quote; it follows
     * the literal directly only if the byte before it is part of one, which in JSON it never is (a
     * comma, a bracket or white space comes between), so the literal itself is rarely walked.
     */
    private static int afterLiteral(byte[] text, int from, int to)
    {
        int quote = indexOf(text, (byte) '"', from, to);
        if (quote > from && text[quote - 1] >= 0 && LITERAL[text[quote - 1]] && literalEnd(text, from, to) == quote) {
            return indexOf(text, (byte) '"', quote + 1, to);
        }
        return quote;
    }

    /**
     * Form and query parameters whose names are secret keys: {@code name=value} at the start of the
     * text or after {@code ?}, {@code &} or {@code ;}, where the name is 1 to 256 characters other
     * than {@code =&;?#} and white space, and the value runs to the next {@code &;#} or white space.
     * What {@code (?:^|[?&;])([^=&;?#\s]{1,256})=([^&;#\s]*)} finds, by one pass over the text
     * (RedactorTest holds the two equal on random text). A value never holds white space, so it is
     * never a marker.
     */
    private Edits parameters(byte[] text, int from, int to, String wide)
    {
        // every parameter has an '=': text without one (most JSON, most binary bodies) costs one scan
        if (indexOf(text, (byte) '=', from, to) < 0) {
            return null;
        }
        Edits edits = null;
        int at = from;
        while (at < to) {
            // the name's end when a parameter starts here: at the text's start, else after a separator
            int nameStart = at;
            int nameEnd = at == from ? parameterNameEnd(text, from, to) : -1;
            if (nameEnd < 0) {
                byte separator = text[at];
                if (separator == '?' || separator == '&' || separator == ';') {
                    nameStart = at + 1;
                    nameEnd = parameterNameEnd(text, nameStart, to);
                }
            }
            if (nameEnd < 0) {
                at = nextSeparator(text, at + 1, to);
                continue;
            }
            int valueStart = nameEnd + 1;
            int valueEnd = valueStart;
            while (valueEnd < to && parameterValueCharacter(text[valueEnd])) {
                valueEnd++;
            }
            if (valueEnd > valueStart && secret(text, nameStart, nameEnd, wide)) {
                edits = Edits.add(edits, valueStart, valueEnd, marker.apply(substring(text, valueStart, valueEnd, wide), "parameter"));
            }
            at = valueEnd;
        }
        return edits;
    }

    /** The characters {@code [start, end)}: from the text itself when a shadow stands for it, else the bytes as ISO-8859-1. */
    private static String substring(byte[] text, int start, int end, String wide)
    {
        return wide != null ? wide.substring(start, end) : new String(text, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /** Values to replace by markers, in the order found (each after the last). */
    private static final class Edits
    {
        private int[] starts = new int[4];
        private int[] ends = new int[4];
        private String[] markers = new String[4];
        private int count;

        static Edits add(Edits edits, int start, int end, String marker)
        {
            Edits to = edits == null ? new Edits() : edits;
            if (to.count == to.starts.length) {
                to.starts = Arrays.copyOf(to.starts, 2 * to.count);
                to.ends = Arrays.copyOf(to.ends, 2 * to.count);
                to.markers = Arrays.copyOf(to.markers, 2 * to.count);
            }
            to.starts[to.count] = start;
            to.ends[to.count] = end;
            to.markers[to.count] = marker;
            to.count++;
            return to;
        }

        /** {@code text[from, to)} with the edits made; markers are ASCII. */
        byte[] apply(byte[] text, int from, int to)
        {
            ByteArrayOutputStream result = new ByteArrayOutputStream(to - from + 64 * count);
            int last = from;
            for (int edit = 0; edit < count; edit++) {
                result.write(text, last, starts[edit] - last);
                result.writeBytes(markers[edit].getBytes(StandardCharsets.ISO_8859_1));
                last = ends[edit];
            }
            result.write(text, last, to - last);
            return result.toByteArray();
        }

        String apply(String text)
        {
            StringBuilder result = new StringBuilder(text.length() + 64 * count);
            int last = 0;
            for (int edit = 0; edit < count; edit++) {
                result.append(text, last, starts[edit]).append(markers[edit]);
                last = ends[edit];
            }
            return result.append(text, last, text.length()).toString();
        }
    }

    /** Where a parameter name starting at {@code from} ends, at its {@code =}; -1 when no name of 1 to 256 characters and an {@code =} is there. */
    private static int parameterNameEnd(byte[] text, int from, int to)
    {
        int end = from;
        while (end < to && end - from <= KEY_NAME_LIMIT && parameterNameCharacter(text[end])) {
            end++;
        }
        boolean named = end > from && end - from <= KEY_NAME_LIMIT;
        return named && end < to && text[end] == '=' ? end : -1;
    }

    private static boolean parameterNameCharacter(byte character)
    {
        return character != '=' && character != '?' && parameterValueCharacter(character);
    }

    /** Not {@code &;#} and not white space as regular expressions mean {@code \s} (space, tab, line feed, vertical tab, form feed, carriage return). */
    private static boolean parameterValueCharacter(byte character)
    {
        return switch (character) {
            case '&', ';', '#', ' ', '\t', '\n', 0x0B, '\f', '\r' -> false;
            default -> true;
        };
    }

    /**
     * Whether the name {@code text[start, end)} is a secret key. Names are remembered by their
     * bytes; a name with a character beyond ISO-8859-1 (its shadow is not the name) is matched
     * every time: it is rare, and different names share its shadow.
     */
    private boolean secret(byte[] text, int start, int end, String wide)
    {
        if (wide != null && !latin1(wide, start, end)) {
            return keys.matcher(wide.substring(start, end)).matches();
        }
        int length = end - start;
        if (length > 0 && length <= Long.BYTES && start + Long.BYTES <= text.length) {
            return shortSecret(text, start, length);
        }
        int hash = 0;
        for (int index = start; index < end; index++) {
            hash = 31 * hash + text[index];
        }
        int slot = (hash ^ (hash >>> 15)) & (SLOTS - 1);
        for (byte[] name = names[slot]; name != null; name = names[slot]) {
            if (hashes[slot] == hash && same(name, text, start, end)) {
                return secrets[slot];
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
        boolean secret = match(text, start, end);
        if (remember()) {
            slot = (hash ^ (hash >>> 15)) & (SLOTS - 1);
        }
        names[slot] = Arrays.copyOfRange(text, start, end);
        hashes[slot] = hash;
        secrets[slot] = secret;
        return secret;
    }

    /** A name of one to eight bytes, read as one long (the bytes after it masked off): no loop over its bytes. */
    private boolean shortSecret(byte[] text, int start, int length)
    {
        long name = (long) LONGS.get(text, start) & (-1L >>> (Long.SIZE - Byte.SIZE * length));
        int first = (int) (((name + length) * 0x9E3779B97F4A7C15L) >>> (Long.SIZE - Integer.numberOfTrailingZeros(SLOTS)));
        int slot = first;
        while (shortLengths[slot] != 0) {
            if (shortNames[slot] == name && shortLengths[slot] == length) {
                return shortSecrets[slot];
            }
            slot = (slot + 1) & (SLOTS - 1);
        }
        boolean secret = match(text, start, start + length);
        if (remember()) {
            slot = first;
        }
        shortNames[slot] = name;
        shortLengths[slot] = (byte) length;
        shortSecrets[slot] = secret;
        return secret;
    }

    private boolean match(byte[] text, int start, int end)
    {
        return keys.matcher(new String(text, start, end - start, StandardCharsets.ISO_8859_1)).matches();
    }

    /** Counts a name about to be remembered; when the tables are full, empties them first and says so. */
    private boolean remember()
    {
        if (remembered < NAMES_REMEMBERED) {
            remembered++;
            return false;
        }
        Arrays.fill(names, null);
        Arrays.fill(shortLengths, (byte) 0);
        remembered = 1;
        return true;
    }

    private static boolean same(byte[] name, byte[] text, int start, int end)
    {
        if (name.length != end - start) {
            return false;
        }
        for (int index = 0; index < name.length; index++) {
            if (name[index] != text[start + index]) {
                return false;
            }
        }
        return true;
    }

    /** The index of the quote that closes the JSON string opening at {@code open}; -1 when it never closes. */
    private static int stringEnd(byte[] text, int open, int to)
    {
        int index = open + 1;
        while (index < to) {
            // eight bytes at a time to the next quote or backslash
            while (index + Long.BYTES <= to) {
                long word = (long) LONGS.get(text, index);
                long found = matches(word, QUOTES) | matches(word, BACKSLASHES);
                if (found != 0) {
                    index += Long.numberOfTrailingZeros(found) >>> 3;
                    break;
                }
                index += Long.BYTES;
            }
            if (index >= to) {
                return -1;
            }
            byte character = text[index];
            if (character == '"') {
                return index;
            }
            // a backslash escapes the byte after it
            index += character == '\\' ? 2 : 1;
        }
        return -1;
    }

    /** The bytes of {@code word} equal to the byte repeated in {@code pattern}, as their high bits (exact for the lowest such byte, which is what is used). */
    private static long matches(long word, long pattern)
    {
        long difference = word ^ pattern;
        return (difference - ONES) & ~difference & HIGHS;
    }

    private static int skipSpace(byte[] text, int from, int to)
    {
        int index = from;
        while (index < to && text[index] >= 0 && WHITE_SPACE[text[index]]) {
            index++;
        }
        return index;
    }

    private static int indexOf(byte[] text, byte wanted, int from, int to)
    {
        int index = from;
        // a byte at a time first: in JSON the next quote is mostly a byte or two away
        for (int near = Math.min(to, from + Long.BYTES); index < near; index++) {
            if (text[index] == wanted) {
                return index;
            }
        }
        long pattern = (wanted & 0xFF) * ONES;
        for (; index + Long.BYTES <= to; index += Long.BYTES) {
            long found = matches((long) LONGS.get(text, index), pattern);
            if (found != 0) {
                return index + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        for (; index < to; index++) {
            if (text[index] == wanted) {
                return index;
            }
        }
        return -1;
    }

    /** The index of the next {@code ?}, {@code &} or {@code ;} from {@code from}, eight bytes at a time; {@code to} when there is none. */
    private static int nextSeparator(byte[] text, int from, int to)
    {
        int index = from;
        for (; index + Long.BYTES <= to; index += Long.BYTES) {
            long word = (long) LONGS.get(text, index);
            long found = matches(word, QUESTION_MARKS) | matches(word, AMPERSANDS) | matches(word, SEMICOLONS);
            if (found != 0) {
                return index + (Long.numberOfTrailingZeros(found) >>> 3);
            }
        }
        while (index < to && text[index] != '?' && text[index] != '&' && text[index] != ';') {
            index++;
        }
        return index;
    }

    private static boolean startsWith(byte[] text, int from, int to, byte[] prefix)
    {
        return to - from >= prefix.length && Arrays.equals(text, from, from + prefix.length, prefix, 0, prefix.length);
    }

    private static boolean latin1(String text)
    {
        return latin1(text, 0, text.length());
    }

    private static boolean latin1(String text, int start, int end)
    {
        for (int index = start; index < end; index++) {
            if (text.charAt(index) > 0xFF) {
                return false;
            }
        }
        return true;
    }
}
