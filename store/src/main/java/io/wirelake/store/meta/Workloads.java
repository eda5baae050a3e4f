package io.wirelake.store.meta;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * IP ownership over time, from metadata events: {@link #at} answers who had an IP at a given
 * microsecond, so a packet resolves to the pod that had its address then, even when the pod was
 * later deleted and the address reused. Events from several nodes' segments may repeat each
 * other (every node reports services and endpoints); repeats change nothing.
 */
public final class Workloads
{
    private static final Workloads EMPTY = new Workloads(List.of());

    /** Per IP, its pod and service events in time order. */
    private final Map<String, List<WorkloadEvent>> owners = new HashMap<>();
    /** Per IP, its endpoint events in time order. */
    private final Map<String, List<WorkloadEvent>> memberships = new HashMap<>();
    private final boolean empty;

    public Workloads(List<WorkloadEvent> events)
    {
        List<WorkloadEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(WorkloadEvent::timeMicros));
        for (WorkloadEvent event : sorted) {
            if (event.ip().isEmpty()) {
                continue;
            }
            Map<String, List<WorkloadEvent>> index = WorkloadEvent.ENDPOINT.equals(event.kind()) ? memberships : owners;
            index.computeIfAbsent(event.ip(), ip -> new ArrayList<>()).add(event);
        }
        this.empty = owners.isEmpty() && memberships.isEmpty();
    }

    public static Workloads empty()
    {
        return EMPTY;
    }

    /** No metadata at all: nothing can resolve (the rows say {@code no_node_mapping}). */
    public boolean isEmpty()
    {
        return empty;
    }

    /** Every IP any event mentions. */
    public java.util.Set<String> addresses()
    {
        java.util.Set<String> addresses = new java.util.TreeSet<>(owners.keySet());
        addresses.addAll(memberships.keySet());
        return addresses;
    }

    /** The pod or service that had the IP at that time, if any. */
    public Optional<Workload> at(String ip, long micros)
    {
        WorkloadEvent owner = latest(owners.get(ip), micros);
        if (owner == null || owner.deleted()) {
            return Optional.empty();
        }
        List<Workload.Service> services = new ArrayList<>();
        if (WorkloadEvent.SERVICE.equals(owner.kind())) {
            services.add(new Workload.Service(owner.name(), owner.namespace()));
        }
        else {
            services.addAll(servicesAt(ip, micros));
        }
        return Optional.of(new Workload(owner.kind(), owner.name(), owner.namespace(), owner.node(), owner.labels(), owner.annotations(),
                owner.owner(), services));
    }

    /**
     * The events of a pod or service named {@code workload} ({@code name} or {@code namespace/name}),
     * or of the pods a controller of that name owns (a Deployment's through its ReplicaSets), in time order.
     */
    public List<WorkloadEvent> history(String workload)
    {
        List<WorkloadEvent> found = new ArrayList<>();
        for (List<WorkloadEvent> events : owners.values()) {
            for (WorkloadEvent event : events) {
                if (names(event, workload)) {
                    found.add(event);
                }
            }
        }
        found.sort(Comparator.comparingLong(WorkloadEvent::timeMicros).thenComparing(WorkloadEvent::ip));
        return found;
    }

    private static boolean names(WorkloadEvent event, String workload)
    {
        int slash = workload.indexOf('/');
        String namespace = slash < 0 ? null : workload.substring(0, slash);
        String name = slash < 0 ? workload : workload.substring(slash + 1);
        if (namespace != null && !namespace.equals(event.namespace())) {
            return false;
        }
        if (name.equals(event.name())) {
            return true;
        }
        String owner = event.owner().substring(event.owner().indexOf('/') + 1);
        return owner.equals(name) || event.owner().startsWith("ReplicaSet/") && owner.startsWith(name + "-") && owner.lastIndexOf('-') == name.length();
    }

    private List<Workload.Service> servicesAt(String ip, long micros)
    {
        List<WorkloadEvent> events = memberships.get(ip);
        if (events == null) {
            return List.of();
        }
        Map<String, WorkloadEvent> latestPerService = new LinkedHashMap<>();
        for (WorkloadEvent event : events) {
            if (event.timeMicros() > micros) {
                break;
            }
            latestPerService.put(event.namespace() + "/" + event.name(), event);
        }
        List<Workload.Service> services = new ArrayList<>();
        for (WorkloadEvent event : latestPerService.values()) {
            if (!event.deleted()) {
                services.add(new Workload.Service(event.name(), event.namespace()));
            }
        }
        services.sort(Comparator.comparing(Workload.Service::namespace).thenComparing(Workload.Service::name));
        return services;
    }

    /** The last event at or before the time (binary search over the time-ordered list). */
    private static WorkloadEvent latest(List<WorkloadEvent> events, long micros)
    {
        if (events == null) {
            return null;
        }
        int low = 0;
        int high = events.size() - 1;
        WorkloadEvent found = null;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (events.get(middle).timeMicros() <= micros) {
                found = events.get(middle);
                low = middle + 1;
            }
            else {
                high = middle - 1;
            }
        }
        return found;
    }
}
