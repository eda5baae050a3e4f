package io.wirelake.dissect.testing;

import io.wirelake.columns.Column;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.dissect.enrich.Enrichment;
import io.wirelake.dissect.flow.FlowTracker;
import io.wirelake.dissect.protocol.ProtocolRegistry;
import io.wirelake.dissect.scan.CaptureScanner;
import io.wirelake.dissect.scan.ScanReport;
import org.apache.avro.generic.GenericData;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs the scan path (what a Flink task runs) in the test's thread and keeps the rows. */
public record Dissection(List<GenericData.Record> calls, List<GenericData.Record> flows, ScanReport report)
{
    public static Dissection of(Path... captures)
    {
        return of(ProtocolRegistry.standard(), captures);
    }

    public static Dissection of(ProtocolRegistry registry, Path... captures)
    {
        return of(registry, FlowTracker.Settings.defaults("test-node", 0), Enrichment.none(), captures);
    }

    /** One scan unit as the job scans it: its settings (node, id base) and Kubernetes context. */
    public static Dissection of(ProtocolRegistry registry, FlowTracker.Settings settings, Enrichment enrichment, Path... captures)
    {
        List<GenericData.Record> calls = new ArrayList<>();
        List<GenericData.Record> flows = new ArrayList<>();
        ScanReport report = new ScanReport();
        CaptureScanner scanner = new CaptureScanner(registry, settings,
                new FlowTracker.RowSink()
                {
                    @Override
                    public void apiCall(GenericData.Record row)
                    {
                        calls.add(row);
                    }

                    @Override
                    public void flow(GenericData.Record row)
                    {
                        flows.add(row);
                    }
                }, report, null);
        scanner.enrich(enrichment);
        for (Path capture : captures) {
            scanner.scan(CaptureScanner.CaptureSource.of(capture));
        }
        scanner.finish();
        calls.sort(java.util.Comparator.comparingLong(row -> (Long) row.get("timestamp")));
        return new Dissection(calls, flows, report);
    }

    public List<GenericData.Record> calls(String protocol)
    {
        return calls.stream().filter(row -> row.get("protocol").equals(protocol)).toList();
    }

    public static Object value(GenericData.Record row, Column column)
    {
        Table table = row.getSchema().getName().equals(Table.FLOWS.recordName()) ? Table.FLOWS : Table.API_CALLS;
        return row.get(TableSchema.of(table).position(column));
    }
}
