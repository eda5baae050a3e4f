package io.wirelake.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bench's measured commands: run through bash, whose {@code times} gives the user+sys CPU
 * time of every child process, with their peak resident memory sampled from /proc.
 */
final class BenchProcesses
{
    private static final Pattern TIMES = Pattern.compile("(\\d+)m([0-9.]+)s\\s+(\\d+)m([0-9.]+)s");

    /** @param peakBytes the largest peak resident set of the tool's processes; -1 when not measured */
    record Measure(String tool, double wallSeconds, double cpuSeconds, long peakBytes) {}

    private final Path log;

    /** @param log where the tools' own output goes (shown when one fails) */
    BenchProcesses(Path log)
    {
        this.log = log.toAbsolutePath();
    }

    Path log()
    {
        return log;
    }

    Measure timed(String tool, List<String> command)
            throws Exception
    {
        return timedScript(tool, String.join(" ", command.stream().map(BenchProcesses::quote).toList()) + " >> " + quote(log.toString()) + " 2>&1 || exit 1\n");
    }

    /** Runs a bash script and reads its children's CPU time from {@code times}. */
    Measure timedScript(String tool, String script)
            throws Exception
    {
        long start = System.nanoTime();
        String output;
        PeakMemory peak = new PeakMemory();
        try {
            output = run(List.of("bash", "-c", script + "times\n"), peak);
        }
        catch (IllegalStateException failure) {
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            throw new IllegalStateException(tool + " failed; the end of " + log + ":\n  "
                    + String.join("\n  ", lines.subList(Math.max(0, lines.size() - 15), lines.size())));
        }
        double wall = (System.nanoTime() - start) / 1e9;
        String[] lines = output.strip().split("\n");
        Matcher matcher = TIMES.matcher(lines[lines.length - 1]);
        if (!matcher.find()) {
            throw new IllegalStateException("could not read CPU times from: " + output);
        }
        double cpu = Integer.parseInt(matcher.group(1)) * 60 + Double.parseDouble(matcher.group(2)) + Integer.parseInt(matcher.group(3)) * 60
                + Double.parseDouble(matcher.group(4));
        System.err.printf(Locale.ROOT, "  %-70s wall %7.2f s  CPU %7.2f s  peak RSS %s%n", tool, wall, cpu,
                peak.bytes() < 0 ? "n/a" : Sizes.format(peak.bytes()));
        return new Measure(tool, wall, cpu, peak.bytes());
    }

    static String run(List<String> command)
            throws Exception
    {
        return run(command, null);
    }

    /** Runs a command to its end; with {@code peak}, samples its processes' memory while it runs. */
    static String run(List<String> command, PeakMemory peak)
            throws Exception
    {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        Thread sampler = null;
        if (peak != null) {
            sampler = new Thread(() -> peak.sample(process), "bench-memory");
            sampler.setDaemon(true);
            sampler.start();
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int exit = process.waitFor();
        if (sampler != null) {
            sampler.join();
        }
        if (exit != 0) {
            throw new IllegalStateException("command failed: " + String.join(" ", command) + "\n" + output);
        }
        return output;
    }

    /**
     * The largest peak resident set (Linux's VmHWM, a high-water mark) among a command's
     * processes, read from /proc every 20 ms while it runs: growth in a process's last 20 ms can
     * be missed. -1 where /proc is not there.
     */
    static final class PeakMemory
    {
        private volatile long bytes = -1;

        long bytes()
        {
            return bytes;
        }

        void sample(Process process)
        {
            if (!Files.isDirectory(Path.of("/proc/self"))) {
                return;
            }
            long largest = 0;
            while (process.isAlive()) {
                for (ProcessHandle child : (Iterable<ProcessHandle>) process.descendants()::iterator) {
                    largest = Math.max(largest, highWaterMark(child.pid()));
                }
                bytes = largest;
                try {
                    Thread.sleep(20);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private static long highWaterMark(long pid)
        {
            try {
                for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                    if (line.startsWith("VmHWM:")) {
                        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            }
            catch (IOException | NumberFormatException e) {
                // the process ended between the listing and the read
            }
            return 0;
        }
    }

    static boolean onPath(String program)
    {
        try {
            return new ProcessBuilder("bash", "-c", "command -v " + program).start().waitFor() == 0;
        }
        catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static String quote(String text)
    {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
