package io.wirelake.store.meta;

import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One change of IP ownership, as the collector's Kubernetes watcher saw it: a pod got or lost an
 * IP, a service's cluster IP appeared or went, a pod IP joined or left a service's endpoints.
 * Every metadata segment starts with {@code sync} events for everything known at that moment, so
 * one segment is enough to resolve IPs from its start on.
 *
 * @param timeMicros when it was seen (UTC microseconds)
 * @param op {@code sync}, {@code add}, {@code update} or {@code delete}
 * @param kind {@code pod}, {@code service} or {@code endpoint} (for an endpoint, name/namespace are the service's)
 * @param owner the controlling owner, {@code Kind/name} (e.g. {@code ReplicaSet/orders-5d9c})
 */
public record WorkloadEvent(long timeMicros, String op, String kind, String ip, String namespace, String name, String node,
                            Map<String, String> labels, Map<String, String> annotations, String owner)
{
    public static final String POD = "pod";
    public static final String SERVICE = "service";
    public static final String ENDPOINT = "endpoint";
    public static final String DELETE = "delete";

    public WorkloadEvent
    {
        requireNonNull(op, "op is null");
        requireNonNull(kind, "kind is null");
        requireNonNull(ip, "ip is null");
        namespace = namespace == null ? "" : namespace;
        name = name == null ? "" : name;
        node = node == null ? "" : node;
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
        owner = owner == null ? "" : owner;
    }

    public boolean deleted()
    {
        return DELETE.equals(op);
    }

    public WorkloadEvent withTime(long micros, String newOp)
    {
        return new WorkloadEvent(micros, newOp, kind, ip, namespace, name, node, labels, annotations, owner);
    }
}
