package io.wirelake.collector;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

import java.io.Closeable;
import java.io.IOException;

/**
 * The collector's Prometheus metrics, in a registry of its own (several collectors can live in
 * one JVM in tests), served on {@code /metrics} when a port is given.
 */
public final class CollectorMetrics
        implements Closeable
{
    final PrometheusRegistry registry = new PrometheusRegistry();
    final Counter packetsCaptured = counter("wirelake_collector_packets_captured", "Packets written to segments");
    final Counter bytesCaptured = counter("wirelake_collector_captured_bytes", "Captured bytes written to segments");
    final Gauge packetsDropped = gauge("wirelake_collector_packets_dropped", "Packets the kernel or libpcap dropped (libpcap's counters)");
    final Gauge packetsDroppedByInterface = gauge("wirelake_collector_packets_dropped_by_interface", "Packets the interface dropped (libpcap's counters)");
    final Counter segmentsFinished = counter("wirelake_collector_segments_finished", "Segments closed and queued for upload");
    final Counter segmentsUploaded = counter("wirelake_collector_segments_uploaded", "Segments uploaded to the object store");
    final Counter bytesUploaded = counter("wirelake_collector_uploaded_bytes", "Bytes uploaded to the object store");
    final Counter uploadFailures = counter("wirelake_collector_upload_failures", "Failed upload attempts (each is retried)");
    final Counter segmentsEvicted = counter("wirelake_collector_segments_evicted", "Segments deleted from the store by the FIFO budget");
    final Gauge uploadLagSeconds = gauge("wirelake_collector_upload_lag_seconds", "Age of the oldest segment waiting in the spool (0 when none waits)");
    final Gauge spoolBytes = gauge("wirelake_collector_spool_bytes", "Bytes waiting in the spool for upload");
    final Gauge storedBytes = gauge("wirelake_collector_stored_bytes", "Bytes this node holds in the object store (raw and meta)");
    final Counter metadataEvents = counter("wirelake_collector_metadata_events", "Kubernetes IP-ownership events written");
    final Counter spoolWriteFailures = counter("wirelake_collector_spool_write_failures", "Failed writes to the spool (a full disk); capture goes on when there is room");
    final Counter packetsDroppedNoSpace = counter("wirelake_collector_packets_dropped_no_space", "Captured packets not stored because the spool could not be written");
    final Counter spoolDroppedSegments = counter("wirelake_collector_spool_dropped_segments", "Segments dropped unuploaded, oldest first, to keep the spool within --spool-size");
    final Counter spoolDroppedBytes = counter("wirelake_collector_spool_dropped_bytes", "Bytes of the segments dropped to keep the spool within --spool-size");
    final Counter segmentsQuarantined = counter("wirelake_collector_segments_quarantined", "Segments the store refused repeatedly while it took others, moved to the spool's quarantine/");
    private HTTPServer server;

    private Counter counter(String name, String help)
    {
        return Counter.builder().name(name).help(help).register(registry);
    }

    private Gauge gauge(String name, String help)
    {
        return Gauge.builder().name(name).help(help).register(registry);
    }

    /** Serves {@code /metrics}; port 0 picks a free one. Returns the port. */
    public int serve(String address, int port)
            throws IOException
    {
        server = HTTPServer.builder().hostname(address).port(port).registry(registry).buildAndStart();
        return server.getPort();
    }

    @Override
    public void close()
    {
        if (server != null) {
            server.close();
            server = null;
        }
    }
}
