package io.wirelake.dissect.flow;

import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.demo.GeneratorOptions;
import io.wirelake.dissect.protocol.Detection;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.ProtocolDetector;
import io.wirelake.dissect.protocol.ProtocolRegistry;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.protocol.Transport;
import io.wirelake.dissect.testing.Dissection;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A defective detector or dissector (one that throws, as no correct one does) costs its own flows
 * and nothing else: demo traffic dissected with a broken protocol put first in the registry gives
 * every other protocol's rows unchanged, and the report and the flows say what was lost.
 */
class DissectorGuardTest
{
    @TempDir
    static Path directory;
    static Path[] captures;
    static Dissection standard;

    @BeforeAll
    static void generate()
            throws Exception
    {
        captures = DemoTrafficGenerator.generate(GeneratorOptions.defaults(600_000), directory, null).captures().toArray(Path[]::new);
        standard = Dissection.of(captures);
    }

    @Test
    void aThrowingDetectorLeavesDetectionToTheOthers()
    {
        Dissection dissection = Dissection.of(registry(new Broken(Failure.IN_DETECTION)), captures);
        assertThat(dissection.report().get("dissector_errors")).isPositive()
                .isEqualTo(dissection.report().get("dissector_errors.broken"));
        assertThat(protocols(dissection)).isEqualTo(protocols(standard));
    }

    @Test
    void aThrowingDissectorLosesOnlyItsOwnFlows()
    {
        losesOnlyItsOwnFlows(Failure.EXCEPTION);
    }

    @Test
    void aStackOverflowInADissectorIsContained()
    {
        Dissection dissection = losesOnlyItsOwnFlows(Failure.STACK_OVERFLOW);
        assertThat(dissection.report().get("dissector_errors.stack_overflow")).isEqualTo(dissection.report().get("dissector_errors"));
    }

    @Test
    void anAllocationTooLargeInADissectorIsContained()
    {
        Dissection dissection = losesOnlyItsOwnFlows(Failure.OUT_OF_MEMORY);
        assertThat(dissection.report().get("dissector_errors.out_of_memory")).isEqualTo(dissection.report().get("dissector_errors"));
    }

    private static Dissection losesOnlyItsOwnFlows(Failure failure)
    {
        Dissection dissection = Dissection.of(registry(new Broken(failure)), captures);
        // the broken protocol claims every connection that opens with "GET ": each is lost once
        List<GenericData.Record> lost = dissection.flows().stream()
                .filter(flow -> ((List<?>) flow.get("anomalies")).stream().anyMatch(anomaly -> anomaly.toString().equals("broken.dissector_error")))
                .toList();
        assertThat(lost).isNotEmpty().hasSize((int) dissection.report().get("dissector_errors"));
        List<String> claimed = List.of("HTTP", "WebSocket", "GraphQL", "TCP");
        List<String> others = protocols(standard).stream().filter(protocol -> !claimed.contains(protocol)).toList();
        assertThat(others).contains("DNS", "Redis", "Kafka", "gRPC");
        assertThat(protocols(dissection).stream().filter(protocol -> !claimed.contains(protocol)).toList()).isEqualTo(others);
        // no traffic is invisible: each lost connection is still a TCP row
        assertThat(dissection.calls("TCP")).hasSize(standard.calls("TCP").size() + lost.size());
        return dissection;
    }

    enum Failure
    {
        IN_DETECTION, EXCEPTION, STACK_OVERFLOW, OUT_OF_MEMORY
    }

    /** A defect that recurses without end. */
    private static int recurse(int depth)
    {
        return recurse(depth + 1) + 1;
    }

    private static List<String> protocols(Dissection dissection)
    {
        List<String> protocols = new ArrayList<>();
        dissection.calls().forEach(call -> protocols.add(call.get("protocol").toString()));
        protocols.sort(null);
        return protocols;
    }

    private static ProtocolRegistry registry(ProtocolDetector broken)
    {
        List<ProtocolDetector> detectors = new ArrayList<>();
        detectors.add(broken);
        detectors.addAll(ProtocolRegistry.standard().detectors());
        return new ProtocolRegistry(detectors);
    }

    /** Claims connections that open with "GET ", then fails on their first bytes; or fails in detection itself. */
    private record Broken(Failure failure)
            implements ProtocolDetector
    {
        @Override
        public String name()
        {
            return "Broken";
        }

        @Override
        public Transport transport()
        {
            return Transport.TCP;
        }

        @Override
        public boolean hintsPort(int port)
        {
            return false;
        }

        @Override
        public Detection detect(boolean fromClient, byte[] data, int offset, int length, int serverPort)
        {
            if (failure == Failure.IN_DETECTION) {
                throw new IllegalStateException("a detector defect");
            }
            return fromClient && new String(data, offset, Math.min(length, 4), StandardCharsets.ISO_8859_1).equals("GET ") ? Detection.MATCH : Detection.NO_MATCH;
        }

        @Override
        public StreamDissector newStreamDissector(DissectionContext context)
        {
            return new StreamDissector()
            {
                @Override
                public void data(boolean fromClient, byte[] data, int offset, int length, long timestampMicros)
                {
                    switch (failure) {
                        case STACK_OVERFLOW -> recurse(0);
                        // more than any heap: the allocation fails at once, and nothing else is lost
                        case OUT_OF_MEMORY -> data = new byte[Integer.MAX_VALUE - 2];
                        case IN_DETECTION, EXCEPTION -> throw new ArrayIndexOutOfBoundsException("a dissector defect");
                    }
                }

                @Override
                public void gap(boolean fromClient, long bytes, long timestampMicros)
                {
                }

                @Override
                public void end(long timestampMicros)
                {
                }
            };
        }
    }
}
