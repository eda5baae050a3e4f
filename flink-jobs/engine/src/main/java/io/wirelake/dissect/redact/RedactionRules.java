package io.wirelake.dissect.redact;

import java.io.Serializable;
import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static java.util.Objects.requireNonNull;

/**
 * What is redacted at dissection time, before any row is written: a small serialisable value (a
 * dissection spec carries it to every task). Names are matched without case.
 *
 * @param enabled false: nothing is redacted ({@code --redact none})
 * @param headers HTTP header names whose values are secrets (request and response); cookies are
 *        redacted with the {@code cookie} and {@code set-cookie} headers
 * @param keys regular expressions a whole key name must match for its value to be a secret: query
 *        string and form parameters, and JSON members at any depth of request and response bodies
 *        and WebSocket payloads
 * @param patterns regular expressions found anywhere in text columns and bodies; a pattern with a
 *        group redacts the group, else the whole match
 * @param annotations regular expressions an annotation name must match to be kept as it is (an
 *        allow-list); every other Kubernetes annotation's value is redacted
 * @param protocolCommands the credential commands of Redis ({@code AUTH}, {@code HELLO ... AUTH},
 *        {@code CONFIG SET requirepass|masterauth}) and of text protocols no dissector claims (FTP and
 *        POP3 {@code PASS}, SMTP {@code AUTH PLAIN|LOGIN}, IMAP {@code LOGIN})
 */
public record RedactionRules(boolean enabled, List<String> headers, List<String> keys, List<String> patterns, List<String> annotations,
        boolean protocolCommands)
        implements Serializable
{
    public static final List<String> DEFAULT_HEADERS = List.of("authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key",
            "api-key", "apikey", "x-auth-token", "x-access-token", "x-amz-security-token", "x-goog-api-key", "x-csrf-token", "x-xsrf-token",
            "private-token", "x-vault-token");
    public static final List<String> DEFAULT_KEYS = List.of(
            "(?i).*(password|passwd|passphrase|pwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key|credential|session[-_]?id|auth).*");
    /** Annotations kept as they are: those that describe, not those that carry configuration (kubectl's last-applied-configuration is out). */
    public static final List<String> DEFAULT_ANNOTATIONS = List.of("prometheus\\.io/.*", "deployment\\.kubernetes\\.io/revision",
            "kubectl\\.kubernetes\\.io/(restartedAt|default-container)", "kubernetes\\.io/(description|psp)", "app\\.kubernetes\\.io/.*",
            "sidecar\\.istio\\.io/(status|inject)", "cluster-autoscaler\\.kubernetes\\.io/safe-to-evict", "seccomp\\.security\\.alpha\\.kubernetes\\.io/.*");

    public static final RedactionRules DEFAULTS = new RedactionRules(true, DEFAULT_HEADERS, DEFAULT_KEYS, List.of(), DEFAULT_ANNOTATIONS, true);
    public static final RedactionRules NONE = new RedactionRules(false, List.of(), List.of(), List.of(), List.of(), false);

    public RedactionRules
    {
        headers = List.copyOf(requireNonNull(headers, "headers is null"));
        keys = List.copyOf(requireNonNull(keys, "keys is null"));
        patterns = List.copyOf(requireNonNull(patterns, "patterns is null"));
        annotations = List.copyOf(requireNonNull(annotations, "annotations is null"));
        for (List<String> expressions : List.of(keys, patterns, annotations)) {
            for (String expression : expressions) {
                try {
                    Pattern.compile(expression);
                }
                catch (PatternSyntaxException e) {
                    throw new IllegalArgumentException("not a regular expression: " + expression + " (" + e.getDescription() + ")");
                }
            }
        }
    }

    /** These rules with more: the default rules plus a file's, say. */
    public RedactionRules plus(RedactionRules more)
    {
        return new RedactionRules(enabled && more.enabled, concat(headers, more.headers), concat(keys, more.keys), concat(patterns, more.patterns),
                concat(annotations, more.annotations), protocolCommands || more.protocolCommands);
    }

    private static List<String> concat(List<String> first, List<String> second)
    {
        return java.util.stream.Stream.concat(first.stream(), second.stream()).distinct().toList();
    }
}
