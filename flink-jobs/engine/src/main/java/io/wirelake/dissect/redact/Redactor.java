package io.wirelake.dissect.redact;

import io.wirelake.columns.Column;
import io.wirelake.columns.Columns;
import io.wirelake.dissect.rows.Rows;
import io.wirelake.dissect.scan.ScanReport;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static java.util.Objects.requireNonNull;

/**
 * Applies a {@link Redaction} to rows before they are written. Each redacted value becomes a
 * marker with its length (and keyed hash); the report counts redactions by what they were
 * ({@code redacted.header}, {@code redacted.cookie}, {@code redacted.parameter},
 * {@code redacted.json}, {@code redacted.redis}, {@code redacted.text_command},
 * {@code redacted.pattern}, {@code redacted.annotation}). Text is handled as ISO-8859-1, one char
 * per byte, so a secret's bytes are found and replaced whatever their encoding; no recursion, so
 * hostile bodies cost linear time.
 */
public final class Redactor
{
    /** Columns of text that a pattern rule searches besides the bodies. */
    private static final List<Column> TEXT_COLUMNS = List.of(Columns.URL, Columns.PATH, Columns.REDIS_COMMAND, Columns.REDIS_KEY, Columns.REDIS_REPLY,
            Columns.WS_REQUEST_PAYLOAD_DATA, Columns.LDAP_SUMMARY, Columns.AMQP_SUMMARY, Columns.GRPC_MESSAGE);
    private static final List<Column> BODY_COLUMNS = List.of(Columns.REQUEST_BODY, Columns.RESPONSE_BODY, Columns.TCP_PAYLOAD, Columns.UDP_PAYLOAD);
    /** The longest key name looked at, a parameter's or a JSON member's: a longer name is not matched against the key rules. */
    private static final int KEY_NAME_LIMIT = 256;
    /** Lines of text protocols that carry credentials (RFC 959 PASS, RFC 1939 PASS, RFC 4954 AUTH, RFC 9051 LOGIN). */
    private static final Pattern TEXT_COMMAND = Pattern.compile(
            "(?im)^(?:PASS[ \\t]+(.+?)|AUTH[ \\t]+(?:PLAIN|LOGIN|XOAUTH2|CRAM-MD5)[ \\t]+(.+?)|[A-Za-z0-9.]+[ \\t]+LOGIN[ \\t]+\\S+[ \\t]+(.+?)|"
                    + "[A-Za-z0-9.]+[ \\t]+AUTHENTICATE[ \\t]+\\S+[ \\t]+(.+?))\\r?$");
    /** How many key names {@link #secretKeys} holds before it starts again. */
    private static final int SECRET_KEYS_REMEMBERED = 4096;

    private final Redaction redaction;
    private final RedactionRules rules;
    private final ScanReport report;
    private final Set<String> headers;
    private final Pattern keys;
    private final List<Pattern> patterns;
    private final Pattern annotations;
    /**
     * Key names already matched against {@link #keys}, and the answer. Names repeat (a JSON body's
     * members, an API's parameters) and the key rules are regular expressions of the form
     * {@code .*(a|b|...).*}, which cost a pass per alternative at every position: before this cache
     * they were a third of the dissect job's CPU time on the real-traffic benchmark corpus. Cleared
     * when full, so hostile traffic of ever-new names costs what it did, in bounded memory.
     */
    private final Map<String, Boolean> secretKeys = new HashMap<>();
    private final Mac mac;

    public Redactor(Redaction redaction, ScanReport report)
    {
        this.redaction = requireNonNull(redaction, "redaction is null");
        this.rules = redaction.rules();
        this.report = requireNonNull(report, "report is null");
        this.headers = rules.headers().stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.keys = rules.keys().isEmpty() ? null : Pattern.compile(String.join("|", rules.keys().stream().map(key -> "(?:" + key + ")").toList()),
                Pattern.CASE_INSENSITIVE);
        this.patterns = rules.patterns().stream().map(Pattern::compile).toList();
        this.annotations = Pattern.compile(rules.annotations().isEmpty() ? "(?!)" : String.join("|", rules.annotations().stream().map(name -> "(?:" + name + ")").toList()),
                Pattern.CASE_INSENSITIVE);
        byte[] key = redaction.key();
        if (key.length == 0) {
            this.mac = null;
        }
        else {
            try {
                this.mac = Mac.getInstance("HmacSHA256");
                this.mac.init(new SecretKeySpec(key, "HmacSHA256"));
            }
            catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is part of every Java", e);
            }
        }
    }

    public boolean enabled()
    {
        return rules.enabled();
    }

    /** An api_calls row, before it is written. */
    public void call(Rows rows)
    {
        if (!rules.enabled()) {
            return;
        }
        headers(rows, Columns.REQUEST_HEADERS);
        headers(rows, Columns.RESPONSE_HEADERS);
        if (headers.contains("cookie")) {
            allValues(rows, Columns.REQUEST_COOKIES, "cookie");
        }
        if (headers.contains("set-cookie")) {
            allValues(rows, Columns.RESPONSE_COOKIES, "cookie");
        }
        if (keys != null) {
            parameters(rows);
            for (Column body : List.of(Columns.REQUEST_BODY, Columns.RESPONSE_BODY)) {
                bytes(rows, body, this::keyedMembers);
            }
            text(rows, Columns.WS_REQUEST_PAYLOAD_DATA, this::keyedMembers);
        }
        if (rules.protocolCommands()) {
            redis(rows);
            bytes(rows, Columns.TCP_PAYLOAD, text -> replaceGroups(TEXT_COMMAND, text, "text_command"));
        }
        if (!patterns.isEmpty()) {
            for (Column column : TEXT_COLUMNS) {
                text(rows, column, this::patterns);
            }
            for (Column column : BODY_COLUMNS) {
                bytes(rows, column, this::patterns);
            }
            for (Column column : List.of(Columns.REQUEST_HEADERS, Columns.RESPONSE_HEADERS, Columns.QUERY_STRING)) {
                Map<String, String> map = rows.map(column);
                if (!map.isEmpty()) {
                    Map<String, String> changed = new LinkedHashMap<>(map);
                    changed.replaceAll((name, value) -> patterns(value));
                    rows.set(column, changed);
                }
            }
        }
        annotations(rows);
    }

    /** A flows row, before it is written: its annotations. */
    public void flow(Rows rows)
    {
        if (rules.enabled()) {
            annotations(rows);
        }
    }

    private void headers(Rows rows, Column column)
    {
        Map<String, String> map = rows.map(column);
        if (map.isEmpty() || headers.isEmpty()) {
            return;
        }
        Map<String, String> changed = null;
        for (Map.Entry<String, String> header : map.entrySet()) {
            if (headers.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                if (changed == null) {
                    changed = new LinkedHashMap<>(map);
                }
                changed.put(header.getKey(), marker(header.getValue(), "header"));
            }
        }
        if (changed != null) {
            rows.set(column, changed);
        }
    }

    private void allValues(Rows rows, Column column, String what)
    {
        Map<String, String> map = rows.map(column);
        if (!map.isEmpty()) {
            Map<String, String> changed = new LinkedHashMap<>(map);
            changed.replaceAll((name, value) -> marker(value, what));
            rows.set(column, changed);
        }
    }

    /** Query string (the parsed map and the URL itself). */
    private void parameters(Rows rows)
    {
        Map<String, String> query = rows.map(Columns.QUERY_STRING);
        if (!query.isEmpty()) {
            Map<String, String> changed = null;
            for (Map.Entry<String, String> parameter : query.entrySet()) {
                if (secretKey(parameter.getKey())) {
                    if (changed == null) {
                        changed = new LinkedHashMap<>(query);
                    }
                    changed.put(parameter.getKey(), marker(parameter.getValue(), "parameter"));
                }
            }
            if (changed != null) {
                rows.set(Columns.QUERY_STRING, changed);
            }
        }
        text(rows, Columns.URL, this::keyedParameters);
    }

    /**
     * Form and query parameters whose names are secret keys: {@code name=value} at the start of the
     * text or after {@code ?}, {@code &} or {@code ;}, where the name is 1 to 256 characters other
     * than {@code =&;?#} and white space, and the value runs to the next {@code &;#} or white space.
     * Found as {@code (?:^|[?&;])([^=&;?#\s]{1,256})=([^&;#\s]*)} would find them, by one pass
     * over the text: that expression tried its alternatives at every position of every body, a tenth
     * of the dissect job's CPU time on the real corpus's binary bodies (RedactorTest holds the two
     * equal on random text).
     */
    private String keyedParameters(String text)
    {
        int length = text.length();
        // every parameter has an '=': text without one (most JSON, most binary bodies) costs one scan
        if (text.indexOf('=') < 0) {
            return text;
        }
        StringBuilder result = null;
        int last = 0;
        int at = 0;
        while (at < length) {
            // the name's end when a parameter starts here: at the text's start, else after a separator
            int nameStart = at;
            int nameEnd = at == 0 ? parameterNameEnd(text, 0) : -1;
            if (nameEnd < 0) {
                char separator = text.charAt(at);
                if (separator == '?' || separator == '&' || separator == ';') {
                    nameStart = at + 1;
                    nameEnd = parameterNameEnd(text, nameStart);
                }
            }
            if (nameEnd < 0) {
                at++;
                continue;
            }
            int valueStart = nameEnd + 1;
            int valueEnd = valueStart;
            while (valueEnd < length && parameterValueCharacter(text.charAt(valueEnd))) {
                valueEnd++;
            }
            // the value is cut out only for a secret name: most parameters are not secrets
            if (valueEnd > valueStart && secretKey(text.substring(nameStart, nameEnd))) {
                String value = text.substring(valueStart, valueEnd);
                if (!value.startsWith("[redacted ")) {
                    if (result == null) {
                        result = new StringBuilder(length);
                    }
                    result.append(text, last, valueStart).append(marker(value, "parameter"));
                    last = valueEnd;
                }
            }
            at = valueEnd;
        }
        return result == null ? text : result.append(text, last, length).toString();
    }

    /** Where a parameter name starting at {@code from} ends, at its {@code =}; -1 when no name of 1 to 256 characters and an {@code =} is there. */
    private static int parameterNameEnd(String text, int from)
    {
        int end = from;
        while (end < text.length() && end - from <= KEY_NAME_LIMIT && parameterNameCharacter(text.charAt(end))) {
            end++;
        }
        boolean named = end > from && end - from <= KEY_NAME_LIMIT;
        return named && end < text.length() && text.charAt(end) == '=' ? end : -1;
    }

    private static boolean parameterNameCharacter(char character)
    {
        return character != '=' && character != '?' && parameterValueCharacter(character);
    }

    /** Not {@code &;#} and not white space as regular expressions mean {@code \s} (space, tab, line feed, vertical tab, form feed, carriage return). */
    private static boolean parameterValueCharacter(char character)
    {
        return switch (character) {
            case '&', ';', '#', ' ', '\t', '\n', '\u000B', '\f', '\r' -> false;
            default -> true;
        };
    }

    /** JSON members and form parameters whose names are secret keys. */
    private String keyedMembers(String text)
    {
        return keyedParameters(jsonMembers(text));
    }

    /**
     * JSON members ({@code "name": "value"} or {@code "name": 123}) whose names are secret keys, at any
     * depth, found by one pass over the text: no regular expression (Java's engine recurses per
     * repetition of a group, so a long string of escapes would overflow the stack), no recursion.
     */
    private String jsonMembers(String text)
    {
        StringBuilder result = null;
        int last = 0;
        int at = text.indexOf('"');
        while (at >= 0 && at < text.length()) {
            int nameEnd = stringEnd(text, at);
            if (nameEnd < 0) {
                break;
            }
            int colon = skipSpace(text, nameEnd + 1);
            if (colon >= text.length() || text.charAt(colon) != ':') {
                // a string that is not a member name (a value, or text that only looks like JSON)
                at = text.indexOf('"', nameEnd + 1);
                continue;
            }
            int valueStart = skipSpace(text, colon + 1);
            int valueEnd;
            int contentStart;
            if (valueStart < text.length() && text.charAt(valueStart) == '"') {
                valueEnd = stringEnd(text, valueStart);
                if (valueEnd < 0) {
                    break;
                }
                contentStart = valueStart + 1;
            }
            else {
                valueEnd = valueStart;
                while (valueEnd < text.length() && valueEnd - valueStart < 64 && "-0123456789.eEtruefalsn".indexOf(text.charAt(valueEnd)) >= 0) {
                    valueEnd++;
                }
                contentStart = valueStart;
            }
            if (valueEnd > contentStart && nameEnd - at - 1 <= KEY_NAME_LIMIT && secretKey(text.substring(at + 1, nameEnd))) {
                String value = text.substring(contentStart, valueEnd);
                if (!value.startsWith("[redacted ")) {
                    if (result == null) {
                        result = new StringBuilder(text.length());
                    }
                    result.append(text, last, contentStart).append(marker(value, "json"));
                    last = valueEnd;
                }
            }
            at = text.indexOf('"', valueEnd + (valueEnd < text.length() && text.charAt(valueEnd) == '"' ? 1 : 0));
        }
        return result == null ? text : result.append(text, last, text.length()).toString();
    }

    /** Whether a key name's value is a secret: the name matches a key rule as a whole. */
    private boolean secretKey(String name)
    {
        Boolean secret = secretKeys.get(name);
        if (secret == null) {
            if (secretKeys.size() >= SECRET_KEYS_REMEMBERED) {
                secretKeys.clear();
            }
            secret = keys.matcher(name).matches();
            secretKeys.put(name, secret);
        }
        return secret;
    }

    /** The index of the quote that closes the JSON string opening at {@code open}; -1 when it never closes. */
    private static int stringEnd(String text, int open)
    {
        for (int index = open + 1; index < text.length(); index++) {
            char character = text.charAt(index);
            if (character == '\\') {
                index++;
            }
            else if (character == '"') {
                return index;
            }
        }
        return -1;
    }

    private static int skipSpace(String text, int from)
    {
        int index = from;
        while (index < text.length() && Character.isWhitespace(text.charAt(index))) {
            index++;
        }
        return index;
    }

    private String replaceGroups(Pattern pattern, String text, String what)
    {
        Matcher matcher = pattern.matcher(text);
        StringBuilder result = null;
        int last = 0;
        while (matcher.find()) {
            for (int group = 1; group <= matcher.groupCount(); group++) {
                if (matcher.group(group) != null && matcher.start(group) >= last) {
                    if (result == null) {
                        result = new StringBuilder(text.length());
                    }
                    result.append(text, last, matcher.start(group)).append(marker(matcher.group(group), what));
                    last = matcher.end(group);
                }
            }
        }
        return result == null ? text : result.append(text, last, text.length()).toString();
    }

    private String patterns(String text)
    {
        String result = text;
        for (Pattern pattern : patterns) {
            Matcher matcher = pattern.matcher(result);
            StringBuilder replaced = null;
            int last = 0;
            while (matcher.find()) {
                int group = matcher.groupCount() >= 1 && matcher.group(1) != null ? 1 : 0;
                if (matcher.end(group) == matcher.start(group)) {
                    continue;
                }
                if (replaced == null) {
                    replaced = new StringBuilder(result.length());
                }
                replaced.append(result, last, matcher.start(group)).append(marker(matcher.group(group), "pattern"));
                last = matcher.end(group);
            }
            if (replaced != null) {
                result = replaced.append(result, last, result.length()).toString();
            }
        }
        return result;
    }

    /**
     * Redis credentials: {@code AUTH [user] password}, {@code HELLO ... AUTH user password},
     * {@code CONFIG SET requirepass|masterauth value}, {@code MIGRATE ... AUTH password | AUTH2 user password}.
     */
    private void redis(Rows rows)
    {
        Object command = rows.get(Columns.REDIS_COMMAND);
        if (!(command instanceof String line) || line.isEmpty()) {
            return;
        }
        String[] words = line.split(" ", -1);
        String verb = words[0].toUpperCase(Locale.ROOT);
        int from = -1;
        switch (verb) {
            case "AUTH" -> from = 1;
            case "HELLO", "MIGRATE" -> {
                for (int index = 1; index < words.length; index++) {
                    String word = words[index].toUpperCase(Locale.ROOT);
                    if (word.equals("AUTH") || word.equals("AUTH2")) {
                        from = index + (word.equals("AUTH2") || verb.equals("HELLO") ? 2 : 1);
                        break;
                    }
                }
            }
            case "CONFIG" -> {
                if (words.length > 3 && words[1].equalsIgnoreCase("SET")
                        && (words[2].equalsIgnoreCase("requirepass") || words[2].equalsIgnoreCase("masterauth"))) {
                    from = 3;
                }
            }
            default -> {
            }
        }
        if (from < 0 || from >= words.length) {
            return;
        }
        if (verb.equals("AUTH")) {
            // AUTH password, or AUTH user password: the last word is the password
            from = words.length - 1;
            // the key column holds the first argument: the password itself when there is no user
            if (rows.get(Columns.REDIS_KEY) instanceof String key && !key.isEmpty()) {
                rows.set(Columns.REDIS_KEY, marker(key, "redis"));
            }
        }
        words[from] = marker(words[from], "redis");
        rows.set(Columns.REDIS_COMMAND, String.join(" ", words));
    }

    private void annotations(Rows rows)
    {
        for (Column column : List.of(Columns.LOCAL_ANNOTATIONS, Columns.REMOTE_ANNOTATIONS)) {
            Map<String, String> map = rows.map(column);
            if (map.isEmpty()) {
                continue;
            }
            Map<String, String> changed = null;
            for (Map.Entry<String, String> annotation : map.entrySet()) {
                if (!annotations.matcher(annotation.getKey()).matches()) {
                    if (changed == null) {
                        changed = new LinkedHashMap<>(map);
                    }
                    changed.put(annotation.getKey(), marker(annotation.getValue(), "annotation"));
                }
            }
            if (changed != null) {
                rows.set(column, changed);
            }
        }
    }

    private void text(Rows rows, Column column, java.util.function.UnaryOperator<String> redact)
    {
        if (rows.get(column) instanceof String text && !text.isEmpty()) {
            String redacted = redact.apply(text);
            if (!redacted.equals(text)) {
                rows.set(column, redacted);
            }
        }
    }

    /** A bytes column, as ISO-8859-1 text (one char per byte), so the secret's own bytes are what is replaced. */
    private void bytes(Rows rows, Column column, java.util.function.UnaryOperator<String> redact)
    {
        if (!(rows.get(column) instanceof ByteBuffer buffer) || !buffer.hasRemaining()) {
            return;
        }
        ByteBuffer view = buffer.duplicate();
        byte[] bytes = new byte[view.remaining()];
        view.get(bytes);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        String redacted = redact.apply(text);
        if (!redacted.equals(text)) {
            rows.set(column, redacted.getBytes(StandardCharsets.ISO_8859_1));
        }
    }

    /** The marker that stands for a secret: its length in bytes and, with a key, its keyed hash. */
    String marker(String secret, String what)
    {
        report.increment("redacted." + what);
        byte[] bytes = secret.getBytes(StandardCharsets.ISO_8859_1.newEncoder().canEncode(secret) ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
        if (mac == null) {
            return "[redacted " + bytes.length + " bytes]";
        }
        byte[] hash = mac.doFinal(bytes);
        return "[redacted " + bytes.length + " bytes hmac " + HexFormat.of().formatHex(hash, 0, 8) + "]";
    }
}
