package io.wirelake.dissect.enrich;

import io.wirelake.columns.Columns;
import io.wirelake.dissect.rows.Rows;
import io.wirelake.store.meta.Workload;
import io.wirelake.store.meta.Workloads;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * Kubernetes context for one node's scan: each peer of a flow resolved to the pod or service that
 * had its IP when the flow began, and the decision which node's copy of a flow is kept.
 *
 * <p>Traffic between pods on two nodes is captured on both. Each copy is kept by exactly one
 * node, decided from the metadata alone (no shuffle): the client pod's node if its capture is in
 * the snapshot, else the server pod's node if that is, else every copy is kept (nothing known
 * says which node owns it).
 */
public final class Enrichment
{
    private static final Enrichment NONE = new Enrichment(Workloads.empty(), Set.of(), "");

    private final Workloads workloads;
    private final Set<String> capturedNodes;
    private final String node;

    /**
     * @param capturedNodes the nodes whose captures the job reads (the snapshot's nodes)
     * @param node the node whose capture this scan reads
     */
    public Enrichment(Workloads workloads, Set<String> capturedNodes, String node)
    {
        this.workloads = requireNonNull(workloads, "workloads is null");
        this.capturedNodes = Set.copyOf(capturedNodes);
        this.node = requireNonNull(node, "node is null");
    }

    public static Enrichment none()
    {
        return NONE;
    }

    /** Whether this node's copy of a flow between the two addresses, begun then, is the one kept. */
    public boolean keeps(String client, String server, long micros)
    {
        if (capturedNodes.size() < 2 || workloads.isEmpty()) {
            return true;
        }
        String owner = ownerNode(client, micros).or(() -> ownerNode(server, micros)).orElse(null);
        return owner == null || owner.equals(node);
    }

    private Optional<String> ownerNode(String address, long micros)
    {
        return workloads.at(address, micros).filter(Workload::isPod).map(Workload::node).filter(capturedNodes::contains);
    }

    /** Fills the Kubernetes columns of a row for its client (src, local) and server (dst, remote). */
    public void fill(Rows rows, String client, String server, long micros)
    {
        if (workloads.isEmpty()) {
            rows.set(Columns.LOCAL_RESOLUTION_STATUS, "no_node_mapping");
            rows.set(Columns.REMOTE_RESOLUTION_STATUS, "no_node_mapping");
            return;
        }
        Optional<Workload> source = workloads.at(client, micros);
        Optional<Workload> destination = workloads.at(server, micros);
        rows.set(Columns.LOCAL_RESOLUTION_STATUS, source.isPresent() ? "" : "cache_miss");
        rows.set(Columns.REMOTE_RESOLUTION_STATUS, destination.isPresent() ? "" : "cache_miss");
        Map<String, Boolean> namespaces = new LinkedHashMap<>();
        List<String> pods = new ArrayList<>(2);
        List<String> services = new ArrayList<>(2);
        source.ifPresent(workload -> {
            side(rows, workload, Columns.SRC_POD_NAME, Columns.SRC_POD_NAMESPACE, Columns.SRC_SERVICE_NAME, Columns.SRC_SERVICE_NAMESPACE,
                    Columns.LOCAL_LABELS, Columns.LOCAL_ANNOTATIONS, Columns.LOCAL_NODE_NAME);
            controller(rows, workload, Columns.SRC_WORKLOAD_NAME, Columns.SRC_WORKLOAD_KIND);
            collect(workload, namespaces, pods, services);
        });
        destination.ifPresent(workload -> {
            side(rows, workload, Columns.DST_POD_NAME, Columns.DST_POD_NAMESPACE, Columns.DST_SERVICE_NAME, Columns.DST_SERVICE_NAMESPACE,
                    Columns.REMOTE_LABELS, Columns.REMOTE_ANNOTATIONS, Columns.REMOTE_NODE_NAME);
            controller(rows, workload, Columns.DST_WORKLOAD_NAME, Columns.DST_WORKLOAD_KIND);
            collect(workload, namespaces, pods, services);
        });
        if (!namespaces.isEmpty()) {
            rows.set(Columns.NAMESPACES, new ArrayList<>(namespaces.keySet()));
        }
        if (!pods.isEmpty()) {
            rows.set(Columns.PODS, pods);
        }
        if (!services.isEmpty()) {
            rows.set(Columns.SERVICES, services);
        }
    }

    private static void side(Rows rows, Workload workload, io.wirelake.columns.Column podName, io.wirelake.columns.Column podNamespace,
            io.wirelake.columns.Column serviceName, io.wirelake.columns.Column serviceNamespace,
            io.wirelake.columns.Column labels, io.wirelake.columns.Column annotations, io.wirelake.columns.Column nodeName)
    {
        Optional<Workload.Service> service = workload.services().stream().findFirst();
        // For a cluster IP the pod fields fall back to the service, as the reference says.
        rows.set(podName, workload.name());
        rows.set(podNamespace, workload.namespace());
        service.ifPresent(found -> {
            rows.set(serviceName, found.name());
            rows.set(serviceNamespace, found.namespace());
        });
        if (!workload.labels().isEmpty()) {
            rows.set(labels, workload.labels());
        }
        if (!workload.annotations().isEmpty()) {
            rows.set(annotations, workload.annotations());
        }
        rows.set(nodeName, workload.node());
    }

    private static void controller(Rows rows, Workload workload, io.wirelake.columns.Column name, io.wirelake.columns.Column kind)
    {
        Workload.Controller controller = workload.controller();
        rows.set(name, controller.name());
        rows.set(kind, controller.kind());
    }

    private static void collect(Workload workload, Map<String, Boolean> namespaces, List<String> pods, List<String> services)
    {
        if (!workload.namespace().isEmpty()) {
            namespaces.putIfAbsent(workload.namespace(), true);
        }
        if (workload.isPod() && !pods.contains(workload.name())) {
            pods.add(workload.name());
        }
        for (Workload.Service service : workload.services()) {
            namespaces.putIfAbsent(service.namespace(), true);
            if (!services.contains(service.name())) {
                services.add(service.name());
            }
        }
    }
}
