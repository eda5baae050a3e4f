package io.wirelake.bench.corpus;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Starting, running and stopping the servers' and clients' processes. */
final class Processes
{
    private Processes() {}

    /** Starts a long-running process with its output in a log file. */
    static Process start(Path log, List<String> command, Map<String, String> environment)
            throws IOException
    {
        ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        return builder.start();
    }

    static Process start(Path log, List<String> command)
            throws IOException
    {
        return start(log, command, Map.of());
    }

    /** Runs a command to its end (at most ten minutes) and returns its output; a non-zero exit not in {@code allowedExits} fails. */
    static String run(List<String> command, int... allowedExits)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        int exit = process.exitValue();
        if (exit != 0 && java.util.Arrays.stream(allowedExits).noneMatch(allowed -> allowed == exit)) {
            throw new IOException("exit " + exit + " from " + String.join(" ", command) + ":\n" + tail(output));
        }
        return output;
    }

    /** Runs a command with its standard input from a file. */
    static String runWithInput(List<String> command, Path input)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).redirectInput(input.toFile()).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + String.join(" ", command));
        }
        if (process.exitValue() != 0) {
            throw new IOException("exit " + process.exitValue() + " from " + String.join(" ", command) + ":\n" + tail(output));
        }
        return output;
    }

    static void waitForTcp(int port, Process server, Path log)
            throws IOException, InterruptedException
    {
        for (int attempt = 0; attempt < 600; attempt++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                return;
            }
            catch (IOException e) {
                if (server != null && !server.isAlive()) {
                    throw new IOException("the server for port " + port + " ended: " + tail(Files.readString(log)));
                }
                Thread.sleep(100);
            }
        }
        throw new IOException("nothing listens on tcp port " + port + " after a minute");
    }

    /** Waits until a server's log says a phrase. */
    static void waitForLog(Path log, String phrase, Process server)
            throws IOException, InterruptedException
    {
        for (int attempt = 0; attempt < 600; attempt++) {
            if (Files.exists(log) && Files.readString(log).contains(phrase)) {
                return;
            }
            if (!server.isAlive()) {
                throw new IOException("the server ended: " + (Files.exists(log) ? tail(Files.readString(log)) : ""));
            }
            Thread.sleep(100);
        }
        throw new IOException("'" + phrase + "' not in " + log + " after a minute");
    }

    static void stop(Process process)
            throws InterruptedException
    {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    static Path write(Path file, String text)
            throws IOException
    {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    static String tail(String text)
    {
        return text.length() > 2000 ? "..." + text.substring(text.length() - 2000) : text;
    }
}
