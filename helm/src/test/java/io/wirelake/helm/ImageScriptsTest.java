package io.wirelake.helm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shell steps the Dockerfiles run in their first stage, run here with bash, tar and grep on a
 * distribution laid out as dist's tarball is (no Docker engine here to run the builds themselves;
 * images/README.md says what that leaves untested). And the chart names what the images hold.
 */
class ImageScriptsTest
{
    static final Path IMAGES = Path.of("images").toAbsolutePath();

    @TempDir
    Path temporary;

    @Test
    void theJobImageGetsTheJobJarUnderItsFixedNameAndNoSecondFlink()
            throws Exception
    {
        Path tarball = distribution("wirelake-0.1.0-SNAPSHOT");
        Path home = temporary.resolve("opt/wirelake");
        run(IMAGES.resolve("unpack-distribution.sh").toString(), tarball.toString(), home.toString());
        assertThat(home.resolve("bin/wirelake")).isExecutable();
        assertThat(home.resolve("lib")).isDirectory();

        Path job = temporary.resolve("opt/job");
        run(IMAGES.resolve("flink-job/flink-usrlib.sh").toString(), home.toString(), job.toString());
        assertThat(names(job.resolve("usrlib"))).containsExactlyInAnyOrder(
                "wirelake-flink-job.jar",
                "wirelake-store-0.1.0-SNAPSHOT.jar",
                "flink-parquet-2.3.0.jar",
                "flink-avro-2.3.0.jar",
                "parquet-avro-1.15.2.jar",
                "slf4j-api-2.0.17.jar");
        assertThat(Files.readAllBytes(job.resolve("usrlib/wirelake-flink-job.jar")))
                .isEqualTo(Files.readAllBytes(home.resolve("lib/wirelake-flink-jobs-0.1.0-SNAPSHOT.jar")));
        assertThat(job.resolve("plugins/s3-fs-hadoop/flink-s3-fs-hadoop-2.3.0.jar")).isRegularFile();

        // The chart's jarURI is where the Dockerfile puts the job jar.
        String dockerfile = Files.readString(IMAGES.resolve("flink-job/Dockerfile"));
        assertThat(dockerfile).contains("/opt/job/usrlib /opt/flink/usrlib");
        assertThat(Chart.yaml(Files.readString(Chart.DIRECTORY.resolve("values.yaml"))))
                .extractingByKey("dissection").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("jarURI", "local:///opt/flink/usrlib/wirelake-flink-job.jar");
    }

    @Test
    void aDistributionWithoutTheJobOrTheLauncherIsRefused()
            throws Exception
    {
        Path noLauncher = temporary.resolve("broken.tar.gz");
        Path tree = temporary.resolve("broken/wirelake-0.1.0");
        Files.createDirectories(tree.resolve("lib"));
        tar(noLauncher, temporary.resolve("broken"), "wirelake-0.1.0");
        Result refused = runFailing(IMAGES.resolve("unpack-distribution.sh").toString(), noLauncher.toString(), temporary.resolve("out").toString());
        assertThat(refused.error()).contains("holds 0 bin/wirelake, expected one");

        Path home = temporary.resolve("no-job");
        Files.createDirectories(home.resolve("lib"));
        jar(home.resolve("lib/flink-core-2.3.0.jar"), "org/apache/flink/api/common/JobID.class");
        Result noJob = runFailing(IMAGES.resolve("flink-job/flink-usrlib.sh").toString(), home.toString(), temporary.resolve("job").toString());
        assertThat(noJob.error()).contains("0 jars in " + home.resolve("lib") + " hold io/wirelake/dissect/job/DissectionJobMain.class");
    }

    @Test
    void theChartRunsTheCommandWhereTheCollectorImagePutsIt()
            throws IOException
    {
        String dockerfile = Files.readString(IMAGES.resolve("collector/Dockerfile"));
        assertThat(dockerfile).contains("ENTRYPOINT [\"/opt/wirelake/bin/wirelake\"]").contains("libpcap0.8");
        assertThat(CollectorChartTest.collector(Chart.render(Chart.BUCKET_ONLY)).getCommand()).containsExactly("/opt/wirelake/bin/wirelake");
        assertThat(SnapshotChartTest.cronJobContainer(Chart.render(Chart.BUCKET_ONLY)).getCommand()).containsExactly("/opt/wirelake/bin/wirelake");
    }

    /** A distribution as dist packs it: a top folder with bin/wirelake, lib/ and plugins/. */
    private Path distribution(String top)
            throws IOException, InterruptedException
    {
        Path root = temporary.resolve("build");
        Path home = root.resolve(top);
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("bin/wirelake"), "#!/usr/bin/env bash\nexec java -cp \"$(dirname \"$0\")/../lib/*\" io.wirelake.cli.Wirelake \"$@\"\n");
        Path lib = Files.createDirectories(home.resolve("lib"));
        jar(lib.resolve("wirelake-flink-jobs-0.1.0-SNAPSHOT.jar"), "io/wirelake/dissect/job/DissectionJobMain.class", "io/wirelake/dissect/job/DissectionJob.class");
        jar(lib.resolve("wirelake-store-0.1.0-SNAPSHOT.jar"), "io/wirelake/store/Layout.class");
        jar(lib.resolve("flink-core-2.3.0.jar"), "org/apache/flink/api/common/JobID.class");
        jar(lib.resolve("flink-runtime-2.3.0.jar"), "org/apache/flink/runtime/jobgraph/JobGraph.class");
        jar(lib.resolve("flink-connector-files-2.3.0.jar"), "org/apache/flink/connector/file/src/FileSource.class");
        jar(lib.resolve("flink-parquet-2.3.0.jar"), "org/apache/flink/formats/parquet/ParquetWriterFactory.class");
        jar(lib.resolve("flink-avro-2.3.0.jar"), "org/apache/flink/formats/avro/AvroFormatOptions.class");
        jar(lib.resolve("parquet-avro-1.15.2.jar"), "org/apache/parquet/avro/AvroParquetWriter.class");
        jar(lib.resolve("slf4j-api-2.0.17.jar"), "org/slf4j/Logger.class");
        jar(lib.resolve("slf4j-simple-2.0.17.jar"), "org/slf4j/simple/SimpleLogger.class");
        Path plugin = Files.createDirectories(home.resolve("plugins/s3-fs-hadoop"));
        jar(plugin.resolve("flink-s3-fs-hadoop-2.3.0.jar"), "org/apache/flink/fs/s3hadoop/S3FileSystemFactory.class");
        Path tarball = temporary.resolve(top + ".tar.gz");
        tar(tarball, root, top);
        return tarball;
    }

    /** A jar with these (empty) entries, deflated as jar tools write them. */
    private static void jar(Path file, String... entries)
            throws IOException
    {
        try (OutputStream output = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(output)) {
            zip.putNextEntry(new ZipEntry("META-INF/MANIFEST.MF"));
            zip.write("Manifest-Version: 1.0\n".getBytes(StandardCharsets.UTF_8));
            for (String entry : entries) {
                zip.putNextEntry(new ZipEntry(entry));
                zip.write(new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe});
            }
        }
    }

    private static void tar(Path tarball, Path directory, String top)
            throws IOException, InterruptedException
    {
        run("tar", "-czf", tarball.toString(), "-C", directory.toString(), top);
    }

    private static List<String> names(Path directory)
            throws IOException
    {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(path -> path.getFileName().toString()).toList();
        }
    }

    record Result(int exit, String output, String error) {}

    private static Result execute(String... command)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        byte[] output = process.getInputStream().readAllBytes();
        byte[] error = process.getErrorStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not end");
        }
        return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8), new String(error, StandardCharsets.UTF_8));
    }

    private static void run(String... command)
            throws IOException, InterruptedException
    {
        Result result = execute(command);
        assertThat(result.exit()).as(String.join(" ", command) + ": " + result.error()).isZero();
    }

    private static Result runFailing(String... command)
            throws IOException, InterruptedException
    {
        Result result = execute(command);
        assertThat(result.exit()).as(String.join(" ", command)).isNotZero();
        return result;
    }
}
