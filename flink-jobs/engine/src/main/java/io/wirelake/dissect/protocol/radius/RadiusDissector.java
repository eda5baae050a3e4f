package io.wirelake.dissect.protocol.radius;

import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.dissect.protocol.DatagramDissector;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.PendingRequests;
import io.wirelake.dissect.protocol.Protocol;
import io.wirelake.dissect.rows.Rows;
import org.apache.avro.generic.GenericData;


/**
 * RADIUS requests paired with responses by identifier within the flow; unanswered requests and
 * unsolicited responses are rows of their own. Merged fields prefer the request, as KFL2 says.
 */
final class RadiusDissector
        implements DatagramDissector
{
    static final Protocol RADIUS = new Protocol("RADIUS", Columns.RADIUS);
    static final int MAX_PENDING = 256;

    private record Pending(RadiusMessage request, long timestampMicros) {}

    private final DissectionContext context;
    private final TableSchema calls = TableSchema.of(Table.API_CALLS);
    private final PendingRequests<Integer, Pending> pending = new PendingRequests<>(MAX_PENDING,
            request -> emit(request.request(), request.timestampMicros(), null, 0));

    RadiusDissector(DissectionContext context)
    {
        this.context = context;
    }

    @Override
    public void datagram(boolean fromClient, byte[] data, int offset, int length, int wireLength, long timestampMicros)
    {
        RadiusMessage message = RadiusMessage.parse(data, offset, length);
        if (message == null) {
            context.anomaly("radius.malformed");
            return;
        }
        if (message.isRequest()) {
            pending.add(message.identifier(), new Pending(message, timestampMicros));
            return;
        }
        Pending request = pending.take(message.identifier());
        emit(request == null ? null : request.request(), request == null ? 0 : request.timestampMicros(), message, timestampMicros);
    }

    @Override
    public void end(long timestampMicros)
    {
        pending.flush();
    }

    private void emit(RadiusMessage request, long requestTime, RadiusMessage response, long responseTime)
    {
        GenericData.Record row = context.newCall(RADIUS, request != null ? requestTime : responseTime);
        Rows rows = Rows.of(calls, row);
        RadiusMessage preferred = request != null ? request : response;
        rows.set(Columns.RADIUS_CODE, preferred.code());
        rows.set(Columns.RADIUS_CODE_NAME, RadiusMessage.codeName(preferred.code()));
        rows.set(Columns.RADIUS_REQUEST, request != null);
        rows.set(Columns.RADIUS_RESPONSE, response != null);
        long requestLength = request != null ? request.length() : 0;
        long responseLength = response != null ? response.length() : 0;
        if (request != null) {
            rows.set(Columns.RADIUS_REQUEST_AUTHENTICATOR, request.authenticator());
        }
        rows.set(Columns.RADIUS_USER, !preferred.userName().isEmpty() ? preferred.userName() : response != null ? response.userName() : "");
        if (response != null) {
            rows.set(Columns.RADIUS_RESPONSE_CODE_NAME, RadiusMessage.codeName(response.code()));
        }
        rows.set(Columns.RADIUS_REQUEST_LENGTH, requestLength);
        rows.set(Columns.RADIUS_RESPONSE_LENGTH, responseLength);
        rows.set(Columns.RADIUS_TOTAL_SIZE, requestLength + responseLength);
        if (request != null && response != null) {
            rows.set(Columns.ELAPSED_TIME, Math.max(0, responseTime - requestTime));
        }
        context.emit(row);
    }
}
