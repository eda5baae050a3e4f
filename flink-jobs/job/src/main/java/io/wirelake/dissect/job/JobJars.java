package io.wirelake.dissect.job;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The jars a job submitted to a Flink cluster takes with it: this module's jar and its runtime
 * dependencies, less what a Flink distribution's {@code lib/} already holds (Flink's own
 * {@code flink-*} jars, except the Parquet and Avro formats it does not bundle) and less an SLF4J
 * binding (Flink logs through its own). The same rule as the job image's {@code flink-usrlib.sh}.
 * The dependencies are listed by file name at build time ({@code job-classpath.txt}) and found on
 * this JVM's class path; a class directory (a build's {@code target/classes}) is packed into a jar.
 */
public final class JobJars
{
    private static final String LIST = "job-classpath.txt";

    private JobJars() {}

    /** The jars to ship, found on the class path of this JVM; {@code scratch} holds jars packed from class directories. */
    public static List<Path> shipped(Path scratch)
            throws IOException
    {
        Map<String, Path> onClassPath = new LinkedHashMap<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                Path path = Path.of(entry);
                onClassPath.putIfAbsent(path.getFileName().toString(), path);
            }
        }
        List<Path> jars = new ArrayList<>();
        jars.add(jarOf(location(DissectionJobMain.class), "wirelake-flink-job", scratch));
        for (String name : dependencies()) {
            if (!shippedWithJob(name)) {
                continue;
            }
            Path jar = find(onClassPath, name);
            if (jar == null) {
                throw new IllegalStateException("the job's dependency " + name + " is not on this class path; cannot submit the job");
            }
            jars.add(jar);
        }
        // Sibling modules of a source build are class directories: pack them like the job's own.
        List<Path> packed = new ArrayList<>();
        for (Path jar : jars) {
            packed.add(Files.isDirectory(jar) ? jarOf(jar, jar.getParent().getParent().getFileName().toString(), scratch) : jar);
        }
        return packed;
    }

    /** Whether a dependency goes with the job rather than coming from the cluster. */
    static boolean shippedWithJob(String fileName)
    {
        if (fileName.startsWith("flink-parquet-") || fileName.startsWith("flink-avro-")) {
            return true;
        }
        return !fileName.startsWith("flink-") && !fileName.startsWith("slf4j-simple-");
    }

    /** The job's runtime dependencies by file name, as the build listed them. */
    static List<String> dependencies()
            throws IOException
    {
        try (InputStream input = JobJars.class.getResourceAsStream(LIST)) {
            if (input == null) {
                throw new IllegalStateException(LIST + " is missing from the job's jar (built without Maven's generate-resources phase?)");
            }
            String text = new String(input.readAllBytes(), StandardCharsets.UTF_8).strip();
            return Arrays.stream(text.split(":")).filter(entry -> !entry.isBlank())
                    .map(entry -> entry.substring(entry.lastIndexOf('/') + 1)).toList();
        }
    }

    private static Path location(Class<?> type)
    {
        try {
            return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
        catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path jarOf(Path location, String name, Path scratch)
            throws IOException
    {
        if (!Files.isDirectory(location)) {
            return location;
        }
        Files.createDirectories(scratch);
        Path jar = scratch.resolve(name + ".jar");
        try (OutputStream output = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(output);
                Stream<Path> files = Files.walk(location)) {
            for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                out.putNextEntry(new JarEntry(location.relativize(file).toString().replace(java.io.File.separatorChar, '/')));
                Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    /**
     * The class path's jar of that file name, else of the same artifact in another version (the
     * module that lists it and the application that runs may settle on different versions).
     */
    private static Path find(Map<String, Path> onClassPath, String name)
    {
        Path exact = onClassPath.get(name);
        if (exact != null) {
            return exact;
        }
        String artifact = name.replaceFirst("-\\d[^-]*(-.*)?\\.jar$", "");
        java.util.regex.Pattern sameArtifact = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(artifact) + "-\\d[^-]*(-[^-]+)?\\.jar");
        return onClassPath.entrySet().stream().filter(entry -> sameArtifact.matcher(entry.getKey()).matches()).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}
