package io.wirelake.dissect.job;

import io.wirelake.dissect.enrich.Enrichment;
import io.wirelake.dissect.flow.FlowTracker;
import io.wirelake.dissect.protocol.ProtocolRegistry;
import io.wirelake.dissect.redact.Redaction;
import io.wirelake.dissect.scan.CaptureScanner;
import io.wirelake.dissect.scan.ScanReport;
import io.wirelake.store.dissection.DissectionSpec;
import io.wirelake.store.meta.WorkloadEvent;
import io.wirelake.store.meta.WorkloadEvents;
import io.wirelake.store.meta.Workloads;
import org.apache.avro.generic.GenericRecord;
import org.apache.flink.api.common.accumulators.ListAccumulator;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Scans one unit (a node's captures in time order) per element, with the flow table inside the
 * task: no per-packet shuffle. api_calls rows go to the main output, flows rows to a side output.
 * The scan's counters become job accumulators, summed across tasks into the job report.
 */
final class ScanFunction
        extends ProcessFunction<ScanUnit, GenericRecord>
{
    static final String DAMAGE_ACCUMULATOR = "damage";
    /** Row ids are unit index times this plus a sequence: unique without coordination. */
    static final long IDS_PER_UNIT = 1L << 40;

    /** Bytes of capture read so far, summed over the tasks: a remote launcher's progress (sent with the TaskManagers' heartbeats). */
    static final String PROGRESS_ACCUMULATOR = DissectionJob.PROGRESS_ACCUMULATOR;

    private final OutputTag<GenericRecord> flows;
    private final FlowTracker.Settings settings;
    private final String progressToken;
    private final DissectionSpec spec;
    private transient Workloads workloads;
    private transient Map<String, LongCounter> counters;
    private transient ListAccumulator<String> damage;
    private transient ProgressAccumulator progress;
    private transient ProtocolRegistry registry;

    /** @param redaction what is redacted before rows are written (serialized with the job: its key travels to the cluster with it) */
    ScanFunction(OutputTag<GenericRecord> flows, DissectionSpec spec, Redaction redaction, String progressToken)
    {
        this.spec = requireNonNull(spec, "spec is null");
        this.flows = requireNonNull(flows, "flows is null");
        this.settings = FlowTracker.Settings.defaults(spec.defaultNode(), 0).withBodyCap(spec.bodyCap()).withCaptureSource(spec.captureSource())
                .withRedaction(requireNonNull(redaction, "redaction is null"));
        this.progressToken = requireNonNull(progressToken, "progressToken is null");
    }

    /**
     * The standard protocols, or those the spec names (Kubeshark's tap.enabledDissectors names:
     * http, dns, tls, ...); an unknown name is refused.
     */
    static ProtocolRegistry registry(List<String> protocols)
    {
        return ProtocolRegistry.standard().only(protocols);
    }

    @Override
    public void open(OpenContext openContext)
    {
        counters = new HashMap<>();
        damage = new ListAccumulator<>();
        getRuntimeContext().addAccumulator(DAMAGE_ACCUMULATOR, damage);
        progress = new ProgressAccumulator();
        getRuntimeContext().addAccumulator(PROGRESS_ACCUMULATOR, progress);
        Progress.register(progressToken, progress.counter());
        registry = registry(spec.protocols());
        workloads = loadMetadata();
    }

    /** The snapshot's Kubernetes metadata, every task reading all of it (it is small). */
    private Workloads loadMetadata()
    {
        List<WorkloadEvent> events = new ArrayList<>();
        for (String location : spec.metadata()) {
            Path path = new Path(location);
            try (InputStream input = path.getFileSystem().open(path)) {
                events.addAll(WorkloadEvents.read(input, bad -> damage.add(location + ": " + bad)));
            }
            catch (java.io.IOException e) {
                damage.add(location + ": metadata unreadable: " + e);
            }
        }
        return new Workloads(events);
    }

    @Override
    public void processElement(ScanUnit unit, Context context, Collector<GenericRecord> out)
    {
        ScanReport report = new ScanReport();
        String worker = "task-" + getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        // the tasks of this job share the heap: each gets its share of the flow and held-bytes budgets
        int tasks = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        FlowTracker.Settings unitSettings = settings.forUnit(unit.node, unit.index * IDS_PER_UNIT).withWorker(worker)
                .withLimits(settings.limits().sharedBy(tasks));
        CaptureScanner scanner = new CaptureScanner(registry, unitSettings, new FlowTracker.RowSink()
        {
            @Override
            public void apiCall(org.apache.avro.generic.GenericData.Record row)
            {
                out.collect(row);
            }

            @Override
            public void flow(org.apache.avro.generic.GenericData.Record row)
            {
                context.output(flows, row);
            }
        }, report, progress.counter());
        scanner.window(spec.windowStart(), spec.windowEnd());
        if (unit.sliced()) {
            scanner.slice(unit.sliceStart, unit.sliceEnd, spec.slicing().lookbackMicros(), spec.slicing().overlapMicros());
        }
        scanner.enrich(new Enrichment(workloads, new java.util.HashSet<>(spec.nodes()), unit.node));
        for (String location : unit.paths) {
            scanner.scan(new CaptureScanner.CaptureSource()
            {
                @Override
                public String name()
                {
                    return location;
                }

                @Override
                public InputStream open()
                        throws java.io.IOException
                {
                    Path path = new Path(location);
                    return path.getFileSystem().open(path);
                }
            });
        }
        scanner.finish();
        report.increment("units");
        publish(report);
    }

    private void publish(ScanReport report)
    {
        report.counters().forEach((name, value) -> counters.computeIfAbsent(name, key -> {
            LongCounter counter = new LongCounter();
            getRuntimeContext().addAccumulator("counter." + key, counter);
            return counter;
        }).add(value));
        report.damageMessages().forEach(damage::add);
    }
}
