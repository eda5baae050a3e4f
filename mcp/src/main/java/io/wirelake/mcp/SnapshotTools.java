package io.wirelake.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.wirelake.catalog.evidence.CustodyLog;
import io.wirelake.catalog.evidence.Evidence;
import io.wirelake.catalog.snapshot.Manifest;
import io.wirelake.catalog.snapshot.PcapExport;
import io.wirelake.catalog.snapshot.SnapshotStatus;
import io.wirelake.catalog.snapshot.Snapshots;
import io.wirelake.store.Layout;
import io.wirelake.store.LocalObjectStore;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * The snapshot tools: {@code get_data_boundaries}, {@code list_snapshots}, {@code get_snapshot},
 * {@code get_cloud_storage_status}, and with {@code --allow-write} {@code create_snapshot} and
 * {@code export_snapshot_pcap}.
 */
final class SnapshotTools
{
    private static final Pattern DURATION_PART = Pattern.compile("([0-9]{1,9})(ms|s|m|h|d)");
    private static final Pattern FILE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Lake lake;
    private final McpSettings settings;
    private final PrintStream log;

    SnapshotTools(Lake lake, McpSettings settings, PrintStream log)
    {
        this.lake = requireNonNull(lake, "lake is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.log = requireNonNull(log, "log is null");
    }

    List<ToolDefinition> definitions()
    {
        return List.of(
                new ToolDefinition("get_data_boundaries",
                        "The raw capture the store holds, per node and for the cluster: the oldest and newest packet time (Unix ms and ISO-8601), "
                                + "segments and bytes. Snapshots can only be made inside these windows; older capture was evicted by the FIFO budget.",
                        Schema.object().build(), ToolDefinition.Access.READ, arguments -> boundaries()),
                new ToolDefinition("list_snapshots",
                        "Every snapshot in the store: name, status (created, dissecting, dissected, failed), window, nodes, packets, size, and whether it is sealed.",
                        Schema.object().build(), ToolDefinition.Access.READ, arguments -> listSnapshots()),
                new ToolDefinition("get_snapshot",
                        "One snapshot: its window, nodes, objects, packets and size, its seal (manifest SHA-256, chain, RFC 3161 timestamp), retention, and its "
                                + "dissection status with the job's report (packets, flows, calls per protocol, anomalies, protocols it was limited to).",
                        Schema.object().string("snapshot_id", "The snapshot's name.", true).build(),
                        ToolDefinition.Access.READ, arguments -> getSnapshot(arguments.requiredString("snapshot_id"))),
                new ToolDefinition("get_cloud_storage_status",
                        "Where the lake is: an S3 bucket (provider s3) or a local directory (provider local), whether it answers, and whether this server "
                                + "may write (--allow-write).",
                        Schema.object().build(), ToolDefinition.Access.READ, arguments -> storageStatus()),
                new ToolDefinition("create_snapshot",
                        "Freeze a window of the nodes' raw capture and the cluster's Kubernetes metadata into an immutable, sealed snapshot (server-side "
                                + "copies and a SHA-256 manifest). Give start_time and end_time, or a duration ending at the newest capture; nodes default to "
                                + "all. Then start_snapshot_dissection to query it.",
                        Schema.object()
                                .string("name", "The new snapshot's name (letters, digits, '.', '_', '-'); used once.", 128, true)
                                .time("start_time", "Window start")
                                .time("end_time", "Window end")
                                .string("duration", "Instead of start_time: the window's length ending at end_time or the newest capture, e.g. '15m', '1h', '1h30m'.", 32, false)
                                .strings("nodes", "Nodes whose capture to freeze (default: all).")
                                .string("retention_class", "A retention class of the store to apply (daily, monthly, incident, ...).", 64, false)
                                .build(),
                        ToolDefinition.Access.WRITE, this::createSnapshot),
                new ToolDefinition("export_snapshot_pcap",
                        "Write a snapshot's packets as one PCAP file for Wireshark or tcpdump: the chosen nodes merged in time order, trimmed to a window, "
                                + "filtered with a BPF expression (libpcap's syntax, e.g. 'tcp port 8080 and host 10.244.1.21'; get_api_call gives one per call). "
                                + "The file goes to the server's export directory; the answer gives its path. Recorded in a sealed snapshot's custody log.",
                        Schema.object()
                                .string("snapshot_id", "The snapshot to export from.", true)
                                .string("bpf_filter", "A BPF filter (default: every packet).", 4096, false)
                                .strings("nodes", "Nodes to include (default: all of the snapshot's).")
                                .time("start_time", "Only packets at or after this time")
                                .time("end_time", "Only packets at or before this time")
                                .string("file_name", "The file's name in the export directory (default: SNAPSHOT-TIME.pcap); never overwritten.", 128, false)
                                .build(),
                        ToolDefinition.Access.WRITE, this::exportPcap));
    }

    private JsonNode boundaries()
            throws Exception
    {
        List<Snapshots.NodeBoundary> nodes = lake.snapshots().boundaries();
        ObjectNode answer = Json.object();
        ObjectNode cluster = answer.putObject("cluster");
        if (nodes.isEmpty()) {
            cluster.putNull("oldest_ts").putNull("newest_ts");
            answer.put("note", "no raw capture in " + lake.store().location() + ": run collectors, or 'wirelake import' captures");
        }
        else {
            long oldest = nodes.stream().mapToLong(Snapshots.NodeBoundary::oldestMicros).min().orElseThrow();
            long newest = nodes.stream().mapToLong(Snapshots.NodeBoundary::newestMicros).max().orElseThrow();
            times(cluster, oldest, newest);
        }
        ArrayNode list = answer.putArray("nodes");
        for (Snapshots.NodeBoundary node : nodes) {
            ObjectNode item = list.addObject();
            item.put("name", node.node());
            times(item, node.oldestMicros(), node.newestMicros());
            item.put("segments", node.segments());
            item.put("bytes", node.bytes());
        }
        return answer;
    }

    private static void times(ObjectNode node, long oldestMicros, long newestMicros)
    {
        node.put("oldest_ts", Json.millis(oldestMicros));
        node.put("newest_ts", Json.millis(newestMicros));
        node.put("oldest", Json.iso(oldestMicros));
        node.put("newest", Json.iso(newestMicros));
    }

    private JsonNode listSnapshots()
            throws Exception
    {
        ObjectNode answer = Json.object();
        ArrayNode list = answer.putArray("snapshots");
        List<Snapshots.Summary> summaries = lake.snapshots().list();
        for (Snapshots.Summary summary : summaries) {
            list.add(describe(summary.manifest(), summary.status()));
        }
        answer.put("total", summaries.size());
        return answer;
    }

    /** Kubeshark's snapshot fields (name, status, size_bytes, created_at, duration, start_ts, end_ts, node_count, packet_count) and ours. */
    private static ObjectNode describe(Manifest manifest, SnapshotStatus status)
    {
        ObjectNode node = Json.object();
        node.put("name", manifest.id());
        node.put("id", manifest.id());
        node.put("status", status.state());
        node.put("size_bytes", manifest.bytes());
        node.put("created_at", manifest.createdAt());
        node.put("duration", (manifest.toMicros() - manifest.fromMicros()) / 1e6);
        node.put("start_ts", Json.millis(manifest.fromMicros()));
        node.put("end_ts", Json.millis(manifest.toMicros()));
        node.put("start", Json.iso(manifest.fromMicros()));
        node.put("end", Json.iso(manifest.toMicros()));
        node.put("node_count", manifest.nodes().size());
        ArrayNode nodes = node.putArray("nodes");
        manifest.nodes().forEach(nodes::add);
        node.put("packet_count", manifest.packets());
        node.put("sealed", manifest.sealed());
        return node;
    }

    private JsonNode getSnapshot(String id)
            throws Exception
    {
        Manifest manifest = lake.snapshots().manifest(id);
        SnapshotStatus status = lake.snapshots().status(id);
        ObjectNode answer = describe(manifest, status);
        answer.put("capture_segments", manifest.captures().size());
        answer.put("metadata_segments", manifest.metadata().size());
        Evidence.State state = lake.evidence().state(id);
        ObjectNode seal = answer.putObject("seal");
        seal.put("sealed", state.sealed());
        seal.put("manifest_sha256", state.manifestSha256());
        seal.put("chain_sequence", state.sequence());
        seal.put("key_fingerprint", state.keyFingerprint());
        state.timestamp().ifPresentOrElse(time -> seal.put("timestamp", time.toString()), () -> seal.putNull("timestamp"));
        seal.put("custody_entries", state.custodyEntries());
        answer.put("retention", state.retention().describe());
        answer.set("dissection", DissectionTools.status(status));
        return answer;
    }

    private JsonNode storageStatus()
    {
        ObjectNode answer = Json.object();
        boolean s3 = !(lake.store() instanceof LocalObjectStore);
        answer.put("enabled", s3);
        answer.put("provider", s3 ? "s3" : "local");
        answer.put("location", lake.store().location());
        try {
            lake.store().list(Layout.SNAPSHOTS);
            answer.put("connected", true);
        }
        catch (Exception e) {
            answer.put("connected", false);
            answer.put("error", e.getMessage());
        }
        answer.put("writes_allowed", settings.allowWrite());
        answer.put("trino", lake.queries().trino().description());
        return answer;
    }

    private JsonNode createSnapshot(Arguments arguments)
            throws Exception
    {
        String name = arguments.requiredString("name");
        Optional<Long> start = arguments.optionalLong("start_time");
        Optional<Long> end = arguments.optionalLong("end_time");
        Optional<String> duration = arguments.optionalString("duration").filter(text -> !text.isBlank());
        List<String> nodes = arguments.strings("nodes");
        if (duration.isPresent() && start.isPresent()) {
            throw new ToolException("give start_time and end_time, or a duration (ending at end_time or the newest capture), not both");
        }
        Optional<Long> fromMicros = start.map(millis -> Math.multiplyExact(millis, 1000L));
        Optional<Long> toMicros = end.map(millis -> Math.multiplyExact(millis, 1000L));
        if (duration.isPresent()) {
            long length = durationMicros(duration.get());
            long windowEnd = toMicros.orElseGet(() -> newestCapture(nodes));
            fromMicros = Optional.of(windowEnd - length);
            toMicros = Optional.of(windowEnd);
        }
        Manifest manifest = lake.evidence().create(name, fromMicros, toMicros, nodes, arguments.optionalString("retention_class").filter(text -> !text.isBlank()),
                line -> log.println("wirelake mcp: create_snapshot " + name + ": " + line));
        ObjectNode answer = describe(manifest, lake.snapshots().status(manifest.id()));
        answer.put("success", true);
        answer.put("capture_segments", manifest.captures().size());
        answer.put("metadata_segments", manifest.metadata().size());
        answer.put("next", "start_snapshot_dissection with snapshot_id '" + manifest.id() + "' to query its calls and flows");
        return answer;
    }

    private long newestCapture(List<String> nodes)
    {
        try {
            return lake.snapshots().boundaries().stream().filter(boundary -> nodes.isEmpty() || nodes.contains(boundary.node()))
                    .mapToLong(Snapshots.NodeBoundary::newestMicros).max()
                    .orElseThrow(() -> new ToolException("no raw capture" + (nodes.isEmpty() ? "" : " of " + String.join(", ", nodes)) + " in "
                            + lake.store().location() + " (get_data_boundaries lists what there is)"));
        }
        catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A duration as '15m', '1h', '1h30m', '90s', '2d', '500ms'. */
    static long durationMicros(String text)
    {
        String trimmed = text.strip().toLowerCase(java.util.Locale.ROOT);
        Matcher part = DURATION_PART.matcher(trimmed);
        long micros = 0;
        int position = 0;
        while (position < trimmed.length() && part.find(position) && part.start() == position) {
            long amount = Long.parseLong(part.group(1));
            long unit = switch (part.group(2)) {
                case "ms" -> 1_000L;
                case "s" -> 1_000_000L;
                case "m" -> 60_000_000L;
                case "h" -> 3_600_000_000L;
                case "d" -> 86_400_000_000L;
                default -> throw new IllegalStateException("the pattern allows no other unit");
            };
            micros = Math.addExact(micros, Math.multiplyExact(amount, unit));
            position = part.end();
        }
        if (trimmed.isEmpty() || position != trimmed.length() || micros <= 0) {
            throw new ToolException("the duration must be like 15m, 1h, 1h30m, 90s or 2d, not '" + text + "'");
        }
        return micros;
    }

    private JsonNode exportPcap(Arguments arguments)
            throws Exception
    {
        String snapshot = arguments.requiredString("snapshot_id");
        Optional<String> bpf = arguments.optionalString("bpf_filter").filter(text -> !text.isBlank());
        List<String> nodes = arguments.strings("nodes");
        long from = arguments.optionalLong("start_time").map(millis -> Math.multiplyExact(millis, 1000L)).orElse(Long.MIN_VALUE);
        long to = arguments.optionalLong("end_time").map(millis -> Math.multiplyExact(millis, 1000L)).orElse(Long.MAX_VALUE);
        if (from > to) {
            throw new ToolException("start_time is after end_time");
        }
        Manifest manifest = lake.snapshots().manifest(snapshot);
        String fileName = arguments.optionalString("file_name").filter(text -> !text.isBlank())
                .orElse(manifest.id() + "-" + java.time.Instant.now().toString().replace(":", "").replace(".", "") + ".pcap");
        if (!fileName.endsWith(".pcap")) {
            fileName = fileName + ".pcap";
        }
        if (!FILE_NAME.matcher(fileName).matches() || fileName.contains("..")) {
            throw new ToolException("file_name must be a plain file name (letters, digits, '.', '_', '-'), not '" + fileName + "'");
        }
        Path directory = Files.createDirectories(settings.exportDirectory());
        Path output = directory.resolve(fileName);
        if (Files.exists(output)) {
            throw new ToolException(output + " already exists; choose another file_name");
        }
        PcapExport.Result result = new PcapExport(lake.snapshots()).export(new PcapExport.Request(snapshot, output, bpf, nodes, from, to));
        lake.evidence().record(snapshot, CustodyLog.Action.EXPORTED, Map.of("file", fileName, "bpf", bpf.orElse(""), "packets", String.valueOf(result.packetsWritten())));
        ObjectNode answer = Json.object();
        answer.put("success", true);
        answer.put("snapshot_id", snapshot);
        answer.put("path", output.toString());
        answer.put("bpf_filter", bpf.orElse(""));
        answer.put("packets_read", result.packetsRead());
        answer.put("packets_written", result.packetsWritten());
        answer.put("bytes", result.bytesWritten());
        ArrayNode damage = answer.putArray("skipped");
        result.damage().forEach(damage::add);
        return answer;
    }
}
