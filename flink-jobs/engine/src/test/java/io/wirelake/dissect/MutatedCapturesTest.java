package io.wirelake.dissect;

import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.demo.GeneratorOptions;
import io.wirelake.dissect.testing.Dissection;
import io.wirelake.packets.testing.Corpus;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad bytes are data, not a reason to stop: every classic-pcap capture of the corpus, and demo
 * traffic with every protocol the generator speaks, is dissected with bytes past each frame's
 * first 54 (beyond Ethernet, IPv4 and TCP headers, mostly payload) changed at random, under fixed
 * seeds. Each dissection runs to the end, and no dissector fails on what it was given.
 */
class MutatedCapturesTest
{
    /** Bytes of each frame left alone, so that most frames still reach a dissector. */
    private static final int KEPT_HEADER = 54;
    private static final long[] SEEDS = {1, 2, 3};

    @TempDir
    static Path directory;
    static List<Path> demo;

    @BeforeAll
    static void generate()
            throws Exception
    {
        demo = DemoTrafficGenerator.generate(GeneratorOptions.defaults(1_500_000), directory.resolve("demo"), null).captures();
    }

    static List<Path> captures()
            throws IOException
    {
        List<Path> captures = new ArrayList<>();
        for (Corpus.Capture capture : Corpus.captures()) {
            if (classicPcap(capture.path())) {
                captures.add(capture.path());
            }
        }
        return captures;
    }

    @ParameterizedTest
    @MethodSource("captures")
    void corpusCaptureWithChangedBytes(Path capture)
            throws IOException
    {
        dissectMutated(capture, 0.01);
    }

    @ParameterizedTest
    @MethodSource("demoIndexes")
    void demoTrafficWithChangedBytes(int index)
            throws IOException
    {
        dissectMutated(demo.get(index), 0.002);
    }

    static List<Integer> demoIndexes()
    {
        return List.of(0, 1, 2);
    }

    private static void dissectMutated(Path capture, double rate)
            throws IOException
    {
        for (long seed : SEEDS) {
            Path mutated = directory.resolve(seed + "-" + capture.getFileName());
            int changed = mutate(capture, mutated, seed, rate);
            Dissection dissection = Dissection.of(mutated);
            assertThat(dissection.report().get("dissector_errors")).as("%s with %d bytes changed (seed %d)", capture, changed, seed)
                    .isZero();
        }
    }

    private static boolean classicPcap(Path file)
            throws IOException
    {
        byte[] head = new byte[4];
        try (var input = Files.newInputStream(file)) {
            if (input.read(head) != 4) {
                return false;
            }
        }
        int magic = ByteBuffer.wrap(head).getInt();
        return magic == 0xA1B2C3D4 || magic == 0xD4C3B2A1 || magic == 0xA1B23C4D || magic == 0x4D3CB2A1;
    }

    /** Copies a classic pcap, changing each byte past a frame's first {@link #KEPT_HEADER} with probability {@code rate}. */
    private static int mutate(Path source, Path target, long seed, double rate)
            throws IOException
    {
        byte[] bytes = Files.readAllBytes(source);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        int magic = buffer.getInt(0);
        buffer.order(magic == 0xA1B2C3D4 || magic == 0xA1B23C4D ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        SplittableRandom random = new SplittableRandom(seed);
        int changed = 0;
        int at = 24;
        while (at + 16 <= bytes.length) {
            int captured = buffer.getInt(at + 8);
            int data = at + 16;
            if (captured < 0 || data + captured > bytes.length) {
                break;
            }
            for (int offset = KEPT_HEADER; offset < captured; offset++) {
                if (random.nextDouble() < rate) {
                    bytes[data + offset] = (byte) random.nextInt(256);
                    changed++;
                }
            }
            at = data + captured;
        }
        Files.write(target, bytes);
        return changed;
    }
}
