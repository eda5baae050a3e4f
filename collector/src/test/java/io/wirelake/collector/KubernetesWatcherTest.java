package io.wirelake.collector;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.wirelake.store.Layout;
import io.wirelake.store.LocalObjectStore;
import io.wirelake.store.ObjectInfo;
import io.wirelake.store.meta.WorkloadEvent;
import io.wirelake.store.meta.WorkloadEvents;
import io.wirelake.store.meta.Workloads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kubernetes metadata through fabric8 informers. The Kubernetes API cannot run here, so this is
 * the one mock the project allows: fabric8's mock server in CRUD mode (a real API server's
 * create/update/delete/watch semantics over an in-memory store).
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesWatcherTest
{
    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path temporary;

    @Test
    void podsServicesAndEndpointsBecomeTimeStampedOwnershipEvents()
            throws Exception
    {
        AtomicLong clock = new AtomicLong(1_000_000);
        client.services().inNamespace("shop").resource(new ServiceBuilder().withNewMetadata().withName("orders").withNamespace("shop").endMetadata()
                .withNewSpec().withClusterIP("10.96.0.20").withClusterIPs("10.96.0.20").endSpec().build()).create();
        client.pods().inNamespace("shop").resource(pod("orders-1", "10.1.0.5", "node-a")).create();

        Spool spool = new Spool(temporary.resolve("spool"), "node-a");
        CollectorMetrics metrics = new CollectorMetrics();
        MetadataWriter writer = new MetadataWriter(spool, new Rotation(60, 1 << 20), clock::get, file -> {}, metrics);
        try (KubernetesWatcher watcher = new KubernetesWatcher(client, writer, clock::get)) {
            watcher.start("node-a", false);
            waitFor(() -> metrics.metadataEvents.get() >= 2);

            clock.set(2_000_000);
            client.discovery().v1().endpointSlices().inNamespace("shop").resource(new EndpointSliceBuilder()
                    .withNewMetadata().withName("orders-abc").withNamespace("shop").withLabels(Map.of("kubernetes.io/service-name", "orders")).endMetadata()
                    .withAddressType("IPv4").addNewEndpoint().withAddresses("10.1.0.5").withNodeName("node-a").endEndpoint().build()).create();
            waitFor(() -> metrics.metadataEvents.get() >= 3);

            // The pod goes away; a new pod of another app gets its IP.
            clock.set(3_000_000);
            client.discovery().v1().endpointSlices().inNamespace("shop").withName("orders-abc").delete();
            client.pods().inNamespace("shop").withName("orders-1").delete();
            waitFor(() -> metrics.metadataEvents.get() >= 5);
            clock.set(4_000_000);
            client.pods().inNamespace("shop").resource(pod("payments-1", "10.1.0.5", "node-a")).create();
            waitFor(() -> metrics.metadataEvents.get() >= 6);
            // A host-network pod adds nothing.
            client.pods().inNamespace("kube-system").resource(new PodBuilder(pod("kube-proxy-1", "192.168.0.10", "node-a"))
                    .editSpec().withHostNetwork(true).endSpec().build()).create();
        }
        writer.close();

        LocalObjectStore store = new LocalObjectStore(temporary.resolve("store"));
        Uploader uploader = new Uploader(spool, store, 0, metrics);
        assertThat(uploader.uploadPending()).isTrue();
        List<WorkloadEvent> events = new ArrayList<>();
        for (ObjectInfo object : store.list(Layout.nodePrefix(Layout.Kind.META, "node-a"))) {
            events.addAll(WorkloadEvents.read(store.open(object.key()), bad -> {
                throw new AssertionError(bad);
            }));
        }
        assertThat(events).extracting(WorkloadEvent::ip).doesNotContain("192.168.0.10");
        Workloads workloads = new Workloads(events);
        var before = workloads.at("10.1.0.5", 2_500_000).orElseThrow();
        assertThat(before.name()).isEqualTo("orders-1");
        assertThat(before.namespace()).isEqualTo("shop");
        assertThat(before.node()).isEqualTo("node-a");
        assertThat(before.labels()).containsEntry("app", "orders");
        assertThat(before.owner()).isEqualTo("ReplicaSet/orders-5d9c");
        assertThat(before.services()).extracting(service -> service.namespace() + "/" + service.name()).containsExactly("shop/orders");
        assertThat(workloads.at("10.1.0.5", 3_500_000)).isEmpty();
        assertThat(workloads.at("10.1.0.5", 4_500_000).orElseThrow().name()).isEqualTo("payments-1");
        assertThat(workloads.at("10.96.0.20", 4_500_000).orElseThrow().services()).extracting(service -> service.name()).containsExactly("orders");
    }

    private static void waitFor(java.util.function.BooleanSupplier condition)
            throws InterruptedException
    {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waited 10 s for the informers").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static Pod pod(String name, String ip, String node)
    {
        return new PodBuilder().withNewMetadata().withName(name).withNamespace("shop").withLabels(Map.of("app", name.replaceAll("-\\d+$", "")))
                .addNewOwnerReference().withApiVersion("apps/v1").withKind("ReplicaSet").withName(name.replaceAll("-\\d+$", "") + "-5d9c").withController(true)
                .withUid("uid-" + name).endOwnerReference().endMetadata()
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPodIP(ip).addNewPodIP(ip).endStatus().build();
    }
}
