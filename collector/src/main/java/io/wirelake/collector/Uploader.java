package io.wirelake.collector;

import io.wirelake.store.Layout;
import io.wirelake.store.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * Uploads finished segments from the spool, oldest first, and deletes each local copy only once
 * the store has it. While the store is unreachable it retries with a growing pause (up to
 * {@link #MAX_BACKOFF}) and the segments wait in the spool: an outage delays data, it does not
 * lose it (unless the spool's cap drops the oldest, which is counted). After each upload the
 * node's FIFO budget is enforced; the budget learns what the store holds on the first pass the
 * store answers, so a collector starts capturing while the store is down.
 *
 * <p>One segment the store refuses must not hold back the others: a pass goes on past a failed
 * upload, and a segment that failed while others in the same pass went up (so the store is
 * there, and it is this segment it refuses) is quarantined after {@link #QUARANTINE_AFTER} such
 * passes. When nothing goes up, the store is taken to be down and nobody is blamed.
 */
public final class Uploader
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(Uploader.class);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
    /** Passes in which a segment failed while others were uploaded, before it is set aside. */
    static final int QUARANTINE_AFTER = 5;
    /** Failed uploads in a row, with none going up, after which a pass stops: the store is down. */
    private static final int FAILURES_BEFORE_PAUSE = 3;

    private final Spool spool;
    private final ObjectStore store;
    private final long budgetBytes;
    private final long spoolCapBytes;
    private final CollectorMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Thread thread;
    private final Map<Path, Integer> refusals = new HashMap<>();
    private NodeBudget budget;
    private volatile boolean stopping;
    private volatile boolean failing;
    private boolean lastPassUploaded;
    private volatile String lastError;

    public Uploader(Spool spool, ObjectStore store, long budgetBytes, CollectorMetrics metrics)
    {
        this(spool, store, budgetBytes, 0, metrics);
    }

    /**
     * @param budgetBytes the node's FIFO budget in the store (0: unlimited)
     * @param spoolCapBytes the most the spool holds (0: no cap); the oldest waiting segments are dropped beyond it
     */
    public Uploader(Spool spool, ObjectStore store, long budgetBytes, long spoolCapBytes, CollectorMetrics metrics)
    {
        this.spool = requireNonNull(spool, "spool is null");
        this.store = requireNonNull(store, "store is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.budgetBytes = budgetBytes;
        this.spoolCapBytes = spoolCapBytes;
        this.thread = new Thread(this::run, "wirelake-uploader-" + spool.node());
        this.thread.setDaemon(true);
    }

    public void start()
    {
        thread.start();
    }

    /** A segment was finished: keep the spool within its cap, and upload soon. */
    public void wake()
    {
        enforceCap();
        lock.lock();
        try {
            work.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    /** Uploads everything waiting, once, in this thread; false if something could not be uploaded. */
    public synchronized boolean uploadPending()
    {
        List<Path> ready;
        try {
            ready = spool.ready();
        }
        catch (IOException e) {
            return failed(e);
        }
        updateGauges(ready);
        lastPassUploaded = false;
        int uploaded = 0;
        int failuresInARow = 0;
        Map<Path, IOException> failed = new HashMap<>();
        for (Path file : ready) {
            try {
                if (upload(file)) {
                    uploaded++;
                    failuresInARow = 0;
                }
            }
            catch (IOException e) {
                failed.put(file, e);
                if (++failuresInARow >= FAILURES_BEFORE_PAUSE && uploaded == 0) {
                    break;
                }
            }
        }
        lastPassUploaded = uploaded > 0;
        try {
            updateGauges(spool.ready());
        }
        catch (IOException e) {
            // the gauges wait for the next pass
        }
        if (failed.isEmpty()) {
            if (failing) {
                log.info("object store {} reachable again; spool drained", store.location());
            }
            failing = false;
            refusals.clear();
            return true;
        }
        if (uploaded > 0) {
            // The store took other segments in this pass: it refuses these ones.
            for (Map.Entry<Path, IOException> refused : failed.entrySet()) {
                int count = refusals.merge(refused.getKey(), 1, Integer::sum);
                if (count >= QUARANTINE_AFTER) {
                    quarantine(refused.getKey(), refused.getValue());
                }
            }
        }
        return failed(failed.values().iterator().next());
    }

    public String lastError()
    {
        return lastError;
    }

    /**
     * Stops the thread after trying to upload what is left for up to {@code timeout}. Segments
     * still in the spool after that are uploaded by the next start.
     */
    public boolean drain(Duration timeout)
            throws InterruptedException
    {
        stopping = true;
        wake();
        thread.join(Math.max(1, timeout.toMillis()));
        boolean drained = false;
        try {
            drained = spool.ready().isEmpty();
        }
        catch (IOException e) {
            log.warn("cannot list the spool: {}", e.getMessage());
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!drained && System.nanoTime() < deadline) {
            drained = uploadPending();
            if (!drained) {
                TimeUnit.MILLISECONDS.sleep(500);
            }
        }
        return drained;
    }

    @Override
    public void close()
            throws InterruptedException
    {
        stopping = true;
        wake();
        thread.join(TimeUnit.SECONDS.toMillis(30));
    }

    private void run()
    {
        long backoffMillis = 250;
        while (!stopping) {
            enforceCap();
            // A pass that uploaded something found the store there: only a store that took nothing is waited for longer each time.
            boolean ok = uploadPending() || lastPassUploaded;
            backoffMillis = ok ? 250 : Math.min(backoffMillis * 2, MAX_BACKOFF.toMillis());
            lock.lock();
            try {
                work.await(ok ? 1000 : backoffMillis, TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            finally {
                lock.unlock();
            }
        }
    }

    private boolean failed(IOException e)
    {
        metrics.uploadFailures.inc();
        lastError = e.getMessage();
        if (!failing) {
            log.warn("upload to {} failed, segments stay in the spool and are retried: {}", store.location(), e.getMessage());
        }
        failing = true;
        return false;
    }

    /** Uploads one segment; false when it is gone (dropped by the spool's cap meanwhile). */
    private boolean upload(Path file)
            throws IOException
    {
        if (budget == null) {
            // What the node holds in the store, learned once the store answers.
            budget = new NodeBudget(store, spool.node(), budgetBytes);
        }
        Layout.Segment segment = spool.segment(file).orElseThrow();
        if (!spool.beginUpload(file)) {
            return false;
        }
        long size;
        try {
            size = Files.size(file);
            store.put(segment.key(), file);
        }
        catch (NoSuchFileException e) {
            spool.uploadFailed();
            return false;
        }
        catch (IOException | RuntimeException e) {
            spool.uploadFailed();
            throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
        }
        spool.uploaded(file);
        refusals.remove(file);
        metrics.segmentsUploaded.inc();
        metrics.bytesUploaded.inc(size);
        budget.added(segment, size);
        int evicted = budget.enforce();
        metrics.segmentsEvicted.inc(evicted);
        metrics.storedBytes.set(budget.totalBytes());
        return true;
    }

    private void quarantine(Path file, IOException reason)
    {
        try {
            Path moved = spool.quarantine(file);
            refusals.remove(file);
            metrics.segmentsQuarantined.inc();
            log.warn("the store {} refused {} {} times while it took other segments ({}): moved to {}; the segments after it go on",
                    store.location(), file.getFileName(), QUARANTINE_AFTER, reason.getMessage(), moved);
        }
        catch (IOException e) {
            log.warn("cannot quarantine {}: {}", file, e.getMessage());
        }
    }

    private void enforceCap()
    {
        try {
            for (Spool.Dropped dropped : spool.enforceCap(spoolCapBytes)) {
                metrics.spoolDroppedSegments.inc();
                metrics.spoolDroppedBytes.inc(dropped.bytes());
                log.warn("the spool {} is over its cap of {} bytes: dropped {} ({} bytes) without uploading it", spool.directory(), spoolCapBytes,
                        dropped.file().getFileName(), dropped.bytes());
            }
        }
        catch (IOException e) {
            log.warn("cannot keep the spool {} within its cap: {}", spool.directory(), e.getMessage());
        }
    }

    private void updateGauges(List<Path> ready)
    {
        long bytes = 0;
        long oldestMicros = Long.MAX_VALUE;
        for (Path file : ready) {
            try {
                bytes += Files.size(file);
                oldestMicros = Math.min(oldestMicros, Files.getLastModifiedTime(file).toMillis() * 1000);
            }
            catch (IOException e) {
                // uploaded and deleted meanwhile
            }
        }
        metrics.spoolBytes.set(bytes);
        metrics.uploadLagSeconds.set(oldestMicros == Long.MAX_VALUE ? 0 : Math.max(0, System.currentTimeMillis() * 1000 - oldestMicros) / 1e6);
    }
}
