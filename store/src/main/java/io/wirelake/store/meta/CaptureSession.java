package io.wirelake.store.meta;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.wirelake.store.Layout;
import io.wirelake.store.ObjectStore;

import java.io.IOException;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How a node's captures were made, written once when a collector starts or an import runs
 * ({@code sessions/<node>/<start-micros>.json}): which wirelake version captured, from which
 * interface or files, through which BPF capture filter and snap length. A snapshot's manifest
 * carries the sessions that made its segments, so evidence says what was (not) captured.
 *
 * @param mode {@code live} (a collector on an interface) or {@code import} (existing capture files)
 * @param source the interface name, or the imported files' names
 * @param filter the BPF capture filter, empty when everything was captured
 * @param snapLength bytes kept per packet (0 for an import: the files' own)
 */
public record CaptureSession(String node, long startMicros, String mode, String collectorVersion, String host, String source, String filter, int snapLength)
{
    public static final String LIVE = "live";
    public static final String IMPORT = "import";

    private static final ObjectMapper JSON = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public CaptureSession
    {
        requireNonNull(node, "node is null");
        requireNonNull(mode, "mode is null");
        collectorVersion = collectorVersion == null ? "" : collectorVersion;
        host = host == null ? "" : host;
        source = source == null ? "" : source;
        filter = filter == null ? "" : filter;
    }

    /** The version of wirelake that is running, from its jar's manifest (the project version when run from classes). */
    public static String runningVersion()
    {
        return Optional.ofNullable(CaptureSession.class.getPackage().getImplementationVersion()).orElse("0.1.0-SNAPSHOT");
    }

    public static String localHost()
    {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        }
        catch (IOException e) {
            return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("");
        }
    }

    public void write(ObjectStore store)
            throws IOException
    {
        store.put(Layout.session(node, startMicros), JSON.writeValueAsBytes(this));
    }

    public static CaptureSession read(byte[] content)
            throws IOException
    {
        return JSON.readValue(content, CaptureSession.class);
    }
}
