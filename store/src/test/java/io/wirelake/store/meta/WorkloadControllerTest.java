package io.wirelake.store.meta;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WorkloadControllerTest
{
    private static Workload pod(String name, String owner)
    {
        return new Workload(WorkloadEvent.POD, name, "shop", "node-a", Map.of(), Map.of(), owner, List.of());
    }

    @Test
    void podsBelongToTheirControllers()
    {
        // Names as Kubernetes makes them: a Deployment's ReplicaSet carries the pod-template hash,
        // a CronJob's Job the scheduled time in minutes since the epoch.
        assertThat(pod("orders-594487879c-7ddxf", "ReplicaSet/orders-594487879c").controller()).isEqualTo(new Workload.Controller("Deployment", "orders"));
        assertThat(pod("api-gateway-5f7b8c9d6-jn3ks", "ReplicaSet/api-gateway-5f7b8c9d6").controller())
                .isEqualTo(new Workload.Controller("Deployment", "api-gateway"));
        assertThat(pod("redis-0", "StatefulSet/redis").controller()).isEqualTo(new Workload.Controller("StatefulSet", "redis"));
        assertThat(pod("fluent-bit-x7k2p", "DaemonSet/fluent-bit").controller()).isEqualTo(new Workload.Controller("DaemonSet", "fluent-bit"));
        assertThat(pod("backup-29418240-abcde", "Job/backup-29418240").controller()).isEqualTo(new Workload.Controller("CronJob", "backup"));
        assertThat(pod("migrate-db-8qz4m", "Job/migrate-db").controller()).isEqualTo(new Workload.Controller("Job", "migrate-db"));
        assertThat(pod("debug", "").controller()).isEqualTo(new Workload.Controller("Pod", "debug"));
    }

    @Test
    void aClusterAddressBelongsToItsService()
    {
        Workload service = new Workload(WorkloadEvent.SERVICE, "kube-dns", "kube-system", "", Map.of(), Map.of(), "",
                List.of(new Workload.Service("kube-dns", "kube-system")));
        assertThat(service.controller()).isEqualTo(new Workload.Controller("Service", "kube-dns"));
    }
}
