package io.wirelake.catalog.schedule;

import io.wirelake.store.LocalObjectStore;
import io.wirelake.store.ObjectStore;
import io.wirelake.store.testing.SharedS3Proxy;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class StoreLockTest
{
    @TempDir
    Path temporary;

    @ParameterizedTest
    @ValueSource(strings = {"local", "s3"})
    void oneHolderAtATimeUntilReleasedOrExpired(String kind)
            throws Exception
    {
        try (ObjectStore store = kind.equals("s3") ? SharedS3Proxy.store("lock-" + UUID.randomUUID()) : new LocalObjectStore(temporary.resolve("store"))) {
            Instant now = Instant.parse("2026-12-03T00:05:00Z");
            Optional<StoreLock> first = StoreLock.tryAcquire(store, "schedule-daily", Duration.ofHours(1), now);
            assertThat(first).isPresent();
            assertThat(StoreLock.tryAcquire(store, "schedule-daily", Duration.ofHours(1), now.plusSeconds(60))).as("held").isEmpty();
            assertThat(StoreLock.holder(store, "schedule-daily")).get().extracting(StoreLock.Holder::expires).isEqualTo(now.plus(Duration.ofHours(1)));
            first.get().close();
            Optional<StoreLock> second = StoreLock.tryAcquire(store, "schedule-daily", Duration.ofHours(1), now.plusSeconds(120));
            assertThat(second).as("released").isPresent();
            // Its holder died: after the lease another process takes it over, and the dead one's release does not free the new holder's lock.
            Optional<StoreLock> third = StoreLock.tryAcquire(store, "schedule-daily", Duration.ofHours(1), now.plus(Duration.ofHours(2)));
            assertThat(third).as("taken over after expiry").isPresent();
            second.get().close();
            assertThat(StoreLock.tryAcquire(store, "schedule-daily", Duration.ofHours(1), now.plus(Duration.ofHours(2)).plusSeconds(1))).isEmpty();
            third.get().close();
            assertThat(StoreLock.holder(store, "schedule-daily")).isEmpty();
        }
    }
}
