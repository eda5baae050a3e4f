package io.wirelake.catalog.snapshot;

import io.wirelake.collector.Importer;
import io.wirelake.collector.Rotation;
import io.wirelake.demo.DemoCluster;
import io.wirelake.demo.DemoTrafficGenerator;
import io.wirelake.demo.GeneratorOptions;
import io.wirelake.store.Layout;
import io.wirelake.store.LocalObjectStore;
import io.wirelake.store.ObjectInfo;
import io.wirelake.store.ObjectStore;
import io.wirelake.store.testing.SharedS3Proxy;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Snapshots on both stores (a directory, and S3 through S3Proxy): demo traffic of three nodes
 * imported as segments, frozen, verified, tampered with, copied between the stores, and exported
 * with BPF filters whose selection tcpdump checks on the original captures.
 */
class SnapshotsTest
{
    @TempDir
    Path temporary;

    private ObjectStore store(String kind, String name)
            throws Exception
    {
        return kind.equals("s3") ? SharedS3Proxy.store(name + "-" + UUID.randomUUID()) : new LocalObjectStore(temporary.resolve(name));
    }

    private List<Path> demo()
            throws IOException
    {
        Path directory = temporary.resolve("demo");
        DemoTrafficGenerator.generate(GeneratorOptions.defaults(3_000_000).withCrossNodeCopies(true), directory, null);
        List<Path> captures = new ArrayList<>();
        for (DemoCluster.Node node : DemoCluster.NODES) {
            captures.add(directory.resolve(node.name() + ".pcap"));
        }
        return captures;
    }

    private static void importAll(ObjectStore store, List<Path> captures, Path spool)
            throws IOException
    {
        for (int i = 0; i < captures.size(); i++) {
            new Importer(store, DemoCluster.NODES.get(i).name(), new Rotation(1, 1 << 20), spool.resolve("spool" + i))
                    .importFiles(List.of(captures.get(i)), List.of(captures.get(i).resolveSibling(DemoTrafficGenerator.METADATA_FILE)), line -> {});
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void freezeVerifyTamperCopyAndExport(String kind)
            throws Exception
    {
        List<Path> captures = demo();
        try (ObjectStore store = store(kind, "lake"); ObjectStore other = store(kind.equals("s3") ? "local" : "s3", "other")) {
            importAll(store, captures, temporary);
            Snapshots snapshots = new Snapshots(store);

            List<Snapshots.NodeBoundary> boundaries = snapshots.boundaries();
            assertThat(boundaries).extracting(Snapshots.NodeBoundary::node).containsExactlyElementsOf(DemoCluster.NODES.stream().map(DemoCluster.Node::name).sorted().toList());
            assertThat(boundaries).allSatisfy(boundary -> assertThat(boundary.segments()).isGreaterThan(1));

            Manifest all = snapshots.create("all", Optional.empty(), Optional.empty(), List.of(), line -> {});
            long packets = 0;
            for (Path capture : captures) {
                packets += tcpdumpCount(capture, "");
            }
            assertThat(all.packets()).isEqualTo(packets);
            assertThat(all.metadata()).hasSize(3);
            assertThat(all.nodes()).hasSize(3);
            assertThatThrownBy(() -> snapshots.create("all", Optional.empty(), Optional.empty(), List.of(), line -> {}))
                    .isInstanceOf(SnapshotException.class).hasMessageContaining("snapshot all already exists");

            // A window: only the segments that may hold packets in it.
            long start = all.fromMicros();
            Manifest window = snapshots.create("window", Optional.of(start + 200_000), Optional.of(start + 400_000),
                    List.of(DemoCluster.NODE_A.name()), line -> {});
            assertThat(window.nodes()).containsExactly(DemoCluster.NODE_A.name());
            assertThat(window.captures()).isNotEmpty().allSatisfy(entry -> {
                assertThat(entry.firstPacketMicros()).isLessThanOrEqualTo(start + 400_000);
                assertThat(entry.lastPacketMicros()).isGreaterThanOrEqualTo(start + 200_000);
            });
            assertThat(window.captures().size()).isLessThan(all.captures().size() / 3 + 1);
            assertThatThrownBy(() -> snapshots.create("late", Optional.of(start + 3_600_000_000L), Optional.empty(), List.of(), line -> {}))
                    .isInstanceOf(SnapshotException.class).hasMessageContaining("no capture of").hasMessageContaining("evicted");
            assertThatThrownBy(() -> snapshots.create("backwards", Optional.of(start + 2), Optional.of(start + 1), List.of(), line -> {}))
                    .hasMessageContaining("the window is empty");
            assertThatThrownBy(() -> snapshots.create("nobody", Optional.empty(), Optional.empty(), List.of("node-z"), line -> {}))
                    .hasMessageContaining("no captures of node node-z");
            assertThat(snapshots.list()).extracting(summary -> summary.manifest().id()).containsExactlyInAnyOrder("all", "window");

            // Export: the merged PCAP holds exactly what tcpdump's filter selects from the original captures.
            for (String bpf : List.of("tcp port 8080", "udp port 53 and host " + DemoCluster.COREDNS_B.ip(), "tcp[tcpflags] & tcp-syn != 0")) {
                Path exported = temporary.resolve("export.pcap");
                PcapExport.Result result = new PcapExport(snapshots).export(new PcapExport.Request("all", exported, Optional.of(bpf), List.of(),
                        Long.MIN_VALUE, Long.MAX_VALUE));
                long expected = 0;
                for (Path capture : captures) {
                    expected += tcpdumpCount(capture, bpf);
                }
                assertThat(result.packetsWritten()).as(bpf).isEqualTo(expected).isPositive();
                assertThat(tcpdumpCount(exported, "")).isEqualTo(expected);
            }
            assertThatThrownBy(() -> new PcapExport(snapshots).export(new PcapExport.Request("all", temporary.resolve("x.pcap"), Optional.of("tcp port"),
                    List.of(), Long.MIN_VALUE, Long.MAX_VALUE))).hasMessageContaining("invalid BPF filter 'tcp port'");

            // Copied to the other kind of store, it verifies there.
            snapshots.copyTo("all", other, line -> {});
            assertThat(new Snapshots(other).verify("all", key -> {}).ok()).isTrue();

            // One changed byte fails verification, naming the object.
            assertThat(snapshots.verify("all", key -> {}).ok()).isTrue();
            String victim = Layout.snapshotPrefix("all") + all.captures().get(1).key();
            byte[] content = store.read(victim);
            content[content.length / 2] ^= 1;
            store.put(victim, content);
            Snapshots.Verification tampered = snapshots.verify("all", key -> {});
            assertThat(tampered.ok()).isFalse();
            assertThat(tampered.problems()).singleElement().asString().startsWith(all.captures().get(1).key() + ": SHA-256");

            // The frozen copy survives eviction of the live segments; a new snapshot of evicted data is refused.
            for (ObjectInfo object : store.list(Layout.RAW)) {
                store.delete(object.key());
            }
            assertThat(snapshots.verify("window", key -> {}).ok()).isTrue();
            assertThatThrownBy(() -> snapshots.create("gone", Optional.of(start), Optional.of(start + 1_000_000), List.of(), line -> {}))
                    .isInstanceOf(SnapshotException.class).hasMessageContaining("no captures in");

            assertThat(snapshots.delete("window")).isPositive();
            assertThat(store.list(Layout.snapshotPrefix("window"))).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local"})
    void resolveFindsAWorkloadsAddresses(String kind)
            throws Exception
    {
        List<Path> captures = demo();
        try (ObjectStore store = store(kind, "lake")) {
            importAll(store, captures, temporary);
            Snapshots snapshots = new Snapshots(store);
            snapshots.create("s", Optional.empty(), Optional.empty(), List.of(), line -> {});
            assertThat(snapshots.resolve("s", "orders")).extracting(Snapshots.Address::ip)
                    .containsExactlyInAnyOrder(DemoCluster.ORDERS.ip(), "10.96.0.12");
            assertThat(snapshots.resolve("s", "payments/payment-service-66c8d4f7b-wv2lx")).extracting(Snapshots.Address::ip).containsExactly(DemoCluster.PAYMENTS.ip());
            assertThat(snapshots.resolve("s", "nothing")).isEmpty();
        }
    }

    /** A real store whose server-side copies start failing after a number of them, as when the store goes away mid-snapshot. */
    private static final class FailingCopies
            implements ObjectStore
    {
        private final ObjectStore store;
        private int copiesLeft;

        FailingCopies(ObjectStore store, int copies)
        {
            this.store = store;
            this.copiesLeft = copies;
        }

        @Override
        public void copy(String source, String target)
                throws IOException
        {
            if (copiesLeft-- <= 0) {
                throw new IOException("copy " + source + " failed: Connection refused");
            }
            store.copy(source, target);
        }

        @Override
        public String location()
        {
            return store.location();
        }

        @Override
        public String uri(String key)
        {
            return store.uri(key);
        }

        @Override
        public void put(String key, Path file)
                throws IOException
        {
            store.put(key, file);
        }

        @Override
        public void put(String key, byte[] content)
                throws IOException
        {
            store.put(key, content);
        }

        @Override
        public boolean putIfAbsent(String key, byte[] content)
                throws IOException
        {
            return store.putIfAbsent(key, content);
        }

        @Override
        public java.io.InputStream open(String key)
                throws IOException
        {
            return store.open(key);
        }

        @Override
        public Optional<ObjectInfo> stat(String key)
                throws IOException
        {
            return store.stat(key);
        }

        @Override
        public List<ObjectInfo> list(String prefix)
                throws IOException
        {
            return store.list(prefix);
        }

        @Override
        public void delete(String key)
                throws IOException
        {
            store.delete(key);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void aSnapshotInterruptedByTheStoreLeavesNothingBehindAndCanBeMadeAgain(String kind)
            throws Exception
    {
        List<Path> captures = demo();
        try (ObjectStore store = store(kind, "lake")) {
            importAll(store, captures, temporary);
            Snapshots failing = new Snapshots(new FailingCopies(store, 3));
            assertThatThrownBy(() -> failing.create("interrupted", Optional.empty(), Optional.empty(), List.of(), line -> {}))
                    .isInstanceOf(IOException.class).hasMessageContaining("Connection refused");
            assertThat(store.list(Layout.snapshotPrefix("interrupted"))).isEmpty();
            Snapshots snapshots = new Snapshots(store);
            assertThat(snapshots.list()).isEmpty();
            Manifest manifest = snapshots.create("interrupted", Optional.empty(), Optional.empty(), List.of(), line -> {});
            assertThat(snapshots.verify("interrupted", key -> {}).ok()).isTrue();
            assertThat(manifest.captures()).hasSizeGreaterThan(3);
        }
    }

    private static long tcpdumpCount(Path capture, String filter)
            throws IOException, InterruptedException
    {
        List<String> command = new ArrayList<>(List.of("tcpdump", "-nn", "-r", capture.toString()));
        if (!filter.isEmpty()) {
            command.add(filter);
        }
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        long lines;
        try (var reader = process.inputReader()) {
            lines = reader.lines().count();
        }
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isZero();
        return lines;
    }
}
