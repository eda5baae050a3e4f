package io.wirelake.dissect.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * DuckDB (through its Node.js package, pinned in tools/duckdb) as an independent reader of the
 * Parquet tables. Installs the package with npm on first use.
 */
public final class DuckDb
{
    private DuckDb() {}

    /** One JSON array of row objects per statement. */
    public static List<String> query(String... statements)
            throws IOException, InterruptedException
    {
        Path tool = Path.of(System.getProperty("wirelake.root.dir", "..")).resolve("tools/duckdb");
        if (!Files.isDirectory(tool.resolve("node_modules/@duckdb/node-api"))) {
            run(tool, List.of("npm", "ci", "--silent", "--no-audit", "--no-fund"));
        }
        List<String> command = new ArrayList<>(List.of("node", "query.mjs"));
        command.addAll(List.of(statements));
        return List.of(run(tool, command).strip().split("\n"));
    }

    private static String run(Path directory, List<String> command)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed in " + directory + ":\n" + output);
        }
        return output;
    }
}
