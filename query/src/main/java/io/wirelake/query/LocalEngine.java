package io.wirelake.query;

import io.wirelake.catalog.Directories;
import io.wirelake.columns.Column;
import io.wirelake.columns.ColumnType;
import io.wirelake.columns.Columns;
import io.wirelake.kfl.KflEvaluator;
import io.wirelake.store.Layout;
import io.wirelake.store.LocalObjectStore;
import io.wirelake.store.ObjectInfo;
import io.wirelake.store.ObjectStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code local} engine: the filter evaluated row by row with CEL's own runtime over the
 * tables' Parquet files, no server. It keeps only the first {@code limit} rows in time order
 * while it reads, so memory follows the limit, not the table. Snapshots on S3 are read through
 * a local copy of their partition's files, one file at a time.
 */
final class LocalEngine
{
    private static final Comparator<Map<String, Object>> TIME_ORDER = Comparator.comparingLong((Map<String, Object> row) -> (Long) row.get("timestamp"))
            .thenComparingLong(row -> (Long) row.get("id"));

    private final Path workDirectory;

    LocalEngine(Path workDirectory)
    {
        this.workDirectory = workDirectory;
    }

    long select(Selection selection, LakeSession.RowSink sink)
            throws Exception
    {
        KflEvaluator evaluator = new KflEvaluator(selection.filter());
        // Largest first, so the row to drop is at the head once the queue holds `limit` rows.
        PriorityQueue<Map<String, Object>> first = new PriorityQueue<>(TIME_ORDER.reversed());
        int limit = selection.limit();
        ParquetRows.RowConsumer keep = row -> {
            if (limit == 0 || !evaluator.matches(row)) {
                return;
            }
            if (first.size() < limit) {
                first.add(row);
            }
            else if (TIME_ORDER.compare(row, first.peek()) < 0) {
                first.poll();
                first.add(row);
            }
        };
        String table = selection.table().sqlName();
        if (selection.source() instanceof TableSource.Directory directory) {
            ParquetRows.read(ParquetRows.files(directory.path().resolve(table)), keep);
        }
        else if (selection.source() instanceof TableSource.Snapshots snapshots) {
            for (String id : snapshots.ids()) {
                readPartition(snapshots.store(), table, id, keep);
            }
        }
        List<Map<String, Object>> rows = new ArrayList<>(first);
        rows.sort(TIME_ORDER);
        Set<String> timestamps = Columns.of(selection.table()).stream().filter(column -> column.type() == ColumnType.TIMESTAMP).map(Column::sqlName)
                .collect(Collectors.toSet());
        sink.columns(selection.columns());
        for (Map<String, Object> row : rows) {
            List<Object> values = new ArrayList<>(selection.columns().size());
            for (String column : selection.columns()) {
                Object value = DisplayColumn.byName(column).map(display -> display.value(row)).orElseGet(() -> row.get(column));
                values.add(timestamps.contains(column) && value instanceof Long micros ? Instant.EPOCH.plus(micros, ChronoUnit.MICROS) : value);
            }
            sink.row(values);
        }
        return rows.size();
    }

    private void readPartition(ObjectStore store, String table, String id, ParquetRows.RowConsumer keep)
            throws Exception
    {
        List<ObjectInfo> objects = store.list(Layout.tablePartition(table, id)).stream().filter(object -> object.key().endsWith(".parquet")).toList();
        if (store instanceof LocalObjectStore local) {
            ParquetRows.read(objects.stream().map(object -> local.root().resolve(object.key())).toList(), keep);
            return;
        }
        Path staging = Files.createDirectories(workDirectory).resolve("wirelake-local-" + System.nanoTime());
        try {
            for (ObjectInfo object : objects) {
                Path file = staging.resolve(object.key().substring(object.key().lastIndexOf('/') + 1));
                store.download(object.key(), file);
                ParquetRows.read(List.of(file), keep);
                Files.delete(file);
            }
        }
        finally {
            Directories.deleteTree(staging);
        }
    }
}
