package io.wirelake.cli;

import javax.management.ObjectName;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * bin/wirelake's class archive (the JVM's class-data sharing), written by the first command that
 * dissects with a given Java and build, after the command went well. The launcher asks for it with
 * {@code -Dwirelake.cds.write=PATH} and {@code -XX:+RecordDynamicDumpInfo}; the archive is dumped
 * (the JDK's {@code VM.cds dynamic_dump}) under a name of its own, mapped by a second JVM, and only
 * then renamed to PATH. A failure is a line on stderr and a file beside the archive saying why
 * (PATH.failed), which keeps the launcher from asking again for a day; the command's own result
 * stands, but for one case: a write that fails part-way (a quota the free-space check did not
 * see) ends the JVM, which the JDK does not let a caller catch.
 */
final class ClassArchive
{
    /** Room the dump must leave: an archive is about 80 MB, and a full disk would end the JVM mid-dump. */
    private static final long FREE_BYTES_NEEDED = 1L << 30;
    /** Written and removed before the dump, so that a quota (which free space does not show) fails here, not in the JVM's own write. */
    private static final int TRIAL_BYTES = 128 << 20;

    private ClassArchive() {}

    /** Writes the archive the launcher asked for, if it did and none is there yet. */
    static void writeIfAsked(PrintStream err)
    {
        String requested = System.getProperty("wirelake.cds.write");
        if (requested == null || requested.isBlank()) {
            return;
        }
        Path archive = Path.of(requested).toAbsolutePath();
        Path directory = archive.getParent();
        if (Files.exists(archive)) {
            return;
        }
        Path partial = null;
        try {
            long free = Files.getFileStore(directory).getUsableSpace();
            if (free < FREE_BYTES_NEEDED) {
                failed(archive, err, String.format("%s has %s free, and it needs %s", directory, Sizes.format(free), Sizes.format(FREE_BYTES_NEEDED)));
                return;
            }
            err.println("wirelake: writing the class archive for this Java and build, once (later commands start faster; WIRELAKE_CDS=off skips it) ...");
            long start = System.nanoTime();
            partial = Files.createTempFile(directory, archive.getFileName() + ".", ".partial");
            trialWrite(partial);
            // The JDK makes the file itself (through a name of its own).
            Files.delete(partial);
            dump(partial);
            if (!mapsWell(partial)) {
                failed(archive, err, "a second JVM with the same Java, class path and options did not map it");
                return;
            }
            Files.move(partial, archive, StandardCopyOption.ATOMIC_MOVE);
            partial = null;
            err.printf("wirelake: class archive %s written in %.1f s%n", archive, (System.nanoTime() - start) / 1e9);
        }
        catch (Throwable failure) {
            failed(archive, err, Wirelake.message(failure));
        }
        finally {
            if (partial != null) {
                deleteQuietly(partial);
                deleteQuietly(Path.of(partial + ".temp"));
            }
        }
    }

    /** Says why no archive was written, on stderr and in PATH.failed, which the launcher reads as "not again for a day". */
    private static void failed(Path archive, PrintStream err, String why)
    {
        err.println("wirelake: no class archive written (the next try in a day; WIRELAKE_CDS=off stops trying): " + why);
        try {
            Files.writeString(Path.of(archive + ".failed"), why + "\n");
        }
        catch (IOException | RuntimeException ignored) {
            // without the marker, the next dissection tries again
        }
    }

    private static void trialWrite(Path file)
            throws IOException
    {
        // random bytes: a file system that compresses would count a run of one byte as next to nothing
        byte[] block = new byte[1 << 20];
        new java.util.SplittableRandom(1).nextBytes(block);
        try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            for (int written = 0; written < TRIAL_BYTES; written += block.length) {
                var buffer = java.nio.ByteBuffer.wrap(block);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            channel.force(false);
        }
    }

    /** The JDK's dynamic dump of the classes this JVM loaded; the JDK prints its progress on System.out, which is the command's: sent to stderr. */
    private static void dump(Path file)
            throws Exception
    {
        PrintStream out = System.out;
        out.flush();
        System.setOut(System.err);
        Object said;
        try {
            said = ManagementFactory.getPlatformMBeanServer().invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "vmCds",
                    // (the JDK joins the arguments with spaces and parses them again: a path with a space is quoted)
                    new Object[] {new String[] {"dynamic_dump", "\"" + file + "\""}}, new String[] {String[].class.getName()});
        }
        finally {
            System.setOut(out);
        }
        if (!Files.isRegularFile(file) || Files.size(file) == 0) {
            throw new IOException("the JVM wrote no archive: " + String.valueOf(said).strip().replace('\n', ' '));
        }
    }

    /** Whether a JVM of the same Java, class path and heap options starts with the archive required ({@code -Xshare:on}). */
    private static boolean mapsWell(Path file)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // What an archive must match (the heap's size and layout, the collector, object headers), not what
            // would take memory (-Xms, pre-touching) or write files (logs, recordings) beside this JVM.
            if (argument.startsWith("-Xmx") || argument.matches("-XX:(MaxRAMPercentage|MaxHeapSize|MaxRAM|ObjectAlignmentInBytes)=.*")
                    || argument.matches("-XX:[+-](Use\\w*GC|UseCompressed\\w+|UseCompactObjectHeaders|Unlock\\w+VMOptions)")) {
                command.add(argument);
            }
        }
        command.addAll(List.of("-XX:SharedArchiveFile=" + file, "-Xshare:on", "-Xlog:cds*=off", "-cp", System.getProperty("java.class.path"), "-version"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(2, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return false;
        }
        return process.exitValue() == 0;
    }

    private static void deleteQuietly(Path file)
    {
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException ignored) {
            // a leftover is swept by the launcher after two hours
        }
    }
}
