package io.wirelake.dissect.redact;

import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.dissect.rows.Rows;
import io.wirelake.dissect.scan.ScanReport;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Each rule on rows as the dissectors fill them: what is replaced, what stays, and what the report counts. */
class RedactorTest
{
    private static final byte[] KEY = new byte[32];

    /** The default key rules as one expression, as the rules say a whole name must match one of them. */
    private static final Pattern DEFAULT_KEYS = Pattern.compile(String.join("|", RedactionRules.DEFAULT_KEYS.stream().map(key -> "(?:" + key + ")").toList()),
            Pattern.CASE_INSENSITIVE);

    private final ScanReport report = new ScanReport();
    private final Redactor redactor = new Redactor(new Redaction(RedactionRules.DEFAULTS, KEY), report);

    private static Rows row()
    {
        return Rows.of(TableSchema.of(Table.API_CALLS), TableSchema.of(Table.API_CALLS).newRow());
    }

    private static String text(Rows rows, io.wirelake.columns.Column column)
    {
        ByteBuffer buffer = ((ByteBuffer) rows.get(column)).duplicate();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void headersAndCookiesKeepTheirLengthAndCorrelate()
    {
        Rows rows = row();
        rows.set(Columns.REQUEST_HEADERS, Map.of("authorization", "Bearer abc", "x-api-key", "k1", "accept", "*/*"));
        rows.set(Columns.REQUEST_COOKIES, Map.of("session", "s3cr3t"));
        redactor.call(rows);
        Map<String, String> headers = rows.map(Columns.REQUEST_HEADERS);
        assertThat(headers.get("authorization")).startsWith("[redacted 10 bytes hmac ");
        assertThat(headers.get("x-api-key")).startsWith("[redacted 2 bytes hmac ");
        assertThat(headers.get("accept")).isEqualTo("*/*");
        assertThat(rows.map(Columns.REQUEST_COOKIES).get("session")).startsWith("[redacted 6 bytes");
        Rows again = row();
        again.set(Columns.REQUEST_HEADERS, Map.of("Authorization", "Bearer abc"));
        redactor.call(again);
        assertThat(again.map(Columns.REQUEST_HEADERS).get("Authorization")).isEqualTo(headers.get("authorization"));
        assertThat(report.get("redacted.header")).isEqualTo(3);
        assertThat(report.get("redacted.cookie")).isEqualTo(1);
    }

    @Test
    void secretParametersInQueryStringUrlFormAndJson()
    {
        Rows rows = row();
        rows.set(Columns.URL, "/login?user=bob&password=hunter2&next=/");
        rows.set(Columns.QUERY_STRING, Map.of("user", "bob", "password", "hunter2"));
        rows.set(Columns.REQUEST_BODY, "{\"user\":\"bob\",\"nested\":{\"client_secret\":\"abc\\\"def\",\"pin\":1234},\"apiKey\":42}".getBytes(StandardCharsets.UTF_8));
        rows.set(Columns.RESPONSE_BODY, "grant_type=password&access_token=tok123&scope=read".getBytes(StandardCharsets.UTF_8));
        redactor.call(rows);
        assertThat(rows.get(Columns.URL)).isEqualTo("/login?user=bob&password=[redacted 7 bytes hmac " + hmac("hunter2") + "]&next=/");
        assertThat(rows.map(Columns.QUERY_STRING)).containsEntry("user", "bob").doesNotContainValue("hunter2");
        String body = text(rows, Columns.REQUEST_BODY);
        assertThat(body).contains("\"user\":\"bob\"").doesNotContain("abc").contains("\"apiKey\":[redacted 2 bytes").contains("\"pin\":1234");
        assertThat(text(rows, Columns.RESPONSE_BODY)).startsWith("grant_type=password&access_token=[redacted 6 bytes").endsWith("&scope=read");
    }

    @Test
    void redisCredentials()
    {
        for (List<String> commandAndRedacted : List.of(List.of("AUTH pw1", "AUTH [redacted 3 bytes"), List.of("AUTH alice pw2", "AUTH alice [redacted 3 bytes"),
                List.of("HELLO 3 AUTH alice pw3 SETNAME x", "HELLO 3 AUTH alice [redacted 3 bytes"),
                List.of("CONFIG SET requirepass pw4", "CONFIG SET requirepass [redacted 3 bytes"))) {
            Rows rows = row();
            rows.set(Columns.REDIS_COMMAND, commandAndRedacted.get(0));
            rows.set(Columns.REDIS_KEY, commandAndRedacted.get(0).split(" ")[1]);
            redactor.call(rows);
            assertThat(rows.get(Columns.REDIS_COMMAND).toString()).startsWith(commandAndRedacted.get(1)).doesNotContain("pw");
            if (commandAndRedacted.get(0).startsWith("AUTH")) {
                assertThat(rows.get(Columns.REDIS_KEY).toString()).startsWith("[redacted");
            }
        }
        Rows get = row();
        get.set(Columns.REDIS_COMMAND, "GET password");
        redactor.call(get);
        assertThat(get.get(Columns.REDIS_COMMAND)).isEqualTo("GET password");
    }

    @Test
    void loginsOfTextProtocolsNoDissectorClaims()
    {
        for (String payload : List.of("USER bob\r\nPASS ftp-secret\r\n", "a1 LOGIN bob imap-secret\r\n", "EHLO x\r\nAUTH PLAIN AGJvYgBzZWNyZXQ=\r\n")) {
            Rows rows = row();
            rows.set(Columns.TCP_PAYLOAD, payload.getBytes(StandardCharsets.US_ASCII));
            redactor.call(rows);
            String redacted = text(rows, Columns.TCP_PAYLOAD);
            assertThat(redacted).contains("[redacted ").doesNotContain("secret").doesNotContain("AGJvYgBzZWNyZXQ=");
        }
        assertThat(report.get("redacted.text_command")).isEqualTo(3);
    }

    @Test
    void annotationsByAllowList()
    {
        Rows rows = row();
        rows.set(Columns.LOCAL_ANNOTATIONS, Map.of("prometheus.io/scrape", "true", "kubectl.kubernetes.io/last-applied-configuration", "{\"spec\":1}"));
        redactor.call(rows);
        assertThat(rows.map(Columns.LOCAL_ANNOTATIONS)).containsEntry("prometheus.io/scrape", "true");
        assertThat(rows.map(Columns.LOCAL_ANNOTATIONS).get("kubectl.kubernetes.io/last-applied-configuration")).startsWith("[redacted 10 bytes");
    }

    @Test
    void patternsRedactTheirGroupOrTheWholeMatch()
    {
        Redactor custom = new Redactor(new Redaction(new RedactionRules(true, List.of(), List.of(),
                List.of("sk_live_([A-Za-z0-9]+)", "\\b[0-9]{3}-[0-9]{2}-[0-9]{4}\\b"), List.of(".*"), false), new byte[0]), report);
        Rows rows = row();
        rows.set(Columns.PATH, "/pay/sk_live_AbC123/ssn/123-45-6789");
        custom.call(rows);
        assertThat(rows.get(Columns.PATH)).isEqualTo("/pay/sk_live_[redacted 6 bytes]/ssn/[redacted 11 bytes]");
    }

    @Test
    void noneRedactsNothing()
    {
        Redactor none = new Redactor(Redaction.NONE, report);
        Rows rows = row();
        rows.set(Columns.REQUEST_HEADERS, Map.of("authorization", "Bearer abc"));
        none.call(rows);
        assertThat(rows.map(Columns.REQUEST_HEADERS)).containsEntry("authorization", "Bearer abc");
        assertThat(report.withPrefix("redacted.")).isEmpty();
    }

    @Test
    void aHostileBodyCostsLinearTimeAndNoDeepRecursion()
            throws Exception
    {
        // 64 KiB of a JSON string made of escapes and of one long plain run: Java's regex engine recurses per
        // repetition of a group, so a pattern that took one character per step would overflow the stack here
        StringBuilder body = new StringBuilder("{\"password\":\"");
        body.append("\\\"".repeat(16_000)).append("x".repeat(32_000)).append("\"}");
        Rows rows = row();
        rows.set(Columns.REQUEST_BODY, body.toString().getBytes(StandardCharsets.US_ASCII));
        rows.set(Columns.WS_REQUEST_PAYLOAD_DATA, body.toString());
        // on a thread with a small stack, as a task thread's may be
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread thread = new Thread(null, () -> {
            try {
                redactor.call(rows);
            }
            catch (Throwable e) {
                failure.set(e);
            }
        }, "small-stack", 256 * 1024);
        thread.start();
        thread.join();
        assertThat(failure.get()).isNull();
        assertThat(text(rows, Columns.REQUEST_BODY)).startsWith("{\"password\":\"[redacted 64000 bytes");
        assertThat(rows.get(Columns.WS_REQUEST_PAYLOAD_DATA).toString()).startsWith("{\"password\":\"[redacted 64000 bytes");
    }

    /**
     * The byte scanner of JSON members against the string scanner it replaced (kept below as it
     * was), on random JSON-like text made of the characters that matter (quotes, escapes, colons,
     * white space, literals, secret and plain names, bytes beyond ASCII, characters and white space
     * beyond ISO-8859-1), as a body and as a text column: the same members redacted, byte for byte.
     */
    @Test
    void jsonMembersAreFoundAsTheStringScannerFoundThem()
    {
        String[] pieces = {"\"", "\"", "\"", "\"", ":", ":", " : ", "\\", "\\\"", "{", "}", ",", "[", "]", " ", "\t", "\n", "\u001C", "\u00A0", "\u00E9",
                "token", "Password", "user", "apiKey", "id", "12", "\"token\":", "\"Password\" :", "\"apiKey\":\"", "\"id\":", "\u2603",
                // white space beyond ISO-8859-1 (JSON white space to the string scanner), and names of up to 256 characters beyond it
                "\u3000", "\u2028", "\u1680", "\"password\"\u3000:", "\"" + "\u2603".repeat(250) + "token\":", "\"" + "\u2603".repeat(251) + "token\":",
                "-3.5e7", "true", "null", "x", "[redacted ", "[redacted 3 bytes]",
                "a".repeat(255), "b".repeat(256), "c".repeat(257), "7".repeat(63), "8".repeat(70)};
        Random random = new Random(11);
        int redactedTexts = 0;
        for (int round = 0; round < 20_000; round++) {
            String text = randomText(random, pieces, 30);
            // a body is bytes: a character beyond ISO-8859-1 cannot be in one
            String body = new String(text.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1);
            String expected = oldJsonMembers(DEFAULT_KEYS, text);
            Rows rows = row();
            rows.set(Columns.REQUEST_BODY, body.getBytes(StandardCharsets.ISO_8859_1));
            rows.set(Columns.WS_REQUEST_PAYLOAD_DATA, text);
            redactor.call(rows);
            // no '=' among the pieces: the parameter pass that follows the JSON pass finds nothing
            assertThat(text(rows, Columns.REQUEST_BODY)).as("%s", body.replace("\n", "\\n")).isEqualTo(oldJsonMembers(DEFAULT_KEYS, body));
            assertThat(rows.get(Columns.WS_REQUEST_PAYLOAD_DATA)).as("%s", text.replace("\n", "\\n")).isEqualTo(expected);
            redactedTexts += expected.equals(text) ? 0 : 1;
        }
        assertThat(redactedTexts).isBetween(500, 19_500);
    }

    /**
     * The one-pass parameter scanner against the regular expression it replaced, on random text
     * made of the characters that matter (separators, '=', white space, letters of secret and
     * plain names, a long name run): the same parameters redacted, byte for byte.
     */
    @Test
    void parametersAreFoundAsTheRegularExpressionFindsThem()
    {
        Pattern parameter = Pattern.compile("(?:^|[?&;])([^=&;?#\\s]{1,256})=([^&;#\\s]*)");
        // weighted toward what makes a parameter: separators, '=' and names, secret ones among them
        String[] pieces = {"?", "&", "&", "&", ";", "#", "=", "=", "=", "=", " ", "\t", "\n", "\u000B", "\r", "token", "token", "Password",
                "user", "x", "v", "[redacted ", "[redacted", "/", "%3D", "a".repeat(255), "b".repeat(256), "c".repeat(300), "d".repeat(251), "e".repeat(252)};
        Random random = new Random(7);
        int redactedTexts = 0;
        for (int round = 0; round < 20_000; round++) {
            String text = randomText(random, pieces, 24);
            String expected = expectedParameters(parameter, DEFAULT_KEYS, text);
            Rows rows = row();
            rows.set(Columns.URL, text);
            redactor.call(rows);
            assertThat(rows.get(Columns.URL)).as("%s", text.replace("\n", "\\n")).isEqualTo(expected);
            redactedTexts += expected.equals(text) ? 0 : 1;
        }
        // the random texts exercise both outcomes
        assertThat(redactedTexts).isBetween(500, 19_500);
    }

    /** One to {@code most} pieces, each drawn at random. */
    private static String randomText(Random random, String[] pieces, int most)
    {
        StringBuilder text = new StringBuilder();
        for (int piece = random.nextInt(most); piece >= 0; piece--) {
            text.append(pieces[random.nextInt(pieces.length)]);
        }
        return text.toString();
    }

    /** What the regular expression redacts: each match whose name is a secret key and whose value is not empty or a marker. */
    private static String expectedParameters(Pattern parameter, Pattern keys, String text)
    {
        Matcher matcher = parameter.matcher(text);
        StringBuilder result = new StringBuilder();
        int last = 0;
        while (matcher.find()) {
            String value = matcher.group(2);
            if (value.isEmpty() || value.startsWith("[redacted ") || !keys.matcher(matcher.group(1)).matches()) {
                continue;
            }
            result.append(text, last, matcher.start(2)).append("[redacted ").append(value.length()).append(" bytes hmac ").append(hmac(value)).append(']');
            last = matcher.end(2);
        }
        return result.append(text, last, text.length()).toString();
    }

    /** The JSON member scanner as it was before it read bytes (2026-12-04), with the marker as the tests compute it. */
    private static String oldJsonMembers(Pattern keys, String text)
    {
        StringBuilder result = null;
        int last = 0;
        int at = text.indexOf('"');
        while (at >= 0 && at < text.length()) {
            int nameEnd = oldStringEnd(text, at);
            if (nameEnd < 0) {
                break;
            }
            int colon = oldSkipSpace(text, nameEnd + 1);
            if (colon >= text.length() || text.charAt(colon) != ':') {
                at = text.indexOf('"', nameEnd + 1);
                continue;
            }
            int valueStart = oldSkipSpace(text, colon + 1);
            int valueEnd;
            int contentStart;
            if (valueStart < text.length() && text.charAt(valueStart) == '"') {
                valueEnd = oldStringEnd(text, valueStart);
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
            if (valueEnd > contentStart && nameEnd - at - 1 <= 256 && keys.matcher(text.substring(at + 1, nameEnd)).matches()) {
                String value = text.substring(contentStart, valueEnd);
                if (!value.startsWith("[redacted ")) {
                    if (result == null) {
                        result = new StringBuilder(text.length());
                    }
                    java.nio.charset.Charset charset = StandardCharsets.ISO_8859_1.newEncoder().canEncode(value) ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
                    result.append(text, last, contentStart).append("[redacted ").append(value.getBytes(charset).length)
                            .append(" bytes hmac ").append(hmac(value, charset)).append(']');
                    last = valueEnd;
                }
            }
            at = text.indexOf('"', valueEnd + (valueEnd < text.length() && text.charAt(valueEnd) == '"' ? 1 : 0));
        }
        return result == null ? text : result.append(text, last, text.length()).toString();
    }

    private static int oldStringEnd(String text, int open)
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

    private static int oldSkipSpace(String text, int from)
    {
        int index = from;
        while (index < text.length() && Character.isWhitespace(text.charAt(index))) {
            index++;
        }
        return index;
    }

    private static String hmac(String secret)
    {
        return hmac(secret, StandardCharsets.US_ASCII);
    }

    private static String hmac(String secret, java.nio.charset.Charset charset)
    {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(KEY, "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(secret.getBytes(charset)), 0, 8);
        }
        catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }
}
