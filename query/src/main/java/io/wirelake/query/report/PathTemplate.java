package io.wirelake.query.report;

import java.util.regex.Pattern;

/**
 * Path templates: an endpoint is a path with its identifiers taken out, so
 * {@code /api/v1/orders/6196} and {@code /api/v1/orders/4137} are one endpoint,
 * {@code /api/v1/orders/{id}}. A path segment is an identifier when it is
 * <ul>
 * <li>all decimal digits ({@code 6196}),</li>
 * <li>a UUID in its 8-4-4-4-12 hex form, any case ({@code 3f2b…-…}),</li>
 * <li>or a long hex id: 16 or more hex digits ({@code 9f86d081884c7d65}: hashes, object ids).</li>
 * </ul>
 * Everything after a {@code ?} is dropped. The same rule runs in Java and as SQL on Trino
 * ({@link #sql}), so reports and the tests that check them agree.
 */
public final class PathTemplate
{
    public static final String ID = "{id}";
    /** One segment that is an identifier; RE2 syntax, so it means the same in Trino (RE2J) and Java. */
    static final String IDENTIFIER = "^([0-9]+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{16,})$";
    private static final Pattern IDENTIFIER_PATTERN = Pattern.compile(IDENTIFIER);

    private PathTemplate() {}

    public static String of(String path)
    {
        int query = path.indexOf('?');
        String bare = query >= 0 ? path.substring(0, query) : path;
        String[] segments = bare.split("/", -1);
        StringBuilder template = new StringBuilder(bare.length());
        for (int index = 0; index < segments.length; index++) {
            if (index > 0) {
                template.append('/');
            }
            template.append(IDENTIFIER_PATTERN.matcher(segments[index]).matches() ? ID : segments[index]);
        }
        return template.toString();
    }

    /** The same template as a Trino expression over a varchar expression. */
    public static String sql(String pathExpression)
    {
        return "array_join(transform(split(split_part(" + pathExpression + ", '?', 1), '/'), segment -> CASE WHEN regexp_like(segment, '"
                + IDENTIFIER + "') THEN '" + ID + "' ELSE segment END), '/')";
    }
}
