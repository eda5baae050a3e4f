package io.wirelake.dissect.flow;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TcpStreamTest
{
    private final ByteArrayOutputStream delivered = new ByteArrayOutputStream();
    private final List<Long> gaps = new ArrayList<>();
    private final TcpStream stream = new TcpStream(new TcpStream.Consumer()
    {
        @Override
        public void data(byte[] data, int offset, int length, long timestampMicros)
        {
            delivered.write(data, offset, length);
        }

        @Override
        public void gap(long bytes, long timestampMicros)
        {
            gaps.add(bytes);
            delivered.writeBytes("#".repeat((int) bytes).getBytes(StandardCharsets.US_ASCII));
        }
    });

    private void segment(long sequence, String text)
    {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        stream.segment(sequence, bytes, 0, bytes.length, bytes.length, false, 0);
    }

    private String text()
    {
        return delivered.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void inOrderSegmentsPassThrough()
    {
        stream.synchronize(999);
        segment(1000, "hello ");
        segment(1006, "world");
        assertThat(text()).isEqualTo("hello world");
        assertThat(stream.retransmissions).isZero();
    }

    @Test
    void fullRetransmissionIsCountedNotDuplicated()
    {
        stream.synchronize(999);
        segment(1000, "hello ");
        segment(1000, "hello ");
        segment(1006, "world");
        assertThat(text()).isEqualTo("hello world");
        assertThat(stream.retransmissions).isEqualTo(1);
    }

    @Test
    void partialOverlapDeliversOnlyTheNewBytes()
    {
        stream.synchronize(999);
        segment(1000, "hello");
        segment(1003, "lo world");
        assertThat(text()).isEqualTo("hello world");
        assertThat(stream.retransmissions).isEqualTo(1);
    }

    @Test
    void outOfOrderSegmentsWaitForTheHole()
    {
        stream.synchronize(999);
        segment(1006, "world");
        assertThat(text()).isEmpty();
        segment(1000, "hello ");
        assertThat(text()).isEqualTo("hello world");
        assertThat(stream.outOfOrder).isEqualTo(1);
        assertThat(gaps).isEmpty();
    }

    @Test
    void aHoleThatNeverFillsBecomesAGapAtTheEnd()
    {
        stream.synchronize(999);
        segment(1000, "hello ");
        segment(1010, "d!");
        stream.finish(0);
        assertThat(text()).isEqualTo("hello ####d!");
        assertThat(gaps).containsExactly(4L);
        assertThat(stream.missingBytes).isEqualTo(4);
    }

    @Test
    void sequenceNumbersWrapAround()
    {
        stream.synchronize(0xFFFFFFFDL);
        segment(0xFFFFFFFEL, "abc");
        segment(0x00000001L, "def");
        assertThat(text()).isEqualTo("abcdef");
    }

    @Test
    void midStreamStartTakesTheFirstSegment()
    {
        segment(5000, "middle ");
        segment(5007, "of it");
        assertThat(text()).isEqualTo("middle of it");
        assertThat(stream.openedBy(4999)).isTrue();
    }

    @Test
    void bytesCutByTheSnapLengthAreAGap()
    {
        stream.synchronize(99);
        byte[] bytes = "abcd".getBytes(StandardCharsets.US_ASCII);
        stream.segment(100, bytes, 0, 4, 10, false, 0);
        segment(110, "xyz");
        assertThat(text()).isEqualTo("abcd######xyz");
        assertThat(gaps).containsExactly(6L);
    }
}
