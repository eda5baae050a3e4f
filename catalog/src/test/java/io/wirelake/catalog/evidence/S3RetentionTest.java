package io.wirelake.catalog.evidence;

import io.wirelake.catalog.evidence.testing.DemoLake;
import io.wirelake.catalog.snapshot.Manifest;
import io.wirelake.catalog.snapshot.SnapshotException;
import io.wirelake.store.Layout;
import io.wirelake.store.ObjectInfo;
import io.wirelake.store.S3ObjectStore;
import io.wirelake.store.lock.LockMode;
import io.wirelake.store.lock.ObjectLock;
import io.wirelake.store.testing.SharedS3Mock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Archiving on S3 (S3Mock, a bucket created with Object Lock): a sealed snapshot's every object
 * gets the retention and the legal hold, as read back through GetObjectRetention and
 * GetObjectLegalHold; deleting it is refused before any request that would delete; a bucket
 * without Object Lock is refused with the way to make one.
 */
class S3RetentionTest
{
    @TempDir
    Path temporary;

    @Test
    void archiveAndHoldLockEveryObjectOfTheSnapshot()
            throws Exception
    {
        S3ObjectStore store = SharedS3Mock.lockedBucket("evidence-" + UUID.randomUUID());
        DemoLake.importInto(store, temporary);
        Evidence evidence = new Evidence(store, new EvidenceSettings(temporary.resolve("keys/seal.pem"), Optional.empty(), Optional.empty(), "ops@ci"));
        Manifest manifest = evidence.snapshots().create("quarter", Optional.empty(), Optional.empty(), List.of(), line -> {});
        assertThat(evidence.verify("quarter", key -> {}).failures()).isEmpty();

        Instant until = Instant.now().plus(Duration.ofDays(365)).truncatedTo(ChronoUnit.SECONDS);
        evidence.archive("quarter", LockMode.COMPLIANCE, until, false, Optional.of("monthly"));
        evidence.hold("quarter", true);
        int locked = 0;
        for (ObjectInfo object : store.list(Layout.snapshotPrefix("quarter"))) {
            ObjectLock lock = store.lock(object.key());
            if (object.key().endsWith("/status.json") || object.key().endsWith("/custody.jsonl") || object.key().endsWith("/retention.json")) {
                assertThat(lock).as(object.key()).isEqualTo(ObjectLock.NONE);
                continue;
            }
            assertThat(lock.mode()).as(object.key()).contains(LockMode.COMPLIANCE);
            assertThat(lock.retainUntil()).as(object.key()).contains(until);
            assertThat(lock.legalHold()).as(object.key()).isTrue();
            locked++;
        }
        assertThat(locked).isEqualTo(manifest.objects().size() + 2);
        assertThat(evidence.state("quarter").retention().describe()).isEqualTo("compliance until " + until + ", legal hold (class monthly)");

        assertThatThrownBy(() -> evidence.delete("quarter", true)).isInstanceOf(SnapshotException.class).hasMessageContaining("legal hold");
        evidence.hold("quarter", false);
        assertThatThrownBy(() -> evidence.delete("quarter", true)).isInstanceOf(SnapshotException.class).hasMessageContaining("compliance mode until " + until);
        assertThat(store.stat(Layout.manifest("quarter"))).isPresent();
        assertThat(evidence.verify("quarter", key -> {}).failures()).isEmpty();
    }

    @Test
    void aBucketWithoutObjectLockIsRefusedWithTheWayToMakeOne()
            throws Exception
    {
        S3ObjectStore store = SharedS3Mock.plainBucket("plain-" + UUID.randomUUID());
        DemoLake.importInto(store, temporary);
        Evidence evidence = new Evidence(store, new EvidenceSettings(temporary.resolve("keys/seal.pem"), Optional.empty(), Optional.empty(), "ops@ci"));
        evidence.snapshots().create("daily", Optional.empty(), Optional.empty(), List.of(), line -> {});
        assertThatThrownBy(() -> evidence.archive("daily", LockMode.GOVERNANCE, Instant.now().plus(Duration.ofDays(1)), false, Optional.empty()))
                .isInstanceOf(SnapshotException.class).hasMessageContaining("was not created with it").hasMessageContaining("--object-lock-enabled-for-bucket");
        assertThatThrownBy(() -> evidence.create("classed", Optional.empty(), Optional.empty(), List.of(), Optional.of("daily"), line -> {}))
                .isInstanceOf(SnapshotException.class).hasMessageContaining("Object Lock");
        assertThat(store.list(Layout.snapshotPrefix("classed"))).isEmpty();
        assertThat(evidence.delete("daily", false)).isPositive();
    }
}
