package io.wirelake.store.meta;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Who had an IP at one moment: a pod (with the services whose endpoints held it) or a service's
 * cluster IP (then {@code pod} fields are empty and {@code services} holds that one service).
 */
public record Workload(String kind, String name, String namespace, String node, Map<String, String> labels,
                       Map<String, String> annotations, String owner, List<Service> services)
{
    public record Service(String name, String namespace) {}

    public Workload
    {
        requireNonNull(kind, "kind is null");
        services = List.copyOf(services);
    }

    public boolean isPod()
    {
        return WorkloadEvent.POD.equals(kind);
    }
}
