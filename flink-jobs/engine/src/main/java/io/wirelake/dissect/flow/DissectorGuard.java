package io.wirelake.dissect.flow;

import io.wirelake.dissect.protocol.DatagramDissector;
import io.wirelake.dissect.protocol.Detection;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.ProtocolDetector;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.scan.ScanReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Keeps one dissector's defect from ending a scan. Malformed input is an anomaly, never an
 * exception, so an exception out of a detector or dissector is a bug: it is counted in the report
 * ({@code dissector_errors} and {@code dissector_errors.<protocol>}), named on the flow
 * ({@code <protocol>.dissector_error}), logged with its stack once per protocol and scan, and
 * that dissector is given nothing more of the flow. The rest of the scan goes on.
 *
 * <p>A {@link StackOverflowError} or {@link OutOfMemoryError} out of a dissector is contained the
 * same way: the stack has unwound to here and the dissector, with all it allocated, is dropped.
 * Neither should happen (parsers have no unbounded recursion and no allocation from a length
 * field), so each is also counted by its kind ({@code dissector_errors.stack_overflow},
 * {@code dissector_errors.out_of_memory}). Other errors (a broken JVM) still end the scan.
 */
final class DissectorGuard
{
    private static final Logger LOG = LoggerFactory.getLogger(DissectorGuard.class);

    private final ScanReport report;
    private final Set<String> logged = new HashSet<>();

    DissectorGuard(ScanReport report)
    {
        this.report = report;
    }

    /** A detector's verdict; NO_MATCH when it fails. */
    Detection detect(ProtocolDetector detector, DissectionContext context, boolean fromClient, byte[] data, int offset, int length, int serverPort)
    {
        try {
            return detector.detect(fromClient, data, offset, length, serverPort);
        }
        catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            failed(detector.name(), context, e);
            return Detection.NO_MATCH;
        }
    }

    StreamDissector stream(String protocol, DissectionContext context, StreamDissector dissector)
    {
        return dissector == null ? null : new GuardedStream(protocol, context, dissector);
    }

    DatagramDissector datagram(String protocol, DissectionContext context, DatagramDissector dissector)
    {
        return dissector == null ? null : new GuardedDatagrams(protocol, context, dissector);
    }

    private void failed(String protocol, DissectionContext context, Throwable e)
    {
        String name = protocol.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        report.increment("dissector_errors");
        report.increment("dissector_errors." + name);
        if (e instanceof Error) {
            // the stack unwound to here (a StackOverflowError), or the allocation that failed was the
            // dissector's own and is released with it (an OutOfMemoryError): both are defects to count
            report.increment("dissector_errors." + (e instanceof StackOverflowError ? "stack_overflow" : "out_of_memory"));
        }
        context.anomaly(name + ".dissector_error");
        if (logged.add(name)) {
            LOG.warn("The {} dissector failed; it skips the rest of this flow, and the scan goes on (reported as dissector_errors)", protocol, e);
        }
    }

    /** What both wrappers share: the protocol, its flow's context, and whether it failed already. */
    private abstract class Contained
    {
        final String protocol;
        final DissectionContext context;
        boolean failed;

        Contained(String protocol, DissectionContext context)
        {
            this.protocol = protocol;
            this.context = context;
        }

        final void fail(Throwable e)
        {
            failed = true;
            failed(protocol, context, e);
        }
    }

    private final class GuardedStream
            extends Contained
            implements StreamDissector
    {
        private final StreamDissector dissector;

        GuardedStream(String protocol, DissectionContext context, StreamDissector dissector)
        {
            super(protocol, context);
            this.dissector = dissector;
        }

        @Override
        public void data(boolean fromClient, byte[] data, int offset, int length, long timestampMicros)
        {
            try {
                if (!failed) {
                    dissector.data(fromClient, data, offset, length, timestampMicros);
                }
            }
            catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                fail(e);
            }
        }

        @Override
        public void gap(boolean fromClient, long bytes, long timestampMicros)
        {
            try {
                if (!failed) {
                    dissector.gap(fromClient, bytes, timestampMicros);
                }
            }
            catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                fail(e);
            }
        }

        @Override
        public void end(long timestampMicros)
        {
            try {
                if (!failed) {
                    dissector.end(timestampMicros);
                }
            }
            catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                fail(e);
            }
        }

        @Override
        public void upgradedFrom(String method, String target, String host, long requestTimestampMicros)
        {
            try {
                if (!failed) {
                    dissector.upgradedFrom(method, target, host, requestTimestampMicros);
                }
            }
            catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                fail(e);
            }
        }
    }

    private final class GuardedDatagrams
            extends Contained
            implements DatagramDissector
    {
        private final DatagramDissector dissector;

        GuardedDatagrams(String protocol, DissectionContext context, DatagramDissector dissector)
        {
            super(protocol, context);
            this.dissector = dissector;
        }

        @Override
        public void datagram(boolean fromClient, byte[] data, int offset, int length, int wireLength, long timestampMicros)
        {
            try {
                if (!failed) {
                    dissector.datagram(fromClient, data, offset, length, wireLength, timestampMicros);
                }
            }
            catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                fail(e);
            }
        }

        @Override
        public void end(long timestampMicros)
        {
            try {
                if (!failed) {
                    dissector.end(timestampMicros);
                }
            }
            catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
                fail(e);
            }
        }
    }
}
