package io.wirelake.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the real-traffic corpus's seed comes from: a capture the user names, or one recorded by
 * the {@code bench-corpus} module's recorder (real servers and clients in a network namespace of
 * its own; it needs root and the servers installed). The recorder keeps a seed it recorded with
 * the same recipe, so only the first run records. In a source checkout the recorder is built when
 * missing or older than its sources; an installed distribution has no recorder and uses a seed
 * recorded before.
 */
final class RealCorpusSeed
{
    private RealCorpusSeed() {}

    static Path locate(Path given, Path directory, PrintStream out)
            throws Exception
    {
        if (given != null) {
            if (!Files.isRegularFile(given)) {
                throw new IllegalArgumentException("--real-seed " + given + ": no such file");
            }
            return given;
        }
        Path seedDirectory = directory.toAbsolutePath().resolve("real-seed");
        Path seed = seedDirectory.resolve("seed.pcap");
        String root = System.getProperty("wirelake.root.dir", "");
        Path module = root.isEmpty() ? null : Path.of(root).resolve("bench-corpus");
        if (module == null || !Files.isRegularFile(module.resolve("pom.xml"))) {
            if (Files.isRegularFile(seed)) {
                return seed;
            }
            throw new IllegalStateException("the real-traffic corpus is recorded from a source checkout (its bench-corpus module runs real servers"
                    + " and clients); pass a recorded seed with --real-seed FILE, or copy one to " + seed);
        }
        Path jar = module.resolve("target/wirelake-bench-corpus.jar");
        if (stale(module, jar)) {
            out.println("bench: building the real-traffic recorder (bench-corpus) ...");
            BenchProcesses.run(List.of("bash", "-c", "cd " + BenchProcesses.quote(root) + " && ./mvnw -q -B -DskipTests -pl bench-corpus -am package"));
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", jar + java.io.File.pathSeparator + module.resolve("target/lib") + "/*",
                "io.wirelake.bench.corpus.RealTrafficRecorder", "--out", seedDirectory.toString()));
        out.println("bench: the real-traffic seed (recorded once, kept in " + seedDirectory + ") ...");
        Process recorder = new ProcessBuilder(command).inheritIO().start();
        if (recorder.waitFor() != 0) {
            throw new IllegalStateException("recording the real-traffic seed failed (exit " + recorder.exitValue() + "); see the output above");
        }
        return seed;
    }

    /** Whether the recorder's jar is missing or older than a file of its module's sources. */
    private static boolean stale(Path module, Path jar)
            throws IOException
    {
        if (!Files.isRegularFile(jar) || !Files.isDirectory(module.resolve("target/lib"))) {
            return true;
        }
        FileTime built = Files.getLastModifiedTime(jar);
        try (Stream<Path> sources = Stream.concat(Stream.of(module.resolve("pom.xml")), Files.walk(module.resolve("src")))) {
            return sources.filter(Files::isRegularFile).anyMatch(source -> {
                try {
                    return Files.getLastModifiedTime(source).compareTo(built) > 0;
                }
                catch (IOException e) {
                    return true;
                }
            });
        }
    }
}
