package io.wirelake.packets.capture;

import io.wirelake.packets.testing.Corpus;
import io.wirelake.packets.testing.CorpusFrames;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CaptureReaderCorpusTest
{
    private static final String DAMAGED = "suricata-verify/bug-1450-04/tls_DER-incomplete-header.pcap";

    static List<Corpus.Capture> captures()
    {
        return Corpus.captures();
    }

    @ParameterizedTest
    @MethodSource("captures")
    void readsAsManyPacketsAsCapinfosAndTheSameTimestampsAsTshark(Corpus.Capture capture)
            throws IOException, InterruptedException
    {
        // tshark's frame fields (from CorpusFrames' one run per capture; they do not depend on its reassembly options)
        int time = CorpusFrames.column("frame.time_epoch");
        int length = CorpusFrames.column("frame.len");
        int capturedLength = CorpusFrames.column("frame.cap_len");
        List<String[]> reference = CorpusFrames.of(capture);
        int count = 0;
        try (CaptureReader reader = CaptureReaders.open(capture.path())) {
            while (reader.next()) {
                String[] frame = reference.get(count);
                assertThat(reader.timestampMicros()).as("%s frame %d time", capture, count + 1).isEqualTo(micros(frame[time]));
                assertThat(reader.originalLength()).as("%s frame %d length", capture, count + 1).isEqualTo(Integer.parseInt(frame[length]));
                assertThat(reader.capturedLength()).as("%s frame %d captured length", capture, count + 1).isEqualTo(Integer.parseInt(frame[capturedLength]));
                count++;
            }
            if (capture.name().equals(DAMAGED)) {
                assertThat(reader.damage()).contains("claims");
                assertThat(count).isEqualTo(reference.size()).isEqualTo(6);
            }
            else {
                assertThat(reader.damage()).as("damage reported for %s", capture).isNull();
                assertThat(count).isEqualTo(capture.packets());
            }
        }
    }

    @Test
    void readsOneByteAtATime()
            throws IOException
    {
        Corpus.Capture capture = Corpus.capture("zeek/pcapng-multi-interface.pcapng");
        byte[] file = Files.readAllBytes(capture.path());
        int whole = count(new ByteArrayInputStream(file));
        int trickled = count(new InputStream()
        {
            private int position;

            @Override
            public int read()
            {
                return position < file.length ? file[position++] & 0xFF : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length)
            {
                if (position >= file.length) {
                    return -1;
                }
                buffer[offset] = file[position++];
                return 1;
            }
        });
        assertThat(trickled).isEqualTo(whole).isEqualTo(capture.packets());
    }

    @Test
    void reportsAFileCutInTheMiddleOfAPacket()
            throws IOException
    {
        byte[] file = Files.readAllBytes(Corpus.capture("arkime/http-simple-get.pcap").path());
        byte[] cut = java.util.Arrays.copyOf(file, file.length - 10);
        try (CaptureReader reader = CaptureReaders.open(new ByteArrayInputStream(cut))) {
            int count = 0;
            while (reader.next()) {
                count++;
            }
            assertThat(count).isEqualTo(15);
            assertThat(reader.damage()).contains("cut short");
        }
    }

    @Test
    void refusesAFileThatIsNotACapture()
    {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> CaptureReaders.open(new ByteArrayInputStream("hello world, this is certainly not a capture file".getBytes())))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessageContaining("not a pcap file");
    }

    private static int count(InputStream input)
            throws IOException
    {
        int count = 0;
        try (CaptureReader reader = CaptureReaders.open(input)) {
            while (reader.next()) {
                count++;
            }
        }
        return count;
    }

    private static long micros(String epoch)
    {
        String[] parts = epoch.split("\\.");
        String fraction = (parts.length > 1 ? parts[1] : "") + "000000000";
        return Long.parseLong(parts[0]) * 1_000_000L + Long.parseLong(fraction.substring(0, 6));
    }
}
