package io.wirelake.packets.testing;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * tshark's view of each corpus capture's frames, asked once per capture and shared by the tests
 * that compare with it: most of a tshark run on a small capture is tshark's own start-up, and
 * the capture reader's test and the decoder's test read the same captures. The frame fields
 * come from the capture's records, which the reassembly options do not touch, so one run with
 * IP reassembly on serves both.
 */
public final class CorpusFrames
{
    /** The columns of {@link #of}, in order. */
    public static final List<String> FIELDS = List.of("frame.time_epoch", "frame.len", "frame.cap_len",
            "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "tcp.srcport", "tcp.dstport", "udp.srcport", "udp.dstport", "ip.proto", "ipv6.nxt",
            "_ws.col.Protocol");
    private static final List<String> OPTIONS = List.of("-o", "ip.defragment:TRUE", "-o", "ipv6.defragment:TRUE");
    private static final Map<String, List<String[]>> FRAMES = new ConcurrentHashMap<>();

    private CorpusFrames() {}

    /** One row per frame of the capture, its values in the order of {@link #FIELDS} (tshark's damage check included, as {@link Tshark#fields(Corpus.Capture, List, String...)} makes it). */
    public static List<String[]> of(Corpus.Capture capture)
            throws IOException, InterruptedException
    {
        List<String[]> frames = FRAMES.get(capture.name());
        if (frames == null) {
            frames = List.copyOf(Tshark.fields(capture, OPTIONS, FIELDS.toArray(String[]::new)));
            FRAMES.put(capture.name(), frames);
        }
        return frames;
    }

    /** The column of a field in the rows of {@link #of}. */
    public static int column(String field)
    {
        int column = FIELDS.indexOf(field);
        if (column < 0) {
            throw new IllegalArgumentException("not a field of CorpusFrames: " + field);
        }
        return column;
    }
}
