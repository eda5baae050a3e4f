package io.wirelake.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wirelake.catalog.snapshot.SnapshotStatus;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/** {@code start_snapshot_dissection} (with {@code --allow-write}) and {@code get_snapshot_dissection_status}. */
final class DissectionTools
{
    private final Lake lake;
    private final Dissections dissections;

    DissectionTools(Lake lake, Dissections dissections)
    {
        this.lake = requireNonNull(lake, "lake is null");
        this.dissections = requireNonNull(dissections, "dissections is null");
    }

    List<ToolDefinition> definitions()
    {
        return List.of(
                new ToolDefinition("start_snapshot_dissection",
                        "Dissect a snapshot in the background: the Flink job reassembles its packets into L7 API calls and L4 flows (Parquet tables, "
                                + "queried through Trino), with Kubernetes names from the snapshot's metadata. Answers at once; follow it with "
                                + "get_snapshot_dissection_status. protocols limits detection (Kubeshark's tap.enabledDissectors); the others' flows stay "
                                + "TCP/UDP rows. A dissected snapshot is dissected again (its tables replaced) only with redissect.",
                        Schema.object()
                                .string("snapshot_id", "The snapshot to dissect.", true)
                                .choices("protocols", "Detect only these protocols (default: all).", dissections.protocols())
                                .flag("redissect", "Dissect a snapshot that is already dissected again, replacing its tables.", false)
                                .build(),
                        ToolDefinition.Access.WRITE, this::start),
                new ToolDefinition("get_snapshot_dissection_status",
                        "Where a snapshot's dissection is: created (not dissected), queued, dissecting (with progress when this server runs it), "
                                + "dissected (with the job's report: capture files, bytes, packets, flows, calls per protocol, anomalies) or failed (with "
                                + "the error).",
                        Schema.object().string("snapshot_id", "The snapshot.", true).build(),
                        ToolDefinition.Access.READ, arguments -> status(arguments.requiredString("snapshot_id"))));
    }

    private JsonNode start(Arguments arguments)
            throws Exception
    {
        String snapshot = arguments.requiredString("snapshot_id");
        List<String> protocols = arguments.strings("protocols").stream().map(name -> name.strip().toLowerCase(Locale.ROOT)).distinct().toList();
        boolean again = arguments.flag("redissect", false);
        SnapshotStatus current = lake.snapshots().status(snapshot);
        if (current.state().equals(SnapshotStatus.DISSECTED) && !again) {
            throw new ToolException("snapshot " + snapshot + " is already dissected (" + current.updatedAt() + "); query it, or pass redissect: true to replace its tables");
        }
        Dissections.Job job = dissections.start(snapshot, protocols);
        ObjectNode answer = Json.object();
        answer.put("success", true);
        answer.put("snapshot_id", snapshot);
        answer.put("status", job.started ? SnapshotStatus.DISSECTING : "queued");
        answer.put("queued_at", job.queuedAt.toString());
        answer.put("capture_bytes", job.captureBytes);
        protocols(answer, protocols);
        answer.put("next", "get_snapshot_dissection_status with snapshot_id '" + snapshot + "' until the status is dissected");
        return answer;
    }

    private JsonNode status(String snapshot)
            throws Exception
    {
        SnapshotStatus status = lake.snapshots().status(snapshot);
        ObjectNode answer = status(status);
        answer.put("snapshot_id", snapshot);
        Optional<Dissections.Job> job = dissections.job(snapshot);
        if (job.isPresent()) {
            Dissections.Job running = job.get();
            if (!running.started) {
                answer.put("status", "queued");
            }
            else if (!status.state().equals(SnapshotStatus.DISSECTING)) {
                // Written by the job a moment from now; say what is happening.
                answer.put("status", SnapshotStatus.DISSECTING);
            }
            ObjectNode progress = answer.putObject("progress");
            long read = running.bytesRead.get();
            progress.put("bytes_read", read);
            progress.put("capture_bytes", running.captureBytes);
            progress.put("fraction", running.captureBytes == 0 ? 0 : Math.min(1.0, (double) read / running.captureBytes));
            protocols(answer, running.protocols);
        }
        else if (status.state().equals(SnapshotStatus.DISSECTING)) {
            answer.put("note", "this server is not running it: another process is, or the process that did ended before it finished "
                    + "(then start it again with redissect)");
        }
        else {
            protocols(answer, status.protocols());
        }
        return answer;
    }

    private void protocols(ObjectNode answer, List<String> protocols)
    {
        ArrayNode enabled = answer.putArray("protocols");
        ArrayNode left = answer.putArray("protocols_not_detected");
        if (protocols.isEmpty()) {
            dissections.protocols().forEach(enabled::add);
            return;
        }
        List<String> normal = protocols.stream().map(name -> name.equals("tlsx") ? "tls" : name).toList();
        normal.forEach(enabled::add);
        dissections.protocols().stream().filter(name -> !normal.contains(name)).forEach(left::add);
    }

    /** A status as the tools show it: Kubeshark's stats names (pcap_files, pcap_bytes, packets_processed, entries_created, protocol_counts) and ours. */
    static ObjectNode status(SnapshotStatus status)
    {
        ObjectNode node = Json.object();
        node.put("status", status.state());
        node.put("updated_at", status.updatedAt());
        if (!status.error().isEmpty()) {
            node.put("error", status.error());
        }
        Map<String, Long> counters = new TreeMap<>(status.stats());
        if (!counters.isEmpty()) {
            ObjectNode stats = node.putObject("stats");
            stats.put("pcap_files", counters.getOrDefault("files", 0L));
            stats.put("pcap_bytes", counters.getOrDefault("bytes", 0L));
            stats.put("packets_processed", counters.getOrDefault("packets", 0L));
            ObjectNode protocols = stats.putObject("protocol_counts");
            ObjectNode flows = stats.putObject("flow_counts");
            ObjectNode anomalies = stats.putObject("anomalies");
            ObjectNode skipped = stats.putObject("skipped");
            long entries = 0;
            for (Map.Entry<String, Long> counter : counters.entrySet()) {
                String name = counter.getKey();
                if (name.startsWith("rows.")) {
                    protocols.put(name.substring("rows.".length()), counter.getValue());
                    entries += counter.getValue();
                }
                else if (name.startsWith("flows.")) {
                    flows.put(name.substring("flows.".length()), counter.getValue());
                }
                else if (name.startsWith("anomaly.")) {
                    anomalies.put(name.substring("anomaly.".length()), counter.getValue());
                }
                else if (name.startsWith("skipped.")) {
                    skipped.put(name.substring("skipped.".length()), counter.getValue());
                }
            }
            stats.put("entries_created", entries);
        }
        if (!status.damage().isEmpty()) {
            ArrayNode damage = node.putArray("damage");
            status.damage().forEach(damage::add);
        }
        if (!status.protocols().isEmpty()) {
            ArrayNode limited = node.putArray("limited_to_protocols");
            status.protocols().forEach(limited::add);
        }
        return node;
    }
}
