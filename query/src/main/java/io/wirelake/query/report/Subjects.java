package io.wirelake.query.report;

/**
 * The report vocabulary as SQL over {@code api_calls} and {@code flows}: what a service, a
 * workload, an endpoint, an edge, an error and a call's bytes are. One definition here, used by
 * stats, the service map and the drift checks, so they name things alike.
 *
 * <ul>
 * <li><b>workload</b> of a side: {@code namespace/controller}, the pod's controller (a Deployment's
 * pods {@code orders-594487879c-7ddxf} belong to {@code orders}; a StatefulSet's {@code redis-0} to
 * {@code redis}; the {@code *_workload_name} columns), the service of a cluster IP, else the IP;</li>
 * <li><b>service</b> (the serving side of a call): {@code namespace/service} when the destination
 * is a Kubernetes service, else the destination's workload, else {@code ip:port};</li>
 * <li><b>endpoint</b>: service, then the operation: {@code METHOD /path/{id}} for HTTP, gRPC and
 * GraphQL ({@link PathTemplate}), the command or message type for other protocols;</li>
 * <li><b>error</b>: HTTP 5xx, gRPC status ≠ 0, DNS rcode ≠ 0, a Redis error reply, an LDAP
 * result that is a failure, a RADIUS Access-Reject, a Diameter result code ≥ 3000.</li>
 * </ul>
 */
public final class Subjects
{
    private Subjects() {}

    /** The workload of one side ({@code src} or {@code dst}): {@code namespace/controller} (the enrichment's workload columns), else the IP. */
    public static String workload(String side)
    {
        String workload = q(side + "_workload_name");
        return "(CASE WHEN " + workload + " <> '' THEN " + q(side + "_pod_namespace") + " || '/' || " + workload + " ELSE " + q(side + "_ip") + " END)";
    }

    /** Whether a side is known to Kubernetes (a pod or a service). */
    public static String inCluster(String side)
    {
        return "(" + q(side + "_pod_name") + " <> '' OR " + q(side + "_service_name") + " <> '')";
    }

    /** The serving side of a call or flow. */
    public static String service()
    {
        return "(CASE WHEN \"dst_service_name\" <> '' THEN \"dst_service_namespace\" || '/' || \"dst_service_name\" WHEN \"dst_pod_name\" <> '' THEN "
                + workload("dst") + " ELSE \"dst_ip\" || ':' || CAST(\"dst_port\" AS varchar) END)";
    }

    /**
     * The server of a flow or call as edges name it: a workload of the cluster ({@code
     * namespace/controller}, or {@code namespace/service} for a cluster IP), else the DNS name the
     * capture resolved the address by, else the address.
     */
    public static String server()
    {
        return "(CASE WHEN \"dst_workload_name\" <> '' THEN " + workload("dst") + " WHEN \"dst_dns\" <> '' THEN \"dst_dns\" ELSE \"dst_ip\" END)";
    }

    /** The namespace of the serving side ('' outside the cluster). */
    public static String namespace()
    {
        return "(CASE WHEN \"dst_service_name\" <> '' THEN \"dst_service_namespace\" ELSE \"dst_pod_namespace\" END)";
    }

    /** What a call did, by protocol (api_calls). */
    public static String operation()
    {
        return "(CASE WHEN \"method\" <> '' OR \"path\" <> '' THEN \"method\" || ' ' || " + PathTemplate.sql("\"path\"")
                + " WHEN \"dns\" THEN 'DNS ' || coalesce(element_at(\"dns_question_types\", 1), '')"
                + " WHEN \"redis\" THEN 'Redis ' || upper(\"redis_type\")"
                + " WHEN \"kafka\" THEN 'Kafka ' || \"kafka_api_key_name\""
                + " WHEN \"amqp\" THEN 'AMQP ' || \"amqp_method\""
                + " WHEN \"ldap\" THEN 'LDAP ' || \"ldap_type\""
                + " WHEN \"radius\" THEN 'RADIUS ' || \"radius_code_name\""
                + " WHEN \"diameter\" THEN 'Diameter ' || \"diameter_method\""
                + " WHEN \"ws\" THEN 'WebSocket ' || \"ws_opcode\""
                + " ELSE \"protocol\" END)";
    }

    /**
     * Whether a row is a call of an API, with an endpoint: not a TLS handshake (its calls are
     * inside, encrypted) nor a row for a flow no dissector claimed.
     */
    public static String isCall()
    {
        return "(NOT \"tls\" AND \"protocol\" NOT IN ('TCP', 'UDP', 'SCTP', 'ICMP', 'IP'))";
    }

    /** An endpoint: service and operation. */
    public static String endpoint()
    {
        return "(" + service() + " || ' ' || " + operation() + ")";
    }

    /** An edge between workloads, as calls see it: {@code client → service}. */
    public static String edge()
    {
        return "(" + workload("src") + " || ' -> ' || " + service() + ")";
    }

    /** Whether a call failed (api_calls). */
    public static String error()
    {
        return "(CASE WHEN \"grpc\" THEN \"grpc_status\" <> 0"
                + " WHEN \"http\" THEN \"status_code\" >= 500"
                + " WHEN \"dns\" THEN \"dns_response\" AND \"status_code\" <> 0"
                + " WHEN \"redis\" THEN \"redis_error\" <> ''"
                // compareFalse (5), compareTrue (6), referral (10) and saslBindInProgress (14) are answers, not failures (RFC 4511 4.1.9).
                + " WHEN \"ldap\" THEN \"ldap_response\" AND \"ldap_result_code\" NOT IN (0, 5, 6, 10, 14)"
                + " WHEN \"radius\" THEN \"radius_response_code_name\" = 'Access-Reject'"
                + " WHEN \"diameter\" THEN \"diameter_result_code\" >= 3000"
                + " ELSE false END)";
    }

    /** A call's status as grouped: the protocol and its answer. */
    public static String status()
    {
        return "(CASE WHEN \"grpc\" THEN 'gRPC ' || CAST(\"grpc_status\" AS varchar)"
                + " WHEN \"http\" THEN 'HTTP ' || CAST(\"status_code\" AS varchar)"
                + " WHEN \"dns\" THEN 'DNS ' || CASE WHEN \"dns_rcode_name\" = '' THEN 'no response' ELSE \"dns_rcode_name\" END"
                + " WHEN \"redis\" THEN CASE WHEN \"redis_error\" <> '' THEN 'Redis error' ELSE 'Redis OK' END"
                + " WHEN \"ldap\" THEN 'LDAP ' || CASE WHEN \"ldap_result\" = '' THEN 'no result' ELSE \"ldap_result\" END"
                + " WHEN \"radius\" THEN 'RADIUS ' || CASE WHEN \"radius_response_code_name\" = '' THEN 'no response' ELSE \"radius_response_code_name\" END"
                + " WHEN \"diameter\" THEN 'Diameter ' || CAST(\"diameter_result_code\" AS varchar)"
                + " ELSE \"protocol\" END)";
    }

    /** Bytes of a call's messages: headers and bodies, or the protocol's message sizes (api_calls). */
    public static String bytes()
    {
        return "(\"request_headers_size\" + \"request_body_size\" + \"response_headers_size\" + \"response_body_size\" + \"dns_total_size\""
                + " + \"tls_total_size\" + \"redis_total_size\" + \"kafka_request_size\" + \"kafka_response_size\" + \"amqp_total_size\""
                + " + \"ldap_total_size\" + \"radius_total_size\" + \"diameter_total_size\" + \"ws_request_payload_length\" + \"ws_response_payload_length\")";
    }

    /**
     * Latency in milliseconds, NULL for calls without one (no response seen), so percentiles leave
     * them out. A double: Trino types {@code bigint / 1000.0} as {@code decimal(21,1)}, which rounds
     * every latency to a tenth of a millisecond.
     */
    public static String latencyMillis()
    {
        return "(CASE WHEN \"elapsed_time\" > 0 THEN \"elapsed_time\" / 1e3 END)";
    }

    private static String q(String column)
    {
        return "\"" + column + "\"";
    }
}
