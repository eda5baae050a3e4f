package io.wirelake.demo;

import java.util.regex.Pattern;

/**
 * How the drift scenario's ground truth names what a finding is about: endpoints, workloads,
 * edges, listeners, external destinations and TLS servers. These are the subjects a drift report
 * must print for its findings to match the truth, so each is defined once, here.
 *
 * <ul>
 * <li><b>workload</b>: {@code namespace/name}, the name of the pod's controlling workload: a
 *     Deployment's name for a pod owned by a ReplicaSet {@code <deployment>-<pod-template-hash>},
 *     the StatefulSet's (DaemonSet's, Job's) name otherwise, the pod's own name for a bare pod.
 *     Example: {@code shop/frontend}, {@code data/kafka}.</li>
 * <li><b>service</b> of a call: the Kubernetes service name of the server ({@code catalog}),
 *     else its workload, else {@code ip:port} ({@code 203.0.113.10:443}).</li>
 * <li><b>path template</b>: the path without its query, with each segment that is a number, a
 *     UUID or a hex string of 16 characters or more replaced by {@code {id}}
 *     ({@link #pathTemplate}).</li>
 * <li><b>endpoint</b>: {@code <service> <METHOD> <path template>}, e.g.
 *     {@code catalog GET /api/v1/products/{id}}; only calls with a method (HTTP/1.x, HTTP/2 and
 *     gRPC, GraphQL, the HTTP upgrade that opens a WebSocket) have endpoints.</li>
 * <li><b>edge</b>: {@code <client workload> -> <server workload> <TCP|UDP> <server port>},
 *     e.g. {@code shop/orders -> shop/inventory TCP 9000}; both ends are workloads of the
 *     cluster (traffic to or from addresses outside it is about external destinations).</li>
 * <li><b>listener</b>: {@code <workload> <TCP|UDP> <port> <application protocol>}, e.g.
 *     {@code shop/api-gateway TCP 8443 TLS}, the application protocol as the flows table's
 *     {@code conn_l7_detected} names it.</li>
 * <li><b>external destination</b>: the server's name from the client's DNS answer and the TLS
 *     SNI, e.g. {@code collect.tracker-analytics.example}.</li>
 * <li><b>TLS server</b>: {@code <server> <sni>} where the server is a workload or an
 *     {@code ip:port} outside the cluster, e.g. {@code 203.0.113.10:443 api.paymentsprovider.example}.</li>
 * </ul>
 */
public final class Subjects
{
    private static final Pattern NUMBER = Pattern.compile("[0-9]+");
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern LONG_HEX = Pattern.compile("[0-9a-fA-F]{16,}");

    private Subjects() {}

    /**
     * The path of a request target without its query string, each identifier segment (all
     * digits, a UUID, or 16 or more hex digits) replaced by {@code {id}}:
     * {@code /api/v1/orders/5f0c6e1a-...?x=1} becomes {@code /api/v1/orders/{id}}.
     */
    public static String pathTemplate(String target)
    {
        int query = target.indexOf('?');
        String path = query >= 0 ? target.substring(0, query) : target;
        String[] segments = path.split("/", -1);
        StringBuilder template = new StringBuilder(path.length());
        for (int index = 0; index < segments.length; index++) {
            if (index > 0) {
                template.append('/');
            }
            String segment = segments[index];
            boolean identifier = NUMBER.matcher(segment).matches() || UUID.matcher(segment).matches() || LONG_HEX.matcher(segment).matches();
            template.append(identifier ? "{id}" : segment);
        }
        return template.toString();
    }

    public static String endpoint(String service, String method, String pathTemplate)
    {
        return service + " " + method + " " + pathTemplate;
    }

    /** {@code namespace/name} of the pod's controlling workload. */
    public static String workload(DemoCluster.Pod pod)
    {
        return pod.namespace() + "/" + DemoCluster.controllerName(pod);
    }

    public static String edge(String clientWorkload, String serverWorkload, String transport, int port)
    {
        return clientWorkload + " -> " + serverWorkload + " " + transport + " " + port;
    }

    public static String listener(String workload, String transport, int port, String application)
    {
        return workload + " " + transport + " " + port + " " + application;
    }

    public static String tlsServer(String server, String serverName)
    {
        return server + " " + serverName;
    }
}
