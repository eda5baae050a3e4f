package io.wirelake.cli;

import io.wirelake.query.ParquetRows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A table partition's rows as sorted text lines, every column but those named, for comparing two
 * runs row for row: byte values in hex, maps sorted by key.
 */
final class TableRows
{
    private TableRows() {}

    static List<String> lines(Path partition, Set<String> leftOut)
            throws Exception
    {
        if (!Files.isDirectory(partition)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (Map<String, Object> row : ParquetRows.readAll(partition)) {
            TreeMap<String, Object> canonical = new TreeMap<>();
            row.forEach((column, value) -> {
                if (!leftOut.contains(column)) {
                    canonical.put(column, canonical(value));
                }
            });
            lines.add(canonical.toString());
        }
        lines.sort(null);
        return lines;
    }

    private static Object canonical(Object value)
    {
        if (value instanceof byte[] bytes) {
            return HexFormat.of().formatHex(bytes);
        }
        if (value instanceof Map<?, ?> map) {
            TreeMap<String, Object> sorted = new TreeMap<>();
            map.forEach((key, entry) -> sorted.put(key.toString(), canonical(entry)));
            return sorted;
        }
        if (value instanceof List<?> list) {
            return list.stream().map(TableRows::canonical).toList();
        }
        return value;
    }
}
