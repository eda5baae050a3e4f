package io.wirelake.demo;

import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The fictional cluster the demo traffic comes from: three nodes, a shop application across two
 * namespaces, and CoreDNS. Pod IPs come from each node's pod CIDR, as with most CNIs.
 */
public final class DemoCluster
{
    public record Node(String name, String ip, String podCidrPrefix)
    {
        public Node
        {
            requireNonNull(name, "name is null");
            requireNonNull(ip, "ip is null");
            requireNonNull(podCidrPrefix, "podCidrPrefix is null");
        }
    }

    /**
     * @param service the service the pod backs ("" for none)
     * @param port the port it serves on (0 for clients only)
     */
    public record Pod(String name, String namespace, String ip, Node node, String service, int port, Map<String, String> labels)
    {
        public Pod
        {
            requireNonNull(name, "name is null");
            requireNonNull(namespace, "namespace is null");
            requireNonNull(ip, "ip is null");
            requireNonNull(node, "node is null");
            requireNonNull(service, "service is null");
            labels = Map.copyOf(requireNonNull(labels, "labels is null"));
        }

        /** The DNS name clients look up for the pod's service. */
        public String serviceHost()
        {
            return service + "." + namespace + ".svc.cluster.local";
        }
    }

    public static final Node NODE_A = new Node("ip-10-0-25-170.ec2.internal", "10.0.25.170", "10.244.0.");
    public static final Node NODE_B = new Node("ip-10-0-32-115.ec2.internal", "10.0.32.115", "10.244.1.");
    public static final Node NODE_C = new Node("ip-10-0-47-201.ec2.internal", "10.0.47.201", "10.244.2.");
    public static final List<Node> NODES = List.of(NODE_A, NODE_B, NODE_C);

    public static final Pod COREDNS_A = pod("coredns-5d78c9869d-x2kqp", "kube-system", NODE_A, 2, "kube-dns", 53, "k8s-app", "kube-dns");
    public static final Pod COREDNS_B = pod("coredns-5d78c9869d-7fw4n", "kube-system", NODE_B, 2, "kube-dns", 53, "k8s-app", "kube-dns");
    public static final Pod FRONTEND_A = pod("frontend-7c9f8b6d5-h2x9k", "shop", NODE_A, 11, "frontend", 8080, "app", "frontend");
    public static final Pod FRONTEND_C = pod("frontend-7c9f8b6d5-q8m4t", "shop", NODE_C, 11, "frontend", 8080, "app", "frontend");
    public static final Pod ORDERS = pod("orders-594487879c-7ddxf", "shop", NODE_B, 21, "orders", 8080, "app", "orders");
    public static final Pod CATALOG = pod("catalog-6b7d9c8f4-kz7wp", "shop", NODE_C, 31, "catalog", 8080, "app", "catalog");
    public static final Pod INVENTORY = pod("inventory-58f6d7b9c-p4rtn", "shop", NODE_A, 41, "inventory", 9000, "app", "inventory");
    public static final Pod PAYMENTS = pod("payment-service-66c8d4f7b-wv2lx", "payments", NODE_B, 51, "payment-service", 8443, "app", "payment-service");
    public static final Pod GATEWAY = pod("api-gateway-5f7b8c9d6-jn3ks", "shop", NODE_A, 61, "api-gateway", 80, "app", "api-gateway");
    public static final Pod LOADGEN = pod("loadgen-8d9f7c6b5-mx4vz", "tools", NODE_C, 71, "", 0, "app", "loadgen");

    public static final Pod REDIS = pod("redis-0", "shop", NODE_B, 81, "redis", 6379, "app", "redis");
    public static final Pod RECOMMENDATIONS = pod("recommendations-7d4b9c6f8-t6xqz", "shop", NODE_C, 91, "recommendations", 50051, "app", "recommendations");
    public static final Pod NOTIFICATIONS = pod("notifications-6f9d8b7c5-w2lpr", "shop", NODE_A, 101, "notifications", 8081, "app", "notifications");

    public static final Pod KAFKA = pod("kafka-0", "data", NODE_C, 111, "kafka", 9092, "app", "kafka");
    public static final Pod RABBITMQ = pod("rabbitmq-0", "data", NODE_A, 121, "rabbitmq", 5672, "app", "rabbitmq");
    public static final Pod LDAP = pod("openldap-0", "auth", NODE_B, 131, "ldap", 389, "app", "openldap");
    public static final Pod RADIUS = pod("freeradius-5c8d7f9b6-m3kqv", "auth", NODE_C, 141, "radius", 1812, "app", "freeradius");

    public static final List<Pod> PODS = List.of(COREDNS_A, COREDNS_B, FRONTEND_A, FRONTEND_C, ORDERS, CATALOG, INVENTORY, PAYMENTS, GATEWAY, LOADGEN,
            REDIS, RECOMMENDATIONS, NOTIFICATIONS, KAFKA, RABBITMQ, LDAP, RADIUS);

    /** Who calls whom over HTTP: the service graph of the shop. */
    public record Edge(Pod client, Pod server, List<String> paths)
    {
        public Edge
        {
            requireNonNull(client, "client is null");
            requireNonNull(server, "server is null");
            paths = List.copyOf(requireNonNull(paths, "paths is null"));
        }
    }

    public static final List<Edge> EDGES = List.of(
            new Edge(LOADGEN, GATEWAY, List.of("/", "/api/v1/products", "/api/v1/cart", "/healthz")),
            new Edge(GATEWAY, FRONTEND_A, List.of("/", "/products", "/cart", "/static/app.js")),
            new Edge(GATEWAY, FRONTEND_C, List.of("/", "/products", "/checkout", "/static/styles.css")),
            new Edge(FRONTEND_A, CATALOG, List.of("/api/v1/products", "/api/v1/products/{id}", "/api/v1/search")),
            new Edge(FRONTEND_C, CATALOG, List.of("/api/v1/products", "/api/v1/products/{id}")),
            new Edge(FRONTEND_A, ORDERS, List.of("/api/v1/orders", "/api/v1/orders/{id}", "/api/v1/cart")),
            new Edge(FRONTEND_C, ORDERS, List.of("/api/v1/orders", "/api/v1/orders/{id}")),
            new Edge(ORDERS, INVENTORY, List.of("/api/v2/stock/{id}", "/api/v2/reserve")),
            new Edge(ORDERS, PAYMENTS, List.of("/api/v1/charge", "/api/v1/refund")),
            new Edge(CATALOG, INVENTORY, List.of("/api/v2/stock/{id}")));

    /** Redis clients (a cache), gRPC clients of the recommendations service, GraphQL and WebSocket clients of the gateway. */
    public static final List<Edge> REDIS_EDGES = List.of(new Edge(ORDERS, REDIS, List.of("order")), new Edge(CATALOG, REDIS, List.of("product")));
    public static final List<Edge> GRPC_EDGES = List.of(new Edge(FRONTEND_A, RECOMMENDATIONS, List.of("/shop.Recommendations/List", "/shop.Recommendations/Rank")),
            new Edge(FRONTEND_C, RECOMMENDATIONS, List.of("/shop.Recommendations/List")));
    public static final List<Edge> GRAPHQL_EDGES = List.of(new Edge(LOADGEN, GATEWAY, List.of("/graphql")));
    public static final List<Edge> WEBSOCKET_EDGES = List.of(new Edge(GATEWAY, NOTIFICATIONS, List.of("/ws/orders")));
    /** Kafka producers' metadata lookups, payments publishing to RabbitMQ, the gateway's LDAP and RADIUS checks. */
    public static final List<Edge> KAFKA_EDGES = List.of(new Edge(ORDERS, KAFKA, List.of("orders.created")), new Edge(INVENTORY, KAFKA, List.of("stock.updated")));
    public static final List<Edge> AMQP_EDGES = List.of(new Edge(PAYMENTS, RABBITMQ, List.of("payments")));
    public static final List<Edge> LDAP_EDGES = List.of(new Edge(GATEWAY, LDAP, List.of("ou=People,dc=shop,dc=example")));
    public static final List<Edge> RADIUS_EDGES = List.of(new Edge(GATEWAY, RADIUS, List.of("operator")));

    private DemoCluster() {}

    private static Pod pod(String name, String namespace, Node node, int host, String service, int port, String labelKey, String labelValue)
    {
        return new Pod(name, namespace, node.podCidrPrefix() + host, node, service, port,
                Map.of(labelKey, labelValue, "pod-template-hash", name.substring(name.lastIndexOf('-', name.lastIndexOf('-') - 1) + 1, name.lastIndexOf('-'))));
    }

    /**
     * The cluster's Kubernetes metadata as a collector's watcher would have written it by the
     * given time: every pod with its IP, node, labels and owner; a cluster IP per service; and
     * each service's endpoints. (Every pod's owner is written as a ReplicaSet, as the demo
     * always has; the drift scenario's metadata, {@link #controllerEvents}, names StatefulSets.)
     */
    public static List<io.wirelake.store.meta.WorkloadEvent> workloadEvents(long micros)
    {
        return workloadEvents(micros, pod -> "ReplicaSet/" + pod.name().substring(0, pod.name().lastIndexOf('-')), Pod::labels);
    }

    /**
     * The same metadata with each pod's owner and labels as Kubernetes sets them for its
     * controller: {@code ReplicaSet/<deployment>-<pod-template-hash>} and the
     * {@code pod-template-hash} label for a Deployment's pods, {@code StatefulSet/<name>} and the
     * {@code statefulset.kubernetes.io/pod-name} label for a StatefulSet's.
     */
    public static List<io.wirelake.store.meta.WorkloadEvent> controllerEvents(long micros)
    {
        return workloadEvents(micros, pod -> controllerKind(pod).equals("StatefulSet") ? "StatefulSet/" + controllerName(pod)
                : "ReplicaSet/" + pod.name().substring(0, pod.name().lastIndexOf('-')), DemoCluster::controllerLabels);
    }

    private static List<io.wirelake.store.meta.WorkloadEvent> workloadEvents(long micros, java.util.function.Function<Pod, String> owner,
            java.util.function.Function<Pod, Map<String, String>> labels)
    {
        List<io.wirelake.store.meta.WorkloadEvent> events = new java.util.ArrayList<>();
        java.util.Map<String, String> clusterIps = new java.util.LinkedHashMap<>();
        for (Pod pod : PODS) {
            events.add(new io.wirelake.store.meta.WorkloadEvent(micros, "sync", io.wirelake.store.meta.WorkloadEvent.POD, pod.ip(), pod.namespace(), pod.name(),
                    pod.node().name(), labels.apply(pod), Map.of("kubernetes.io/config.source", "api"), owner.apply(pod)));
            if (!pod.service().isEmpty()) {
                clusterIps.putIfAbsent(pod.namespace() + "/" + pod.service(), "10.96.0." + (10 + clusterIps.size()));
                events.add(new io.wirelake.store.meta.WorkloadEvent(micros, "sync", io.wirelake.store.meta.WorkloadEvent.ENDPOINT, pod.ip(), pod.namespace(),
                        pod.service(), pod.node().name(), null, null, null));
            }
        }
        clusterIps.forEach((service, ip) -> events.add(new io.wirelake.store.meta.WorkloadEvent(micros, "sync", io.wirelake.store.meta.WorkloadEvent.SERVICE, ip,
                service.substring(0, service.indexOf('/')), service.substring(service.indexOf('/') + 1), "", null, null, null)));
        return events;
    }

    /**
     * Metadata events as JSON Lines with map keys sorted: the same lines the collector writes,
     * in a byte order that does not depend on the JVM's hashing of immutable maps.
     */
    public static byte[] toJsonLines(List<io.wirelake.store.meta.WorkloadEvent> events)
    {
        com.fasterxml.jackson.databind.ObjectMapper mapper = new com.fasterxml.jackson.databind.ObjectMapper()
                .configure(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
        StringBuilder text = new StringBuilder();
        try {
            for (io.wirelake.store.meta.WorkloadEvent event : events) {
                text.append(mapper.writeValueAsString(event)).append('\n');
            }
        }
        catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** StatefulSet pods are named {@code <set>-<ordinal>}; the demo's other pods belong to Deployments ({@code <deployment>-<hash>-<suffix>}). */
    public static String controllerKind(Pod pod)
    {
        return pod.name().matches(".*-[0-9]+") ? "StatefulSet" : "Deployment";
    }

    /** The name of the Deployment or StatefulSet that runs the pod. */
    public static String controllerName(Pod pod)
    {
        String name = pod.name().substring(0, pod.name().lastIndexOf('-'));
        return controllerKind(pod).equals("StatefulSet") ? name : name.substring(0, name.lastIndexOf('-'));
    }

    private static Map<String, String> controllerLabels(Pod pod)
    {
        if (controllerKind(pod).equals("StatefulSet")) {
            java.util.Map<String, String> labels = new java.util.HashMap<>(pod.labels());
            labels.remove("pod-template-hash");
            labels.put("statefulset.kubernetes.io/pod-name", pod.name());
            return labels;
        }
        return pod.labels();
    }

    /** The CoreDNS pod a client asks (the one on its node, else the first). */
    public static Pod resolverFor(Pod client)
    {
        return client.node().equals(NODE_B) ? COREDNS_B : COREDNS_A;
    }
}
