package io.wirelake.catalog.evidence;

import io.wirelake.catalog.evidence.testing.DemoLake;
import io.wirelake.catalog.snapshot.Manifest;
import io.wirelake.catalog.snapshot.SnapshotException;
import io.wirelake.store.Layout;
import io.wirelake.store.LocalObjectStore;
import io.wirelake.store.ObjectInfo;
import io.wirelake.store.ObjectStore;
import io.wirelake.store.testing.SharedS3Proxy;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Two creates at once, through {@link Evidence#create} (sealed), on a directory and on S3
 * (S3Proxy), with one of them held at a chosen point by a store that pauses it there (the store
 * underneath is the real one): of two creates of one name, the one that did not claim it is
 * refused before it writes, and a failing one never deletes another's finished snapshot; two
 * seals that read the chain's head at the same moment both end up in one unbroken chain.
 */
class ConcurrentCreateTest
{
    @TempDir
    Path temporary;

    private ObjectStore store(String kind)
            throws Exception
    {
        return kind.equals("s3") ? SharedS3Proxy.store("race-" + UUID.randomUUID()) : new LocalObjectStore(temporary.resolve("lake"));
    }

    private Evidence evidence(ObjectStore store)
    {
        return new Evidence(store, new EvidenceSettings(temporary.resolve("home/keys/seal.pem"), Optional.empty(), Optional.empty(), "tester@lab"));
    }

    private static Manifest create(Evidence evidence, String name)
            throws IOException
    {
        return evidence.create(name, Optional.empty(), Optional.empty(), List.of(), Optional.empty(), line -> {});
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void aCreateThatFailsNeverDeletesTheSnapshotOfAnotherOfTheSameName(String kind)
            throws Exception
    {
        try (ObjectStore store = store(kind)) {
            DemoLake.importInto(store, temporary.resolve("spool"));
            // B starts first and stops at its first copy; then the store fails it.
            CountDownLatch paused = new CountDownLatch(1);
            CountDownLatch resume = new CountDownLatch(1);
            ObjectStore stalling = new Interposed(store)
            {
                private boolean first = true;

                @Override
                public void copy(String sourceKey, String targetKey)
                        throws IOException
                {
                    if (first) {
                        first = false;
                        paused.countDown();
                        await(resume);
                        throw new IOException("copy " + sourceKey + " failed: Connection reset");
                    }
                    super.copy(sourceKey, targetKey);
                }
            };
            CompletableFuture<Manifest> failing = CompletableFuture.supplyAsync(() -> {
                try {
                    return create(evidence(stalling), "incident");
                }
                catch (IOException e) {
                    throw new java.util.concurrent.CompletionException(e);
                }
            });
            assertThat(paused.await(60, TimeUnit.SECONDS)).isTrue();
            // A: the same name while B runs. It must not both succeed and then lose its snapshot to B's clean-up.
            Throwable refused = catchThrowable(() -> create(evidence(store), "incident"));
            resume.countDown();
            assertThat(catchThrowable(failing::join)).rootCause().hasMessageEndingWith("failed: Connection reset");
            assertThat(refused).as("the second create of a name being created is refused").isInstanceOf(SnapshotException.class)
                    .hasMessageContaining("snapshot incident is being created").hasMessageContaining("'wirelake snapshot delete incident'");
            assertThat(store.list(Layout.snapshotPrefix("incident"))).as("B cleaned up its own claim and copies").isEmpty();

            // Now the name is free; and while a create holds it, a failing second create touches nothing of it.
            Manifest made = create(evidence(store), "incident");
            assertThat(catchThrowable(() -> create(evidence(store), "incident"))).isInstanceOf(SnapshotException.class)
                    .hasMessageContaining("snapshot incident already exists");
            assertThat(evidence(store).snapshots().verify("incident", key -> {}).ok()).isTrue();
            assertThat(evidence(store).snapshots().manifest("incident")).isEqualTo(made);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void aCreateThatDiedLeavesAClaimThatDeleteRemoves(String kind)
            throws Exception
    {
        try (ObjectStore store = store(kind)) {
            DemoLake.importInto(store, temporary.resolve("spool"));
            // What a create killed after its claim and a copy leaves behind.
            ObjectStore dying = new Interposed(store)
            {
                private int copies;

                @Override
                public void copy(String sourceKey, String targetKey)
                        throws IOException
                {
                    super.copy(sourceKey, targetKey);
                    if (++copies == 2) {
                        throw new Error("killed");
                    }
                }

                @Override
                public void delete(String key)
                {
                    throw new AssertionError("a killed process cleans nothing up");
                }
            };
            assertThat(catchThrowable(() -> create(evidence(dying), "stale"))).hasMessage("killed");
            assertThat(store.list(Layout.snapshotPrefix("stale"))).hasSize(3);
            assertThat(catchThrowable(() -> create(evidence(store), "stale"))).isInstanceOf(SnapshotException.class)
                    .hasMessageContaining("is being created");
            assertThat(evidence(store).delete("stale", false)).isEqualTo(3);
            assertThat(store.list(Layout.snapshotPrefix("stale"))).isEmpty();
            create(evidence(store), "stale");
            assertThat(evidence(store).snapshots().verify("stale", key -> {}).ok()).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void twoSealsReadingTheSameHeadBothJoinOneUnbrokenChain(String kind)
            throws Exception
    {
        try (ObjectStore store = store(kind)) {
            DemoLake.importInto(store, temporary.resolve("spool"));
            // The key and the first link exist before the race (the key file is made once, on first use).
            create(evidence(store), "before");
            // The next two reads of the head happen together: both seals see the same newest link.
            CountDownLatch together = new CountDownLatch(2);
            ObjectStore meeting = new Interposed(store)
            {
                @Override
                public InputStream open(String key)
                        throws IOException
                {
                    if (key.equals(Layout.chainHead()) && together.getCount() > 0) {
                        together.countDown();
                        await(together);
                    }
                    return super.open(key);
                }
            };
            CompletableFuture<Manifest> left = CompletableFuture.supplyAsync(() -> createUnchecked(evidence(meeting), "left"));
            CompletableFuture<Manifest> right = CompletableFuture.supplyAsync(() -> createUnchecked(evidence(meeting), "right"));
            Manifest one = left.join();
            Manifest two = right.join();
            assertThat(List.of(one.chain().sequence(), two.chain().sequence())).containsExactlyInAnyOrder(2L, 3L);
            Manifest second = one.chain().sequence() == 2 ? one : two;
            Manifest third = second == one ? two : one;
            assertThat(second.chain().previousSnapshot()).isEqualTo("before");
            assertThat(third.chain().previousSnapshot()).isEqualTo(second.id());
            assertThat(third.chain().previousSha256()).isEqualTo(Hashes.sha256(store.read(Layout.manifest(second.id()))));
            for (String id : List.of("before", "left", "right")) {
                VerificationReport report = evidence(store).verify(id, key -> {});
                assertThat(report.failures()).as(id).isEmpty();
                assertThat(report.findings()).as(id).anyMatch(finding -> finding.check() == Finding.Check.CHAIN && finding.severity() == Finding.Severity.PASSED);
            }
            assertThat(store.list(Layout.CHAIN + "manifests/")).extracting(ObjectInfo::key).hasSize(3);
        }
    }

    private static Manifest createUnchecked(Evidence evidence, String name)
    {
        try {
            return create(evidence, name);
        }
        catch (IOException e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    private static void await(CountDownLatch latch)
    {
        try {
            latch.await(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A real store with a hook: each test overrides the call it holds or fails. */
    private static class Interposed
            implements ObjectStore
    {
        private final ObjectStore store;

        Interposed(ObjectStore store)
        {
            this.store = store;
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
        public InputStream open(String key)
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
        public void copy(String sourceKey, String targetKey)
                throws IOException
        {
            store.copy(sourceKey, targetKey);
        }

        @Override
        public void delete(String key)
                throws IOException
        {
            store.delete(key);
        }
    }
}
