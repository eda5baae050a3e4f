package io.wirelake.dissect.flow;

import io.wirelake.dissect.protocol.ProtocolRegistry;
import io.wirelake.dissect.redact.Redactor;
import io.wirelake.dissect.scan.ScanReport;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * What every flow of one scan shares: the settings, the report, where rows go, the protocols and
 * the guard around their code, the row builder, the redaction applied before rows are written,
 * and the state dissectors share across flows.
 */
record ScanScope(FlowTracker.Settings settings, ScanReport report, FlowTracker.RowSink sink, ProtocolRegistry registry, DissectorGuard guard,
        FlowRows rows, Redactor redactor, Map<Class<?>, Object> scanStates)
{
    ScanScope
    {
        requireNonNull(settings, "settings is null");
        requireNonNull(report, "report is null");
        requireNonNull(sink, "sink is null");
        requireNonNull(registry, "registry is null");
        requireNonNull(guard, "guard is null");
        requireNonNull(rows, "rows is null");
        requireNonNull(redactor, "redactor is null");
        requireNonNull(scanStates, "scanStates is null");
    }

    static ScanScope of(ProtocolRegistry registry, FlowTracker.Settings settings, FlowTracker.RowSink sink, ScanReport report)
    {
        return new ScanScope(settings, report, sink, registry, new DissectorGuard(report), new FlowRows(settings, report),
                new Redactor(settings.redaction(), report), new HashMap<>());
    }

    /** A named anomaly of a flow: counted in the report and listed on the flow (and so on its rows). */
    void anomaly(Flow flow, String name)
    {
        report.increment("anomaly." + name);
        flow.anomaly(name);
    }

    /** See {@link io.wirelake.dissect.protocol.DissectionContext#scanState}. */
    <T> T scanState(Class<T> type, Supplier<T> create)
    {
        return type.cast(scanStates.computeIfAbsent(type, key -> create.get()));
    }
}
