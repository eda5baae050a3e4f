package io.wirelake.collector;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A small tmpfs of its own (the tests run as root): a disk that fills up for real. */
final class Tmpfs
        implements AutoCloseable
{
    private final Path directory;

    private Tmpfs(Path directory)
    {
        this.directory = directory;
    }

    static Tmpfs mount(Path directory, long bytes)
            throws IOException, InterruptedException
    {
        Files.createDirectories(directory);
        run(List.of("mount", "-t", "tmpfs", "-o", "size=" + bytes, "tmpfs", directory.toString()),
                "mounting a tmpfs needs root (the collector's disk-full tests run as root, like its capture tests)");
        return new Tmpfs(directory);
    }

    Path directory()
    {
        return directory;
    }

    /** Fills what is left with a file of its own; returns its size. */
    long fill()
            throws IOException
    {
        Path filler = directory.resolve("filler");
        byte[] block = new byte[4096];
        long written = 0;
        try (var output = Files.newOutputStream(filler)) {
            while (true) {
                output.write(block);
                output.flush();
                written += block.length;
            }
        }
        catch (IOException e) {
            if (!String.valueOf(e.getMessage()).contains("No space left")) {
                throw e;
            }
        }
        return written;
    }

    @Override
    public void close()
            throws IOException, InterruptedException
    {
        run(List.of("umount", "-l", directory.toString()), "unmounting " + directory);
    }

    private static void run(List<String> command, String what)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + what + "): " + output.strip());
        }
    }
}
