package io.wirelake.store;

import io.wirelake.store.testing.SharedS3Proxy;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The same behaviour from both stores: a local directory and S3 (S3Proxy on loopback). */
class ObjectStoreContractTest
{
    @TempDir
    Path temporary;

    private ObjectStore store(String kind)
            throws Exception
    {
        return kind.equals("s3") ? SharedS3Proxy.store("contract-" + UUID.randomUUID()) : new LocalObjectStore(temporary.resolve("store"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void putIfAbsentHasOneWinner(String kind)
            throws Exception
    {
        try (ObjectStore store = store(kind)) {
            assertThat(store.putIfAbsent("locks/a", "first".getBytes(StandardCharsets.UTF_8))).isTrue();
            assertThat(store.putIfAbsent("locks/a", "second".getBytes(StandardCharsets.UTF_8))).isFalse();
            assertThat(new String(store.read("locks/a"), StandardCharsets.UTF_8)).isEqualTo("first");
            // Racing writers: exactly one of them creates the key, and its content is what is read.
            int writers = 8;
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(writers);
            try {
                java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
                List<java.util.concurrent.Future<Boolean>> results = new java.util.ArrayList<>();
                for (int writer = 0; writer < writers; writer++) {
                    byte[] content = ("writer " + writer).getBytes(StandardCharsets.UTF_8);
                    results.add(pool.submit(() -> {
                        start.await();
                        return store.putIfAbsent("locks/race", content);
                    }));
                }
                start.countDown();
                List<Integer> winners = new java.util.ArrayList<>();
                for (int writer = 0; writer < writers; writer++) {
                    if (results.get(writer).get()) {
                        winners.add(writer);
                    }
                }
                assertThat(winners).hasSize(1);
                assertThat(new String(store.read("locks/race"), StandardCharsets.UTF_8)).isEqualTo("writer " + winners.get(0));
            }
            finally {
                pool.shutdownNow();
            }
            store.delete("locks/a");
            assertThat(store.putIfAbsent("locks/a", "again".getBytes(StandardCharsets.UTF_8))).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void putReadListCopyDelete(String kind)
            throws Exception
    {
        try (ObjectStore store = store(kind)) {
            Path file = temporary.resolve("segment.pcap");
            byte[] content = new byte[200_000];
            new java.util.Random(7).nextBytes(content);
            Files.write(file, content);
            store.put("raw/node-a/2026/11/26/08/1-0.pcap", file);
            store.put("raw/node-a/2026/11/26/09/2-0.pcap", "second".getBytes(StandardCharsets.UTF_8));
            store.put("raw/node-b/2026/11/26/08/1-0.pcap", "other node".getBytes(StandardCharsets.UTF_8));

            assertThat(store.read("raw/node-a/2026/11/26/08/1-0.pcap")).isEqualTo(content);
            assertThat(store.list("raw/node-a/")).extracting(ObjectInfo::key)
                    .containsExactly("raw/node-a/2026/11/26/08/1-0.pcap", "raw/node-a/2026/11/26/09/2-0.pcap");
            assertThat(store.list("raw/node-a/2026/11/26/0")).hasSize(2);
            assertThat(store.list("raw/")).extracting(ObjectInfo::size).containsExactly(200_000L, 6L, 10L);
            assertThat(store.list("nothing/")).isEmpty();
            assertThat(store.stat("raw/node-b/2026/11/26/08/1-0.pcap")).contains(new ObjectInfo("raw/node-b/2026/11/26/08/1-0.pcap", 10));
            assertThat(store.stat("raw/node-c/x.pcap")).isEmpty();

            store.copy("raw/node-a/2026/11/26/08/1-0.pcap", "snapshots/s1/raw/node-a/2026/11/26/08/1-0.pcap");
            assertThat(store.read("snapshots/s1/raw/node-a/2026/11/26/08/1-0.pcap")).isEqualTo(content);

            store.put("raw/node-a/2026/11/26/09/2-0.pcap", "replaced".getBytes(StandardCharsets.UTF_8));
            assertThat(new String(store.read("raw/node-a/2026/11/26/09/2-0.pcap"), StandardCharsets.UTF_8)).isEqualTo("replaced");

            store.delete("raw/node-a/2026/11/26/08/1-0.pcap");
            store.delete("raw/node-a/2026/11/26/08/1-0.pcap");
            assertThat(store.list("raw/node-a/")).extracting(ObjectInfo::key).containsExactly("raw/node-a/2026/11/26/09/2-0.pcap");
            assertThatThrownBy(() -> store.read("raw/node-a/2026/11/26/08/1-0.pcap")).isInstanceOf(NoSuchFileException.class);
            assertThatThrownBy(() -> store.copy("missing", "elsewhere")).isInstanceOf(NoSuchFileException.class);

            Path downloaded = temporary.resolve("down/copy.pcap");
            store.download("snapshots/s1/raw/node-a/2026/11/26/08/1-0.pcap", downloaded);
            assertThat(Files.readAllBytes(downloaded)).isEqualTo(content);
            assertThat(store.uri("tables/flows/")).startsWith(kind.equals("s3") ? "s3://lake/contract-" : "file:/");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void keysThatEscapeTheRootAreRefused(String kind)
            throws Exception
    {
        try (ObjectStore store = store(kind)) {
            for (String key : List.of("../outside", "/absolute", "a/../../b", "a//b", "")) {
                assertThatThrownBy(() -> store.put(key, new byte[1])).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a valid object key");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void localObjectsAreWholeWhileWritten(String kind)
            throws Exception
    {
        // Readers during a rewrite see the old or the new object, never a mix.
        try (ObjectStore store = store(kind)) {
            byte[] first = new byte[1 << 20];
            byte[] second = new byte[1 << 20];
            java.util.Arrays.fill(second, (byte) 1);
            store.put("k", first);
            Thread writer = new Thread(() -> {
                try {
                    for (int i = 0; i < 10; i++) {
                        store.put("k", i % 2 == 0 ? second : first);
                    }
                }
                catch (IOException e) {
                    throw new RuntimeException(e);
                }
            });
            writer.start();
            while (writer.isAlive()) {
                byte[] read = store.read("k");
                assertThat(read).hasSize(1 << 20);
                assertThat(read[0]).isEqualTo(read[read.length - 1]);
            }
            writer.join();
        }
    }

    @org.junit.jupiter.api.Test
    void unreachableStoreIsAnIoErrorNamingTheStore()
            throws Exception
    {
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        try (S3ObjectStore store = new S3ObjectStore("lake", "p", new S3Settings(java.util.Optional.of("http://127.0.0.1:" + port), "us-east-1", true),
                software.amazon.awssdk.auth.credentials.StaticCredentialsProvider.create(
                        software.amazon.awssdk.auth.credentials.AwsBasicCredentials.create("x", "y")))) {
            assertThatThrownBy(() -> store.put("raw/a", new byte[1])).isInstanceOf(IOException.class).hasMessageContaining("upload s3://lake/p/raw/a");
        }
    }
}
