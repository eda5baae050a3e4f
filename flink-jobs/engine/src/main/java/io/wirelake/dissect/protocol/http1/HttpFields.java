package io.wirelake.dissect.protocol.http1;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Field extraction shared by HTTP versions: path, query parameters, cookies. */
public final class HttpFields
{
    /** A header as HTTP/1 and HTTP/2 both have it: a lower-case name and a value. */
    public interface Header
    {
        String name();

        String value();
    }

    private HttpFields() {}

    /** The path of a request target (origin-form or absolute-form), without the query. */
    public static String path(String target)
    {
        String path = target;
        int scheme = path.indexOf("://");
        if (scheme > 0 && scheme < 10) {
            int slash = path.indexOf('/', scheme + 3);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        int fragment = path.indexOf('#');
        return fragment >= 0 ? path.substring(0, fragment) : path;
    }

    /** Query parameters, percent-decoded; the first value of a repeated name wins. */
    public static Map<String, String> queryParameters(String target)
    {
        Map<String, String> parameters = new LinkedHashMap<>();
        int query = target.indexOf('?');
        if (query < 0) {
            return parameters;
        }
        String text = target.substring(query + 1);
        int fragment = text.indexOf('#');
        if (fragment >= 0) {
            text = text.substring(0, fragment);
        }
        for (String pair : text.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.putIfAbsent(name, value);
        }
        return parameters;
    }

    /** Cookies of the request's Cookie headers (RFC 6265 section 5.4). */
    public static Map<String, String> requestCookies(List<? extends Header> headers)
    {
        Map<String, String> cookies = new LinkedHashMap<>();
        for (Header header : headers) {
            if (!header.name().equals("cookie")) {
                continue;
            }
            for (String pair : header.value().split(";")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    cookies.putIfAbsent(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
                }
            }
        }
        return cookies;
    }

    /** Name and value of each Set-Cookie header (RFC 6265 section 5.2), attributes left out. */
    public static Map<String, String> responseCookies(List<? extends Header> headers)
    {
        Map<String, String> cookies = new LinkedHashMap<>();
        for (Header header : headers) {
            if (!header.name().equals("set-cookie")) {
                continue;
            }
            String pair = header.value();
            int semicolon = pair.indexOf(';');
            if (semicolon >= 0) {
                pair = pair.substring(0, semicolon);
            }
            int equals = pair.indexOf('=');
            if (equals > 0) {
                cookies.put(pair.substring(0, equals).trim(), pair.substring(equals + 1).trim());
            }
        }
        return cookies;
    }

    private static String decode(String text)
    {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        }
        catch (IllegalArgumentException e) {
            return text;
        }
    }
}
