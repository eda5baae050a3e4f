package io.wirelake.demo;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.wirelake.demo.DemoCluster.CATALOG;
import static io.wirelake.demo.DemoCluster.FRONTEND_A;
import static io.wirelake.demo.DemoCluster.FRONTEND_C;
import static io.wirelake.demo.DemoCluster.GATEWAY;
import static io.wirelake.demo.DemoCluster.INVENTORY;
import static io.wirelake.demo.DemoCluster.KAFKA;
import static io.wirelake.demo.DemoCluster.LDAP;
import static io.wirelake.demo.DemoCluster.LOADGEN;
import static io.wirelake.demo.DemoCluster.NOTIFICATIONS;
import static io.wirelake.demo.DemoCluster.ORDERS;
import static io.wirelake.demo.DemoCluster.PAYMENTS;
import static io.wirelake.demo.DemoCluster.RABBITMQ;
import static io.wirelake.demo.DemoCluster.RADIUS;
import static io.wirelake.demo.DemoCluster.RECOMMENDATIONS;
import static io.wirelake.demo.DemoCluster.REDIS;
import static java.util.Objects.requireNonNull;

/**
 * The drift scenario: a baseline day and an incident day of the {@link DemoCluster}, with one
 * planted change for each check of a drift report and everything else the same.
 *
 * <p>Both days run the same sessions (DNS lookups, connections and the calls on them) at the same
 * rates over windows of the same length, the incident day 24 hours after the baseline. What is
 * generated so that two days agree beyond noise:
 * <ul>
 * <li>every kind of session starts the same number of times on both days, spread evenly over
 *     the window;</li>
 * <li>each connection's calls go to its edge's endpoints in fixed proportions (smooth weighted
 *     round robin);</li>
 * <li>each endpoint's latencies and response sizes walk its distributions along a
 *     low-discrepancy sequence, so its percentiles and mean sizes are those of the distribution
 *     on both days; its server errors, auth failures and 404s come at exact rates;</li>
 * <li>network round trips are fixed per pair of nodes, with 10% jitter.</li>
 * </ul>
 *
 * <p>What the incident day changes (subjects as {@link Subjects} defines them):
 * <ol>
 * <li>{@code new_endpoint} {@code catalog GET /api/v2/search} and {@code removed_endpoint}
 *     {@code catalog GET /api/v1/search}: the frontend moved to the new search API;</li>
 * <li>{@code latency_regression} {@code catalog GET /api/v1/products/{id}}: its median goes
 *     from 6 ms to 140 ms (p95 about 13 ms to about 290 ms), the catalog lost its cache;</li>
 * <li>{@code error_rate_increase} {@code orders POST /api/v1/orders}: 5xx from 1% to 20%; and
 *     an auth spike on {@code api-gateway GET /api/v1/cart}: 401/403 from 1% to 20%;</li>
 * <li>{@code new_edge} {@code shop/orders -> shop/recommendations TCP 50051} (gRPC) and
 *     {@code removed_edge} {@code shop/catalog -> shop/redis TCP 6379};</li>
 * <li>{@code new_external_destination} {@code collect.tracker-analytics.example}
 *     (192.0.2.77:443, TLS 1.3), called by {@code shop/frontend};</li>
 * <li>{@code plaintext_appeared} on {@code shop/orders -> payments/payment-service TCP 8443}:
 *     all mutual TLS on the baseline day, one connection in four plain HTTP on the incident day
 *     (the port accepts both, as a mesh in permissive mode does; the gateway's calls on it are
 *     plain on both days, so no endpoint or listener is new);</li>
 * <li>{@code tls_downgrade} {@code 203.0.113.10:443 api.paymentsprovider.example}: TLS 1.3
 *     with TLS_AES_128_GCM_SHA256, then TLS 1.2 with TLS_RSA_WITH_AES_128_CBC_SHA;</li>
 * <li>{@code new_listener} {@code shop/api-gateway TCP 8443 TLS}: clients outside the cluster
 *     reach a new TLS port of the gateway;</li>
 * <li>{@code volume_shift} on {@code shop/api-gateway -> shop/frontend TCP 8080}: responses
 *     4 times larger, the edge's bytes about 3.5 times;</li>
 * <li>{@code rtt_regression} on {@code shop/orders -> shop/inventory TCP 9000}: the handshake
 *     round trip four times as long.</li>
 * </ol>
 */
public final class DriftScenario
{
    public enum Day
    {
        BASELINE, INCIDENT;

        /** The directory of the day's captures and metadata beside the truth file. */
        public String directoryName()
        {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The address ranges of the cluster: node, service and pod networks. Everything outside is external. */
    public static final List<String> CLUSTER_RANGES = List.of("10.0.0.0/16", "10.96.0.0/12", "10.244.0.0/16");

    /** A server outside the cluster, with the name its clients look up and send as SNI. */
    record ExternalServer(String name, String ip, int port, long halfRttMicros)
    {
        ExternalServer
        {
            requireNonNull(name, "name is null");
            requireNonNull(ip, "ip is null");
        }

        String address()
        {
            return ip + ":" + port;
        }
    }

    static final ExternalServer PAYMENTS_PROVIDER = new ExternalServer("api.paymentsprovider.example", "203.0.113.10", 443, 9_000);
    static final ExternalServer CHAT_HOOKS = new ExternalServer("hooks.chat.example", "198.51.100.20", 443, 12_000);
    static final ExternalServer TRACKER = new ExternalServer("collect.tracker-analytics.example", "192.0.2.77", 443, 15_000);
    /** The clients outside the cluster that reach the gateway's new TLS port on the incident day. */
    static final String INBOUND_CLIENT_PREFIX = "198.51.100.";
    static final int INBOUND_PORT = 8443;
    static final String INBOUND_SERVER_NAME = "shop.example";

    /**
     * An endpoint of a server: a method and a path pattern whose {@code {number}}, {@code {uuid}}
     * and {@code {hex}} placeholders become identifiers of that shape in each request.
     */
    record Endpoint(DemoCluster.Pod server, String method, String pattern)
    {
        Endpoint
        {
            requireNonNull(server, "server is null");
            requireNonNull(method, "method is null");
            requireNonNull(pattern, "pattern is null");
        }

        String template()
        {
            return pattern.replaceAll("\\{(number|uuid|hex)}", "{id}");
        }

        String subject()
        {
            return Subjects.endpoint(server.service(), method, template());
        }
    }

    /**
     * How an endpoint answers on one day: a log-logistic latency (shape 4: the p95 is 2.1 times
     * the median, the p99 3.2 times), and the exact fractions of server errors (5xx, or gRPC
     * status 14), auth failures (401, every fourth a 403) and 404s.
     */
    record Behaviour(double medianMillis, double serverErrorRate, double authFailureRate, double notFoundRate)
    {
        static Behaviour of(double medianMillis)
        {
            return new Behaviour(medianMillis, 0.01, 0, 0);
        }

        Behaviour withServerErrors(double rate)
        {
            return new Behaviour(medianMillis, rate, authFailureRate, notFoundRate);
        }

        Behaviour withAuthFailures(double rate)
        {
            return new Behaviour(medianMillis, serverErrorRate, rate, notFoundRate);
        }

        Behaviour withNotFound(double rate)
        {
            return new Behaviour(medianMillis, serverErrorRate, authFailureRate, rate);
        }
    }

    record WeightedEndpoint(Endpoint endpoint, int weight) {}

    /** What a session does after its lookup. */
    enum Application
    {
        HTTP, MUTUAL_TLS, EXTERNAL_TLS, INBOUND_TLS, GRPC, GRAPHQL, WEBSOCKET, REDIS, KAFKA, AMQP, LDAP, RADIUS, FAILED_LOOKUP
    }

    /**
     * One kind of session and how the day shapes it.
     *
     * @param client the calling pod (null for clients outside the cluster)
     * @param server the serving pod (null for a server outside the cluster)
     * @param external the server outside the cluster, or null
     * @param port the server's port
     * @param calls the endpoints the connection's calls go to, in proportion to their weights
     * @param weight sessions of this kind per 1,000 sessions of the baseline day (0: not on this day)
     * @param tls what the server negotiates, for the TLS applications
     * @param plaintextEvery every n-th connection skips TLS and speaks plain HTTP (0: never)
     * @param bodyScale response bodies are this many times the endpoint's usual size
     * @param rttFactor the network round trip is this many times the usual one
     */
    record SessionKind(String name, Application application, DemoCluster.Pod client, DemoCluster.Pod server, ExternalServer external, int port,
            List<WeightedEndpoint> calls, int weight, TlsTraffic.Profile tls, int plaintextEvery, double bodyScale, double rttFactor)
    {
        SessionKind
        {
            requireNonNull(name, "name is null");
            requireNonNull(application, "application is null");
            calls = List.copyOf(calls);
        }

        SessionKind withWeight(int weight)
        {
            return new SessionKind(name, application, client, server, external, port, calls, weight, tls, plaintextEvery, bodyScale, rttFactor);
        }

        SessionKind withTls(TlsTraffic.Profile tls)
        {
            return new SessionKind(name, application, client, server, external, port, calls, weight, tls, plaintextEvery, bodyScale, rttFactor);
        }

        SessionKind withPlaintextEvery(int plaintextEvery)
        {
            return new SessionKind(name, application, client, server, external, port, calls, weight, tls, plaintextEvery, bodyScale, rttFactor);
        }

        SessionKind withBodyScale(double bodyScale)
        {
            return new SessionKind(name, application, client, server, external, port, calls, weight, tls, plaintextEvery, bodyScale, rttFactor);
        }

        SessionKind withRttFactor(double rttFactor)
        {
            return new SessionKind(name, application, client, server, external, port, calls, weight, tls, plaintextEvery, bodyScale, rttFactor);
        }
    }

    // The endpoints, by server.
    static final Endpoint GATEWAY_ROOT = new Endpoint(GATEWAY, "GET", "/");
    static final Endpoint GATEWAY_PRODUCTS = new Endpoint(GATEWAY, "GET", "/api/v1/products");
    static final Endpoint GATEWAY_CART = new Endpoint(GATEWAY, "GET", "/api/v1/cart");
    static final Endpoint GATEWAY_HEALTH = new Endpoint(GATEWAY, "GET", "/healthz");
    static final Endpoint GATEWAY_GRAPHQL = new Endpoint(GATEWAY, "POST", "/graphql");
    static final Endpoint FRONTEND_ROOT = new Endpoint(FRONTEND_A, "GET", "/");
    static final Endpoint FRONTEND_PRODUCTS = new Endpoint(FRONTEND_A, "GET", "/products");
    static final Endpoint FRONTEND_CART = new Endpoint(FRONTEND_A, "GET", "/cart");
    static final Endpoint FRONTEND_CHECKOUT = new Endpoint(FRONTEND_A, "GET", "/checkout");
    static final Endpoint FRONTEND_SCRIPT = new Endpoint(FRONTEND_A, "GET", "/static/app.js");
    static final Endpoint FRONTEND_STYLES = new Endpoint(FRONTEND_A, "GET", "/static/styles.css");
    static final Endpoint CATALOG_PRODUCTS = new Endpoint(CATALOG, "GET", "/api/v1/products");
    static final Endpoint CATALOG_PRODUCT = new Endpoint(CATALOG, "GET", "/api/v1/products/{number}");
    static final Endpoint CATALOG_SEARCH_V1 = new Endpoint(CATALOG, "GET", "/api/v1/search");
    static final Endpoint CATALOG_SEARCH_V2 = new Endpoint(CATALOG, "GET", "/api/v2/search");
    static final Endpoint ORDERS_CREATE = new Endpoint(ORDERS, "POST", "/api/v1/orders");
    static final Endpoint ORDERS_GET = new Endpoint(ORDERS, "GET", "/api/v1/orders/{uuid}");
    static final Endpoint ORDERS_CART = new Endpoint(ORDERS, "GET", "/api/v1/carts/{hex}");
    static final Endpoint ORDERS_CART_UPDATE = new Endpoint(ORDERS, "PUT", "/api/v1/carts/{hex}");
    static final Endpoint INVENTORY_STOCK = new Endpoint(INVENTORY, "GET", "/api/v2/stock/{number}");
    static final Endpoint INVENTORY_RESERVE = new Endpoint(INVENTORY, "POST", "/api/v2/reserve");
    static final Endpoint PAYMENTS_CHARGE = new Endpoint(PAYMENTS, "POST", "/api/v1/charge");
    static final Endpoint PAYMENTS_REFUND = new Endpoint(PAYMENTS, "POST", "/api/v1/refund");
    static final Endpoint PAYMENTS_HEALTH = new Endpoint(PAYMENTS, "GET", "/healthz");
    static final Endpoint RECOMMENDATIONS_LIST = new Endpoint(RECOMMENDATIONS, "POST", "/shop.Recommendations/List");
    static final Endpoint RECOMMENDATIONS_RANK = new Endpoint(RECOMMENDATIONS, "POST", "/shop.Recommendations/Rank");
    static final Endpoint NOTIFICATIONS_SOCKET = new Endpoint(NOTIFICATIONS, "GET", "/ws/orders");

    private DriftScenario() {}

    /** How each endpoint answers on the day. */
    static Map<String, Behaviour> behaviours(Day day)
    {
        boolean incident = day == Day.INCIDENT;
        Map<String, Behaviour> behaviours = new LinkedHashMap<>();
        put(behaviours, GATEWAY_ROOT, Behaviour.of(6));
        put(behaviours, GATEWAY_PRODUCTS, Behaviour.of(12));
        put(behaviours, GATEWAY_CART, Behaviour.of(8).withAuthFailures(incident ? 0.20 : 0.01));
        put(behaviours, GATEWAY_HEALTH, Behaviour.of(1).withServerErrors(0));
        put(behaviours, GATEWAY_GRAPHQL, Behaviour.of(15).withServerErrors(0));
        put(behaviours, FRONTEND_ROOT, Behaviour.of(10));
        put(behaviours, FRONTEND_PRODUCTS, Behaviour.of(14));
        put(behaviours, FRONTEND_CART, Behaviour.of(9));
        put(behaviours, FRONTEND_CHECKOUT, Behaviour.of(12));
        put(behaviours, FRONTEND_SCRIPT, Behaviour.of(3).withServerErrors(0));
        put(behaviours, FRONTEND_STYLES, Behaviour.of(2).withServerErrors(0));
        put(behaviours, CATALOG_PRODUCTS, Behaviour.of(10));
        put(behaviours, CATALOG_PRODUCT, Behaviour.of(incident ? 140 : 6).withNotFound(0.02));
        put(behaviours, CATALOG_SEARCH_V1, Behaviour.of(20));
        put(behaviours, CATALOG_SEARCH_V2, Behaviour.of(20));
        put(behaviours, ORDERS_CREATE, Behaviour.of(25).withServerErrors(incident ? 0.20 : 0.01));
        put(behaviours, ORDERS_GET, Behaviour.of(8).withNotFound(0.02));
        put(behaviours, ORDERS_CART, Behaviour.of(6).withNotFound(0.02));
        put(behaviours, ORDERS_CART_UPDATE, Behaviour.of(9));
        put(behaviours, INVENTORY_STOCK, Behaviour.of(4).withNotFound(0.02));
        put(behaviours, INVENTORY_RESERVE, Behaviour.of(7));
        put(behaviours, PAYMENTS_CHARGE, Behaviour.of(30));
        put(behaviours, PAYMENTS_REFUND, Behaviour.of(25));
        put(behaviours, PAYMENTS_HEALTH, Behaviour.of(1).withServerErrors(0));
        put(behaviours, RECOMMENDATIONS_LIST, Behaviour.of(12));
        put(behaviours, RECOMMENDATIONS_RANK, Behaviour.of(18));
        put(behaviours, NOTIFICATIONS_SOCKET, Behaviour.of(2).withServerErrors(0));
        return behaviours;
    }

    private static void put(Map<String, Behaviour> behaviours, Endpoint endpoint, Behaviour behaviour)
    {
        behaviours.put(endpoint.subject(), behaviour);
    }

    /** The day's kinds of session, the same list on both days (a kind absent on a day has weight 0). */
    static List<SessionKind> sessionKinds(Day day)
    {
        boolean incident = day == Day.INCIDENT;
        List<WeightedEndpoint> gatewayCalls = calls(GATEWAY_ROOT, 3, GATEWAY_PRODUCTS, 3, GATEWAY_CART, 3, GATEWAY_HEALTH, 1);
        List<WeightedEndpoint> frontendCalls = calls(FRONTEND_ROOT, 3, FRONTEND_PRODUCTS, 3, FRONTEND_CART, 2, FRONTEND_CHECKOUT, 1, FRONTEND_SCRIPT, 2,
                FRONTEND_STYLES, 1);
        List<WeightedEndpoint> catalogCalls = calls(CATALOG_PRODUCTS, 3, CATALOG_PRODUCT, 4, incident ? CATALOG_SEARCH_V2 : CATALOG_SEARCH_V1, 2);
        List<WeightedEndpoint> ordersCalls = calls(ORDERS_CREATE, 4, ORDERS_GET, 3, ORDERS_CART, 2, ORDERS_CART_UPDATE, 1);
        List<WeightedEndpoint> recommendationCalls = calls(RECOMMENDATIONS_LIST, 2, RECOMMENDATIONS_RANK, 1);
        List<SessionKind> kinds = new ArrayList<>();
        kinds.add(http("loadgen -> api-gateway", LOADGEN, GATEWAY, gatewayCalls, 110));
        kinds.add(http("api-gateway -> frontend (node A)", GATEWAY, FRONTEND_A, frontendCalls, 55).withBodyScale(incident ? 4 : 1));
        kinds.add(http("api-gateway -> frontend (node C)", GATEWAY, FRONTEND_C, frontendCalls, 55).withBodyScale(incident ? 4 : 1));
        kinds.add(http("frontend (node A) -> catalog", FRONTEND_A, CATALOG, catalogCalls, 55));
        kinds.add(http("frontend (node C) -> catalog", FRONTEND_C, CATALOG, catalogCalls, 55));
        kinds.add(http("frontend (node A) -> orders", FRONTEND_A, ORDERS, ordersCalls, 45));
        kinds.add(http("frontend (node C) -> orders", FRONTEND_C, ORDERS, ordersCalls, 45));
        kinds.add(http("orders -> inventory", ORDERS, INVENTORY, calls(INVENTORY_STOCK, 3, INVENTORY_RESERVE, 2), 45).withRttFactor(incident ? 4 : 1));
        kinds.add(http("catalog -> inventory", CATALOG, INVENTORY, calls(INVENTORY_STOCK, 1), 60));
        kinds.add(http("api-gateway -> payment-service", GATEWAY, PAYMENTS, calls(PAYMENTS_CHARGE, 2, PAYMENTS_REFUND, 1, PAYMENTS_HEALTH, 1), 35));
        kinds.add(new SessionKind("orders -> payment-service (mutual TLS)", Application.MUTUAL_TLS, ORDERS, PAYMENTS, null, PAYMENTS.port(),
                calls(PAYMENTS_CHARGE, 1), 35, TlsTraffic.Profile.TLS13_AES_128_GCM, incident ? 4 : 0, 1, 1));
        kinds.add(external("payment-service -> payments provider", PAYMENTS, PAYMENTS_PROVIDER, 30,
                incident ? TlsTraffic.Profile.TLS12_RSA_AES_128_CBC_SHA : TlsTraffic.Profile.TLS13_AES_128_GCM));
        kinds.add(external("notifications -> chat hooks", NOTIFICATIONS, CHAT_HOOKS, 20, TlsTraffic.Profile.TLS12_ECDHE_RSA_AES_128_GCM));
        kinds.add(external("frontend (node A) -> tracker", FRONTEND_A, TRACKER, incident ? 10 : 0, TlsTraffic.Profile.TLS13_AES_128_GCM));
        kinds.add(external("frontend (node C) -> tracker", FRONTEND_C, TRACKER, incident ? 10 : 0, TlsTraffic.Profile.TLS13_AES_128_GCM));
        kinds.add(new SessionKind("outside -> api-gateway TLS", Application.INBOUND_TLS, null, GATEWAY, null, INBOUND_PORT, List.of(), incident ? 20 : 0,
                TlsTraffic.Profile.TLS13_AES_128_GCM, 0, 1, 1));
        kinds.add(other("orders -> redis", Application.REDIS, ORDERS, REDIS, 40));
        kinds.add(other("catalog -> redis", Application.REDIS, CATALOG, REDIS, incident ? 0 : 30));
        kinds.add(grpc("frontend (node A) -> recommendations", FRONTEND_A, recommendationCalls, 30));
        kinds.add(grpc("frontend (node C) -> recommendations", FRONTEND_C, recommendationCalls, 25));
        kinds.add(grpc("orders -> recommendations", ORDERS, calls(RECOMMENDATIONS_LIST, 1), incident ? 25 : 0));
        kinds.add(new SessionKind("loadgen -> api-gateway GraphQL", Application.GRAPHQL, LOADGEN, GATEWAY, null, GATEWAY.port(), calls(GATEWAY_GRAPHQL, 1), 40,
                null, 0, 1, 1));
        kinds.add(new SessionKind("api-gateway -> notifications WebSocket", Application.WEBSOCKET, GATEWAY, NOTIFICATIONS, null, NOTIFICATIONS.port(),
                calls(NOTIFICATIONS_SOCKET, 1), 25, null, 0, 1, 1));
        kinds.add(other("orders -> kafka", Application.KAFKA, ORDERS, KAFKA, 15));
        kinds.add(other("inventory -> kafka", Application.KAFKA, INVENTORY, KAFKA, 15));
        kinds.add(other("payment-service -> rabbitmq", Application.AMQP, PAYMENTS, RABBITMQ, 20));
        kinds.add(other("api-gateway -> openldap", Application.LDAP, GATEWAY, LDAP, 20));
        kinds.add(other("api-gateway -> freeradius", Application.RADIUS, GATEWAY, RADIUS, 20));
        kinds.add(other("frontend (node A) looks up a misspelled catalog", Application.FAILED_LOOKUP, FRONTEND_A, CATALOG, 8));
        kinds.add(other("orders looks up a misspelled inventory", Application.FAILED_LOOKUP, ORDERS, INVENTORY, 7));
        return kinds;
    }

    private static SessionKind http(String name, DemoCluster.Pod client, DemoCluster.Pod server, List<WeightedEndpoint> calls, int weight)
    {
        return new SessionKind(name, Application.HTTP, client, server, null, server.port(), calls, weight, null, 0, 1, 1);
    }

    private static SessionKind grpc(String name, DemoCluster.Pod client, List<WeightedEndpoint> calls, int weight)
    {
        return new SessionKind(name, Application.GRPC, client, RECOMMENDATIONS, null, RECOMMENDATIONS.port(), calls, weight, null, 0, 1, 1);
    }

    private static SessionKind external(String name, DemoCluster.Pod client, ExternalServer server, int weight, TlsTraffic.Profile tls)
    {
        return new SessionKind(name, Application.EXTERNAL_TLS, client, null, server, server.port(), List.of(), weight, tls, 0, 1, 1);
    }

    private static SessionKind other(String name, Application application, DemoCluster.Pod client, DemoCluster.Pod server, int weight)
    {
        return new SessionKind(name, application, client, server, null, server.port(), List.of(), weight, null, 0, 1, 1);
    }

    private static List<WeightedEndpoint> calls(Object... endpointsAndWeights)
    {
        List<WeightedEndpoint> calls = new ArrayList<>();
        for (int index = 0; index < endpointsAndWeights.length; index += 2) {
            calls.add(new WeightedEndpoint((Endpoint) endpointsAndWeights[index], (Integer) endpointsAndWeights[index + 1]));
        }
        return calls;
    }

    /** A planted change, as a drift report should find it. */
    record Planted(String check, String subject, String detail) {}

    /** The changes planted in the incident day, in the vocabulary of the drift report. */
    static List<Planted> planted()
    {
        return List.of(
                new Planted("new_endpoint", CATALOG_SEARCH_V2.subject(), "the frontend moved to the catalog's v2 search"),
                new Planted("removed_endpoint", CATALOG_SEARCH_V1.subject(), "no one calls the catalog's v1 search any more"),
                new Planted("latency_regression", CATALOG_PRODUCT.subject(), "median latency from 6 ms to 140 ms: the catalog lost its cache"),
                new Planted("error_rate_increase", ORDERS_CREATE.subject(), "5xx from 1% to 20%"),
                new Planted("error_rate_increase", GATEWAY_CART.subject(), "auth failures (401/403) from 1% to 20%"),
                new Planted("new_edge", Subjects.edge(Subjects.workload(ORDERS), Subjects.workload(RECOMMENDATIONS), "TCP", RECOMMENDATIONS.port()),
                        "orders started calling recommendations over gRPC"),
                new Planted("removed_edge", Subjects.edge(Subjects.workload(CATALOG), Subjects.workload(REDIS), "TCP", REDIS.port()),
                        "the catalog stopped using its Redis cache"),
                new Planted("new_external_destination", TRACKER.name(), "the frontend started sending to " + TRACKER.name() + " (" + TRACKER.address() + ")"),
                new Planted("plaintext_appeared", Subjects.edge(Subjects.workload(ORDERS), Subjects.workload(PAYMENTS), "TCP", PAYMENTS.port()),
                        "one connection in four from orders to payment-service is plain HTTP"),
                new Planted("tls_downgrade", Subjects.tlsServer(PAYMENTS_PROVIDER.address(), PAYMENTS_PROVIDER.name()),
                        "TLS 1.3 (TLS_AES_128_GCM_SHA256) became TLS 1.2 (TLS_RSA_WITH_AES_128_CBC_SHA)"),
                new Planted("new_listener", Subjects.listener(Subjects.workload(GATEWAY), "TCP", INBOUND_PORT, "TLS"),
                        "clients outside the cluster reach a new TLS port of the gateway"),
                new Planted("volume_shift", Subjects.edge(Subjects.workload(GATEWAY), Subjects.workload(FRONTEND_A), "TCP", FRONTEND_A.port()),
                        "the frontend's responses are 4 times larger"),
                new Planted("rtt_regression", Subjects.edge(Subjects.workload(ORDERS), Subjects.workload(INVENTORY), "TCP", INVENTORY.port()),
                        "the network round trip from orders to inventory is four times as long"));
    }
}
