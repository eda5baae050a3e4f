package io.wirelake.dissect.testing;

import io.wirelake.columns.Columns;
import io.wirelake.columns.Table;
import io.wirelake.columns.TableSchema;
import io.wirelake.dissect.protocol.DissectionContext;
import io.wirelake.dissect.protocol.Protocol;
import io.wirelake.dissect.rows.Rows;
import org.apache.avro.generic.GenericData;

import java.util.ArrayList;
import java.util.List;

/** A hand-written fake of a connection's context: keeps emitted rows, anomalies and upgrades. */
public final class FakeDissectionContext
        implements DissectionContext
{
    public final List<GenericData.Record> rows = new ArrayList<>();
    public final List<String> anomalies = new ArrayList<>();
    public final List<String> upgrades = new ArrayList<>();

    @Override
    public GenericData.Record newCall(Protocol protocol, long timestampMicros)
    {
        GenericData.Record row = TableSchema.of(Table.API_CALLS).newRow();
        Rows.of(TableSchema.of(Table.API_CALLS), row).set(Columns.PROTOCOL, protocol.displayName()).set(protocol.flag(), true)
                .set(Columns.TIMESTAMP_COLUMN, timestampMicros);
        return row;
    }

    @Override
    public void emit(GenericData.Record row)
    {
        rows.add(row);
    }

    @Override
    public void anomaly(String name)
    {
        anomalies.add(name);
    }

    @Override
    public int bodyCap()
    {
        return 1024;
    }

    @Override
    public void resolved(String address, String name)
    {
    }

    @Override
    public void upgrade(String protocol, long timestampMicros)
    {
        upgrades.add(protocol);
    }
}
