package io.wirelake.dissect.protocol.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.columns.Columns;
import io.wirelake.dissect.rows.Rows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * GraphQL over HTTP (the GraphQL-over-HTTP specification): a POST whose JSON body (or batch of
 * bodies) has a {@code query} string, a POST of {@code application/graphql}, or a GET with a
 * {@code query} parameter, where the string is a GraphQL document. The row gets {@code gql} and
 * {@code gqlv1} (HTTP/1.x) or {@code gqlv2} (HTTP/2), the operation's type and name, and the
 * protocol name {@code GraphQL}. A body cut by the body cap, or not GraphQL, leaves the row HTTP.
 */
public final class GraphQl
{
    /** The executed operation: its type and name ("" when anonymous). */
    public record Operation(String type, String name) {}

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] QUERY_KEY = "\"query\"".getBytes(StandardCharsets.US_ASCII);
    /** A backslash-u escape: a key may spell {@code query} with one. */
    private static final byte[] ESCAPE = "\\u".getBytes(StandardCharsets.US_ASCII);

    private GraphQl() {}

    /** Marks an HTTP row as GraphQL when its request is one. */
    public static void mark(Rows rows, String method, Map<String, String> queryParameters, String contentType, byte[] body, boolean http2)
    {
        Optional<Operation> operation = operation(method, queryParameters, contentType, body);
        if (operation.isEmpty()) {
            return;
        }
        rows.set(Columns.GQL, true);
        rows.set(http2 ? Columns.GQLV2 : Columns.GQLV1, true);
        rows.set(Columns.PROTOCOL, "GraphQL");
        rows.set(Columns.GQL_OPERATION_TYPE, operation.get().type());
        rows.set(Columns.GQL_OPERATION_NAME, operation.get().name());
    }

    public static Optional<Operation> operation(String method, Map<String, String> queryParameters, String contentType, byte[] body)
    {
        String type = contentType.toLowerCase(Locale.ROOT);
        if (method.equals("GET")) {
            String query = queryParameters.get("query");
            return query == null ? Optional.empty() : parse(query, queryParameters.getOrDefault("operationName", ""));
        }
        if (!method.equals("POST") || body == null || body.length == 0) {
            return Optional.empty();
        }
        if (type.startsWith("application/graphql") && !type.contains("json")) {
            return parse(new String(body, StandardCharsets.UTF_8), "");
        }
        if (!type.isEmpty() && !type.contains("json")) {
            return Optional.empty();
        }
        // A JSON request has a "query" member. Bodies that cannot have one (the key neither
        // written plainly nor with an escape that could spell it) are not parsed: most JSON POSTs
        // of an API are not GraphQL, and building their tree was the top frame of HTTP/1 dissection
        // on the generator's traffic.
        if (indexOf(body, QUERY_KEY) < 0 && indexOf(body, ESCAPE) < 0) {
            return Optional.empty();
        }
        JsonNode document;
        try {
            document = JSON.readTree(body);
        }
        catch (IOException e) {
            return Optional.empty();
        }
        if (document != null && document.isArray() && document.size() > 0) {
            document = document.get(0);
        }
        if (document == null || !document.isObject() || !document.path("query").isTextual()) {
            return Optional.empty();
        }
        return parse(document.path("query").asText(), document.path("operationName").isTextual() ? document.path("operationName").asText() : "");
    }

    /** Where {@code needle} first occurs in {@code haystack}; -1 when it does not. */
    static int indexOf(byte[] haystack, byte[] needle)
    {
        byte first = needle[0];
        for (int at = 0; at <= haystack.length - needle.length; at++) {
            if (haystack[at] != first) {
                continue;
            }
            int matched = 1;
            while (matched < needle.length && haystack[at + matched] == needle[matched]) {
                matched++;
            }
            if (matched == needle.length) {
                return at;
            }
        }
        return -1;
    }

    /**
     * The operation a document executes: the one named {@code operationName}, else the first. A
     * string that is not a GraphQL document (it must start with an operation, a fragment, or a
     * selection set) gives nothing.
     */
    static Optional<Operation> parse(String document, String operationName)
    {
        Lexer lexer = new Lexer(document);
        Operation first = null;
        String token = lexer.next();
        if (token == null) {
            return Optional.empty();
        }
        while (token != null) {
            Operation operation;
            if (token.equals("{")) {
                operation = new Operation("query", "");
                lexer.skipBlock();
            }
            else if (token.equals("query") || token.equals("mutation") || token.equals("subscription")) {
                String next = lexer.next();
                String name = next != null && isName(next) ? next : "";
                if (!lexer.skipToBlock(next)) {
                    return Optional.ofNullable(first);
                }
                operation = new Operation(token, name);
            }
            else if (token.equals("fragment")) {
                if (!lexer.skipToBlock(lexer.next())) {
                    return Optional.ofNullable(first);
                }
                token = lexer.next();
                continue;
            }
            else {
                return Optional.ofNullable(first);
            }
            if (!operationName.isEmpty() && operation.name().equals(operationName)) {
                return Optional.of(new Operation(operation.type(), operationName));
            }
            if (first == null) {
                first = operation;
            }
            token = lexer.next();
        }
        if (first != null && !operationName.isEmpty() && first.name().isEmpty()) {
            return Optional.of(new Operation(first.type(), operationName));
        }
        return Optional.ofNullable(first);
    }

    private static boolean isName(String token)
    {
        if (token.isEmpty() || !(Character.isLetter(token.charAt(0)) || token.charAt(0) == '_')) {
            return false;
        }
        for (int i = 1; i < token.length(); i++) {
            char c = token.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** GraphQL's lexical grammar, enough to find top-level definitions: names, punctuators, strings, comments. */
    private static final class Lexer
    {
        private final String text;
        private int at;

        Lexer(String text)
        {
            this.text = text;
        }

        String next()
        {
            while (at < text.length()) {
                char c = text.charAt(at);
                if (c == '#') {
                    while (at < text.length() && text.charAt(at) != '\n') {
                        at++;
                    }
                }
                else if (Character.isWhitespace(c) || c == ',' || c == '\uFEFF') {
                    at++;
                }
                else {
                    break;
                }
            }
            if (at >= text.length()) {
                return null;
            }
            char c = text.charAt(at);
            if (Character.isLetter(c) || c == '_') {
                int start = at;
                while (at < text.length() && (Character.isLetterOrDigit(text.charAt(at)) || text.charAt(at) == '_')) {
                    at++;
                }
                return text.substring(start, at);
            }
            if (c == '"') {
                skipString();
                return "\"";
            }
            at++;
            return String.valueOf(c);
        }

        private void skipString()
        {
            if (text.startsWith("\"\"\"", at)) {
                int end = text.indexOf("\"\"\"", at + 3);
                at = end < 0 ? text.length() : end + 3;
                return;
            }
            at++;
            while (at < text.length() && text.charAt(at) != '"' && text.charAt(at) != '\n') {
                at += text.charAt(at) == '\\' ? 2 : 1;
            }
            at++;
        }

        /** From the given token, skips variable definitions and directives up to and over the operation's selection set. */
        boolean skipToBlock(String token)
        {
            int parentheses = 0;
            while (token != null) {
                if (token.equals("(")) {
                    parentheses++;
                }
                else if (token.equals(")")) {
                    parentheses--;
                }
                else if (token.equals("{") && parentheses == 0) {
                    skipBlock();
                    return true;
                }
                token = next();
            }
            return false;
        }

        /** After a "{": to its matching "}". */
        void skipBlock()
        {
            int depth = 1;
            while (depth > 0) {
                String token = next();
                if (token == null) {
                    return;
                }
                if (token.equals("{")) {
                    depth++;
                }
                else if (token.equals("}")) {
                    depth--;
                }
            }
        }
    }
}
