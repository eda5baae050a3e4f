package io.wirelake.dissect.flow;

import io.wirelake.columns.Columns;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.Protocol;
import io.wirelake.dissect.protocol.StreamDissector;
import io.wirelake.dissect.rows.Rows;
import org.apache.avro.generic.GenericData;

import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * A flow as its dissectors see it: rows made with the flow's columns, emitted with the flow's
 * anomalies, anomalies counted, DNS answers remembered for the scan, and protocol switches and
 * tunnels handed to the flow's {@link ProtocolBinding}.
 */
final class FlowContext
        implements DissectionContext
{
    private final ScanScope scope;
    private final Flow flow;
    private final ProtocolBinding binding;

    FlowContext(ScanScope scope, Flow flow, ProtocolBinding binding)
    {
        this.scope = requireNonNull(scope, "scope is null");
        this.flow = requireNonNull(flow, "flow is null");
        this.binding = requireNonNull(binding, "binding is null");
    }

    @Override
    public GenericData.Record newCall(Protocol protocol, long timestampMicros)
    {
        return scope.rows().newCall(flow, protocol, timestampMicros);
    }

    @Override
    public void emit(GenericData.Record row)
    {
        Rows rows = scope.rows().apiCall(row);
        scope.report().increment("rows." + rows.get(Columns.PROTOCOL));
        flow.anomalies().forEach(anomaly -> rows.addDistinct(Columns.ANOMALIES, anomaly));
        // secrets go before the row leaves the engine: nothing downstream ever sees them
        scope.redactor().call(rows);
        scope.sink().apiCall(row);
    }

    @Override
    public void anomaly(String name)
    {
        scope.anomaly(flow, name);
    }

    @Override
    public int bodyCap()
    {
        return scope.settings().bodyCap();
    }

    @Override
    public void resolved(String address, String name)
    {
        scope.rows().resolved(address, name);
    }

    @Override
    public <T> T scanState(Class<T> type, Supplier<T> create)
    {
        return scope.scanState(type, create);
    }

    @Override
    public StreamDissector tunnel(String carrier)
    {
        return binding.tunnel(carrier);
    }

    @Override
    public void upgrade(String protocol, long timestampMicros)
    {
        binding.upgrade(protocol, timestampMicros);
    }

    @Override
    public void upgrade(String protocol, long timestampMicros, String method, String target, String host, long requestTimestampMicros)
    {
        binding.upgrade(protocol, timestampMicros, method, target, host, requestTimestampMicros);
    }

    @Override
    public void afterUpgrade(boolean fromClient, byte[] data, int offset, int length, long timestampMicros)
    {
        binding.afterUpgrade(fromClient, data, offset, length, timestampMicros);
    }

    /**
     * The context of a stream carried inside this flow (a WebSocket's messages): rows and
     * anomalies are this flow's, but the carried protocol's own switches are not followed.
     */
    DissectionContext forTunnel(String carrier)
    {
        FlowContext outer = this;
        return new DissectionContext()
        {
            @Override
            public GenericData.Record newCall(Protocol protocol, long timestampMicros)
            {
                return outer.newCall(protocol, timestampMicros);
            }

            @Override
            public void emit(GenericData.Record row)
            {
                outer.emit(row);
            }

            @Override
            public void anomaly(String name)
            {
                outer.anomaly(name);
            }

            @Override
            public int bodyCap()
            {
                return outer.bodyCap();
            }

            @Override
            public void resolved(String address, String name)
            {
                outer.resolved(address, name);
            }

            @Override
            public <T> T scanState(Class<T> type, Supplier<T> create)
            {
                return outer.scanState(type, create);
            }

            @Override
            public void upgrade(String protocol, long timestampMicros)
            {
                outer.anomaly(carrier + ".tunnel_upgrade_not_followed");
            }
        };
    }
}
