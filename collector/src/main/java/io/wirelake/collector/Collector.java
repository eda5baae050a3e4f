package io.wirelake.collector;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.wirelake.store.ObjectStore;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.PcapNetworkInterface;
import org.pcap4j.core.PcapStat;
import io.wirelake.packets.capture.Libpcap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;

import static java.util.Objects.requireNonNull;

/**
 * The node agent: captures an interface through libpcap (pcap4j) into rotating segments in a
 * local spool, uploads them, keeps the node within its FIFO budget, writes Kubernetes metadata,
 * and serves Prometheus metrics. {@link #run()} blocks until {@link #stop()} (the SIGTERM hook):
 * the open segment is then finished and the spool drained for up to {@code drainTimeout}.
 */
public final class Collector
{
    private static final Logger log = LoggerFactory.getLogger(Collector.class);
    /**
     * How long the kernel keeps a block of the capture ring before handing it over partly filled
     * (libpcap's read timeout). It bounds how late packets reach a segment, not what is captured;
     * docs/BENCHMARKS.md ("Collector under load") has the measurements it was chosen by.
     */
    static final int READ_TIMEOUT_MILLIS = Integer.getInteger("wirelake.collector.read-timeout-ms", 50);
    /** The capture ring in the kernel, mapped into the process: about 0.4 s of 200,000 packets a second of 400 bytes. */
    static final int BUFFER_BYTES = Integer.getInteger("wirelake.collector.buffer-bytes", 32 << 20);
    /** Beyond twice the read timeout, how long the drain after a stop waits for a block the kernel hands over late. */
    private static final int DRAIN_MARGIN_MILLIS = 200;

    /**
     * @param storageBytes the node's FIFO budget in the store (0 = unlimited)
     * @param spoolBytes the most the local spool holds (0 = no cap); beyond it the oldest waiting segments are dropped, and counted
     * @param metricsPort -1 for no metrics server, 0 for any free port
     */
    public record Options(String node, String interfaceName, Optional<String> filter, int snapLength, Rotation rotation, Path spool,
                          long storageBytes, long spoolBytes, String metricsAddress, int metricsPort, boolean kubernetesNodeScope, Duration drainTimeout)
    {
        public Options
        {
            requireNonNull(node, "node is null");
            requireNonNull(interfaceName, "interfaceName is null");
            requireNonNull(filter, "filter is null");
            requireNonNull(rotation, "rotation is null");
            requireNonNull(spool, "spool is null");
            requireNonNull(drainTimeout, "drainTimeout is null");
            if (spoolBytes < 0 || spoolBytes > 0 && spoolBytes < 2 * rotation.bytes()) {
                // The open segment alone may reach --rotate-bytes: a smaller cap would drop every finished one.
                throw new IllegalArgumentException("--spool-size must be 0 (no cap) or at least twice --rotate-bytes (" + 2 * rotation.bytes() + "): " + spoolBytes);
            }
        }
    }

    private final Options options;
    private final ObjectStore store;
    private final Optional<KubernetesClient> kubernetes;
    private final CollectorMetrics metrics = new CollectorMetrics();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile boolean stopping;
    private volatile boolean sessionRecorded;
    private volatile long stopMicros = Long.MAX_VALUE;
    private volatile int metricsPort = -1;
    private volatile String failure;
    private PcapHandle handle;

    public Collector(Options options, ObjectStore store, Optional<KubernetesClient> kubernetes)
    {
        this.options = requireNonNull(options, "options is null");
        this.store = requireNonNull(store, "store is null");
        this.kubernetes = requireNonNull(kubernetes, "kubernetes is null");
    }

    /** Captures until stopped. Errors opening the interface or the filter are thrown, not logged. */
    public void run()
            throws IOException, InterruptedException
    {
        Libpcap.configure();
        Spool spool = new Spool(options.spool(), options.node());
        Closeable spoolLock;
        try {
            spoolLock = spool.lock();
        }
        catch (IOException e) {
            failure = e.getMessage();
            started.countDown();
            stopped.countDown();
            throw e;
        }
        // Nothing here waits for the store: the budget learns what the store holds on the uploader's first pass.
        // The cap holds the open segment too, which grows up to --rotate-bytes: ready/ gets the rest.
        long readyCap = options.spoolBytes() == 0 ? 0 : options.spoolBytes() - options.rotation().bytes();
        Uploader uploader = new Uploader(spool, store, options.storageBytes(), readyCap, metrics);
        // Uploading first: what waits in ready/ frees the disk while recovery cuts the open segments in place.
        uploader.start();
        MetadataWriter metadata = new MetadataWriter(spool, options.rotation(), Collector::nowMicros, file -> {
            metrics.segmentsFinished.inc();
            uploader.wake();
        }, metrics);
        KubernetesWatcher watcher = null;
        io.wirelake.store.meta.CaptureSession session = null;
        try {
            spool.recover();
            uploader.wake();
            if (options.metricsPort() >= 0) {
                metricsPort = metrics.serve(options.metricsAddress(), options.metricsPort());
                log.info("metrics on http://{}:{}/metrics", options.metricsAddress(), metricsPort);
            }
            if (kubernetes.isPresent()) {
                watcher = new KubernetesWatcher(kubernetes.get(), metadata, Collector::nowMicros);
                watcher.start(options.node(), options.kubernetesNodeScope());
            }
            handle = open();
            session = new io.wirelake.store.meta.CaptureSession(options.node(), nowMicros(),
                    io.wirelake.store.meta.CaptureSession.LIVE, io.wirelake.store.meta.CaptureSession.runningVersion(),
                    io.wirelake.store.meta.CaptureSession.localHost(), options.interfaceName(), options.filter().orElse(""), options.snapLength());
            recordSessionInTheBackground(session);
            SegmentWriter segments = SegmentWriter.live(spool, handle.getDlt().value(), options.snapLength(), options.rotation(), file -> {
                metrics.segmentsFinished.inc();
                uploader.wake();
            }, metrics);
            log.info("capturing {} as node {} into {} (rotate every {} s or {} bytes)", options.interfaceName(), options.node(), store.location(),
                    options.rotation().seconds(), options.rotation().bytes());
            started.countDown();
            // Flushes and time-based rotation run on a timer: a quiet interface may block the capture loop.
            java.util.concurrent.ScheduledExecutorService timer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "wirelake-segment-timer");
                thread.setDaemon(true);
                return thread;
            });
            timer.scheduleWithFixedDelay(() -> {
                try {
                    segments.tick();
                    metadata.tick();
                }
                catch (IOException e) {
                    log.warn("cannot flush the open segment: {}", e.getMessage());
                }
            }, 200, 200, java.util.concurrent.TimeUnit.MILLISECONDS);
            // libpcap's counters on the timer: the capture thread may wait long for a packet.
            timer.scheduleWithFixedDelay(this::recordStatistics, 1, 1, java.util.concurrent.TimeUnit.SECONDS);
            try {
                capture(segments);
                drain(segments);
            }
            finally {
                timer.shutdownNow();
                timer.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
            }
            recordStatistics();
            segments.close();
            reportDrops();
        }
        catch (PcapNativeException | NotOpenException e) {
            failure = e.getMessage();
            throw new IOException("cannot capture on " + options.interfaceName() + ": " + e.getMessage(), e);
        }
        finally {
            started.countDown();
            if (watcher != null) {
                watcher.close();
            }
            metadata.close();
            if (handle != null) {
                handle.close();
            }
            boolean drained = uploader.drain(options.drainTimeout());
            if (session != null && !sessionRecorded) {
                // The recorder may be in a back-off pause while the store is back: one last try, so
                // the segments just uploaded are not left without the record of how they were made.
                try {
                    session.write(store);
                    sessionRecorded = true;
                }
                catch (IOException e) {
                    log.warn("stopped without recording the capture session in {}: {}; snapshot manifests will not name how these segments were captured", store.location(), e.getMessage());
                }
            }
            if (drained) {
                log.info("stopped; every segment is uploaded");
            }
            else {
                log.warn("stopped with segments still in the spool {} ({}); the next start uploads them", options.spool(), uploader.lastError());
            }
            metrics.close();
            spoolLock.close();
            stopped.countDown();
        }
    }

    /**
     * Ends the capture; {@link #run()} then reads what libpcap received before this call, finishes
     * the segment and drains the spool.
     */
    public void stop()
    {
        stopMicros = nowMicros();
        stopping = true;
        PcapHandle current = handle;
        if (current != null) {
            try {
                current.breakLoop();
            }
            catch (NotOpenException e) {
                // already closed
            }
        }
    }

    /** Waits for {@link #run()} to end after {@link #stop()}. */
    public boolean awaitStopped(Duration timeout)
            throws InterruptedException
    {
        return stopped.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Waits until the capture is open (or failed to open). */
    public boolean awaitStarted(Duration timeout)
            throws InterruptedException
    {
        return started.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) && failure == null;
    }

    public int metricsPort()
    {
        return metricsPort;
    }

    /**
     * Says in the store how this node's captures are made from now on (version, interface, filter),
     * for the manifests of snapshots. A thread of its own tries until the record is written: a
     * store that is down, or hangs, neither delays the capture nor stops the segment timer.
     */
    private void recordSessionInTheBackground(io.wirelake.store.meta.CaptureSession session)
    {
        Thread recorder = new Thread(() -> {
            long pauseMillis = 1000;
            boolean warned = false;
            while (!stopping) {
                try {
                    session.write(store);
                    sessionRecorded = true;
                    return;
                }
                catch (IOException e) {
                    if (!warned) {
                        log.warn("cannot record the capture session in {} yet: {}", store.location(), e.getMessage());
                        warned = true;
                    }
                }
                try {
                    Thread.sleep(pauseMillis);
                }
                catch (InterruptedException e) {
                    return;
                }
                pauseMillis = Math.min(pauseMillis * 2, Uploader.MAX_BACKOFF.toMillis());
            }
        }, "wirelake-session-recorder");
        recorder.setDaemon(true);
        recorder.start();
    }

    private PcapHandle open()
            throws PcapNativeException, NotOpenException
    {
        // Buffered, not immediate: libpcap then shares the ring among packets by their size (TPACKET_V3),
        // where immediate mode gives each packet a slot of the snap length (a 256 KiB snap length leaves
        // a 32 MiB ring 128 slots, which a pause of the JVM of a few milliseconds overruns at 10,000 pps).
        PcapHandle opened = new PcapHandle.Builder(options.interfaceName())
                .snaplen(options.snapLength())
                .promiscuousMode(PcapNetworkInterface.PromiscuousMode.NONPROMISCUOUS)
                .timeoutMillis(READ_TIMEOUT_MILLIS)
                .bufferSize(BUFFER_BYTES)
                .immediateMode(false)
                .timestampPrecision(PcapHandle.TimestampPrecision.MICRO)
                .build();
        if (options.filter().isPresent()) {
            try {
                opened.setFilter(options.filter().get(), BpfProgram.BpfCompileMode.OPTIMIZE);
            }
            catch (PcapNativeException e) {
                opened.close();
                throw new PcapNativeException("invalid capture filter '" + options.filter().get() + "': " + e.getMessage());
            }
        }
        return opened;
    }

    private void capture(SegmentWriter segments)
            throws IOException, NotOpenException
    {
        while (!stopping) {
            try {
                byte[] packet = handle.getNextRawPacketEx();
                write(segments, packet);
            }
            catch (TimeoutException e) {
                // A read timeout with nothing captured: the segment timer flushes and rotates.
            }
            catch (EOFException e) {
                // breakLoop: stop() was called.
                break;
            }
            catch (PcapNativeException e) {
                if (stopping) {
                    break;
                }
                throw new IOException("capture on " + options.interfaceName() + " failed: " + e.getMessage(), e);
            }
        }
    }

    /**
     * Reads what libpcap still holds after {@link #stop()}: the packets it received before the
     * stop, which the kernel hands over only when their block of the ring is full or the read
     * timeout ends it. Reading goes on, without blocking, until a packet captured after the stop
     * shows that everything before it is read, or a read begun when nothing had come for longer
     * than the kernel takes to hand over a block finds nothing. (The read after the quiet time
     * matters on a busy machine: a thread that was not scheduled for that long has not looked.)
     */
    private void drain(SegmentWriter segments)
            throws IOException, NotOpenException, InterruptedException
    {
        try {
            handle.setBlockingMode(PcapHandle.BlockingMode.NONBLOCKING);
        }
        catch (PcapNativeException e) {
            log.warn("cannot read the packets left in libpcap's buffer after the stop: {}", e.getMessage());
            return;
        }
        long quietNanos = Duration.ofMillis(2L * READ_TIMEOUT_MILLIS + DRAIN_MARGIN_MILLIS).toNanos();
        long lastPacket = System.nanoTime();
        long drained = 0;
        while (true) {
            long attempt = System.nanoTime();
            byte[] packet;
            try {
                packet = handle.getNextRawPacketEx();
            }
            catch (TimeoutException e) {
                if (attempt - lastPacket >= quietNanos) {
                    break;
                }
                Thread.sleep(1);
                continue;
            }
            catch (EOFException e) {
                // A breakLoop the capture loop did not consume (the stop came between two reads): libpcap has reset it.
                continue;
            }
            catch (PcapNativeException e) {
                log.warn("cannot read the packets left in libpcap's buffer after the stop: {}", e.getMessage());
                return;
            }
            lastPacket = System.nanoTime();
            if (write(segments, packet) > stopMicros) {
                break;
            }
            drained++;
        }
        log.debug("read {} packets libpcap still held at the stop", drained);
    }

    /** Writes a packet just read, with libpcap's header of it. Returns its capture time. */
    private long write(SegmentWriter segments, byte[] packet)
            throws IOException
    {
        Timestamp timestamp = handle.getTimestamp();
        long micros = Math.floorDiv(timestamp.getTime(), 1000L) * 1_000_000L + timestamp.getNanos() / 1000;
        Integer original = handle.getOriginalLength();
        segments.write(micros, packet, 0, packet.length, original != null ? original : packet.length);
        metrics.packetsCaptured.inc();
        metrics.bytesCaptured.inc(packet.length);
        return micros;
    }

    /** Says at the stop what the kernel or libpcap dropped in this run, which the segments therefore lack. */
    private void reportDrops()
    {
        long dropped = (long) metrics.packetsDropped.get();
        long droppedByInterface = (long) metrics.packetsDroppedByInterface.get();
        if (dropped > 0 || droppedByInterface > 0) {
            log.warn("captured {} packets; libpcap counted {} dropped by the kernel and {} by the interface, which the segments lack "
                    + "(a larger ring helps, WIRELAKE_EXTRA_JAVA_OPTS=\"-Dwirelake.collector.buffer-bytes=...\", or a narrower --filter)",
                    (long) metrics.packetsCaptured.get(), dropped, droppedByInterface);
        }
    }

    /** libpcap's counters into the metrics; called from the segment timer, and once at the end. */
    private void recordStatistics()
    {
        try {
            PcapStat stats = handle.getStats();
            metrics.packetsDropped.set(stats.getNumPacketsDropped());
            metrics.packetsDroppedByInterface.set(stats.getNumPacketsDroppedByIf());
        }
        catch (PcapNativeException | NotOpenException e) {
            // statistics are best effort
        }
    }

    static long nowMicros()
    {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
    }
}
