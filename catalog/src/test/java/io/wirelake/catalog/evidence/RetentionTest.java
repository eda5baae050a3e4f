package io.wirelake.catalog.evidence;

import io.wirelake.catalog.evidence.testing.DemoLake;
import io.wirelake.catalog.snapshot.Manifest;
import io.wirelake.catalog.snapshot.SnapshotException;
import io.wirelake.store.Layout;
import io.wirelake.store.LocalObjectStore;
import io.wirelake.store.ObjectInfo;
import io.wirelake.store.lock.LockMode;
import io.wirelake.store.lock.ObjectLockedException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Retention on the local store: compliance mode that nothing shortens or deletes until its date
 * (which a clock of the test's own reaches), governance mode that only an explicit bypass passes
 * (and the custody log records), legal hold, and retention classes.
 */
class RetentionTest
{
    @TempDir
    Path temporary;

    /** A clock the test moves forward. */
    private static final class TestClock
            extends Clock
    {
        private Instant now = Instant.now();

        @Override
        public ZoneId getZone()
        {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone)
        {
            return this;
        }

        @Override
        public Instant instant()
        {
            return now;
        }

        void advance(Duration duration)
        {
            now = now.plus(duration);
        }
    }

    private Evidence evidence(LocalObjectStore store)
    {
        return new Evidence(store, new EvidenceSettings(temporary.resolve("keys/seal.pem"), Optional.empty(), Optional.empty(), "auditor@lab"));
    }

    @Test
    void complianceModeRefusesEveryDeleteAndOverwriteUntilItsDate()
            throws Exception
    {
        TestClock clock = new TestClock();
        LocalObjectStore store = new LocalObjectStore(temporary.resolve("lake"), clock);
        DemoLake.importInto(store, temporary);
        Evidence evidence = evidence(store);
        Manifest manifest = evidence.snapshots().create("audit", Optional.empty(), Optional.empty(), List.of(), line -> {});
        Instant until = clock.instant().plus(Duration.ofDays(30));
        RetentionRecord record = evidence.archive("audit", LockMode.COMPLIANCE, until, false, Optional.empty());
        assertThat(record.describe()).isEqualTo("compliance until " + until);

        String capture = Layout.snapshotPrefix("audit") + manifest.captures().get(0).key();
        for (String key : List.of(capture, Layout.manifest("audit"), Layout.manifestSignature("audit"))) {
            assertThat(store.lock(key).mode()).contains(LockMode.COMPLIANCE);
            assertThatThrownBy(() -> store.delete(key)).isInstanceOf(ObjectLockedException.class)
                    .hasMessageContaining("cannot delete " + key).hasMessageContaining("retained in compliance mode until " + until);
            assertThatThrownBy(() -> store.put(key, new byte[] {1})).isInstanceOf(ObjectLockedException.class).hasMessageContaining("cannot overwrite " + key);
            assertThatThrownBy(() -> store.deleteBypassingGovernance(key)).isInstanceOf(ObjectLockedException.class);
        }
        assertThatThrownBy(() -> store.copy(Layout.manifest("audit"), capture)).isInstanceOf(ObjectLockedException.class);
        // The snapshot's own mutable files are not locked: its status and custody log go on.
        assertThat(store.lock(Layout.custodyLog("audit")).retainedAt(clock.instant())).isFalse();
        assertThatThrownBy(() -> evidence.snapshots().delete("audit")).isInstanceOf(SnapshotException.class)
                .hasMessageContaining("snapshot audit cannot be deleted: it is retained in compliance mode");
        assertThatThrownBy(() -> evidence.delete("audit", true)).isInstanceOf(SnapshotException.class).hasMessageContaining("compliance");
        assertThat(store.stat(capture)).isPresent();

        // Shortened or turned to governance: refused. Extended: fine.
        assertThatThrownBy(() -> evidence.archive("audit", LockMode.COMPLIANCE, until.minus(Duration.ofDays(1)), true, Optional.empty()))
                .isInstanceOf(ObjectLockedException.class).hasMessageContaining("can only be extended");
        assertThatThrownBy(() -> evidence.archive("audit", LockMode.GOVERNANCE, until.plus(Duration.ofDays(1)), true, Optional.empty()))
                .isInstanceOf(ObjectLockedException.class);
        Instant later = until.plus(Duration.ofDays(5));
        evidence.archive("audit", LockMode.COMPLIANCE, later, false, Optional.empty());
        assertThat(store.lock(capture).retainUntil()).contains(later);

        // Past its date, it can go; the chain keeps its manifest and custody log.
        clock.advance(Duration.ofDays(36));
        assertThat(evidence.delete("audit", false)).isPositive();
        assertThat(store.list(Layout.snapshotPrefix("audit"))).isEmpty();
        assertThat(store.stat(Layout.chainEntry(manifest.chain().sequence(), "audit"))).isPresent();
        String log = new String(store.read(Layout.chainCustodyLog(manifest.chain().sequence(), "audit")), StandardCharsets.UTF_8);
        assertThat(log).contains("\"action\":\"archived\"").contains("\"action\":\"deleted\"");
        assertThat(CustodyLog.read(log.getBytes(StandardCharsets.UTF_8), Hashes.sha256(store.read(Layout.chainEntry(manifest.chain().sequence(), "audit"))))
                .problems()).isEmpty();
    }

    @Test
    void governanceModeYieldsOnlyToAnExplicitBypassThatTheCustodyLogRecords()
            throws Exception
    {
        LocalObjectStore store = new LocalObjectStore(temporary.resolve("lake"));
        DemoLake.importInto(store, temporary);
        Evidence evidence = evidence(store);
        Manifest manifest = evidence.snapshots().create("daily", Optional.empty(), Optional.empty(), List.of(), line -> {});
        Instant until = Instant.now().plus(Duration.ofDays(90));
        evidence.archive("daily", LockMode.GOVERNANCE, until, false, Optional.empty());
        assertThatThrownBy(() -> evidence.delete("daily", false)).isInstanceOf(SnapshotException.class)
                .hasMessageContaining("governance").hasMessageContaining("--bypass-governance");
        assertThatThrownBy(() -> evidence.archive("daily", LockMode.GOVERNANCE, until.minus(Duration.ofDays(30)), false, Optional.empty()))
                .isInstanceOf(ObjectLockedException.class).hasMessageContaining("without bypassing governance mode explicitly");
        evidence.archive("daily", LockMode.GOVERNANCE, until.minus(Duration.ofDays(30)), true, Optional.empty());
        assertThat(new String(store.read(Layout.custodyLog("daily")), StandardCharsets.UTF_8)).contains("\"action\":\"governance bypassed\"")
                .contains("\"operation\":\"shorten retention\"");

        assertThat(evidence.delete("daily", true)).isPositive();
        String log = new String(store.read(Layout.chainCustodyLog(manifest.chain().sequence(), "daily")), StandardCharsets.UTF_8);
        assertThat(log.lines().toList()).last().asString().contains("\"action\":\"deleted\"");
        assertThat(log).contains("\"operation\":\"delete\"");
    }

    @Test
    void aLegalHoldBlocksUntilReleasedAndClassesApplyTheirPolicy()
            throws Exception
    {
        LocalObjectStore store = new LocalObjectStore(temporary.resolve("lake"));
        DemoLake.importInto(store, temporary);
        Evidence evidence = evidence(store);
        assertThat(RetentionClasses.read(store)).extracting(RetentionClass::name).containsExactly("daily", "monthly", "incident");

        assertThatThrownBy(() -> evidence.create("x", Optional.empty(), Optional.empty(), List.of(), Optional.of("yearly"), line -> {}))
                .isInstanceOf(SnapshotException.class).hasMessageContaining("no retention class 'yearly'").hasMessageContaining("daily, monthly, incident");
        assertThat(store.list(Layout.snapshotPrefix("x"))).isEmpty();

        Manifest incident = evidence.create("breach", Optional.empty(), Optional.empty(), List.of(), Optional.of("incident"), line -> {});
        assertThat(evidence.state("breach").retention().legalHold()).isTrue();
        assertThat(evidence.state("breach").retention().retentionClass()).isEqualTo("incident");
        for (ObjectInfo object : store.list(Layout.snapshotPrefix("breach"))) {
            if (!Layout.isSnapshotControlFile("breach", object.key()) || object.key().endsWith("manifest.json")) {
                assertThat(store.lock(object.key()).legalHold()).as(object.key()).isTrue();
            }
        }
        assertThatThrownBy(() -> evidence.delete("breach", true)).isInstanceOf(SnapshotException.class).hasMessageContaining("legal hold")
                .hasMessageContaining("snapshot hold breach off");
        evidence.hold("breach", false);
        assertThat(new String(store.read(Layout.custodyLog("breach")), StandardCharsets.UTF_8)).contains("\"action\":\"hold set\"").contains("\"action\":\"hold released\"");
        assertThat(evidence.delete("breach", false)).isPositive();
        assertThat(incident.sealed()).isTrue();

        RetentionClasses.put(store, new RetentionClass("pci", "compliance", 400, false, "cardholder data environment"));
        evidence.create("cde", Optional.empty(), Optional.empty(), List.of(), Optional.of("pci"), line -> {});
        RetentionRecord pci = evidence.state("cde").retention();
        assertThat(pci.mode()).isEqualTo("compliance");
        assertThat(pci.retentionClass()).isEqualTo("pci");
        assertThat(pci.until().orElseThrow()).isBetween(Instant.now().plus(Duration.ofDays(399)), Instant.now().plus(Duration.ofDays(401)));
        assertThat(RetentionClasses.read(store)).extracting(RetentionClass::name).containsExactly("daily", "incident", "monthly", "pci");
    }
}
