package io.wirelake.dissect.protocol.http1;

import io.wirelake.dissect.protocol.Detection;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.PortHintedDetector;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.protocol.Transport;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * Recognises HTTP/1.x by its first bytes on any port: a request line starting with a known method
 * from the client, or a status line from the server. Ports only order the detectors.
 */
public final class Http1Detector
        extends PortHintedDetector
{
    private static final List<byte[]> METHODS = java.util.stream.Stream.of(
                    "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE", "CONNECT",
                    "PROPFIND", "PROPPATCH", "MKCOL", "COPY", "MOVE", "LOCK", "UNLOCK", "REPORT", "SEARCH", "PURGE")
            .map(method -> (method + " ").getBytes(StandardCharsets.US_ASCII))
            .toList();
    private static final byte[] RESPONSE = "HTTP/1.".getBytes(StandardCharsets.US_ASCII);
    private static final Set<Integer> PORTS = Set.of(80, 8080, 8000, 8008, 8081, 8888, 3000, 5000, 9090);

    public Http1Detector()
    {
        super("HTTP", Transport.TCP, PORTS);
    }

    @Override
    public Detection detect(boolean fromClient, byte[] data, int offset, int length, int serverPort)
    {
        return fromClient ? startsRequest(data, offset, length) : startsResponse(data, offset, length);
    }

    @Override
    public StreamDissector newStreamDissector(DissectionContext context)
    {
        return new Http1Dissector(context);
    }

    static Detection startsRequest(byte[] data, int offset, int length)
    {
        boolean partial = false;
        for (byte[] method : METHODS) {
            int compare = Math.min(method.length, length);
            if (regionMatches(data, offset, method, compare)) {
                if (compare == method.length) {
                    return Detection.MATCH;
                }
                partial = true;
            }
        }
        return partial ? Detection.NEED_MORE : Detection.NO_MATCH;
    }

    static Detection startsResponse(byte[] data, int offset, int length)
    {
        int compare = Math.min(RESPONSE.length, length);
        if (!regionMatches(data, offset, RESPONSE, compare)) {
            return Detection.NO_MATCH;
        }
        return compare == RESPONSE.length ? Detection.MATCH : Detection.NEED_MORE;
    }

    private static boolean regionMatches(byte[] data, int offset, byte[] expected, int length)
    {
        for (int index = 0; index < length; index++) {
            if (data[offset + index] != expected[index]) {
                return false;
            }
        }
        return true;
    }

    /** RFC 9110 section 5.6.2 token characters. */
    static boolean isToken(String text)
    {
        if (text.isEmpty()) {
            return false;
        }
        for (int index = 0; index < text.length(); index++) {
            char character = text.charAt(index);
            boolean allowed = (character >= 'a' && character <= 'z') || (character >= 'A' && character <= 'Z') || (character >= '0' && character <= '9')
                    || "!#$%&'*+-.^_`|~".indexOf(character) >= 0;
            if (!allowed) {
                return false;
            }
        }
        return true;
    }
}
