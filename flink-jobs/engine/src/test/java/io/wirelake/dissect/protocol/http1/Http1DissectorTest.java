package io.wirelake.dissect.protocol.http1;

import io.wirelake.dissect.testing.FakeDissectionContext;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** HTTP/1.x framing cases (RFC 9112 section 6.3), fed as the two directions of one connection. */
class Http1DissectorTest
{
    private final FakeDissectionContext context = new FakeDissectionContext();
    private final Http1Dissector dissector = new Http1Dissector(context);
    private long time = 1_000_000;

    private void client(String text)
    {
        send(true, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void server(String text)
    {
        send(false, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    private void send(boolean fromClient, byte[] bytes)
    {
        time += 1000;
        dissector.data(fromClient, bytes, 0, bytes.length, time);
    }

    private List<GenericData.Record> rows()
    {
        dissector.end(time);
        return context.rows;
    }

    @Test
    void pipelinedRequestsPairInOrder()
    {
        client("GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.1\r\nHost: x\r\n\r\nGET /c HTTP/1.1\r\nHost: x\r\n\r\n");
        server("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        server("HTTP/1.1 500 Oops\r\nContent-Length: 2\r\n\r\nc!");
        assertThat(rows()).extracting(row -> row.get("url") + " " + row.get("status_code")).containsExactly("/a 200", "/b 404", "/c 500");
    }

    @Test
    void interimContinueIsSkippedAndTheFinalResponsePairs()
    {
        client("POST /upload HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
        server("HTTP/1.1 100 Continue\r\n\r\n");
        client("hello");
        server("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n");
        List<GenericData.Record> rows = rows();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("status_code")).isEqualTo(201L);
        assertThat(rows.get(0).get("request_body_size")).isEqualTo(5L);
    }

    @Test
    void headAnd304AndNoContentHaveNoBodyWhateverTheirHeadersSay()
    {
        client("HEAD /x HTTP/1.1\r\n\r\nGET /y HTTP/1.1\r\nIf-None-Match: \"1\"\r\n\r\nDELETE /z HTTP/1.1\r\n\r\nGET /after HTTP/1.1\r\n\r\n");
        server("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n");
        server("HTTP/1.1 304 Not Modified\r\nContent-Length: 1000\r\n\r\n");
        server("HTTP/1.1 204 No Content\r\n\r\n");
        server("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        assertThat(rows()).extracting(row -> row.get("method") + " " + row.get("status_code") + " " + row.get("response_body_size"))
                .containsExactly("HEAD 200 0", "GET 304 0", "DELETE 204 0", "GET 200 2");
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailers()
    {
        client("GET / HTTP/1.1\r\n\r\n");
        server("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;name=value\r\nWiki\r\n5\r\npedia\r\n0\r\nX-Trailer: yes\r\n\r\n");
        client("GET /next HTTP/1.1\r\n\r\n");
        server("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        List<GenericData.Record> rows = rows();
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("response_body_size")).isEqualTo(9L);
        assertThat(new String(((java.nio.ByteBuffer) rows.get(0).get("response_body")).array(), StandardCharsets.US_ASCII)).isEqualTo("Wikipedia");
        assertThat(context.anomalies).isEmpty();
    }

    @Test
    void bodyDelimitedByTheConnectionClosing()
    {
        client("GET /old HTTP/1.0\r\n\r\n");
        server("HTTP/1.0 200 OK\r\n\r\nsome bytes");
        server(" and more");
        List<GenericData.Record> rows = rows();
        assertThat(rows).singleElement().satisfies(row -> assertThat(row.get("response_body_size")).isEqualTo(19L));
    }

    @Test
    void gzipBodyIsMeasuredDecoded()
            throws Exception
    {
        byte[] plain = "{\"hello\":\"world\"}".repeat(100).getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(compressed)) {
            gzip.write(plain);
        }
        client("GET /data HTTP/1.1\r\nAccept-Encoding: gzip\r\n\r\n");
        server("HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: " + compressed.size() + "\r\n\r\n");
        send(false, compressed.toByteArray());
        GenericData.Record row = rows().get(0);
        assertThat(row.get("response_body_size")).isEqualTo((long) compressed.size());
        assertThat(row.get("response_body_decoded_size")).isEqualTo((long) plain.length);
        assertThat(((java.nio.ByteBuffer) row.get("response_body")).remaining()).isEqualTo(1024);
    }

    @Test
    void upgradeHandsTheConnectionOver()
    {
        client("GET /chat HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n");
        server("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0005hello");
        client("\u0081\u0085abcd....");
        assertThat(rows()).singleElement().satisfies(row -> assertThat(row.get("status_code")).isEqualTo(101L));
        assertThat(context.upgrades).containsExactly("websocket");
    }

    @Test
    void aGapInsideABodyKeepsFramingAndAGapInHeadersResynchronises()
    {
        client("GET /1 HTTP/1.1\r\n\r\n");
        server("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
        dissector.gap(false, 80, time);
        server("0123456789");
        client("GET /2 HTTP/1.1\r\n\r\n");
        server("HTTP/1.1 200 OK\r\nContent-");
        dissector.gap(false, 30, time);
        server("garbage\r\nHTTP/1.1 204 No Content\r\n\r\n");
        List<GenericData.Record> rows = rows();
        assertThat(rows).extracting(row -> row.get("url") + " " + row.get("status_code")).containsExactly("/1 200", "/2 204");
        assertThat((List<?>) rows.get(0).get("anomalies")).asString().contains("http.body_gap");
        assertThat(context.anomalies).contains("http.gap_in_framing", "http.resynchronised");
    }

    @Test
    void unansweredRequestsAndMalformedStartLinesAreKept()
    {
        client("GET /never-answered HTTP/1.1\r\nCookie: a=1; b=2\r\n\r\n");
        server("NOT HTTP AT ALL\r\n\r\n");
        List<GenericData.Record> rows = rows();
        assertThat(rows).singleElement().satisfies(row -> {
            assertThat(row.get("status_code")).isEqualTo(0L);
            assertThat(row.get("request_cookies").toString()).isEqualTo("{a=1, b=2}");
        });
        assertThat(context.anomalies).contains("http.bad_start_line");
    }
}
