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
    /** How every marker starts; a JSON value that starts so is taken as redacted already. */
    static final byte[] MARKER_START = "[redacted ".getBytes(StandardCharsets.US_ASCII);
    /** Lines of text protocols that carry credentials (RFC 959 PASS, RFC 1939 PASS, RFC 4954 AUTH, RFC 9051 LOGIN). */
    private static final Pattern TEXT_COMMAND = Pattern.compile(
            "(?im)^(?:PASS[ \\t]+(.+?)|AUTH[ \\t]+(?:PLAIN|LOGIN|XOAUTH2|CRAM-MD5)[ \\t]+(.+?)|[A-Za-z0-9.]+[ \\t]+LOGIN[ \\t]+\\S+[ \\t]+(.+?)|"
                    + "[A-Za-z0-9.]+[ \\t]+AUTHENTICATE[ \\t]+\\S+[ \\t]+(.+?))\\r?$");

    private final Redaction redaction;
    private final RedactionRules rules;
    private final ScanReport report;
    private final Set<String> headers;
    private final List<Pattern> patterns;
    private final Pattern annotations;
    /** The values of secret keys in bodies, parameters and text; null without key rules. */
    private final KeyedValues keyed;
    private final Mac mac;

    public Redactor(Redaction redaction, ScanReport report)
    {
        this.redaction = requireNonNull(redaction, "redaction is null");
        this.rules = redaction.rules();
        this.report = requireNonNull(report, "report is null");
        this.headers = rules.headers().stream().map(name -> name.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.keyed = rules.keys().isEmpty() ? null
                : new KeyedValues(Pattern.compile(String.join("|", rules.keys().stream().map(key -> "(?:" + key + ")").toList()), Pattern.CASE_INSENSITIVE),
                        this::marker);
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
        if (keyed != null) {
            parameters(rows);
            keyedBytes(rows, Columns.REQUEST_BODY);
            keyedBytes(rows, Columns.RESPONSE_BODY);
            text(rows, Columns.WS_REQUEST_PAYLOAD_DATA, text -> keyed.redact(text, false));
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
                if (keyed.secret(parameter.getKey())) {
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
        text(rows, Columns.URL, text -> keyed.redact(text, true));
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

    /** A body's secret JSON members and parameters, found in its bytes where they are. */
    private void keyedBytes(Rows rows, Column column)
    {
        if (!(rows.get(column) instanceof ByteBuffer buffer) || !buffer.hasRemaining()) {
            return;
        }
        byte[] redacted;
        if (buffer.hasArray()) {
            int from = buffer.arrayOffset() + buffer.position();
            redacted = keyed.redact(buffer.array(), from, from + buffer.remaining());
        }
        else {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.duplicate().get(bytes);
            redacted = keyed.redact(bytes, 0, bytes.length);
        }
        if (redacted != null) {
            rows.set(column, redacted);
        }
    }

    /** A bytes column, as ISO-8859-1 text (one char per byte), so the secret's own bytes are what is replaced. */
    private void bytes(Rows rows, Column column, java.util.function.UnaryOperator<String> redact)
    {
        if (!(rows.get(column) instanceof ByteBuffer buffer) || !buffer.hasRemaining()) {
            return;
        }
        String text = buffer.hasArray()
                ? new String(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining(), StandardCharsets.ISO_8859_1)
                : StandardCharsets.ISO_8859_1.decode(buffer.duplicate()).toString();
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
