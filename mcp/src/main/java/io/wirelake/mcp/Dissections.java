package io.wirelake.mcp;

import io.wirelake.catalog.Directories;
import io.wirelake.catalog.evidence.CustodyLog;
import io.wirelake.catalog.snapshot.DissectionLauncher;
import io.wirelake.catalog.snapshot.Manifest;
import io.wirelake.catalog.snapshot.SnapshotDissection;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static java.util.Objects.requireNonNull;

/**
 * Dissections the tools start, run in the background one at a time (a dissection uses every core;
 * more at once would only slow each down), so {@code start_snapshot_dissection} answers at once and
 * {@code get_snapshot_dissection_status} follows the progress. What a dissection found is written
 * to the snapshot's {@code status.json} by the catalog, as for {@code wirelake snapshot dissect}.
 */
final class Dissections
{
    /** A dissection this server queued or runs. */
    static final class Job
    {
        final String snapshot;
        final List<String> protocols;
        final long captureBytes;
        final Instant queuedAt = Instant.now();
        final AtomicLong bytesRead = new AtomicLong();
        volatile boolean started;

        Job(String snapshot, List<String> protocols, long captureBytes)
        {
            this.snapshot = requireNonNull(snapshot, "snapshot is null");
            this.protocols = List.copyOf(protocols);
            this.captureBytes = captureBytes;
        }
    }

    private final Lake lake;
    private final DissectionLaunchers launchers;
    private final PrintStream log;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private volatile boolean closing;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "wirelake-mcp-dissection");
        thread.setDaemon(true);
        return thread;
    });

    Dissections(Lake lake, DissectionLaunchers launchers, PrintStream log)
    {
        this.lake = requireNonNull(lake, "lake is null");
        this.launchers = requireNonNull(launchers, "launchers is null");
        this.log = requireNonNull(log, "log is null");
    }

    List<String> protocols()
    {
        return launchers.protocols();
    }

    /**
     * Queues a dissection; refused when this server already has one of the snapshot queued or
     * running, for an unknown snapshot, or for a protocol the dissection does not know.
     */
    synchronized Job start(String snapshot, List<String> protocols)
            throws Exception
    {
        Manifest manifest = lake.snapshots().manifest(snapshot);
        if (jobs.containsKey(snapshot)) {
            throw new ToolException("snapshot " + snapshot + " is already being dissected by this server; follow it with get_snapshot_dissection_status");
        }
        Job job = new Job(snapshot, protocols, manifest.captures().stream().mapToLong(Manifest.Entry::size).sum());
        // Made now, so that a protocol it does not know is refused before anything is queued.
        DissectionLauncher launcher = launchers.launcher(protocols, job.bytesRead::set);
        jobs.put(snapshot, job);
        executor.execute(() -> run(job, launcher));
        return job;
    }

    Optional<Job> job(String snapshot)
    {
        return Optional.ofNullable(jobs.get(snapshot));
    }

    private void run(Job job, DissectionLauncher launcher)
    {
        if (closing) {
            log.println("wirelake mcp: the dissection of " + job.snapshot + " was queued and is not started: the server is stopping");
            jobs.remove(job.snapshot);
            return;
        }
        job.started = true;
        Path temporary = null;
        try {
            temporary = Files.createTempDirectory(Files.createDirectories(lake.workDirectory()), "dissect-" + job.snapshot + "-");
            log.println("wirelake mcp: dissecting snapshot " + job.snapshot + (job.protocols.isEmpty() ? "" : " (only " + String.join(", ", job.protocols) + ")"));
            DissectionLauncher.Report report = new SnapshotDissection(lake.snapshots(), launcher, temporary)
                    .run(job.snapshot, line -> log.println("wirelake mcp: " + job.snapshot + ": " + line));
            lake.evidence().record(job.snapshot, CustodyLog.Action.DISSECTED, Map.of("packets", String.valueOf(report.counters().getOrDefault("packets", 0L))));
            log.println("wirelake mcp: snapshot " + job.snapshot + " dissected: " + report.counters().getOrDefault("packets", 0L) + " packets");
        }
        catch (Exception | LinkageError e) {
            // The catalog has written the failure into the snapshot's status; the log keeps the stack.
            log.println("wirelake mcp: dissecting snapshot " + job.snapshot + " failed: " + e);
            e.printStackTrace(log);
        }
        finally {
            if (temporary != null) {
                try {
                    Directories.deleteTree(temporary);
                }
                catch (java.io.IOException e) {
                    log.println("wirelake mcp: could not delete " + temporary + ": " + e.getMessage());
                }
            }
            jobs.remove(job.snapshot);
        }
    }

    /** Lets a running dissection finish (its tables would be half written otherwise); queued ones are dropped. */
    public void close()
            throws InterruptedException
    {
        if (jobs.values().stream().anyMatch(job -> job.started)) {
            log.println("wirelake mcp: waiting for the running dissection to finish before stopping");
        }
        closing = true;
        executor.shutdown();
        executor.awaitTermination(Long.MAX_VALUE, TimeUnit.DAYS);
    }
}
