package io.wirelake.cli;

import io.wirelake.catalog.snapshot.Manifest;
import io.wirelake.catalog.snapshot.SnapshotDissection;
import io.wirelake.catalog.snapshot.SnapshotStatus;
import io.wirelake.catalog.snapshot.Snapshots;
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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Dissecting a snapshot again through the real Flink job, on a directory and on S3 (S3Proxy, read
 * and written in place through Flink's S3 plugin): a job that fails leaves the previous tables
 * byte for byte, its status still {@code dissected}, no staged objects, and no incomplete
 * multipart uploads (also none that an earlier killed run left); a job that succeeds replaces them.
 */
class RedissectionTest
{
    @TempDir
    Path temporary;

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void aFailedDissectionLeavesThePreviousTablesAndNothingStaged(String kind)
            throws Exception
    {
        String prefix = "redissect-" + UUID.randomUUID();
        try (ObjectStore store = kind.equals("s3") ? SharedS3Proxy.store(prefix) : new LocalObjectStore(temporary.resolve("store"))) {
            Path demo = temporary.resolve("demo");
            DemoTrafficGenerator.generate(GeneratorOptions.defaults(1_500_000), demo, null);
            for (int index = 0; index < 2; index++) {
                String node = DemoCluster.NODES.get(index).name();
                new Importer(store, node, new Rotation(1, 1 << 20), temporary.resolve("spool" + index))
                        .importFiles(List.of(demo.resolve(node + ".pcap")), List.of(demo.resolve(DemoTrafficGenerator.METADATA_FILE)), line -> {});
            }
            Snapshots snapshots = new Snapshots(store);
            Manifest manifest = snapshots.create("again", Optional.empty(), Optional.empty(), List.of(), line -> {});
            dissection(snapshots, kind).run("again", line -> {});
            Map<String, String> first = tables(store, "again");
            assertThat(first.keySet()).anyMatch(key -> key.startsWith(Layout.tablePartition("api_calls", "again")))
                    .anyMatch(key -> key.startsWith(Layout.tablePartition("flows", "again")));
            SnapshotStatus dissected = snapshots.status("again");
            assertThat(dissected.state()).isEqualTo(SnapshotStatus.DISSECTED);

            S3Client s3 = kind.equals("s3") ? s3() : null;
            if (s3 != null) {
                // What a dissection killed mid-write leaves on S3: a multipart upload never completed.
                String key = prefix + "/" + Layout.dissectionStaging("again", "killed-run") + "api_calls/snapshot_id=again/part-0.parquet";
                String upload = s3.createMultipartUpload(request -> request.bucket(SharedS3Proxy.BUCKET).key(key)).uploadId();
                s3.uploadPart(request -> request.bucket(SharedS3Proxy.BUCKET).key(key).uploadId(upload).partNumber(1), RequestBody.fromBytes(new byte[1024]));
                assertThat(incompleteUploads(s3, prefix)).as("the S3 API keeps the upload").isEqualTo(1);
            }

            // The job fails: a frozen capture cannot be read.
            String missing = Layout.snapshotPrefix("again") + manifest.captures().get(0).key();
            byte[] kept = store.read(missing);
            store.delete(missing);
            assertThatThrownBy(() -> dissection(snapshots, kind).run("again", line -> {})).isInstanceOf(Exception.class);
            assertThat(tables(store, "again")).as("the previous dissection's tables, untouched").isEqualTo(first);
            SnapshotStatus afterFailure = snapshots.status("again");
            assertThat(afterFailure.state()).isEqualTo(SnapshotStatus.DISSECTED);
            assertThat(afterFailure.stats()).isEqualTo(dissected.stats());
            assertThat(afterFailure.error()).contains("dissecting again failed").contains("the tables are the previous dissection's");
            assertThat(store.list(Layout.STAGING)).as("nothing staged stays").isEmpty();
            if (s3 != null) {
                assertThat(incompleteUploads(s3, prefix)).as("no incomplete multipart upload stays").isZero();
            }

            // Put right, it runs again: new files replace the old ones, and the rows are the same.
            store.put(missing, kept);
            dissection(snapshots, kind).run("again", line -> {});
            Map<String, String> second = tables(store, "again");
            assertThat(second).isNotEmpty();
            assertThat(snapshots.status("again").state()).isEqualTo(SnapshotStatus.DISSECTED);
            assertThat(snapshots.status("again").error()).isEmpty();
            Map<String, Long> rows = new TreeMap<>(dissected.stats());
            rows.keySet().removeIf(name -> !name.startsWith("rows.") && !name.equals("packets"));
            assertThat(rows).containsKey("packets").hasSizeGreaterThan(2);
            assertThat(snapshots.status("again").stats()).containsAllEntriesOf(rows);
            assertThat(store.list(Layout.STAGING)).isEmpty();
            if (s3 != null) {
                s3.close();
            }
        }
    }

    private SnapshotDissection dissection(Snapshots snapshots, String kind)
            throws Exception
    {
        Map<String, String> flink = kind.equals("s3")
                ? Map.of("s3.endpoint", SharedS3Proxy.endpoint(), "s3.path.style.access", "true", "s3.access-key", SharedS3Proxy.IDENTITY,
                "s3.secret-key", SharedS3Proxy.CREDENTIAL)
                : Map.of();
        Path work = Files.createDirectories(temporary.resolve("flink"));
        return new SnapshotDissection(snapshots, new LocalFlinkLauncher(new DissectionSettings(1, 1), io.wirelake.dissect.redact.Redaction.DEFAULTS_WITHOUT_KEY, work, flink, bytes -> {}), work);
    }

    /** Every object of the snapshot's partitions, with its SHA-256. */
    private static Map<String, String> tables(ObjectStore store, String id)
            throws Exception
    {
        Map<String, String> objects = new TreeMap<>();
        for (String table : List.of("api_calls", "flows")) {
            for (ObjectInfo object : store.list(Layout.tablePartition(table, id))) {
                objects.put(object.key(), HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(store.read(object.key()))));
            }
        }
        return objects;
    }

    private static S3Client s3()
            throws Exception
    {
        return S3Client.builder().endpointOverride(URI.create(SharedS3Proxy.endpoint())).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(SharedS3Proxy.IDENTITY, SharedS3Proxy.CREDENTIAL))).build();
    }

    private static long incompleteUploads(S3Client s3, String prefix)
    {
        return s3.listMultipartUploadsPaginator(request -> request.bucket(SharedS3Proxy.BUCKET).prefix(prefix + "/")).uploads().stream().count();
    }
}
