package io.wirelake.collector;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.wirelake.store.meta.WorkloadEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Watches pods, services and EndpointSlices through fabric8 informers and turns every change into
 * IP-ownership events: a pod's IPs with its namespace, labels, annotations, node and controlling
 * owner; a service's cluster IPs; the pod IPs each service's endpoints hold. Host-network pods are
 * left out (their IP is the node's, shared by many). With {@code nodeScope} only this node's pods
 * are watched (each node reports its own; services and endpoints are cluster-wide).
 */
public final class KubernetesWatcher
        implements AutoCloseable
{
    private static final Logger log = LoggerFactory.getLogger(KubernetesWatcher.class);
    private static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private final KubernetesClient client;
    private final MetadataWriter writer;
    private final LongSupplier clockMicros;
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();

    public KubernetesWatcher(KubernetesClient client, MetadataWriter writer, LongSupplier clockMicros)
    {
        this.client = requireNonNull(client, "client is null");
        this.writer = requireNonNull(writer, "writer is null");
        this.clockMicros = requireNonNull(clockMicros, "clockMicros is null");
    }

    /** Starts the informers; returns once their first listing is in. */
    public void start(String node, boolean nodeScope)
    {
        var pods = nodeScope ? client.pods().inAnyNamespace().withField("spec.nodeName", node) : client.pods().inAnyNamespace();
        informers.add(pods.inform(handler(this::podEvents)));
        informers.add(client.services().inAnyNamespace().inform(handler(this::serviceEvents)));
        informers.add(client.discovery().v1().endpointSlices().inAnyNamespace().inform(handler(this::endpointEvents)));
        log.info("watching Kubernetes pods ({}), services and endpoint slices", nodeScope ? "node " + node : "cluster");
    }

    @Override
    public void close()
    {
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
    }

    private interface Translator<T>
    {
        List<WorkloadEvent> events(T object, String op);
    }

    private <T extends HasMetadata> ResourceEventHandler<T> handler(Translator<T> translator)
    {
        return new ResourceEventHandler<>()
        {
            @Override
            public void onAdd(T object)
            {
                write(translator.events(object, "add"));
            }

            @Override
            public void onUpdate(T previous, T current)
            {
                // IPs the object no longer has are deleted, the rest updated.
                List<WorkloadEvent> now = translator.events(current, "update");
                Set<String> remaining = new LinkedHashSet<>();
                now.forEach(event -> remaining.add(event.ip() + "|" + event.name()));
                List<WorkloadEvent> gone = new ArrayList<>();
                for (WorkloadEvent before : translator.events(previous, "delete")) {
                    if (!remaining.contains(before.ip() + "|" + before.name())) {
                        gone.add(before);
                    }
                }
                write(gone);
                write(now);
            }

            @Override
            public void onDelete(T object, boolean finalStateUnknown)
            {
                write(translator.events(object, "delete"));
            }
        };
    }

    private void write(List<WorkloadEvent> events)
    {
        try {
            for (WorkloadEvent event : events) {
                writer.event(event);
            }
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private List<WorkloadEvent> podEvents(Pod pod, String op)
    {
        List<WorkloadEvent> events = new ArrayList<>();
        if (pod.getSpec() != null && Boolean.TRUE.equals(pod.getSpec().getHostNetwork()) || pod.getStatus() == null) {
            return events;
        }
        Set<String> ips = new LinkedHashSet<>();
        if (pod.getStatus().getPodIPs() != null) {
            pod.getStatus().getPodIPs().stream().map(PodIP::getIp).filter(ip -> ip != null && !ip.isEmpty()).forEach(ips::add);
        }
        if (pod.getStatus().getPodIP() != null && !pod.getStatus().getPodIP().isEmpty()) {
            ips.add(pod.getStatus().getPodIP());
        }
        String owner = "";
        for (OwnerReference reference : pod.getMetadata().getOwnerReferences()) {
            if (Boolean.TRUE.equals(reference.getController()) || owner.isEmpty()) {
                owner = reference.getKind() + "/" + reference.getName();
            }
        }
        long now = clockMicros.getAsLong();
        for (String ip : ips) {
            events.add(new WorkloadEvent(now, op, WorkloadEvent.POD, ip, pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                    pod.getSpec() == null ? "" : pod.getSpec().getNodeName(), orEmpty(pod.getMetadata().getLabels()),
                    orEmpty(pod.getMetadata().getAnnotations()), owner));
        }
        return events;
    }

    private List<WorkloadEvent> serviceEvents(Service service, String op)
    {
        List<WorkloadEvent> events = new ArrayList<>();
        if (service.getSpec() == null) {
            return events;
        }
        Set<String> ips = new LinkedHashSet<>();
        if (service.getSpec().getClusterIPs() != null) {
            ips.addAll(service.getSpec().getClusterIPs());
        }
        if (service.getSpec().getClusterIP() != null) {
            ips.add(service.getSpec().getClusterIP());
        }
        long now = clockMicros.getAsLong();
        for (String ip : ips) {
            if (!ip.isEmpty() && !ip.equals("None")) {
                events.add(new WorkloadEvent(now, op, WorkloadEvent.SERVICE, ip, service.getMetadata().getNamespace(), service.getMetadata().getName(),
                        "", orEmpty(service.getMetadata().getLabels()), orEmpty(service.getMetadata().getAnnotations()), ""));
            }
        }
        return events;
    }

    private List<WorkloadEvent> endpointEvents(EndpointSlice slice, String op)
    {
        List<WorkloadEvent> events = new ArrayList<>();
        String service = orEmpty(slice.getMetadata().getLabels()).get(SERVICE_NAME_LABEL);
        if (service == null || slice.getEndpoints() == null) {
            return events;
        }
        long now = clockMicros.getAsLong();
        for (Endpoint endpoint : slice.getEndpoints()) {
            if (endpoint.getAddresses() == null) {
                continue;
            }
            for (String ip : endpoint.getAddresses()) {
                events.add(new WorkloadEvent(now, op, WorkloadEvent.ENDPOINT, ip, slice.getMetadata().getNamespace(), service,
                        endpoint.getNodeName(), null, null, ""));
            }
        }
        return events;
    }

    private static Map<String, String> orEmpty(Map<String, String> map)
    {
        return map == null ? Map.of() : map;
    }
}
