package io.wirelake.collector;

import io.wirelake.packets.capture.CaptureReader;
import io.wirelake.packets.capture.CaptureReaders;
import io.wirelake.store.Layout;
import io.wirelake.store.ObjectInfo;
import io.wirelake.store.ObjectStore;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a node's uploaded segments back: the markers test traffic carried, in capture order. */
final class Segments
{
    static final Pattern MARKER = Pattern.compile("wirelake-marker-(\\d+)-");

    private Segments() {}

    static List<ObjectInfo> raw(ObjectStore store, String node)
            throws IOException
    {
        return store.list(Layout.nodePrefix(Layout.Kind.RAW, node));
    }

    static List<Integer> markers(ObjectStore store, String node)
            throws IOException
    {
        List<Integer> markers = new ArrayList<>();
        for (ObjectInfo object : raw(store, node)) {
            try (CaptureReader reader = CaptureReaders.open(store.open(object.key()))) {
                while (reader.next()) {
                    String text = new String(reader.buffer(), reader.offset(), reader.capturedLength(), StandardCharsets.ISO_8859_1);
                    Matcher matcher = MARKER.matcher(text);
                    if (matcher.find()) {
                        markers.add(Integer.parseInt(matcher.group(1)));
                    }
                }
                if (reader.damage() != null) {
                    throw new IOException(object.key() + " is damaged: " + reader.damage());
                }
            }
        }
        return markers;
    }

    static byte[] marker(int number)
    {
        return marker(number, 200);
    }

    static byte[] marker(int number, int padding)
    {
        return ("wirelake-marker-" + number + "-" + "x".repeat(padding)).getBytes(StandardCharsets.US_ASCII);
    }
}
