package io.wirelake.catalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The local Trino's AOT cache (Java 25, JEP 483 and 514): the classes a Trino start loads and
 * links, recorded by one start and mapped by the later ones. Measured here, the server's own
 * start took about 19 CPU-seconds with it against 27 without, and it answered its port after 11 to 13 s
 * instead of 18.5; its first queries take several seconds either way.
 *
 * <p>The first start of this Trino version on a given Java records ({@code -XX:AOTCacheOutput}, into
 * a file of this home's own, given to the launcher as {@code -J}: in jvm.config it would reach the
 * launcher's own {@code java -version} too); the JVM writes the cache as it exits, which makes that
 * one {@code trino stop} about 12 s longer. The stop then has a second JVM with the server's class
 * path and options map it ({@code -XX:AOTMode=on}) before it gets its final name, so that no start
 * ever maps a cache cut short (one cut short can crash the JVM that maps it). A recording that
 * fails that check is deleted, and a marker holds off recording again for a day. A server stopped
 * otherwise than through wirelake leaves its recording unused; recordings older than two hours are
 * swept.
 *
 * <p>Caches sit beside {@code bin/wirelake}'s class archives: {@code WIRELAKE_CDS_DIR}, else
 * {@code $XDG_CACHE_HOME/wirelake/cds}, else {@code ~/.cache/wirelake/cds}. {@code WIRELAKE_CDS=off}
 * turns both off; a directory that is not writable gets no recording, and one that already holds a
 * cache serves it. A cache is named by the Trino version and the Java (its home, {@code release}
 * file and {@code libjvm.so}), so a new Java or Trino records a new one; one that no longer fits
 * (other JVM options) is passed over by the JVM, which then starts as without.
 */
final class TrinoAotCache
{
    /** The first Java whose JVM writes an AOT cache in one run ({@code -XX:AOTCacheOutput}, JEP 514). */
    static final int MINIMUM_JAVA = 25;
    /** Where a home notes the recording its server writes, for the stop (which may run in another process). */
    private static final String RECORDING_NOTE = "aot-recording";
    private static final String RECORDING = ".recording-";
    private static final Duration RETRY_AFTER_FAILURE = Duration.ofDays(1);
    private static final Duration ABANDONED_AFTER = Duration.ofHours(2);
    private static final long CHECK_TIMEOUT_SECONDS = 60;

    private final Path cache;
    private final Path recording;

    private TrinoAotCache(Path cache, Path recording)
    {
        this.cache = cache;
        this.recording = recording;
    }

    /** The cache for a Trino home and its Java, unless turned off or the Java is older than 25. */
    static Optional<TrinoAotCache> of(Path home, Path javaHome, Map<String, String> environment)
    {
        String setting = environment.getOrDefault("WIRELAKE_CDS", "auto");
        if (List.of("off", "OFF", "0", "false", "no").contains(setting) || LocalTrino.javaVersion(javaHome) < MINIMUM_JAVA) {
            return Optional.empty();
        }
        Path cache = directory(environment).resolve("trino-" + LocalTrino.VERSION + "-" + key(javaHome) + ".aot");
        String homeKey = sha256(home.toAbsolutePath().normalize().toString()).substring(0, 16);
        return Optional.of(new TrinoAotCache(cache, cache.resolveSibling(cache.getFileName() + RECORDING + homeKey)));
    }

    static Path directory(Map<String, String> environment)
    {
        String chosen = environment.get("WIRELAKE_CDS_DIR");
        if (chosen != null && !chosen.isBlank()) {
            return Path.of(chosen);
        }
        String cacheHome = environment.get("XDG_CACHE_HOME");
        Path base = cacheHome != null && !cacheHome.isBlank() ? Path.of(cacheHome) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("wirelake").resolve("cds");
    }

    Path file()
    {
        return cache;
    }

    /**
     * The JVM options for the next start: map the cache when there is one, else record one (not
     * within a day of a recording that failed its check, nor into a directory this user cannot
     * write). Each step is best effort: a cache is an optimization, and Trino starts without one
     * as it always did.
     */
    List<String> jvmOptions()
    {
        sweepAbandonedRecordings();
        if (Files.isReadable(cache)) {
            try {
                if (Files.size(cache) > 0) {
                    touch(cache);
                    return List.of("-XX:AOTCache=" + cache);
                }
            }
            catch (IOException e) {
                return List.of();
            }
        }
        Path failed = failedMarker(cache);
        try {
            if (Files.exists(failed) && Files.getLastModifiedTime(failed).toInstant().isAfter(Instant.now().minus(RETRY_AFTER_FAILURE))) {
                return List.of();
            }
            Files.deleteIfExists(recording);
            Files.createDirectories(cache.getParent());
        }
        catch (IOException | RuntimeException e) {
            return List.of();
        }
        return Files.isWritable(cache.getParent()) ? List.of("-XX:AOTCacheOutput=" + recording) : List.of();
    }

    /** Notes, in the home, the recording a start's options make (or that there is none), for the stop. */
    static void noteRecording(Path home, List<String> options)
            throws IOException
    {
        Path note = home.resolve(RECORDING_NOTE);
        Optional<String> recording = options.stream().filter(option -> option.startsWith("-XX:AOTCacheOutput=")).findFirst();
        if (recording.isPresent()) {
            Files.writeString(note, recording.get().substring("-XX:AOTCacheOutput=".length()) + "\n", StandardCharsets.UTF_8);
        }
        else {
            Files.deleteIfExists(note);
        }
    }

    /** The recording the home's running server was started to write, if it was. */
    static Optional<Path> notedRecording(Path home)
    {
        try {
            String text = Files.readString(home.resolve(RECORDING_NOTE), StandardCharsets.UTF_8).strip();
            return text.contains(RECORDING) ? Optional.of(Path.of(text)) : Optional.empty();
        }
        catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * After the home's server stopped: the recording it wrote as it exited, if any, mapped by a
     * second JVM ({@code java} with the server's class path and {@code options}, the server's own)
     * and given its cache's name; deleted, with a marker and a line on stderr, if that JVM cannot
     * map it. Never fails the stop.
     */
    static void adopt(Path home, Path javaHome, Path serverDirectory, List<String> options)
    {
        Optional<Path> noted = notedRecording(home);
        try {
            Files.deleteIfExists(home.resolve(RECORDING_NOTE));
        }
        catch (IOException e) {
            // the note only names the file; a stale one names a file that is gone
        }
        if (noted.isEmpty() || !Files.isRegularFile(noted.get())) {
            return;
        }
        Path recording = noted.get();
        String name = recording.getFileName().toString();
        Path cache = recording.resolveSibling(name.substring(0, name.lastIndexOf(RECORDING)));
        try {
            Optional<String> refusal = check(recording, javaHome, serverDirectory, options);
            if (refusal.isEmpty()) {
                Files.move(recording, cache, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                evictAllButTwo(cache.getParent());
                return;
            }
            Files.deleteIfExists(recording);
            Files.writeString(failedMarker(cache), refusal.get() + "\n", StandardCharsets.UTF_8);
            System.err.println("wirelake: the local Trino's AOT cache was not kept (" + refusal.get() + "); Trino starts without one");
        }
        catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(recording);
            }
            catch (IOException ignored) {
                // nothing more to do with it
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Why a JVM with the server's class path and options cannot map the recording, if it cannot. */
    private static Optional<String> check(Path recording, Path javaHome, Path serverDirectory, List<String> options)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>();
        command.add(javaHome.resolve("bin/java").toString());
        command.add("-cp");
        command.add(serverDirectory.resolve("lib") + "/*");
        command.addAll(options);
        command.add("-XX:AOTCache=" + recording);
        command.add("-XX:AOTMode=on");
        command.add("-version");
        Path output = Files.createTempFile("wirelake-aot-check", ".txt");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!process.waitFor(CHECK_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.of("a JVM did not map it within " + CHECK_TIMEOUT_SECONDS + " s");
            }
            if (process.exitValue() != 0) {
                String said = Files.readString(output, StandardCharsets.UTF_8).strip().lines().findFirst().orElse("");
                return Optional.of("a JVM could not map it: exit " + process.exitValue() + (said.isEmpty() ? "" : ", " + said));
            }
            return Optional.empty();
        }
        finally {
            Files.deleteIfExists(output);
        }
    }

    /** The JVM options of a running JVM's command line: what comes before its main class, but the class path and AOT options. */
    static List<String> jvmOptionsOf(List<String> commandLine, String mainClass)
    {
        List<String> options = new ArrayList<>();
        for (int index = 1; index < commandLine.size() && !commandLine.get(index).equals(mainClass); index++) {
            String argument = commandLine.get(index);
            if (argument.equals("-cp") || argument.equals("-classpath") || argument.equals("--class-path")) {
                index++;
            }
            else if (!argument.startsWith("-XX:AOTCache") && !argument.startsWith("-XX:AOTMode")) {
                options.add(argument);
            }
        }
        return options;
    }

    /** Recordings of servers stopped otherwise than through wirelake (killed, the machine shut down): two hours on. */
    private void sweepAbandonedRecordings()
    {
        try (var files = Files.list(cache.getParent())) {
            Instant before = Instant.now().minus(ABANDONED_AFTER);
            for (Path file : files.filter(file -> file.getFileName().toString().contains(".aot" + RECORDING)).toList()) {
                try {
                    if (Files.getLastModifiedTime(file).toInstant().isBefore(before)) {
                        Files.deleteIfExists(file);
                    }
                }
                catch (IOException e) {
                    // another user's, or gone already
                }
            }
        }
        catch (IOException | RuntimeException e) {
            // no directory yet, or not ours to list
        }
    }

    /** Caches of other Trino versions or Javas: the two used last stay (each is about 130 MB). */
    private static void evictAllButTwo(Path directory)
            throws IOException
    {
        List<Path> caches;
        try (var files = Files.list(directory)) {
            caches = files.filter(file -> file.getFileName().toString().matches("trino-.*\\.aot")).collect(Collectors.toCollection(ArrayList::new));
        }
        caches.sort(Comparator.comparing((Path file) -> {
            try {
                return Files.getLastModifiedTime(file);
            }
            catch (IOException e) {
                return FileTime.fromMillis(0);
            }
        }).reversed());
        for (Path old : caches.subList(Math.min(2, caches.size()), caches.size())) {
            Files.deleteIfExists(old);
        }
    }

    private static Path failedMarker(Path cache)
    {
        return cache.resolveSibling(cache.getFileName() + ".failed");
    }

    private static void touch(Path file)
    {
        try {
            Files.setLastModifiedTime(file, FileTime.from(Instant.now()));
        }
        catch (IOException | RuntimeException e) {
            // a cache another user keeps, or a read-only directory: used all the same
        }
    }

    private static String key(Path javaHome)
    {
        StringBuilder identity = new StringBuilder(LocalTrino.VERSION).append('\n');
        try {
            Path real = javaHome.toRealPath();
            identity.append(real).append('\n');
            identity.append(Files.readString(real.resolve("release"), StandardCharsets.UTF_8)).append('\n');
            Path libjvm = real.resolve("lib/server/libjvm.so");
            if (Files.exists(libjvm)) {
                identity.append(Files.size(libjvm)).append(' ').append(Files.getLastModifiedTime(libjvm).toMillis()).append('\n');
            }
        }
        catch (IOException e) {
            identity.append(javaHome.toAbsolutePath().normalize());
        }
        return sha256(identity.toString()).substring(0, 16);
    }

    private static String sha256(String text)
    {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString()
    {
        return cache.toString();
    }
}
