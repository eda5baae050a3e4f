package io.wirelake.query.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The little HTML the reports need: text escaped for HTML, data made safe inside a script element, vendored scripts. */
final class Html
{
    private Html() {}

    static String escape(String text)
    {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int index = 0; index < text.length(); index++) {
            char character = text.charAt(index);
            switch (character) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                default -> escaped.append(character < 0x20 && character != '\n' && character != '\t' ? '\uFFFD' : character);
            }
        }
        return escaped.toString();
    }

    /** JSON text placed in a {@code <script>} element: nothing in it can close the element or start a comment. */
    static String scriptJson(String json)
    {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }

    /** A script vendored under resources/io/wirelake/query/report/vendor (see tools/web). */
    static String vendored(String name)
    {
        try (InputStream input = Html.class.getResourceAsStream("vendor/" + name)) {
            if (input == null) {
                throw new IllegalStateException("the vendored script " + name + " is missing from the build");
            }
            return new String(input.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
