package io.wirelake.packets.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs tshark, the reference dissector, and returns its field output. */
public final class Tshark
{
    private Tshark() {}

    /** One list of values per frame, in the order of {@code fields}; multi-valued fields keep tshark's commas. */
    public static List<String[]> fields(Path capture, List<String> options, String... fields)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(), "-T", "fields", "-E", "separator=/t", "-E", "occurrence=a"));
        command.addAll(options);
        for (String field : fields) {
            command.add("-e");
            command.add(field);
        }
        List<String[]> rows = new ArrayList<>();
        for (String line : run(command).split("\n", -1)) {
            if (!line.isEmpty()) {
                rows.add(line.split("\t", -1));
            }
        }
        return rows;
    }

    public static String run(List<String> command)
            throws IOException, InterruptedException
    {
        Path output = Files.createTempFile("tshark", ".out");
        Path errors = Files.createTempFile("tshark", ".err");
        try {
            Process process = new ProcessBuilder(command).redirectOutput(output.toFile()).redirectError(errors.toFile()).start();
            if (!process.waitFor(5, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("tshark timed out: " + command);
            }
            return Files.readString(output, StandardCharsets.UTF_8);
        }
        finally {
            Files.deleteIfExists(output);
            Files.deleteIfExists(errors);
        }
    }

    public static String stderr(List<String> command)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(5, TimeUnit.MINUTES);
        return errors;
    }
}
