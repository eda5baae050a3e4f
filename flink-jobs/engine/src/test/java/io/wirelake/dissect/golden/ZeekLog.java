package io.wirelake.dissect.golden;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A Zeek TSV log (btest baseline): rows as field-name maps. */
record ZeekLog(List<Map<String, String>> rows)
{
    static ZeekLog read(Path path)
            throws IOException
    {
        List<String> fields = List.of();
        List<Map<String, String>> rows = new ArrayList<>();
        for (String line : Files.readAllLines(path)) {
            if (line.startsWith("#fields\t")) {
                fields = List.of(line.substring("#fields\t".length()).split("\t"));
                continue;
            }
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            if (fields.isEmpty()) {
                // zeek-cut output: the first line names the columns.
                fields = List.of(line.split("\t"));
                continue;
            }
            String[] values = line.split("\t", -1);
            Map<String, String> row = new LinkedHashMap<>();
            for (int index = 0; index < fields.size() && index < values.length; index++) {
                row.put(fields.get(index), values[index]);
            }
            rows.add(row);
        }
        return new ZeekLog(rows);
    }
}
