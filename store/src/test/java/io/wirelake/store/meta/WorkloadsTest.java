package io.wirelake.store.meta;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WorkloadsTest
{
    private static WorkloadEvent pod(long time, String op, String ip, String name)
    {
        return new WorkloadEvent(time, op, WorkloadEvent.POD, ip, "shop", name, "node-a", Map.of("app", name.split("-")[0]), Map.of(), "ReplicaSet/" + name);
    }

    @Test
    void anIpResolvesToThePodThatHadItThen()
    {
        Workloads workloads = new Workloads(List.of(
                pod(100, "add", "10.0.0.5", "orders-1"),
                new WorkloadEvent(110, "add", WorkloadEvent.ENDPOINT, "10.0.0.5", "shop", "orders", "", null, null, null),
                pod(200, "delete", "10.0.0.5", "orders-1"),
                new WorkloadEvent(200, "delete", WorkloadEvent.ENDPOINT, "10.0.0.5", "shop", "orders", "", null, null, null),
                pod(300, "add", "10.0.0.5", "payments-7"),
                new WorkloadEvent(50, "sync", WorkloadEvent.SERVICE, "10.96.0.10", "shop", "orders", "", null, null, null)));
        assertThat(workloads.at("10.0.0.5", 99)).isEmpty();
        assertThat(workloads.at("10.0.0.5", 105)).get().satisfies(workload -> {
            assertThat(workload.name()).isEqualTo("orders-1");
            assertThat(workload.services()).isEmpty();
        });
        assertThat(workloads.at("10.0.0.5", 150).orElseThrow().services()).containsExactly(new Workload.Service("orders", "shop"));
        assertThat(workloads.at("10.0.0.5", 250)).isEmpty();
        assertThat(workloads.at("10.0.0.5", 301).orElseThrow().name()).isEqualTo("payments-7");
        assertThat(workloads.at("10.0.0.5", 301).orElseThrow().services()).isEmpty();
        Workload service = workloads.at("10.96.0.10", 1000).orElseThrow();
        assertThat(service.isPod()).isFalse();
        assertThat(service.services()).containsExactly(new Workload.Service("orders", "shop"));
        assertThat(workloads.history("shop/orders-1")).extracting(WorkloadEvent::op).containsExactly("add", "delete");
        // A deployment name finds its pods through their ReplicaSet, and the service of that name.
        assertThat(workloads.history("orders")).extracting(WorkloadEvent::name).containsExactly("orders", "orders-1", "orders-1");
        assertThat(workloads.history("payments")).extracting(WorkloadEvent::name).containsExactly("payments-7");
        assertThat(Workloads.empty().isEmpty()).isTrue();
    }

    @Test
    void jsonLinesRoundTripAndBadLinesAreReported()
            throws Exception
    {
        List<WorkloadEvent> events = List.of(pod(1, "sync", "10.0.0.1", "web-1"), pod(2, "delete", "10.0.0.1", "web-1"));
        byte[] lines = WorkloadEvents.toJsonLines(events);
        byte[] damaged = (new String(lines, StandardCharsets.UTF_8) + "{\"timeMicros\":3,\"op\":\"add\",\"ki").getBytes(StandardCharsets.UTF_8);
        List<String> bad = new ArrayList<>();
        assertThat(WorkloadEvents.read(new ByteArrayInputStream(damaged), bad::add)).isEqualTo(events);
        assertThat(bad).singleElement().asString().startsWith("line 3");
    }
}
