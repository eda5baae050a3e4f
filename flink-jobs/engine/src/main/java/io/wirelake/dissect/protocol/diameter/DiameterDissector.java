package io.wirelake.dissect.protocol.diameter;

import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.dissect.protocol.DirectionalDissector;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.PendingRequests;
import io.wirelake.dissect.protocol.Protocol;
import io.wirelake.dissect.protocol.toolkit.LengthPrefixedFramer;
import io.wirelake.dissect.rows.Rows;
import org.apache.avro.generic.GenericData;

import java.util.ArrayList;
import java.util.List;

/**
 * Diameter over TCP: messages framed by the length in their header (RFC 6733 section 3), requests
 * paired with answers by hop-by-hop identifier. Either peer may send requests (a server sends
 * Device-Watchdog too), so requests and answers are recognised by the R flag, not by direction.
 */
final class DiameterDissector
        extends DirectionalDissector
{
    static final Protocol DIAMETER = new Protocol("Diameter", Columns.DIAMETER);
    static final int MAX_MESSAGE = 1 << 20;
    static final int MAX_PENDING = 1024;

    private record Pending(DiameterMessage request, long timestampMicros) {}

    private final TableSchema calls = TableSchema.of(Table.API_CALLS);
    private final Framing fromClient = new Framing();
    private final Framing fromServer = new Framing();
    private final PendingRequests<Long, Pending> pending = new PendingRequests<>(MAX_PENDING,
            request -> emit(request.request(), request.timestampMicros(), null, 0));

    DiameterDissector(DissectionContext context)
    {
        super(context, "diameter");
    }

    @Override
    protected Direction direction(boolean client)
    {
        return client ? fromClient : fromServer;
    }

    @Override
    public void end(long timestampMicros)
    {
        pending.flush();
    }

    private void message(DiameterMessage message, long timestampMicros)
    {
        if (message.request()) {
            pending.add(message.hopByHop(), new Pending(message, timestampMicros));
            return;
        }
        Pending request = pending.take(message.hopByHop());
        emit(request == null ? null : request.request(), request == null ? 0 : request.timestampMicros(), message, timestampMicros);
    }

    private void emit(DiameterMessage request, long requestTime, DiameterMessage answer, long answerTime)
    {
        GenericData.Record row = context.newCall(DIAMETER, request != null ? requestTime : answerTime);
        Rows rows = Rows.of(calls, row);
        DiameterMessage preferred = request != null ? request : answer;
        String command = DiameterMessage.commandName(preferred.commandCode());
        rows.set(Columns.DIAMETER_METHOD, command);
        List<String> summary = new ArrayList<>();
        summary.add(command + (request != null ? "-Request" : "") + (request != null && answer != null ? "/" : "") + (answer != null ? "Answer" : ""));
        summary.add("app=" + DiameterMessage.applicationName(preferred.applicationId()));
        if (answer != null) {
            summary.add("result=" + answer.resultCode());
            rows.set(Columns.DIAMETER_RESULT_CODE, answer.resultCode());
        }
        if (!preferred.originHost().isEmpty()) {
            summary.add("origin=" + preferred.originHost());
        }
        if (!preferred.sessionId().isEmpty()) {
            summary.add("session=" + preferred.sessionId());
        }
        rows.set(Columns.DIAMETER_SUMMARY, String.join(" ", summary));
        rows.set(Columns.DIAMETER_REQUEST, request != null);
        rows.set(Columns.DIAMETER_RESPONSE, answer != null);
        long requestLength = request != null ? request.length() : 0;
        long answerLength = answer != null ? answer.length() : 0;
        rows.set(Columns.DIAMETER_REQUEST_LENGTH, requestLength);
        rows.set(Columns.DIAMETER_RESPONSE_LENGTH, answerLength);
        rows.set(Columns.DIAMETER_TOTAL_SIZE, requestLength + answerLength);
        if (request != null && answer != null) {
            rows.set(Columns.ELAPSED_TIME, Math.max(0, answerTime - requestTime));
        }
        context.emit(row);
    }

    /**
     * The header's version (1) and its three-byte length of the whole message (RFC 6733 section
     * 3), judged once the four bytes are in.
     */
    private static final LengthPrefixedFramer.Format FORMAT = new LengthPrefixedFramer.Format()
    {
        private final LengthPrefixedFramer.Format length = LengthPrefixedFramer.lengthField(1, 3, -4, DiameterMessage.HEADER, MAX_MESSAGE,
                "diameter.bad_header");

        @Override
        public long frameLength(byte[] header, int count)
        {
            if (count < 4) {
                return MORE;
            }
            return header[0] != 1 ? BAD : length.frameLength(header, count);
        }

        @Override
        public String problem(byte[] header, int count)
        {
            return "diameter.bad_header";
        }

        @Override
        public int maxHeader()
        {
            return 4;
        }
    };

    /** One direction's messages, whole. */
    private final class Framing
            extends Direction
            implements LengthPrefixedFramer.Frames
    {
        private final LengthPrefixedFramer framer = new LengthPrefixedFramer(FORMAT, false, MAX_MESSAGE, this);

        @Override
        protected void read(byte[] data, int offset, int length, long timestampMicros)
        {
            framer.read(data, offset, length, timestampMicros);
        }

        @Override
        public boolean frame(byte[] bytes, int kept, long length, long firstByteTime, long lastByteTime)
        {
            DiameterMessage message = DiameterMessage.parse(bytes, 0, kept);
            if (message == null) {
                context.anomaly("diameter.malformed");
            }
            else {
                message(message, lastByteTime);
            }
            return true;
        }

        @Override
        public void malformed(String problem)
        {
            context.anomaly(problem);
            lose();
        }
    }
}
