package io.wirelake.dissect.protocol.toolkit;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class BoundedReaderTest
{
    private static final byte[] BYTES = {0x01, 0x02, 0x03, 0x04, 0x05, (byte) 0xFF, 'h', 'i'};

    @Test
    void readsBigEndianValues()
    {
        BoundedReader reader = new BoundedReader(BYTES, 0, BYTES.length);
        assertThat(reader.u8()).isEqualTo(0x01);
        assertThat(reader.u16()).isEqualTo(0x0203);
        assertThat(reader.u24()).isEqualTo(0x0405FF);
        assertThat(reader.text(2, StandardCharsets.US_ASCII)).isEqualTo("hi");
        assertThat(reader.remaining()).isZero();
        assertThat(reader.ranOut()).isFalse();
        assertThat(new BoundedReader(BYTES, 2, 4).u32()).isEqualTo(0x030405FFL);
    }

    @Test
    void runningOutReadsNothingEndsTheReaderAndStays()
    {
        BoundedReader reader = new BoundedReader(BYTES, 0, 3);
        assertThat(reader.u16()).isEqualTo(0x0102);
        assertThat(reader.u16()).isZero();
        assertThat(reader.ranOut()).isTrue();
        assertThat(reader.remaining()).isZero();
        // a read that fits after running out still finds nothing (the reader is at its end), and the flag stays
        assertThat(reader.u8()).isZero();
        assertThat(reader.ranOut()).isTrue();
    }

    @Test
    void slicesShareTheFlagAndNeverReachPastTheirEnd()
    {
        BoundedReader reader = new BoundedReader(BYTES, 0, BYTES.length);
        BoundedReader slice = reader.slice(2);
        assertThat(reader.u8()).isEqualTo(0x03);
        assertThat(slice.u16()).isEqualTo(0x0102);
        assertThat(slice.u8()).isZero();
        assertThat(reader.ranOut()).as("the slice's shortage is the parse's").isTrue();

        BoundedReader whole = new BoundedReader(BYTES, 0, BYTES.length);
        assertThat(whole.slice(9).remaining()).isZero();
        assertThat(whole.ranOut()).isTrue();
        assertThat(new BoundedReader(BYTES, 0, 4).bytes(-1)).isEmpty();
    }
}
