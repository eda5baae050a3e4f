package io.wirelake.store;

import io.wirelake.store.lock.LockMode;
import io.wirelake.store.lock.ObjectLock;
import io.wirelake.store.lock.ObjectLockedException;
import io.wirelake.store.testing.SharedS3Mock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Object locks on both stores. The local store enforces its lock records on every write and
 * delete. On S3 (Adobe's S3Mock, the one S3 API with Object Lock that runs here) the calls set and
 * read back retention and legal hold; the last test records what S3Mock itself enforces (nothing),
 * which is why enforcement on S3 is S3's own and untested here (docs/COMPLIANCE.md).
 */
class ObjectLockTest
{
    @TempDir
    Path temporary;

    @Test
    void theLocalStoreRefusesToDeleteOrOverwriteALockedObject()
            throws Exception
    {
        LocalObjectStore store = new LocalObjectStore(temporary);
        String key = "raw/node-a/2026/01/01/00/1-0.pcap";
        store.put(key, new byte[] {1, 2, 3});
        assertThat(store.lock(key)).isEqualTo(ObjectLock.NONE);
        store.legalHold(key, true);
        assertThatThrownBy(() -> store.delete(key)).isInstanceOf(ObjectLockedException.class).hasMessageContaining("under legal hold");
        assertThatThrownBy(() -> store.put(key, new byte[] {4})).isInstanceOf(ObjectLockedException.class);
        store.legalHold(key, false);
        Instant until = Instant.now().plus(Duration.ofDays(1));
        store.retain(key, LockMode.GOVERNANCE, until, false);
        assertThatThrownBy(() -> store.delete(key)).isInstanceOf(ObjectLockedException.class).hasMessageContaining("governance mode until " + until);
        // The lock records are the store's own: not objects, not writable as keys.
        assertThat(store.list("")).extracting(ObjectInfo::key).containsExactly(key);
        assertThatThrownBy(() -> store.put(".wirelake-locks/" + key + ".json", new byte[0])).isInstanceOf(IllegalArgumentException.class);
        store.deleteBypassingGovernance(key);
        assertThat(store.stat(key)).isEmpty();
        assertThat(store.lock(key)).isEqualTo(ObjectLock.NONE);
        assertThatThrownBy(() -> store.retain("missing", LockMode.COMPLIANCE, until, false)).isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void onS3RetentionAndLegalHoldAreSetAndReadBack()
            throws Exception
    {
        S3ObjectStore store = SharedS3Mock.lockedBucket("locked-" + UUID.randomUUID());
        assertThat(store.locksEnabled()).isTrue();
        assertThat(SharedS3Mock.plainBucket("plain-" + UUID.randomUUID()).locksEnabled()).isFalse();

        String key = "snapshots/s/raw/node-a/2026/01/01/00/1-0.pcap";
        store.put(key, new byte[] {1, 2, 3});
        assertThat(store.lock(key)).isEqualTo(ObjectLock.NONE);
        Instant until = Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.SECONDS);
        store.retain(key, LockMode.COMPLIANCE, until, false);
        store.legalHold(key, true);
        ObjectLock lock = store.lock(key);
        assertThat(lock.mode()).contains(LockMode.COMPLIANCE);
        assertThat(lock.retainUntil()).contains(until);
        assertThat(lock.legalHold()).isTrue();
        store.legalHold(key, false);
        assertThat(store.lock(key).legalHold()).isFalse();
        store.retain(key, LockMode.COMPLIANCE, until.plus(Duration.ofDays(1)), false);
        assertThat(store.lock(key).retainUntil()).contains(until.plus(Duration.ofDays(1)));

        // Object Lock needs a checksum on uploads: the SDK sends one, and the server kept it.
        try (S3Client client = SharedS3Mock.client()) {
            var head = client.headObject(request -> request.bucket(bucketOf(store)).key(key).checksumMode(ChecksumMode.ENABLED));
            assertThat(Optional.ofNullable(head.checksumCRC32()).or(() -> Optional.ofNullable(head.checksumCRC64NVME()))).isPresent();
        }
    }

    @Test
    void whatS3MockEnforces()
            throws Exception
    {
        S3ObjectStore store = SharedS3Mock.lockedBucket("enforce-" + UUID.randomUUID());
        String key = "held";
        store.put(key, new byte[] {1});
        store.retain(key, LockMode.COMPLIANCE, Instant.now().plus(Duration.ofDays(1)), false);
        store.legalHold(key, true);
        // AWS refuses these (a 403 AccessDenied on a version-specific delete; a delete marker otherwise). S3Mock accepts them all,
        // so these tests cannot show S3's own refusal; wirelake's checks before it deletes are what they show.
        store.retain(key, LockMode.GOVERNANCE, Instant.now().plus(Duration.ofHours(1)), false);
        assertThat(store.lock(key).mode()).contains(LockMode.GOVERNANCE);
        store.put(key, new byte[] {2});
        assertThat(store.read(key)).containsExactly(2);
        store.delete(key);
        assertThat(store.stat(key)).isEmpty();
    }

    private static String bucketOf(S3ObjectStore store)
    {
        return java.net.URI.create(store.location()).getHost();
    }
}
