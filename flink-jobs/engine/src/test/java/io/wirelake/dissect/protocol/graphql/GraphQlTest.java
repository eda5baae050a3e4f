package io.wirelake.dissect.protocol.graphql;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Operation type and name from GraphQL-over-HTTP requests, per the GraphQL and GraphQL-over-HTTP specifications' examples. */
class GraphQlTest
{
    private static Optional<GraphQl.Operation> post(String json)
    {
        return GraphQl.operation("POST", Map.of(), "application/json", json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void operationsFromJsonBodies()
    {
        assertThat(post("{\"query\":\"query GetOrder($id: ID!) { order(id: $id) { id status } }\",\"variables\":{\"id\":\"7\"}}"))
                .contains(new GraphQl.Operation("query", "GetOrder"));
        assertThat(post("{\"query\":\"{ orders { id } }\"}")).contains(new GraphQl.Operation("query", ""));
        assertThat(post("{\"query\":\"mutation { cancel(id: 7) { ok } }\",\"operationName\":null}")).contains(new GraphQl.Operation("mutation", ""));
        // The operation operationName picks, past a fragment and a string that holds braces and a comment that names another.
        String document = "# query Decoy { x }\\nfragment F on Order { id note(text: \\\"}{\\\") }\\n"
                + "query First { a }\\nsubscription Watch($s: String = \\\"x\\\") @live { orderUpdated(status: $s) { ...F } }";
        assertThat(post("{\"query\":\"" + document + "\",\"operationName\":\"Watch\"}")).contains(new GraphQl.Operation("subscription", "Watch"));
        assertThat(post("{\"query\":\"" + document + "\"}")).contains(new GraphQl.Operation("query", "First"));
        assertThat(post("[{\"query\":\"mutation Pay { pay { ok } }\"},{\"query\":\"{ a }\"}]")).contains(new GraphQl.Operation("mutation", "Pay"));
    }

    @Test
    void getAndApplicationGraphql()
    {
        assertThat(GraphQl.operation("GET", Map.of("query", "query Me { me { name } }"), "", null)).contains(new GraphQl.Operation("query", "Me"));
        assertThat(GraphQl.operation("POST", Map.of(), "application/graphql", "mutation { a }".getBytes(StandardCharsets.UTF_8)))
                .contains(new GraphQl.Operation("mutation", ""));
    }

    @Test
    void aQueryKeySpelledWithEscapesIsStillFound()
    {
        // JSON lets a key be written with backslash-u escapes; the quick check for "query" must not skip it
        assertThat(GraphQl.operation("POST", Map.of(), "application/json",
                "{\"\\u0071uery\":\"query Me { me }\"}".getBytes(StandardCharsets.UTF_8))).contains(new GraphQl.Operation("query", "Me"));
        assertThat(GraphQl.operation("POST", Map.of(), "application/json", "{\"id\":1,\"items\":[2,3]}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(GraphQl.indexOf("ab\"query\"".getBytes(StandardCharsets.US_ASCII), "\"query\"".getBytes(StandardCharsets.US_ASCII))).isEqualTo(2);
        assertThat(GraphQl.indexOf("\"quer".getBytes(StandardCharsets.US_ASCII), "\"query\"".getBytes(StandardCharsets.US_ASCII))).isEqualTo(-1);
    }

    @Test
    void notGraphql()
    {
        assertThat(post("{\"query\":\"SELECT * FROM orders\"}")).isEmpty();
        assertThat(post("{\"q\":\"{ a }\"}")).isEmpty();
        assertThat(post("{\"query\":\"{ a }")).as("a body cut by the cap").isEmpty();
        assertThat(GraphQl.operation("GET", Map.of("q", "x"), "", null)).isEmpty();
        assertThat(GraphQl.operation("POST", Map.of(), "text/plain", "{ a }".getBytes(StandardCharsets.UTF_8))).isEmpty();
        assertThat(GraphQl.operation("PUT", Map.of(), "application/json", "{\"query\":\"{ a }\"}".getBytes(StandardCharsets.UTF_8))).isEmpty();
    }
}
