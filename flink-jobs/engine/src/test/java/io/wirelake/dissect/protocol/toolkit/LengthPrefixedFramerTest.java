package io.wirelake.dissect.protocol.toolkit;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LengthPrefixedFramerTest
{
    /** DNS over TCP's framing: a two-byte length of the body. */
    private static final LengthPrefixedFramer.Format TWO_BYTES = LengthPrefixedFramer.lengthField(0, 2, 0, 1, 0xFFFF, "test.bad_length");

    private record Frame(String text, int kept, long length, long first, long last) {}

    private static final class Collected
            implements LengthPrefixedFramer.Frames
    {
        final List<Frame> frames = new ArrayList<>();
        final List<String> problems = new ArrayList<>();
        String stopAfter;

        @Override
        public boolean frame(byte[] bytes, int kept, long length, long firstByteTime, long lastByteTime)
        {
            assertThat(bytes).hasSize(kept);
            String text = new String(bytes, 0, kept, StandardCharsets.ISO_8859_1);
            frames.add(new Frame(text, kept, length, firstByteTime, lastByteTime));
            return !text.equals(stopAfter);
        }

        @Override
        public void malformed(String problem)
        {
            problems.add(problem);
        }
    }

    private static byte[] prefixed(String... bodies)
    {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String body : bodies) {
            bytes.write(body.length() >> 8);
            bytes.write(body.length());
            bytes.writeBytes(body.getBytes(StandardCharsets.ISO_8859_1));
        }
        return bytes.toByteArray();
    }

    @Test
    void framesAreTheSameInWholeChunksAndOneByteAtATime()
    {
        byte[] stream = prefixed("first", "x", "a longer third frame");
        Collected whole = new Collected();
        new LengthPrefixedFramer(TWO_BYTES, true, Long.MAX_VALUE, whole).read(stream, 0, stream.length, 7);
        assertThat(whole.frames).extracting(Frame::text).containsExactly("first", "x", "a longer third frame");
        assertThat(whole.frames).allSatisfy(frame -> assertThat(frame.first()).isEqualTo(7));

        Collected trickled = new Collected();
        LengthPrefixedFramer framer = new LengthPrefixedFramer(TWO_BYTES, true, Long.MAX_VALUE, trickled);
        for (int index = 0; index < stream.length; index++) {
            framer.read(stream, index, 1, 100 + index);
        }
        assertThat(trickled.frames).extracting(Frame::text).containsExactly("first", "x", "a longer third frame");
        // the time of a frame's first byte (its header's) and of its last
        assertThat(trickled.frames.get(0)).isEqualTo(new Frame("first", 5, 5, 100, 106));
        assertThat(trickled.frames.get(1)).isEqualTo(new Frame("x", 1, 1, 107, 109));
    }

    @Test
    void theHeaderIsKeptUnlessStrippedAndAnEmptyBodyIsAFrame()
    {
        byte[] stream = prefixed("", "ab");
        Collected collected = new Collected();
        new LengthPrefixedFramer(LengthPrefixedFramer.lengthField(0, 2, 0, 0, 10, "test.bad_length"), false, Long.MAX_VALUE, collected)
                .read(stream, 0, stream.length, 1);
        assertThat(collected.frames).extracting(Frame::text).containsExactly("\0\0", "\0\2ab");
        assertThat(collected.frames).extracting(Frame::length).containsExactly(2L, 4L);
    }

    @Test
    void onlyTheKeptPrefixOfALongFrameIsHeldAndTheRestCounted()
    {
        String body = "0123456789".repeat(100);
        byte[] stream = prefixed(body, "next");
        Collected collected = new Collected();
        LengthPrefixedFramer framer = new LengthPrefixedFramer(TWO_BYTES, true, 16, collected);
        for (int index = 0; index < stream.length; index += 7) {
            framer.read(stream, index, Math.min(7, stream.length - index), index);
        }
        assertThat(collected.frames).extracting(Frame::text).containsExactly(body.substring(0, 16), "next");
        assertThat(collected.frames).extracting(Frame::length).containsExactly(1000L, 4L);
    }

    @Test
    void aForgedLengthCostsOnlyTheBytesThatCame()
    {
        LengthPrefixedFramer framer = new LengthPrefixedFramer(LengthPrefixedFramer.lengthField(0, 4, 0, 0, 0xFFFFFFFFL, "test.bad_length"), true,
                Long.MAX_VALUE, new Collected());
        byte[] forged = {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1, 2, 3};
        framer.read(forged, 0, forged.length, 0);
        assertThat(framer.held()).isEqualTo(LengthPrefixedFramer.INITIAL_BUFFER);
        byte[] more = new byte[LengthPrefixedFramer.INITIAL_BUFFER];
        framer.read(more, 0, more.length, 1);
        // grown by doubling with what arrived
        assertThat(framer.held()).isEqualTo(2 * LengthPrefixedFramer.INITIAL_BUFFER);
    }

    @Test
    void aBadHeaderEndsTheFramingOnceAfterTheFramesBeforeIt()
    {
        byte[] stream = Arrays.copyOf(prefixed("ok"), 8);
        // a zero length is below the format's minimum of 1
        Collected collected = new Collected();
        LengthPrefixedFramer framer = new LengthPrefixedFramer(TWO_BYTES, true, Long.MAX_VALUE, collected);
        framer.read(stream, 0, stream.length, 0);
        framer.read(prefixed("lost"), 0, 6, 1);
        assertThat(collected.frames).extracting(Frame::text).containsExactly("ok");
        assertThat(collected.problems).containsExactly("test.bad_length");
        assertThat(framer.done()).isTrue();
    }

    @Test
    void theProtocolMayStopTheFramingAfterAFrame()
    {
        byte[] stream = prefixed("STARTTLS", "encrypted");
        Collected collected = new Collected();
        collected.stopAfter = "STARTTLS";
        new LengthPrefixedFramer(TWO_BYTES, true, Long.MAX_VALUE, collected).read(stream, 0, stream.length, 0);
        assertThat(collected.frames).extracting(Frame::text).containsExactly("STARTTLS");
        assertThat(collected.problems).isEmpty();
    }
}
