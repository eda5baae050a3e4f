package io.wirelake.catalog.evidence.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a real program (openssl, sha256sum, bash) and gives its exit code and output; a missing program fails the test, naming it. */
public final class Commands
{
    public record Result(int exit, String output) {}

    private Commands() {}

    public static Result run(Path directory, List<String> command)
            throws IOException, InterruptedException
    {
        Path output = Files.createTempFile("command", ".txt");
        try {
            Process process;
            try {
                process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            }
            catch (IOException e) {
                throw new IOException(command.get(0) + " is needed by this test and could not be run (Debian: apt-get install openssl coreutils): " + e.getMessage(), e);
            }
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish in 2 minutes");
            }
            return new Result(process.exitValue(), Files.readString(output));
        }
        finally {
            Files.deleteIfExists(output);
        }
    }

    /** A bash script, as a README tells a person to type it. */
    public static Result bash(Path directory, String script)
            throws IOException, InterruptedException
    {
        return run(directory, List.of("bash", "-euo", "pipefail", "-c", script));
    }
}
