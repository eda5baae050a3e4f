"""The report vocabulary as SQL over ``api_calls`` and ``flows``, the same text as the ``wirelake``
command's (``query/src/main/java/io/wirelake/query/report/Subjects.java`` and ``PathTemplate.java``),
so that a notebook names workloads, services, endpoints and errors exactly as ``stats`` and ``diff``
do. A test (``dist/.../NotebooksTest``) holds every function here to the Java one, character for
character.

- **workload** of a side: ``namespace/controller`` (the ``*_workload_name`` columns), else the IP;
- **service** (the serving side of a call): ``namespace/service``, else the destination's workload,
  else ``ip:port``;
- **endpoint**: service, then the operation (``METHOD /path/{id}`` for HTTP, gRPC and GraphQL; the
  command or message type for other protocols);
- **error**: HTTP 5xx, gRPC status other than 0, DNS rcode other than 0, a Redis error reply, an
  LDAP failure, a RADIUS Access-Reject, a Diameter result code of 3000 or more.
"""

ID = "{id}"
# One path segment that is an identifier; RE2 syntax (Trino runs RE2J).
IDENTIFIER = "^([0-9]+|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|[0-9a-fA-F]{16,})$"


def _q(column: str) -> str:
    return '"' + column + '"'


def path_template(path_expression: str) -> str:
    """The path with its query dropped and each identifier segment replaced by ``{id}``."""
    return ("array_join(transform(split(split_part(" + path_expression + ", '?', 1), '/'), segment -> CASE WHEN regexp_like(segment, '"
            + IDENTIFIER + "') THEN '" + ID + "' ELSE segment END), '/')")


def workload(side: str) -> str:
    """The workload of one side (``src`` or ``dst``): ``namespace/controller``, else the IP."""
    name = _q(side + "_workload_name")
    return "(CASE WHEN " + name + " <> '' THEN " + _q(side + "_pod_namespace") + " || '/' || " + name + " ELSE " + _q(side + "_ip") + " END)"


def in_cluster(side: str) -> str:
    """Whether a side is known to Kubernetes (a pod or a service)."""
    return "(" + _q(side + "_pod_name") + " <> '' OR " + _q(side + "_service_name") + " <> '')"


def service() -> str:
    """The serving side of a call or flow."""
    return ("(CASE WHEN \"dst_service_name\" <> '' THEN \"dst_service_namespace\" || '/' || \"dst_service_name\" WHEN \"dst_pod_name\" <> '' THEN "
            + workload("dst") + " ELSE \"dst_ip\" || ':' || CAST(\"dst_port\" AS varchar) END)")


def server() -> str:
    """The server of a flow or call as edges name it: a workload, else the DNS name it was resolved by, else the address."""
    return "(CASE WHEN \"dst_workload_name\" <> '' THEN " + workload("dst") + " WHEN \"dst_dns\" <> '' THEN \"dst_dns\" ELSE \"dst_ip\" END)"


def namespace() -> str:
    """The namespace of the serving side ('' outside the cluster)."""
    return "(CASE WHEN \"dst_service_name\" <> '' THEN \"dst_service_namespace\" ELSE \"dst_pod_namespace\" END)"


def operation() -> str:
    """What a call did, by protocol (api_calls)."""
    return ("(CASE WHEN \"method\" <> '' OR \"path\" <> '' THEN \"method\" || ' ' || " + path_template("\"path\"")
            + " WHEN \"dns\" THEN 'DNS ' || coalesce(element_at(\"dns_question_types\", 1), '')"
            + " WHEN \"redis\" THEN 'Redis ' || upper(\"redis_type\")"
            + " WHEN \"kafka\" THEN 'Kafka ' || \"kafka_api_key_name\""
            + " WHEN \"amqp\" THEN 'AMQP ' || \"amqp_method\""
            + " WHEN \"ldap\" THEN 'LDAP ' || \"ldap_type\""
            + " WHEN \"radius\" THEN 'RADIUS ' || \"radius_code_name\""
            + " WHEN \"diameter\" THEN 'Diameter ' || \"diameter_method\""
            + " WHEN \"ws\" THEN 'WebSocket ' || \"ws_opcode\""
            + " ELSE \"protocol\" END)")


def is_call() -> str:
    """A call of an API, with an endpoint: not a TLS handshake nor a row for a flow no dissector claimed."""
    return "(NOT \"tls\" AND \"protocol\" NOT IN ('TCP', 'UDP', 'SCTP', 'ICMP', 'IP'))"


def endpoint() -> str:
    """An endpoint: service and operation."""
    return "(" + service() + " || ' ' || " + operation() + ")"


def edge() -> str:
    """An edge between workloads, as calls see it: ``client -> service``."""
    return "(" + workload("src") + " || ' -> ' || " + service() + ")"


def error() -> str:
    """Whether a call failed (api_calls)."""
    return ("(CASE WHEN \"grpc\" THEN \"grpc_status\" <> 0"
            + " WHEN \"http\" THEN \"status_code\" >= 500"
            + " WHEN \"dns\" THEN \"dns_response\" AND \"status_code\" <> 0"
            + " WHEN \"redis\" THEN \"redis_error\" <> ''"
            # compareFalse, compareTrue, referral and saslBindInProgress are answers, not failures (RFC 4511 4.1.9).
            + " WHEN \"ldap\" THEN \"ldap_response\" AND \"ldap_result_code\" NOT IN (0, 5, 6, 10, 14)"
            + " WHEN \"radius\" THEN \"radius_response_code_name\" = 'Access-Reject'"
            + " WHEN \"diameter\" THEN \"diameter_result_code\" >= 3000"
            + " ELSE false END)")


def status() -> str:
    """A call's status as grouped: the protocol and its answer."""
    return ("(CASE WHEN \"grpc\" THEN 'gRPC ' || CAST(\"grpc_status\" AS varchar)"
            + " WHEN \"http\" THEN 'HTTP ' || CAST(\"status_code\" AS varchar)"
            + " WHEN \"dns\" THEN 'DNS ' || CASE WHEN \"dns_rcode_name\" = '' THEN 'no response' ELSE \"dns_rcode_name\" END"
            + " WHEN \"redis\" THEN CASE WHEN \"redis_error\" <> '' THEN 'Redis error' ELSE 'Redis OK' END"
            + " WHEN \"ldap\" THEN 'LDAP ' || CASE WHEN \"ldap_result\" = '' THEN 'no result' ELSE \"ldap_result\" END"
            + " WHEN \"radius\" THEN 'RADIUS ' || CASE WHEN \"radius_response_code_name\" = '' THEN 'no response' ELSE \"radius_response_code_name\" END"
            + " WHEN \"diameter\" THEN 'Diameter ' || CAST(\"diameter_result_code\" AS varchar)"
            + " ELSE \"protocol\" END)")


def call_bytes() -> str:
    """Bytes of a call's messages: headers and bodies, or the protocol's message sizes (api_calls)."""
    return ("(\"request_headers_size\" + \"request_body_size\" + \"response_headers_size\" + \"response_body_size\" + \"dns_total_size\""
            + " + \"tls_total_size\" + \"redis_total_size\" + \"kafka_request_size\" + \"kafka_response_size\" + \"amqp_total_size\""
            + " + \"ldap_total_size\" + \"radius_total_size\" + \"diameter_total_size\" + \"ws_request_payload_length\" + \"ws_response_payload_length\")")


def latency_millis() -> str:
    """Latency in milliseconds, NULL for calls without one (no response seen), so percentiles leave them out."""
    # A double: Trino types bigint / 1000.0 as decimal(21,1), which rounds to a tenth of a millisecond.
    return "(CASE WHEN \"elapsed_time\" > 0 THEN \"elapsed_time\" / 1e3 END)"


def flow_edge() -> str:
    """An edge of the drift checks, from flows: ``client -> server TCP 8080`` (``DriftChecks.edge``)."""
    return "(" + workload("src") + " || ' -> ' || " + server() + " || ' ' || \"protocol\" || ' ' || CAST(\"dst_port\" AS varchar))"


def nearest_rank(latencies: str, fraction: str) -> str:
    """The nearest-rank percentile of a sorted array, NULL when empty (as ``stats`` computes p50, p95 and p99)."""
    return "element_at(" + latencies + ", greatest(1, CAST(ceil(" + fraction + " * cardinality(" + latencies + ")) AS integer)))"
