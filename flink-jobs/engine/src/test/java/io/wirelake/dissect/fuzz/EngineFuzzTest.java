package io.wirelake.dissect.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.wirelake.dissect.flow.FlowTracker;
import io.wirelake.dissect.protocol.DatagramDissector;
import io.wirelake.dissect.protocol.ProtocolDetector;
import io.wirelake.dissect.protocol.ProtocolRegistry;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.protocol.Transport;
import io.wirelake.dissect.scan.CaptureScanner;
import io.wirelake.dissect.scan.ScanReport;
import io.wirelake.dissect.testing.FakeDissectionContext;
import io.wirelake.packets.capture.CaptureReader;
import io.wirelake.packets.capture.CaptureReaders;
import io.wirelake.packets.decode.DecodedPacket;
import io.wirelake.packets.decode.PacketDecoder;
import org.apache.avro.generic.GenericData;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets for the engine (Jazzer). Every build runs each over its saved inputs
 * ({@code src/test/resources/io/wirelake/dissect/fuzz/EngineFuzzTestInputs/<target>/}) as a
 * regression test; {@code JAZZER_FUZZ=1} fuzzes (docs/FUZZING.md). A target fails on any exception
 * or error out of the code under test, and on a defect the guard would have contained.
 */
class EngineFuzzTest
{
    private static final ProtocolRegistry REGISTRY = ProtocolRegistry.standard();
    private static final List<ProtocolDetector> STREAM = REGISTRY.detectors().stream().filter(detector -> detector.transport() == Transport.TCP).toList();
    private static final List<ProtocolDetector> DATAGRAM = REGISTRY.detectors().stream().filter(detector -> detector.transport() == Transport.UDP).toList();

    /** The pcap and pcapng readers alone: any bytes read as far as they go, never an exception. */
    @FuzzTest(maxDuration = "10s")
    void captureReaders(byte[] input)
            throws IOException
    {
        try (CaptureReader reader = CaptureReaders.open(new ByteArrayInputStream(input))) {
            PacketDecoder decoder = new PacketDecoder();
            DecodedPacket packet = new DecodedPacket();
            while (reader.next()) {
                decoder.decode(reader.linkType(), reader.buffer(), reader.offset(), reader.capturedLength(), reader.timestampMicros(), packet);
            }
        }
        catch (io.wirelake.packets.capture.CaptureFormatException e) {
            // not a capture: a clear error is the right answer
        }
    }

    /** The whole per-packet path on a capture: read, decode, track, detect, dissect; no dissector defect contained. */
    @FuzzTest(maxDuration = "10s")
    void wholeScan(byte[] input)
    {
        ScanReport report = new ScanReport();
        CaptureScanner scanner = new CaptureScanner(REGISTRY, FlowTracker.Settings.defaults("fuzz", 0), new FlowTracker.RowSink()
        {
            @Override
            public void apiCall(GenericData.Record row)
            {
            }

            @Override
            public void flow(GenericData.Record row)
            {
            }
        }, report, null);
        scanner.scan(new CaptureScanner.CaptureSource()
        {
            @Override
            public String name()
            {
                return "fuzz";
            }

            @Override
            public InputStream open()
            {
                return new ByteArrayInputStream(input);
            }
        });
        scanner.finish();
        assertThat(report.get("dissector_errors")).as("dissector defects: %s", report.withPrefix("dissector_errors.")).isZero();
    }

    /** Every stream protocol's detector and dissector, fed as segments in both directions with gaps between them. */
    @FuzzTest(maxDuration = "10s")
    void streamDissectors(FuzzedDataProvider data)
    {
        ProtocolDetector detector = STREAM.get(data.consumeInt(0, STREAM.size() - 1));
        int serverPort = data.consumeInt(0, 65535);
        StreamDissector dissector = detector.newStreamDissector(new FakeDissectionContext());
        long time = 1;
        while (data.remainingBytes() > 0) {
            boolean fromClient = data.consumeBoolean();
            if (data.consumeInt(0, 15) == 0) {
                dissector.gap(fromClient, data.consumeLong(1, 1L << 40), time++);
                continue;
            }
            byte[] segment = data.consumeBytes(data.consumeInt(0, 4096));
            detector.detect(fromClient, segment, 0, segment.length, serverPort);
            dissector.data(fromClient, segment, 0, segment.length, time++);
        }
        dissector.end(time);
    }

    /** Every datagram protocol's detector and dissector. */
    @FuzzTest(maxDuration = "10s")
    void datagramDissectors(FuzzedDataProvider data)
    {
        ProtocolDetector detector = DATAGRAM.get(data.consumeInt(0, DATAGRAM.size() - 1));
        int serverPort = data.consumeInt(0, 65535);
        DatagramDissector dissector = detector.newDatagramDissector(new FakeDissectionContext());
        long time = 1;
        while (data.remainingBytes() > 0) {
            boolean fromClient = data.consumeBoolean();
            byte[] datagram = data.consumeBytes(data.consumeInt(0, 2048));
            detector.detect(fromClient, datagram, 0, datagram.length, serverPort);
            dissector.datagram(fromClient, datagram, 0, datagram.length, datagram.length, time++);
        }
        dissector.end(time);
    }
}
