package io.wirelake.dissect.recorded;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.LoopbackCapture;
import io.wirelake.dissect.testing.Nginx;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * GraphQL requests as clients send them, to nginx on loopback: curl over HTTP/1.1 (a POST with a
 * JSON body, a GET with the query in the URL) and nghttp over h2c (a POST), recorded with tcpdump.
 * tshark confirms the requests on the wire; the rows carry the operations that were sent.
 */
@Tag("root")
class GraphQlRecordedTest
{
    @TempDir
    Path directory;

    @Test
    void graphqlOverHttp1AndHttp2()
            throws Exception
    {
        int http1 = LoopbackCapture.freePort();
        int http2 = LoopbackCapture.freePort();
        LoopbackCapture.write(directory.resolve("www/graphql"), "{\"data\":{}}");
        Path capture;
        try (Nginx nginx = Nginx.start(directory, """
                server {
                    listen 127.0.0.1:%2$d;
                    listen 127.0.0.1:%3$d http2;
                    root %1$s/www;
                    location /graphql { return 200 '{"data":{}}'; }
                }
                """.formatted(directory, http1, http2), http1, http2)) {
            try (LoopbackCapture recording = LoopbackCapture.start(directory.resolve("gql.pcap"), "tcp port " + http1 + " or tcp port " + http2)) {
                LoopbackCapture.run(List.of("curl", "-s", "-o", "/dev/null", "-H", "Content-Type: application/json", "--data",
                        "{\"query\":\"mutation CancelOrder($id: ID!) { cancel(id: $id) { ok } }\",\"variables\":{\"id\":\"7\"}}",
                        "http://127.0.0.1:" + http1 + "/graphql"));
                LoopbackCapture.run(List.of("curl", "-s", "-o", "/dev/null", "-G", "--data-urlencode", "query=query Me { me { name } }",
                        "http://127.0.0.1:" + http1 + "/graphql"));
                Path body = LoopbackCapture.write(directory.resolve("body.json"), "{\"query\":\"subscription OnOrder { orderUpdated { id } }\"}");
                LoopbackCapture.run(List.of("nghttp", "-n", "-H", "content-type: application/json", "-d", body.toString(), "http://127.0.0.1:" + http2 + "/graphql"));
                LoopbackCapture.run(List.of("curl", "-s", "-o", "/dev/null", "http://127.0.0.1:" + http1 + "/graphql/schema"));
                capture = recording.stop();
            }
        }
        List<GenericData.Record> graphql = Dissection.of(capture).calls("GraphQL");
        assertThat(graphql).extracting(row -> row.get("gql_operation_type") + " " + row.get("gql_operation_name") + " " + row.get("http_version")
                        + " v1=" + row.get("gqlv1") + " v2=" + row.get("gqlv2"))
                .containsExactly("mutation CancelOrder HTTP/1.1 v1=true v2=false", "query Me HTTP/1.1 v1=true v2=false", "subscription OnOrder HTTP/2 v1=false v2=true");
        assertThat(graphql).allSatisfy(row -> {
            assertThat(row.get("gql")).isEqualTo(true);
            assertThat(row.get("http")).isEqualTo(true);
            assertThat(row.get("status_code")).isEqualTo(200L);
        });
        assertThat(Dissection.of(capture).calls("HTTP")).extracting(row -> row.get("path").toString()).containsExactly("/graphql/schema");
        // tshark sees the same three GraphQL requests on the wire (two HTTP/1.1, one HTTP/2).
        assertThat(Tshark.fields(capture, List.of("-Y", "http.request && !(http.request.uri contains \"schema\")"), "http.request.method")).hasSize(2);
        assertThat(Tshark.fields(capture, List.of("-d", "tcp.port==" + http2 + ",http2", "-Y", "http2.headers.path == \"/graphql\""), "frame.number")).hasSize(1);
    }
}
