package io.wirelake.query;

import io.wirelake.kfl.SqlText;
import io.wirelake.query.report.PathTemplate;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** Path templates: the documented rule, and the same answers from the Java rule and the SQL Trino runs. */
class ReportVocabularyTest
{
    private static final List<String[]> CASES = List.of(
            new String[] {"/api/v1/orders/6196", "/api/v1/orders/{id}"},
            new String[] {"/api/v1/orders/6196/items/2", "/api/v1/orders/{id}/items/{id}"},
            new String[] {"/users/3f2b8a1c-9d4e-4f6a-8b7c-1a2b3c4d5e6f/cart", "/users/{id}/cart"},
            new String[] {"/users/3F2B8A1C-9D4E-4F6A-8B7C-1A2B3C4D5E6F", "/users/{id}"},
            new String[] {"/blobs/9f86d081884c7d659a2feaa0c55ad015", "/blobs/{id}"},
            new String[] {"/blobs/9f86d081884c7d6", "/blobs/9f86d081884c7d6"},
            new String[] {"/api/v2/search?q=123&page=4", "/api/v2/search"},
            new String[] {"/1/2/3", "/{id}/{id}/{id}"},
            new String[] {"/1/2/3/4/5/x/6/7", "/{id}/{id}/{id}/{id}/{id}/x/{id}/{id}"},
            new String[] {"123", "{id}"},
            new String[] {"12/34", "{id}/{id}"},
            new String[] {"//7//8", "//{id}//{id}"},
            new String[] {"/12b/b12/0x12", "/12b/b12/0x12"},
            new String[] {"/9/a?b=/1/2", "/{id}/a"},
            new String[] {"/ABCDEF0123456789abcdef", "/{id}"},
            new String[] {"/v1", "/v1"},
            new String[] {"/order-42", "/order-42"},
            new String[] {"/", "/"},
            new String[] {"", ""},
            new String[] {"/trailing/7/", "/trailing/{id}/"},
            new String[] {"/shop.Recommendations/List", "/shop.Recommendations/List"},
            new String[] {"/caf\u00e9/123", "/caf\u00e9/{id}"});

    @Test
    void javaRule()
    {
        for (String[] example : CASES) {
            assertThat(PathTemplate.of(example[0])).as(example[0]).isEqualTo(example[1]);
        }
    }

    @Test
    void trinoAgrees()
            throws Exception
    {
        String values = CASES.stream().map(example -> "(" + SqlText.string(example[0]) + ")").collect(Collectors.joining(", "));
        List<String> templates = new ArrayList<>();
        try (Connection connection = SharedTrino.get().connect(); Statement statement = connection.createStatement();
                ResultSet results = statement.executeQuery("SELECT " + PathTemplate.sql("path") + " FROM (VALUES " + values + ") AS paths(path) ORDER BY path")) {
            while (results.next()) {
                templates.add(results.getString(1));
            }
        }
        List<String> expected = CASES.stream().sorted(java.util.Comparator.comparing((String[] example) -> example[0])).map(example -> example[1]).toList();
        assertThat(templates).isEqualTo(expected);
    }
}
