package io.wirelake.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import io.wirelake.catalog.snapshot.Manifest;
import io.wirelake.store.Layout;
import io.wirelake.store.meta.WorkloadEvent;
import io.wirelake.store.meta.WorkloadEvents;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * {@code list_workloads} and {@code list_ips}: who had which IP, and when, from the Kubernetes
 * metadata a snapshot froze (so a pod deleted since, or an IP reused since, resolves as it was).
 * Name patterns are RE2 (linear time, whatever the pattern).
 */
final class WorkloadTools
{
    private static final int MAXIMUM = 1000;

    private final Lake lake;

    WorkloadTools(Lake lake)
    {
        this.lake = requireNonNull(lake, "lake is null");
    }

    List<ToolDefinition> definitions()
    {
        return List.of(
                new ToolDefinition("list_workloads",
                        "Pods and services of a snapshot's Kubernetes metadata, with their labels, node, owner and every IP they had in the window "
                                + "(since/until, Unix ms). Filter by name and namespace (one lookup), namespaces, an RE2 name pattern, labels, type, or the "
                                + "moment they held an IP. Use it to turn a workload into IPs for a BPF filter (export_snapshot_pcap).",
                        Schema.object()
                                .string("snapshot_id", "The snapshot whose metadata to read.", true)
                                .string("name", "A pod, service or owning controller name (a Deployment's pods match its name).", 253, false)
                                .string("namespace", "Its namespace.", 253, false)
                                .strings("namespaces", "Only these namespaces.")
                                .string("name_regex", "Only names matching this RE2 pattern.", 512, false)
                                .stringMap("labels", "Only workloads with all of these labels.")
                                .choice("type", "pod, service or any.", List.of("any", "pod", "service"), "any")
                                .time("timestamp", "Only workloads that held an IP at this moment")
                                .integer("limit", "Workloads to return, at most 1000.", 1, MAXIMUM, 200L, false)
                                .build(),
                        ToolDefinition.Access.READ, this::listWorkloads),
                new ToolDefinition("list_ips",
                        "IPs of a snapshot's Kubernetes metadata with who held each and when (pods, service cluster IPs), filtered by IP, namespaces, an "
                                + "RE2 name pattern, labels, or a moment. Use it to name an address seen in calls or flows.",
                        Schema.object()
                                .string("snapshot_id", "The snapshot whose metadata to read.", true)
                                .string("ip", "Only this IP.", 64, false)
                                .strings("namespaces", "Only holders in these namespaces.")
                                .string("name_regex", "Only holders whose name matches this RE2 pattern.", 512, false)
                                .stringMap("labels", "Only holders with all of these labels.")
                                .time("timestamp", "Only the holder at this moment")
                                .integer("limit", "IPs to return, at most 1000.", 1, MAXIMUM, 200L, false)
                                .build(),
                        ToolDefinition.Access.READ, this::listIps));
    }

    /** One holding: a pod or service had an IP from one time to another ({@code Long.MAX_VALUE}: still at the window's end). */
    private record Holding(WorkloadEvent event, long sinceMicros, long untilMicros) {}

    /** Every pod and service holding in the snapshot's metadata, in time order. */
    private List<Holding> holdings(String snapshot)
            throws Exception
    {
        Manifest manifest = lake.snapshots().manifest(snapshot);
        List<WorkloadEvent> events = new ArrayList<>();
        for (Manifest.Entry entry : manifest.metadata()) {
            try (InputStream input = lake.store().open(Layout.snapshotPrefix(snapshot) + entry.key())) {
                events.addAll(WorkloadEvents.read(input, bad -> {}));
            }
        }
        events.sort(Comparator.comparingLong(WorkloadEvent::timeMicros));
        Map<String, Holding> open = new LinkedHashMap<>();
        List<Holding> holdings = new ArrayList<>();
        for (WorkloadEvent event : events) {
            if (event.ip().isEmpty() || WorkloadEvent.ENDPOINT.equals(event.kind())) {
                continue;
            }
            String key = event.kind() + "|" + event.namespace() + "|" + event.name() + "|" + event.ip();
            Holding current = open.get(key);
            if (event.deleted()) {
                if (current != null) {
                    holdings.add(new Holding(current.event(), current.sinceMicros(), event.timeMicros()));
                    open.remove(key);
                }
            }
            else if (current == null) {
                open.put(key, new Holding(event, event.timeMicros(), Long.MAX_VALUE));
            }
            else {
                // The latest labels and node win; the holding started with the first event.
                open.put(key, new Holding(event, current.sinceMicros(), Long.MAX_VALUE));
            }
        }
        holdings.addAll(open.values());
        holdings.sort(Comparator.comparingLong(Holding::sinceMicros).thenComparing(holding -> holding.event().ip()));
        return holdings;
    }

    private static Optional<Pattern> pattern(Arguments arguments)
    {
        Optional<String> regex = arguments.optionalString("name_regex").filter(text -> !text.isEmpty());
        try {
            return regex.map(Pattern::compile);
        }
        catch (PatternSyntaxException e) {
            throw new ToolException("name_regex is not an RE2 pattern: " + e.getMessage());
        }
    }

    private static boolean matches(Holding holding, List<String> namespaces, Optional<Pattern> pattern, Map<String, String> labels, Optional<Long> atMillis)
    {
        WorkloadEvent event = holding.event();
        if (!namespaces.isEmpty() && !namespaces.contains(event.namespace())) {
            return false;
        }
        if (pattern.isPresent() && !pattern.get().matcher(event.name()).find()) {
            return false;
        }
        for (Map.Entry<String, String> label : labels.entrySet()) {
            if (!label.getValue().equals(event.labels().get(label.getKey()))) {
                return false;
            }
        }
        if (atMillis.isPresent()) {
            long micros = Math.multiplyExact(atMillis.get(), 1000L);
            return holding.sinceMicros() <= micros && micros < holding.untilMicros();
        }
        return true;
    }

    private JsonNode listWorkloads(Arguments arguments)
            throws Exception
    {
        String snapshot = arguments.requiredString("snapshot_id");
        Optional<String> name = arguments.optionalString("name").filter(text -> !text.isBlank());
        Optional<String> namespace = arguments.optionalString("namespace").filter(text -> !text.isBlank());
        List<String> namespaces = new ArrayList<>(arguments.strings("namespaces"));
        namespace.ifPresent(namespaces::add);
        Optional<Pattern> pattern = pattern(arguments);
        Map<String, String> labels = arguments.stringMap("labels");
        String type = arguments.choice("type", List.of("any", "pod", "service"), "any");
        Optional<Long> at = arguments.optionalLong("timestamp");
        int limit = arguments.boundedInt("limit", 200, 1, MAXIMUM);
        Map<String, List<Holding>> byWorkload = new TreeMap<>();
        for (Holding holding : holdings(snapshot)) {
            WorkloadEvent event = holding.event();
            if (!type.equals("any") && !type.equals(event.kind())) {
                continue;
            }
            if (name.isPresent() && !names(event, name.get())) {
                continue;
            }
            if (matches(holding, namespaces, pattern, labels, at)) {
                byWorkload.computeIfAbsent(event.kind() + "|" + event.namespace() + "|" + event.name(), key -> new ArrayList<>()).add(holding);
            }
        }
        ObjectNode answer = Json.object();
        answer.put("snapshot_id", snapshot);
        ArrayNode workloads = answer.putArray("workloads");
        byWorkload.values().stream().limit(limit).forEach(holdings -> {
            WorkloadEvent latest = holdings.get(holdings.size() - 1).event();
            ObjectNode workload = workloads.addObject();
            workload.put("name", latest.name());
            workload.put("namespace", latest.namespace());
            workload.put("kind", latest.kind());
            workload.put("owner", latest.owner());
            workload.put("node", latest.node());
            workload.set("labels", Json.value(latest.labels()));
            ArrayNode ips = workload.putArray("ips");
            for (Holding holding : holdings) {
                ObjectNode ip = ips.addObject();
                ip.put("ip", holding.event().ip());
                ip.put("timestamp", Json.millis(holding.sinceMicros()));
                if (holding.untilMicros() == Long.MAX_VALUE) {
                    ip.putNull("until");
                }
                else {
                    ip.put("until", Json.millis(holding.untilMicros()));
                }
            }
        });
        answer.put("total", byWorkload.size());
        answer.put("truncated", byWorkload.size() > limit);
        return answer;
    }

    /** A name as {@code resolve} takes it: the pod or service, or the controller that owns the pod (a Deployment through its ReplicaSet). */
    private static boolean names(WorkloadEvent event, String name)
    {
        if (name.equals(event.name())) {
            return true;
        }
        String owner = event.owner().substring(event.owner().indexOf('/') + 1);
        return owner.equals(name) || event.owner().startsWith("ReplicaSet/") && owner.startsWith(name + "-") && owner.lastIndexOf('-') == name.length();
    }

    private JsonNode listIps(Arguments arguments)
            throws Exception
    {
        String snapshot = arguments.requiredString("snapshot_id");
        Optional<String> ip = arguments.optionalString("ip").filter(text -> !text.isBlank());
        List<String> namespaces = arguments.strings("namespaces");
        Optional<Pattern> pattern = pattern(arguments);
        Map<String, String> labels = arguments.stringMap("labels");
        Optional<Long> at = arguments.optionalLong("timestamp");
        int limit = arguments.boundedInt("limit", 200, 1, MAXIMUM);
        Map<String, List<Holding>> byIp = new TreeMap<>();
        for (Holding holding : holdings(snapshot)) {
            if (ip.isPresent() && !ip.get().equals(holding.event().ip())) {
                continue;
            }
            if (matches(holding, namespaces, pattern, labels, at)) {
                byIp.computeIfAbsent(holding.event().ip(), key -> new ArrayList<>()).add(holding);
            }
        }
        ObjectNode answer = Json.object();
        answer.put("snapshot_id", snapshot);
        ArrayNode ips = answer.putArray("ips");
        byIp.entrySet().stream().limit(limit).forEach(entry -> {
            ObjectNode node = ips.addObject();
            node.put("ip", entry.getKey());
            ArrayNode records = node.putArray("records");
            for (Holding holding : entry.getValue()) {
                ObjectNode record = records.addObject();
                record.put("name", holding.event().name());
                record.put("namespace", holding.event().namespace());
                record.put("kind", holding.event().kind());
                record.put("node", holding.event().node());
                record.put("timestamp", Json.millis(holding.sinceMicros()));
                if (holding.untilMicros() == Long.MAX_VALUE) {
                    record.putNull("until");
                }
                else {
                    record.put("until", Json.millis(holding.untilMicros()));
                }
            }
        });
        answer.put("total", byIp.size());
        answer.put("truncated", byIp.size() > limit);
        return answer;
    }
}
