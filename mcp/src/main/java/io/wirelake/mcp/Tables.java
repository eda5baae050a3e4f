package io.wirelake.mcp;

import io.wirelake.columns.Table;
import io.wirelake.kfl.CompiledFilter;
import io.wirelake.kfl.KflCompiler;
import io.wirelake.kfl.KflException;
import io.wirelake.kfl.SqlText;
import io.wirelake.query.LakeSession;
import io.wirelake.query.TableSource;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * How tools reach a snapshot's tables: a Trino session over its partitions (opened through the
 * query layer, which refuses a snapshot that is not dissected and says how to dissect it), KFL
 * filters compiled for a table, time bounds, and rows as maps by column name.
 */
final class Tables
{
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");

    private final Lake lake;
    private final TrinoWarmUp warmUp;

    Tables(Lake lake, TrinoWarmUp warmUp)
    {
        this.lake = requireNonNull(lake, "lake is null");
        this.warmUp = requireNonNull(warmUp, "warmUp is null");
    }

    Lake lake()
    {
        return lake;
    }

    /** A session over the partitions of dissected snapshots. */
    LakeSession open(List<String> snapshots)
            throws Exception
    {
        for (String snapshot : snapshots) {
            // An unknown name is refused here with the names the store holds.
            lake.snapshots().manifest(snapshot);
        }
        warmUp.await();
        return lake.queries().open(TableSource.snapshots(lake.store(), snapshots));
    }

    LakeSession open(String snapshot)
            throws Exception
    {
        return open(List.of(snapshot));
    }

    /** A filter for a table, or none for a blank one; a filter for the other table is refused with what it addresses. */
    static Optional<CompiledFilter> filter(Optional<String> kfl, Table table)
            throws KflException
    {
        if (kfl.isEmpty() || kfl.get().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new KflCompiler().compile(kfl.get(), Optional.of(table), Instant.now()));
    }

    /** A filter for whichever table its variables address. */
    static Optional<CompiledFilter> filter(Optional<String> kfl)
            throws KflException
    {
        if (kfl.isEmpty() || kfl.get().isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new KflCompiler().compile(kfl.get(), Optional.empty(), Instant.now()));
    }

    /** The predicate keeping rows whose {@code timestamp} is in [start, end] (Unix milliseconds), or TRUE. */
    static String timeBounds(Optional<Long> startMillis, Optional<Long> endMillis)
    {
        if (startMillis.isPresent() && endMillis.isPresent() && startMillis.get() > endMillis.get()) {
            throw new ToolException("'start' (" + startMillis.get() + ") is after 'end' (" + endMillis.get() + ")");
        }
        List<String> bounds = new ArrayList<>();
        startMillis.ifPresent(start -> bounds.add("\"timestamp\" >= " + timestamp(start)));
        endMillis.ifPresent(end -> bounds.add("\"timestamp\" <= " + timestamp(end)));
        return bounds.isEmpty() ? "TRUE" : String.join(" AND ", bounds);
    }

    private static String timestamp(long millis)
    {
        if (millis < 0 || millis > 253_402_300_799_999L) {
            throw new ToolException("a time must be Unix milliseconds between 0 and year 9999, not " + millis);
        }
        return "TIMESTAMP " + SqlText.string(LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneOffset.UTC).format(TIMESTAMP));
    }

    /** Every row of a query as a map from column name to value (for small answers: a page of rows, aggregates). */
    static List<Map<String, Object>> rows(LakeSession session, String sql)
            throws Exception
    {
        List<Map<String, Object>> rows = new ArrayList<>();
        List<List<String>> names = new ArrayList<>(1);
        session.query(sql, new LakeSession.RowSink()
        {
            @Override
            public void columns(List<String> columns)
            {
                names.add(columns);
            }

            @Override
            public void row(List<Object> values)
            {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int index = 0; index < values.size(); index++) {
                    row.put(names.get(0).get(index), values.get(index));
                }
                rows.add(row);
            }
        });
        return rows;
    }
}
