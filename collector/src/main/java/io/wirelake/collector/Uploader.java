package io.wirelake.collector;

import io.wirelake.store.Layout;
import io.wirelake.store.ObjectStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * Uploads finished segments from the spool, oldest first, and deletes each local copy only once
 * the store has it. While the store is unreachable it retries with a growing pause (up to
 * {@link #MAX_BACKOFF}) and the segments wait in the spool: an outage delays data, it does not
 * lose it. After each upload the node's FIFO budget is enforced.
 */
public final class Uploader
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(Uploader.class);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private final Spool spool;
    private final ObjectStore store;
    private final NodeBudget budget;
    private final CollectorMetrics metrics;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Thread thread;
    private volatile boolean stopping;
    private volatile boolean failing;
    private volatile String lastError;

    public Uploader(Spool spool, ObjectStore store, long budgetBytes, CollectorMetrics metrics)
            throws IOException
    {
        this.spool = requireNonNull(spool, "spool is null");
        this.store = requireNonNull(store, "store is null");
        this.metrics = requireNonNull(metrics, "metrics is null");
        this.budget = new NodeBudget(store, spool.node(), budgetBytes);
        this.thread = new Thread(this::run, "wirelake-uploader-" + spool.node());
        this.thread.setDaemon(true);
    }

    public void start()
    {
        thread.start();
    }

    /** A segment was finished: upload soon. */
    public void wake()
    {
        lock.lock();
        try {
            work.signalAll();
        }
        finally {
            lock.unlock();
        }
    }

    /** Uploads everything waiting, once, in this thread; false if something could not be uploaded. */
    public boolean uploadPending()
    {
        try {
            List<Path> ready = spool.ready();
            updateGauges(ready);
            for (Path file : ready) {
                upload(file);
            }
            updateGauges(spool.ready());
            if (failing) {
                log.info("object store {} reachable again; spool drained", store.location());
            }
            failing = false;
            return true;
        }
        catch (IOException e) {
            metrics.uploadFailures.inc();
            lastError = e.getMessage();
            if (!failing) {
                log.warn("upload to {} failed, segments stay in the spool and are retried: {}", store.location(), e.getMessage());
            }
            failing = true;
            return false;
        }
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
            boolean ok = uploadPending();
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

    private void upload(Path file)
            throws IOException
    {
        Layout.Segment segment = spool.segment(file).orElseThrow();
        long size = Files.size(file);
        store.put(segment.key(), file);
        Files.delete(file);
        metrics.segmentsUploaded.inc();
        metrics.bytesUploaded.inc(size);
        budget.added(segment, size);
        int evicted = budget.enforce();
        metrics.segmentsEvicted.inc(evicted);
        metrics.storedBytes.set(budget.totalBytes());
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
