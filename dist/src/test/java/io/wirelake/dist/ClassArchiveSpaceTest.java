package io.wirelake.dist;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/wirelake's class archive where there is no room for it: on a file system of 300 MB (a tmpfs
 * mounted for the test, which needs root), the first dissection goes well, writes no archive and
 * says why, in its output and in a file beside where the archive would be; the next dissection
 * does not try again (within the day the launcher waits).
 */
@Tag("root")
class ClassArchiveSpaceTest
{
    @Test
    void withNoRoomTheDissectionGoesWellWritesNoArchiveAndDoesNotTryAgainToday()
            throws Exception
    {
        Distribution.requireRoot("mounting a small file system needs root");
        // A mount a run that died left behind would keep the directory from being emptied.
        Path mountPoint = Path.of("target", "class-archive-space", "small").toAbsolutePath();
        if (Files.readAllLines(Path.of("/proc/self/mounts")).stream().anyMatch(line -> line.split(" ")[1].equals(mountPoint.toString()))) {
            run("umount", mountPoint.toString());
        }
        Path work = Distribution.emptyDirectory("class-archive-space");
        Distribution.Run generated = Distribution.run(work, Map.of(), "generate", "--out", "captures", "--size", "1MB", "--seed", "3");
        assertThat(generated.exit()).as(generated.both()).isZero();
        Path small = Files.createDirectories(work.resolve("small"));
        run("mount", "-t", "tmpfs", "-o", "size=300m", "tmpfs", small.toString());
        try {
            Map<String, String> environment = Map.of("WIRELAKE_CDS_DIR", small.resolve("cds").toString());
            Distribution.Run first = Distribution.run(work, environment, "dissect", "captures", "--out", "first");
            assertThat(first.exit()).as(first.both()).isZero();
            assertThat(first.out()).contains("api calls");
            assertThat(first.err()).contains("wirelake: no class archive written").contains("free, and it needs 1.0 GiB");
            List<Path> left;
            try (Stream<Path> list = Files.list(small.resolve("cds"))) {
                left = list.toList();
            }
            assertThat(left).singleElement().satisfies(marker -> {
                assertThat(marker.getFileName().toString()).matches("wirelake-[0-9a-f]{16}\\.jsa\\.failed");
                assertThat(Files.readString(marker)).contains("free, and it needs 1.0 GiB");
            });

            Distribution.Run second = Distribution.run(work, environment, "dissect", "captures", "--out", "second");
            assertThat(second.exit()).as(second.both()).isZero();
            assertThat(second.err()).doesNotContain("class archive");
        }
        finally {
            // (not asserted here: a failure would hide the test's own; the next run unmounts what is left)
            new ProcessBuilder("umount", small.toString()).inheritIO().start().waitFor(1, TimeUnit.MINUTES);
        }
    }

    private static void run(String... command)
            throws Exception
    {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(process.exitValue()).as(String.join(" ", command) + ": " + output).isZero();
    }
}
