package io.wirelake.demo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.function.IntSupplier;
import java.util.function.Predicate;
import java.util.zip.GZIPOutputStream;

/** HTTP/1.1 requests and responses of the shop's services, with realistic headers and bodies. */
final class HttpTraffic
{
    /**
     * One request and its response as sent.
     *
     * @param requestHeadersSize the request line and headers with the blank line ending them
     * @param requestBodySize the request body as on the wire
     * @param responseHeadersSize the status line and headers with the blank line ending them
     * @param responseBodySize the response body as on the wire: compressed when gzip, without chunk framing
     */
    record Exchange(String method, String path, byte[] request, int status, byte[] response, boolean gzip, boolean chunked,
            int requestHeadersSize, int requestBodySize, int responseHeadersSize, int responseBodySize) {}

    /** A request's bytes and the sizes of its two parts. */
    record Request(byte[] bytes, int headersSize, int bodySize) {}

    /** A response's bytes, the sizes of its two parts, and how it was framed. */
    record Response(byte[] bytes, int headersSize, int bodySize, boolean gzip, boolean chunked) {}

    private static final String[] AGENTS = {"frontend/2.4.1", "Go-http-client/1.1", "okhttp/4.12.0", "python-requests/2.32.3", "curl/8.5.0"};
    /** The Date header of the demo traffic generated without a drift scenario (its bytes stay as they were). */
    static final String DEMO_DATE = "Sat, 14 Mar 2026 22:00:00 GMT";

    private HttpTraffic() {}

    /** A call along an edge: a random path of the edge, a method that suits it, and a status (a server error when {@code error}). */
    static Exchange exchange(Random random, DemoCluster.Edge edge, boolean error)
    {
        String template = edge.paths().get(random.nextInt(edge.paths().size()));
        String path = template.replace("{id}", String.valueOf(1000 + random.nextInt(9000)));
        String method = "GET";
        if (path.endsWith("/orders") || path.endsWith("/charge") || path.endsWith("/reserve") || path.endsWith("/refund")) {
            method = random.nextInt(4) == 0 ? "GET" : "POST";
        }
        else if (path.endsWith("/cart")) {
            method = new String[] {"GET", "PUT", "DELETE"}[random.nextInt(3)];
        }
        String target = path;
        if (path.endsWith("/products") || path.endsWith("/search")) {
            target += "?page=" + (1 + random.nextInt(5)) + "&limit=20" + (random.nextBoolean() ? "&q=" + word(random) : "");
        }
        Request request = request(random, edge.server(), method, target);
        int status;
        if (error) {
            status = new int[] {500, 502, 503, 503}[random.nextInt(4)];
        }
        else {
            int roll = random.nextInt(100);
            status = roll < 3 ? 404 : roll < 5 ? 429 : method.equals("POST") ? 201 : method.equals("DELETE") ? 204 : 200;
        }
        Response response = response(random, status, () -> bodySize(random), DEMO_DATE);
        return new Exchange(method, path, request.bytes(), status, response.bytes(), response.gzip(), response.chunked(),
                request.headersSize(), request.bodySize(), response.headersSize(), response.bodySize());
    }

    /** A request to a pod's service with the headers clients send; POST and PUT carry a JSON body. */
    static Request request(Random random, DemoCluster.Pod server, String method, String target)
    {
        StringBuilder head = new StringBuilder();
        head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(server.serviceHost()).append(':').append(server.port()).append("\r\n");
        head.append("User-Agent: ").append(AGENTS[random.nextInt(AGENTS.length)]).append("\r\n");
        head.append("Accept: application/json\r\n");
        head.append("Accept-Encoding: gzip\r\n");
        head.append("X-Request-Id: ").append(new java.util.UUID(random.nextLong(), random.nextLong())).append("\r\n");
        if (random.nextInt(3) == 0) {
            head.append("Cookie: session=").append(Long.toHexString(random.nextLong())).append("; theme=dark\r\n");
        }
        if (random.nextInt(5) == 0) {
            head.append("Authorization: Bearer ").append(Long.toHexString(random.nextLong())).append("\r\n");
        }
        byte[] requestBody = new byte[0];
        if (method.equals("POST") || method.equals("PUT")) {
            requestBody = json(random, 80 + random.nextInt(600)).getBytes(StandardCharsets.UTF_8);
            head.append("Content-Type: application/json\r\n");
            head.append("Content-Length: ").append(requestBody.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
        return new Request(concat(headBytes, requestBody), headBytes.length, requestBody.length);
    }

    /**
     * A JSON response: a page of items of about {@code bodySize} bytes for a success, a short error
     * object otherwise, no body for 204; sometimes gzip-encoded, sometimes chunked.
     */
    static Response response(Random random, int status, IntSupplier bodySize, String date)
    {
        return response(random, status, bodySize, date, body -> body.length > 1024 && random.nextInt(3) == 0);
    }

    /** A response as above, {@code gzip} deciding which bodies are compressed. */
    static Response response(Random random, int status, IntSupplier bodySize, String date, Predicate<byte[]> gzipBody)
    {
        byte[] body = status == 204 ? new byte[0]
                : (status >= 400 ? "{\"error\":\"" + reason(status) + "\",\"request\":\"" + Long.toHexString(random.nextLong()) + "\"}"
                        : json(random, bodySize.getAsInt())).getBytes(StandardCharsets.UTF_8);
        boolean gzip = gzipBody.test(body);
        boolean chunked = status != 204 && random.nextInt(5) == 0;
        byte[] payload = gzip ? gzip(body) : body;
        StringBuilder responseHead = new StringBuilder();
        responseHead.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
        responseHead.append("Content-Type: application/json\r\n");
        responseHead.append("Date: ").append(date).append("\r\n");
        responseHead.append("Server: envoy\r\n");
        responseHead.append("X-Envoy-Upstream-Service-Time: ").append(random.nextInt(50)).append("\r\n");
        if (gzip) {
            responseHead.append("Content-Encoding: gzip\r\n");
        }
        if (random.nextInt(10) == 0) {
            responseHead.append("Set-Cookie: session=").append(Long.toHexString(random.nextLong())).append("; Path=/; HttpOnly\r\n");
        }
        if (status == 401) {
            responseHead.append("WWW-Authenticate: Bearer error=\"invalid_token\"\r\n");
        }
        byte[] framed;
        if (status == 204) {
            framed = new byte[0];
        }
        else if (chunked) {
            responseHead.append("Transfer-Encoding: chunked\r\n");
            framed = chunk(random, payload);
        }
        else {
            responseHead.append("Content-Length: ").append(payload.length).append("\r\n");
            framed = payload;
        }
        responseHead.append("\r\n");
        byte[] headBytes = responseHead.toString().getBytes(StandardCharsets.US_ASCII);
        return new Response(concat(headBytes, framed), headBytes.length, payload.length, gzip, chunked);
    }

    static int bodySize(Random random)
    {
        // Log-uniform between 40 bytes and 40 KB: many small answers, some large pages.
        return (int) Math.exp(Math.log(40) + random.nextDouble() * (Math.log(40_000) - Math.log(40)));
    }

    private static String json(Random random, int size)
    {
        StringBuilder json = new StringBuilder("{\"items\":[");
        int index = 0;
        while (json.length() < size) {
            if (index > 0) {
                json.append(',');
            }
            json.append("{\"id\":").append(1000 + random.nextInt(9000)).append(",\"name\":\"").append(word(random)).append(' ').append(word(random))
                    .append("\",\"price\":").append(random.nextInt(10000) / 100.0).append(",\"stock\":").append(random.nextInt(500)).append('}');
            index++;
        }
        return json.append("],\"count\":").append(index).append('}').toString();
    }

    static String word(Random random)
    {
        String[] words = {"alpine", "boot", "canvas", "daypack", "ember", "fleece", "granite", "harbor", "indigo", "juniper", "kettle", "lantern", "meadow", "nomad"};
        return words[random.nextInt(words.length)];
    }

    static String reason(int status)
    {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            default -> "Unknown";
        };
    }

    private static byte[] chunk(Random random, byte[] payload)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int offset = 0;
        while (offset < payload.length) {
            int size = Math.min(payload.length - offset, 256 + random.nextInt(4096));
            out.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(payload, offset, size);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            offset += size;
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] body)
    {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(body);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[] first, byte[] second)
    {
        byte[] both = new byte[first.length + second.length];
        System.arraycopy(first, 0, both, 0, first.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
