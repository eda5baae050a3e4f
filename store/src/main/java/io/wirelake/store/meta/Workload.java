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

    /** The workload an address belongs to, as operators name it: a pod's controller, or the service of a cluster IP. */
    public record Controller(String kind, String name) {}

    /** A ReplicaSet named {@code <deployment>-<pod-template-hash>}, a Job named {@code <cronjob>-<scheduled minute>}. */
    private static final java.util.regex.Pattern REPLICA_SET = java.util.regex.Pattern.compile("(.+)-[a-z0-9]{5,10}");
    private static final java.util.regex.Pattern CRON_JOB = java.util.regex.Pattern.compile("(.+)-[0-9]{8,}");

    /**
     * The controller that owns the pod, climbing the one level Kubernetes always adds (a
     * Deployment's ReplicaSet, a CronJob's Job) by its naming rule; a pod without an owner is its
     * own workload, and a cluster IP belongs to its service.
     */
    public Controller controller()
    {
        if (!isPod()) {
            return services.isEmpty() ? new Controller("Service", name) : new Controller("Service", services.get(0).name());
        }
        int slash = owner == null ? -1 : owner.indexOf('/');
        if (slash <= 0) {
            return new Controller("Pod", name);
        }
        String ownerKind = owner.substring(0, slash);
        String ownerName = owner.substring(slash + 1);
        java.util.regex.Matcher deployment = REPLICA_SET.matcher(ownerName);
        if (ownerKind.equals("ReplicaSet") && deployment.matches()) {
            return new Controller("Deployment", deployment.group(1));
        }
        java.util.regex.Matcher cronJob = CRON_JOB.matcher(ownerName);
        if (ownerKind.equals("Job") && cronJob.matches()) {
            return new Controller("CronJob", cronJob.group(1));
        }
        return new Controller(ownerKind, ownerName);
    }
}
