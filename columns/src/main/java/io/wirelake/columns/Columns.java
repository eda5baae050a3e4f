package io.wirelake.columns;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static io.wirelake.columns.ColumnType.BOOL;
import static io.wirelake.columns.ColumnType.BYTES;
import static io.wirelake.columns.ColumnType.INT;
import static io.wirelake.columns.ColumnType.STRING;
import static io.wirelake.columns.ColumnType.STRING_LIST;
import static io.wirelake.columns.ColumnType.STRING_MAP;
import static io.wirelake.columns.ColumnType.TIMESTAMP;

/**
 * Every column of {@code api_calls} and {@code flows}, declared once. The Avro/Parquet schemas,
 * the field reference in {@code docs/FIELDS.md}, and (later) the CEL declarations and the Trino
 * DDL are all generated from this list; nothing else names the columns by hand.
 *
 * <p>Names, types and meanings follow the KFL2 variable reference. Columns marked as wirelake
 * additions are not in that reference (bodies, TCP insight metrics, flow times, anomalies).
 */
public final class Columns
{
    private static final Set<Table> BOTH = EnumSet.allOf(Table.class);
    private static final Set<Table> CALLS = EnumSet.of(Table.API_CALLS);
    private static final Set<Table> FLOWS = EnumSet.of(Table.FLOWS);

    private static final List<Column> ALL = new ArrayList<>();
    private static String section = "";

    private Columns() {}

    // ---- Network ----
    static { section = "Network"; }
    public static final Column SRC_IP = ref("src.ip", STRING, BOTH, "Source IP address: the side that opened the connection (the client)");
    public static final Column DST_IP = ref("dst.ip", STRING, BOTH, "Destination IP address: the responder (the server)");
    public static final Column SRC_PORT = ref("src.port", INT, BOTH, "Source port number (0 for protocols without ports)");
    public static final Column DST_PORT = ref("dst.port", INT, BOTH, "Destination port number (0 for protocols without ports)");
    public static final Column PROTOCOL = ref("protocol", STRING, BOTH, "Detected protocol's display name: HTTP, DNS, ... in api_calls; TCP, UDP, SCTP, ICMP in flows");
    public static final Column IP_VERSION = add("ip_version", INT, BOTH, "IP version of the packets: 4 or 6");

    // ---- Identity ----
    static { section = "Identity and metadata"; }
    public static final Column ID = ref("id", INT, BOTH, "Row identifier, unique within a table of a snapshot (or of a dissect output)");
    public static final Column NODE_ID = ref("node_id", STRING, BOTH, "Identifier of the node whose capture holds the traffic");
    public static final Column INDEX = ref("index", INT, BOTH, "Index of the row within its connection (0 for the first request)");
    public static final Column STREAM = ref("stream", STRING, BOTH, "Connection (stream) identifier as a hex string; equal for all rows of one connection");
    public static final Column TIMESTAMP_COLUMN = ref("timestamp", TIMESTAMP, BOTH, "Event time (UTC): the request's first packet in api_calls, the first packet in flows");
    public static final Column ELAPSED_TIME = ref("elapsed_time", INT, BOTH, "Request to response latency in microseconds (api_calls); flow duration in microseconds (flows)");
    public static final Column WORKER = ref("worker", STRING, BOTH, "The dissection task that produced the row");

    // ---- Cross references ----
    static { section = "Cross references"; }
    public static final Column CONN_ID = ref("conn_id", INT, BOTH, "Connection identifier shared by api_calls rows and their flows row");
    public static final Column FLOW_ID = ref("flow_id", INT, BOTH, "Flow identifier shared by api_calls rows and their flows row (equal to conn_id)");
    public static final Column HAS_PCAP = ref("has_pcap", BOOL, BOTH, "Whether the raw packets of the row are available (in the snapshot or input capture)");

    // ---- Capture source ----
    static { section = "Capture source"; }
    public static final Column CAPTURE_SOURCE = ref("capture_source", STRING, BOTH, "Canonical capture source: unspecified, af_packet, ebpf, ebpf_tls (libpcap captures are af_packet)");
    public static final Column CAPTURE_BACKEND = ref("capture_backend", STRING, BOTH, "Capture backend family: af_packet or ebpf");
    public static final Column CAPTURE_SOURCE_CODE = ref("capture_source_code", INT, BOTH, "Capture source as a number: 0 unspecified, 1 af_packet, 2 ebpf, 3 ebpf_tls");
    public static final Column CAPTURE = ref("capture", STRING_MAP, BOTH, "Capture source as a map with keys source and backend");

    // ---- Protocol flags ----
    static { section = "Protocol flags"; }
    public static final Column HTTP = ref("http", BOOL, CALLS, "HTTP/1.x or HTTP/2 request/response");
    public static final Column DNS = ref("dns", BOOL, CALLS, "DNS query/response");
    public static final Column TLS = ref("tls", BOOL, CALLS, "TLS handshake");
    public static final Column TCP = ref("tcp", BOOL, BOTH, "Carried over TCP (api_calls); a TCP connection (flows)");
    public static final Column UDP = ref("udp", BOOL, BOTH, "Carried over UDP (api_calls); a UDP flow (flows)");
    public static final Column SCTP = ref("sctp", BOOL, BOTH, "Carried over SCTP (api_calls); an SCTP association (flows)");
    public static final Column ICMP = ref("icmp", BOOL, BOTH, "ICMP or ICMPv6 message (api_calls); an ICMP flow (flows)");
    public static final Column RADIUS = ref("radius", BOOL, CALLS, "RADIUS request/response");
    public static final Column DIAMETER = ref("diameter", BOOL, CALLS, "Diameter request/answer");
    public static final Column REDIS = ref("redis", BOOL, CALLS, "Redis command/reply");
    public static final Column KAFKA = ref("kafka", BOOL, CALLS, "Kafka request/response");
    public static final Column AMQP = ref("amqp", BOOL, CALLS, "AMQP 0-9-1 method");
    public static final Column LDAP = ref("ldap", BOOL, CALLS, "LDAP operation and result");
    public static final Column WS = ref("ws", BOOL, CALLS, "WebSocket message");
    public static final Column GQL = ref("gql", BOOL, CALLS, "GraphQL over HTTP (v1 or v2)");
    public static final Column GQLV1 = ref("gqlv1", BOOL, CALLS, "GraphQL over HTTP, v1 only");
    public static final Column GQLV2 = ref("gqlv2", BOOL, CALLS, "GraphQL over HTTP, v2 only");
    public static final Column GRPC = add("grpc", BOOL, CALLS, "gRPC call over HTTP/2");
    public static final Column CONN = ref("conn", BOOL, FLOWS, "L4 connection tracking entry (true on every flows row)");
    public static final Column FLOW = ref("flow", BOOL, FLOWS, "L4 flow tracking entry (true on every flows row)");
    public static final Column TCP_CONN = ref("tcp_conn", BOOL, FLOWS, "TCP connection tracking entry");
    public static final Column TCP_FLOW = ref("tcp_flow", BOOL, FLOWS, "TCP flow tracking entry");
    public static final Column UDP_CONN = ref("udp_conn", BOOL, FLOWS, "UDP connection tracking entry");
    public static final Column UDP_FLOW = ref("udp_flow", BOOL, FLOWS, "UDP flow tracking entry");

    // ---- HTTP ----
    static { section = "HTTP"; }
    public static final Column METHOD = ref("method", STRING, CALLS, "HTTP method");
    public static final Column URL = ref("url", STRING, CALLS, "Full request target: path and query string");
    public static final Column PATH = ref("path", STRING, CALLS, "URL path without the query string");
    public static final Column STATUS_CODE = ref("status_code", INT, CALLS, "HTTP status code; for DNS, the response code (rcode)");
    public static final Column HTTP_VERSION = ref("http_version", STRING, CALLS, "HTTP version: HTTP/1.0, HTTP/1.1 or HTTP/2");
    public static final Column QUERY_STRING = ref("query_string", STRING_MAP, CALLS, "Parsed query parameters (first value of each name)");
    public static final Column REQUEST_HEADERS = ref("request.headers", STRING_MAP, CALLS, "Request headers, names in lower case, repeated headers joined with \", \"");
    public static final Column RESPONSE_HEADERS = ref("response.headers", STRING_MAP, CALLS, "Response headers, names in lower case, repeated headers joined with \", \"");
    public static final Column REQUEST_COOKIES = ref("request.cookies", STRING_MAP, CALLS, "Cookies sent in the request's Cookie headers");
    public static final Column RESPONSE_COOKIES = ref("response.cookies", STRING_MAP, CALLS, "Cookies set by the response's Set-Cookie headers (name to value)");
    public static final Column REQUEST_HEADERS_SIZE = ref("request_headers_size", INT, CALLS, "Request line and headers size in bytes");
    public static final Column REQUEST_BODY_SIZE = ref("request_body_size", INT, CALLS, "Request body size in bytes as on the wire");
    public static final Column RESPONSE_HEADERS_SIZE = ref("response_headers_size", INT, CALLS, "Status line and headers size in bytes");
    public static final Column RESPONSE_BODY_SIZE = ref("response_body_size", INT, CALLS, "Response body size in bytes as on the wire (compressed, without chunk framing)");
    public static final Column RESPONSE_BODY_DECODED_SIZE = add("response_body_decoded_size", INT, CALLS, "Response body size after content decoding (gzip, deflate); equal to response_body_size when not encoded");
    public static final Column STATUS_TEXT = add("status_text", STRING, CALLS, "HTTP reason phrase");
    public static final Column HOST = add("host", STRING, CALLS, "HTTP Host header (or :authority)");
    public static final Column REQUEST_BODY = add("request_body", BYTES, CALLS, "Request body, content-decoded and cut at the configured cap");
    public static final Column RESPONSE_BODY = add("response_body", BYTES, CALLS, "Response body, content-decoded and cut at the configured cap");

    // ---- GraphQL ----
    static { section = "GraphQL"; }
    public static final Column GQL_OPERATION_TYPE = add("gql_operation_type", STRING, CALLS, "GraphQL operation type: query, mutation or subscription");
    public static final Column GQL_OPERATION_NAME = add("gql_operation_name", STRING, CALLS, "GraphQL operation name (operationName, else the executed operation's own name; \"\" when anonymous)");

    // ---- HTTP/2 ----
    static { section = "HTTP/2"; }
    public static final Column HTTP2_STREAM_ID = add("http2_stream_id", INT, CALLS, "HTTP/2 stream identifier of the request/response (0 for HTTP/1)");
    public static final Column HTTP2_CLIENT_RESET = add("http2_client_reset", STRING, CALLS,
            "Error code name of the client's RST_STREAM on the stream (CANCEL, REFUSED_STREAM, ...; RFC 9113 section 7), \"\" when it sent none");
    public static final Column HTTP2_SERVER_RESET = add("http2_server_reset", STRING, CALLS,
            "Error code name of the server's RST_STREAM on the stream, \"\" when it sent none");

    // ---- gRPC ----
    static { section = "gRPC"; }
    public static final Column GRPC_SERVICE = add("grpc_service", STRING, CALLS, "gRPC service from the path (/package.Service/Method)");
    public static final Column GRPC_METHOD = add("grpc_method", STRING, CALLS, "gRPC method from the path");
    public static final Column GRPC_STATUS = add("grpc_status", INT, CALLS,
            "grpc-status of the call (trailers, or headers of a trailers-only response); 0 is OK and also the default. A call reset without one has the"
                    + " status its client saw (anomaly grpc.status_from_rst_stream): the client's CANCEL after its grpc-timeout is 4 (DEADLINE_EXCEEDED),"
                    + " else 1 (CANCELLED); a server's reset as gRPC's PROTOCOL-HTTP2 maps it (REFUSED_STREAM 14, ENHANCE_YOUR_CALM 8,"
                    + " INADEQUATE_SECURITY 7, CANCEL 1, others 13)");
    public static final Column GRPC_MESSAGE = add("grpc_message", STRING, CALLS, "grpc-message of the call, percent-decoded");
    public static final Column GRPC_REQUEST_MESSAGES = add("grpc_request_messages", INT, CALLS, "Length-prefixed messages the client sent");
    public static final Column GRPC_RESPONSE_MESSAGES = add("grpc_response_messages", INT, CALLS, "Length-prefixed messages the server sent");
    public static final Column GRPC_REQUEST_MESSAGE_BYTES = add("grpc_request_message_bytes", INT, CALLS, "Bytes of the client's messages (prefixes left out)");
    public static final Column GRPC_RESPONSE_MESSAGE_BYTES = add("grpc_response_message_bytes", INT, CALLS, "Bytes of the server's messages (prefixes left out)");

    // ---- DNS ----
    static { section = "DNS"; }
    public static final Column DNS_QUESTIONS = ref("dns_questions", STRING_LIST, CALLS, "Question domain names");
    public static final Column DNS_ANSWERS = ref("dns_answers", STRING_LIST, CALLS, "Answer data: addresses for A/AAAA, names for CNAME/PTR/NS, and so on");
    public static final Column DNS_QUESTION_TYPES = ref("dns_question_types", STRING_LIST, CALLS, "Record types of the questions (A, AAAA, NS, CNAME, SOA, MX, TXT, SRV, PTR, ANY, or TYPEn)");
    public static final Column DNS_REQUEST = ref("dns_request", BOOL, CALLS, "The row has the DNS query");
    public static final Column DNS_RESPONSE = ref("dns_response", BOOL, CALLS, "The row has the DNS response");
    public static final Column DNS_REQUEST_LENGTH = ref("dns_request_length", INT, CALLS, "DNS query message size in bytes (0 if absent)");
    public static final Column DNS_RESPONSE_LENGTH = ref("dns_response_length", INT, CALLS, "DNS response message size in bytes (0 if absent)");
    public static final Column DNS_TOTAL_SIZE = ref("dns_total_size", INT, CALLS, "dns_request_length + dns_response_length");
    public static final Column DNS_RCODE_NAME = add("dns_rcode_name", STRING, CALLS, "DNS response code name: NOERROR, NXDOMAIN, SERVFAIL, ... (empty without a response)");

    // ---- TLS ----
    static { section = "TLS"; }
    public static final Column TLS_SUMMARY = ref("tls_summary", STRING, CALLS, "TLS handshake summary: the hellos and certificate seen, and how the handshake ended (with its alert)");
    public static final Column TLS_INFO = ref("tls_info", STRING, CALLS, "TLS connection details: version, cipher, SNI, ALPN, fingerprints");
    public static final Column TLS_REQUEST_SIZE = ref("tls_request_size", INT, CALLS, "TLS client handshake size in bytes");
    public static final Column TLS_RESPONSE_SIZE = ref("tls_response_size", INT, CALLS, "TLS server handshake size in bytes");
    public static final Column TLS_TOTAL_SIZE = ref("tls_total_size", INT, CALLS, "tls_request_size + tls_response_size");
    public static final Column TLS_VERSION = add("tls_version", STRING, CALLS, "Version the server chose in its ServerHello (TLSv1.3, TLSv1.2, ...); \"\" when no ServerHello was seen (a refused handshake)");
    public static final Column TLS_CLIENT_VERSION = add("tls_client_version", STRING, CALLS, "Highest version the client offered (supported_versions, else the ClientHello's version)");
    public static final Column TLS_CIPHER = add("tls_cipher", STRING, CALLS, "Cipher suite the server chose (IANA name)");
    public static final Column TLS_SNI = add("tls_sni", STRING, CALLS, "Server name the client asked for (SNI)");
    public static final Column TLS_ALPN = add("tls_alpn", STRING_LIST, CALLS, "Application protocols the client offered (ALPN), in order");
    public static final Column TLS_SERVER_ALPN = add("tls_server_alpn", STRING, CALLS,
            "Application protocol the server selected (ALPN in the ServerHello: TLS 1.2 and older; TLS 1.3 encrypts it)");
    public static final Column TLS_HANDSHAKE = add("tls_handshake", STRING, CALLS,
            "How the handshake ended: established (both sides finished it), failed (a fatal alert, tls_alert_* say whose and which) or incomplete (the capture shows neither)");
    public static final Column TLS_ALERT_SENDER = add("tls_alert_sender", STRING, CALLS, "Who sent the handshake's alert: client or server (the fatal one, else the first warning); \"\" without one");
    public static final Column TLS_ALERT_LEVEL = add("tls_alert_level", STRING, CALLS, "The alert's level: warning or fatal; \"\" when it was encrypted");
    public static final Column TLS_ALERT_DESCRIPTION = add("tls_alert_description", STRING, CALLS,
            "The alert's description by its RFC 8446 name (unrecognized_name, protocol_version, handshake_failure, unknown_ca, bad_certificate, ...); \"encrypted\" for an alert sent encrypted");
    public static final Column TLS_CERTIFICATE_SUBJECT = add("tls_certificate_subject", STRING, CALLS,
            "Subject of the server's certificate (RFC 4514); TLS 1.2 and older, where the certificate is in clear");
    public static final Column TLS_CERTIFICATE_ISSUER = add("tls_certificate_issuer", STRING, CALLS, "Issuer of the server's certificate (RFC 4514); TLS 1.2 and older");
    public static final Column TLS_CERTIFICATE_SANS = add("tls_certificate_sans", STRING_LIST, CALLS,
            "The server certificate's subject alternative names: DNS names, IP addresses, URIs, e-mail addresses; TLS 1.2 and older");
    public static final Column TLS_CERTIFICATE_NOT_BEFORE = add("tls_certificate_not_before", TIMESTAMP, CALLS, "Start of the server certificate's validity; TLS 1.2 and older (the epoch when unknown)");
    public static final Column TLS_CERTIFICATE_NOT_AFTER = add("tls_certificate_not_after", TIMESTAMP, CALLS, "End of the server certificate's validity; TLS 1.2 and older (the epoch when unknown)");
    public static final Column TLS_CERTIFICATE_KEY_TYPE = add("tls_certificate_key_type", STRING, CALLS,
            "The server certificate's public key: RSA 2048, EC secp256r1, Ed25519, ...; TLS 1.2 and older");
    public static final Column TLS_JA3 = add("tls_ja3", STRING, CALLS, "JA3 fingerprint of the ClientHello");
    public static final Column TLS_JA3S = add("tls_ja3s", STRING, CALLS, "JA3S fingerprint of the ServerHello");
    public static final Column TLS_JA4 = add("tls_ja4", STRING, CALLS, "JA4 fingerprint of the ClientHello");

    // ---- TCP ----
    static { section = "TCP"; }
    public static final Column TCP_METHOD = ref("tcp_method", STRING, CALLS, "Command word opening the client's first payload of a text protocol no dissector claimed (EHLO, USER); empty for binary payloads");
    public static final Column TCP_PAYLOAD = ref("tcp_payload", BYTES, CALLS, "Raw TCP payload of unclaimed traffic, cut at the body cap");
    public static final Column TCP_ERROR_TYPE = ref("tcp_error_type", STRING, CALLS, "TCP error type (empty if none)");
    public static final Column TCP_ERROR_MESSAGE = ref("tcp_error_message", STRING, CALLS, "TCP error message (empty if none)");

    // ---- UDP ----
    static { section = "UDP"; }
    public static final Column UDP_LENGTH = ref("udp_length", INT, CALLS, "UDP length field (header and payload) of the first datagram");
    public static final Column UDP_CHECKSUM = ref("udp_checksum", INT, CALLS, "UDP checksum field of the first datagram");
    public static final Column UDP_PAYLOAD = ref("udp_payload", BYTES, CALLS, "Raw UDP payload of unclaimed traffic, cut at the body cap");

    // ---- SCTP ----
    static { section = "SCTP"; }
    public static final Column SCTP_CHECKSUM = ref("sctp_checksum", INT, CALLS, "SCTP checksum value");
    public static final Column SCTP_CHUNK_TYPE = ref("sctp_chunk_type", STRING, CALLS, "SCTP chunk type");
    public static final Column SCTP_LENGTH = ref("sctp_length", INT, CALLS, "SCTP chunk length");

    // ---- ICMP ----
    static { section = "ICMP"; }
    public static final Column ICMP_TYPE = ref("icmp_type", STRING, CALLS,
            "ICMP message type by name (echo-request, destination-unreachable, time-exceeded, packet-too-big, neighbor-solicitation, ...; type-N when unnamed);"
                    + " an echo exchange's row has its request's type (echo-reply when only the reply was seen)");
    public static final Column ICMP_VERSION = ref("icmp_version", INT, CALLS, "ICMP version: 4 or 6");
    public static final Column ICMP_LENGTH = ref("icmp_length", INT, CALLS, "ICMP message length (the request's, for an echo exchange)");
    public static final Column ICMP_TYPE_NUMBER = add("icmp_type_number", INT, CALLS, "ICMP type number (RFC 792, RFC 4443)");
    public static final Column ICMP_CODE = add("icmp_code", INT, CALLS, "ICMP code number");
    public static final Column ICMP_CODE_NAME = add("icmp_code_name", STRING, CALLS,
            "ICMP code by name for the error types (port-unreachable, fragmentation-needed, ttl-exceeded-in-transit, hop-limit-exceeded-in-transit, ...); \"\" for types without named codes");
    public static final Column ICMP_ECHO_ID = add("icmp_echo_id", INT, CALLS, "Echo identifier of an echo exchange");
    public static final Column ICMP_ECHO_SEQUENCE = add("icmp_echo_sequence", INT, CALLS, "Echo sequence number of an echo exchange");
    public static final Column ICMP_REQUEST = add("icmp_request", BOOL, CALLS, "The row has the echo request");
    public static final Column ICMP_RESPONSE = add("icmp_response", BOOL, CALLS, "The row has the echo reply (false for a request that was not answered in the capture)");
    public static final Column ICMP_MTU = add("icmp_mtu", INT, CALLS, "The MTU a packet-too-big (ICMPv6) or fragmentation-needed (ICMP) message announces; 0 otherwise");
    public static final Column ICMP_QUOTED_PROTOCOL = add("icmp_quoted_protocol", STRING, CALLS,
            "Transport of the datagram an ICMP error quotes: TCP, UDP, SCTP, ICMP, or its protocol number; \"\" for messages that quote none");
    public static final Column ICMP_QUOTED_SRC_IP = add("icmp_quoted_src_ip", STRING, CALLS, "Source address of the quoted datagram (the host whose packet failed)");
    public static final Column ICMP_QUOTED_DST_IP = add("icmp_quoted_dst_ip", STRING, CALLS, "Destination address of the quoted datagram");
    public static final Column ICMP_QUOTED_SRC_PORT = add("icmp_quoted_src_port", INT, CALLS, "Source port of the quoted datagram (TCP, UDP, SCTP)");
    public static final Column ICMP_QUOTED_DST_PORT = add("icmp_quoted_dst_port", INT, CALLS, "Destination port of the quoted datagram (TCP, UDP, SCTP)");

    // ---- WebSocket ----
    static { section = "WebSocket"; }
    public static final Column WS_OPCODE = ref("ws_opcode", STRING, CALLS, "WebSocket opcode: text, binary, close, ping, pong");
    public static final Column WS_REQUEST = ref("ws_request", BOOL, CALLS, "The message went from client to server");
    public static final Column WS_RESPONSE = ref("ws_response", BOOL, CALLS, "The message went from server to client");
    public static final Column WS_REQUEST_PAYLOAD_DATA = ref("ws_request_payload_data", STRING, CALLS, "Client message payload (safely truncated)");
    public static final Column WS_REQUEST_PAYLOAD_LENGTH = ref("ws_request_payload_length", INT, CALLS, "Client message payload length in bytes");
    public static final Column WS_RESPONSE_PAYLOAD_LENGTH = ref("ws_response_payload_length", INT, CALLS, "Server message payload length in bytes");

    // ---- Redis ----
    static { section = "Redis"; }
    public static final Column REDIS_TYPE = ref("redis_type", STRING, CALLS, "Redis command verb");
    public static final Column REDIS_COMMAND = ref("redis_command", STRING, CALLS, "Full Redis command line");
    public static final Column REDIS_KEY = ref("redis_key", STRING, CALLS, "Key (truncated to 64 bytes)");
    public static final Column REDIS_REQUEST_SIZE = ref("redis_request_size", INT, CALLS, "Request size (0 if absent)");
    public static final Column REDIS_RESPONSE_SIZE = ref("redis_response_size", INT, CALLS, "Response size (0 if absent)");
    public static final Column REDIS_TOTAL_SIZE = ref("redis_total_size", INT, CALLS, "redis_request_size + redis_response_size");
    public static final Column REDIS_REPLY = add("redis_reply", STRING, CALLS, "The reply, summarised (scalars as text, aggregates as [a, b, ...]), cut at 1 KiB");
    public static final Column REDIS_ERROR = add("redis_error", STRING, CALLS, "The error reply's text (empty when the command succeeded)");

    // ---- Kafka ----
    static { section = "Kafka"; }
    public static final Column KAFKA_API_KEY = ref("kafka_api_key", INT, CALLS, "Kafka API key number");
    public static final Column KAFKA_API_KEY_NAME = ref("kafka_api_key_name", STRING, CALLS, "Kafka API name (PRODUCE, FETCH, ...)");
    public static final Column KAFKA_CLIENT_ID = ref("kafka_client_id", STRING, CALLS, "Kafka client identifier");
    public static final Column KAFKA_SIZE = ref("kafka_size", INT, CALLS, "Message size (request preferred, else response)");
    public static final Column KAFKA_REQUEST = ref("kafka_request", BOOL, CALLS, "The row has the Kafka request");
    public static final Column KAFKA_RESPONSE = ref("kafka_response", BOOL, CALLS, "The row has the Kafka response");
    public static final Column KAFKA_REQUEST_SUMMARY = ref("kafka_request_summary", STRING, CALLS, "Request summary: the topics");
    public static final Column KAFKA_REQUEST_SIZE = ref("kafka_request_size", INT, CALLS, "Request size (0 if absent)");
    public static final Column KAFKA_RESPONSE_SIZE = ref("kafka_response_size", INT, CALLS, "Response size (0 if absent)");

    // ---- AMQP ----
    static { section = "AMQP"; }
    public static final Column AMQP_METHOD = ref("amqp_method", STRING, CALLS, "AMQP method name (basic.publish, channel.open, ...)");
    public static final Column AMQP_SUMMARY = ref("amqp_summary", STRING, CALLS, "Operation summary");
    public static final Column AMQP_REQUEST = ref("amqp_request", BOOL, CALLS, "The method went from client to server");
    public static final Column AMQP_RESPONSE = ref("amqp_response", BOOL, CALLS, "The method went from server to client");
    public static final Column AMQP_REQUEST_LENGTH = ref("amqp_request_length", INT, CALLS, "Request length (0 if absent)");
    public static final Column AMQP_RESPONSE_LENGTH = ref("amqp_response_length", INT, CALLS, "Response length (0 if absent)");
    public static final Column AMQP_TOTAL_SIZE = ref("amqp_total_size", INT, CALLS, "amqp_request_length + amqp_response_length");

    // ---- LDAP ----
    static { section = "LDAP"; }
    public static final Column LDAP_TYPE = ref("ldap_type", STRING, CALLS,
            "LDAP operation, bare (request preferred): bind, unbind, search, modify, add, delete, modify DN, compare, abandon, extended");
    public static final Column LDAP_SUMMARY = ref("ldap_summary", STRING, CALLS, "Operation summary");
    public static final Column LDAP_REQUEST = ref("ldap_request", BOOL, CALLS, "The row has the LDAP request");
    public static final Column LDAP_RESPONSE = ref("ldap_response", BOOL, CALLS, "The row has the LDAP response");
    public static final Column LDAP_REQUEST_LENGTH = ref("ldap_request_length", INT, CALLS, "Request length (0 if absent)");
    public static final Column LDAP_RESPONSE_LENGTH = ref("ldap_response_length", INT, CALLS, "Response length (0 if absent)");
    public static final Column LDAP_TOTAL_SIZE = ref("ldap_total_size", INT, CALLS, "ldap_request_length + ldap_response_length");
    public static final Column LDAP_BIND_MECHANISM = add("ldap_bind_mechanism", STRING, CALLS,
            "A bind's authentication: simple, or the SASL mechanism's name (GSSAPI, GSS-SPNEGO, EXTERNAL, DIGEST-MD5, ...); \"\" for other operations");
    public static final Column LDAP_MESSAGE_ID = add("ldap_message_id", INT, CALLS, "LDAP messageID pairing the request with its responses");
    public static final Column LDAP_DN = add("ldap_dn", STRING, CALLS, "The DN the operation is about: the bind name, the search base, the entry added, modified, deleted or compared");
    public static final Column LDAP_RESULT = add("ldap_result", STRING, CALLS, "LDAP result code name (RFC 4511: success, noSuchObject, invalidCredentials, ...); \"\" without a result");
    public static final Column LDAP_RESULT_CODE = add("ldap_result_code", INT, CALLS, "LDAP result code (0 is success and also the default)");
    public static final Column LDAP_SEARCH_ENTRIES = add("ldap_search_entries", INT, CALLS, "Entries a search returned (SearchResultEntry messages)");

    // ---- RADIUS ----
    static { section = "RADIUS"; }
    public static final Column RADIUS_CODE = ref("radius_code", INT, CALLS, "RADIUS code (request preferred)");
    public static final Column RADIUS_CODE_NAME = ref("radius_code_name", STRING, CALLS, "RADIUS code name (Access-Request, ...)");
    public static final Column RADIUS_REQUEST = ref("radius_request", BOOL, CALLS, "The row has the RADIUS request");
    public static final Column RADIUS_RESPONSE = ref("radius_response", BOOL, CALLS, "The row has the RADIUS response");
    public static final Column RADIUS_REQUEST_AUTHENTICATOR = ref("radius_request_authenticator", STRING, CALLS, "Request authenticator (hex)");
    public static final Column RADIUS_REQUEST_LENGTH = ref("radius_request_length", INT, CALLS, "Request size (0 if absent)");
    public static final Column RADIUS_RESPONSE_LENGTH = ref("radius_response_length", INT, CALLS, "Response size (0 if absent)");
    public static final Column RADIUS_TOTAL_SIZE = ref("radius_total_size", INT, CALLS, "radius_request_length + radius_response_length");
    public static final Column RADIUS_RESPONSE_CODE_NAME = add("radius_response_code_name", STRING, CALLS, "The response's code name (Access-Accept, Access-Reject, ...; empty without a response)");
    public static final Column RADIUS_USER = add("radius_user", STRING, CALLS, "User-Name attribute (request preferred)");

    // ---- Diameter ----
    static { section = "Diameter"; }
    public static final Column DIAMETER_METHOD = ref("diameter_method", STRING, CALLS, "Diameter command name (request preferred)");
    public static final Column DIAMETER_SUMMARY = ref("diameter_summary", STRING, CALLS, "Operation summary");
    public static final Column DIAMETER_REQUEST = ref("diameter_request", BOOL, CALLS, "The row has the Diameter request");
    public static final Column DIAMETER_RESPONSE = ref("diameter_response", BOOL, CALLS, "The row has the Diameter answer");
    public static final Column DIAMETER_REQUEST_LENGTH = ref("diameter_request_length", INT, CALLS, "Request size (0 if absent)");
    public static final Column DIAMETER_RESPONSE_LENGTH = ref("diameter_response_length", INT, CALLS, "Answer size (0 if absent)");
    public static final Column DIAMETER_TOTAL_SIZE = ref("diameter_total_size", INT, CALLS, "diameter_request_length + diameter_response_length");
    public static final Column DIAMETER_RESULT_CODE = add("diameter_result_code", INT, CALLS, "Result-Code of the answer (2001 is success; 0 without an answer)");

    // ---- L4 connection ----
    static { section = "L4 connection"; }
    public static final Column CONN_STATE = ref("conn_state", STRING, FLOWS, "Connection state at the end of the capture: open, in_progress or closed");
    public static final Column CONN_LOCAL_PKTS = ref("conn_local_pkts", INT, FLOWS, "Packets sent by the initiator (src)");
    public static final Column CONN_LOCAL_BYTES = ref("conn_local_bytes", INT, FLOWS, "IP bytes sent by the initiator (src)");
    public static final Column CONN_REMOTE_PKTS = ref("conn_remote_pkts", INT, FLOWS, "Packets sent by the responder (dst)");
    public static final Column CONN_REMOTE_BYTES = ref("conn_remote_bytes", INT, FLOWS, "IP bytes sent by the responder (dst)");
    public static final Column CONN_L7_DETECTED = ref("conn_l7_detected", STRING_LIST, FLOWS, "L7 protocols detected on the connection");
    public static final Column CONN_GROUP_ID = ref("conn_group_id", INT, FLOWS, "Connection group: flows of one 5-tuple (port reuse) share it");

    // ---- L4 flow ----
    static { section = "L4 flow"; }
    public static final Column FLOW_STATE = ref("flow_state", STRING, FLOWS, "Flow state: open, in_progress or closed");
    public static final Column FLOW_LOCAL_PKTS = ref("flow_local_pkts", INT, FLOWS, "Packets sent by the initiator (src)");
    public static final Column FLOW_LOCAL_BYTES = ref("flow_local_bytes", INT, FLOWS, "IP bytes sent by the initiator (src)");
    public static final Column FLOW_REMOTE_PKTS = ref("flow_remote_pkts", INT, FLOWS, "Packets sent by the responder (dst)");
    public static final Column FLOW_REMOTE_BYTES = ref("flow_remote_bytes", INT, FLOWS, "IP bytes sent by the responder (dst)");
    public static final Column FLOW_LOCAL_PPS = ref("flow_local_pps", INT, FLOWS, "Initiator packets per second over the flow's duration");
    public static final Column FLOW_LOCAL_BPS = ref("flow_local_bps", INT, FLOWS, "Initiator bytes per second over the flow's duration");
    public static final Column FLOW_REMOTE_PPS = ref("flow_remote_pps", INT, FLOWS, "Responder packets per second over the flow's duration");
    public static final Column FLOW_REMOTE_BPS = ref("flow_remote_bps", INT, FLOWS, "Responder bytes per second over the flow's duration");
    public static final Column FLOW_L7_DETECTED = ref("flow_l7_detected", STRING_LIST, FLOWS, "L7 protocols detected on the flow");
    public static final Column FLOW_GROUP_ID = ref("flow_group_id", INT, FLOWS, "Flow group: flows of one 5-tuple (port reuse) share it");
    public static final Column FLOW_END = add("flow_end", TIMESTAMP, FLOWS, "Time of the flow's last packet (UTC)");
    public static final Column FLOW_LOCAL_PAYLOAD_BYTES = add("flow_local_payload_bytes", INT, FLOWS, "Transport payload bytes sent by the initiator, each byte counted once");
    public static final Column FLOW_REMOTE_PAYLOAD_BYTES = add("flow_remote_payload_bytes", INT, FLOWS, "Transport payload bytes sent by the responder, each byte counted once");
    public static final Column ICMP_ERRORS = add("icmp_errors", INT, FLOWS, "ICMP and ICMPv6 error messages in the capture that quote this flow's packets (a UDP probe's port-unreachable, a time-exceeded)");
    public static final Column ICMP_ERROR_TYPES = add("icmp_error_types", STRING_LIST, FLOWS, "Those errors' type and code names, each once (destination-unreachable:port-unreachable, ...)");

    // ---- TCP insights ----
    static { section = "TCP insights"; }
    public static final Column TCP_HANDSHAKE_RTT = add("tcp_handshake_rtt", INT, FLOWS, "SYN to SYN-ACK to ACK round-trip time in microseconds (0 without a full handshake)");
    public static final Column TCP_MIDSTREAM = add("tcp_midstream", BOOL, FLOWS, "The connection was captured without its opening handshake");
    public static final Column TCP_RETRANSMISSIONS = add("tcp_retransmissions", INT, FLOWS,
            "Retransmissions as Wireshark's tcp.analysis.retransmission counts them, both directions: data (or SYN, FIN) below the highest sequence number"
                    + " that is not out of order (fast and spurious retransmissions included)");
    public static final Column TCP_OUT_OF_ORDER = add("tcp_out_of_order", INT, FLOWS,
            "Segments below the highest sequence number that came within one handshake round trip (3 ms without a handshake) of it and do not end where it did"
                    + " (Wireshark's tcp.analysis.out_of_order)");
    public static final Column TCP_SPURIOUS_RETRANSMISSIONS = add("tcp_spurious_retransmissions", INT, FLOWS,
            "Retransmissions of data the peer had already acknowledged (tcp.analysis.spurious_retransmission)");
    public static final Column TCP_LOST_SEGMENTS = add("tcp_lost_segments", INT, FLOWS,
            "Segments that start beyond the highest sequence number seen: the data before them was not captured (tcp.analysis.lost_segment)");
    public static final Column TCP_ACKED_UNSEEN = add("tcp_acked_unseen", INT, FLOWS,
            "ACKs for data the capture never saw the other side send (tcp.analysis.ack_lost_segment)");
    public static final Column TCP_WINDOW_UPDATES = add("tcp_window_updates", INT, FLOWS,
            "Segments without data that only change the advertised window (tcp.analysis.window_update)");
    public static final Column TCP_MISSING_BYTES = add("tcp_missing_bytes", INT, FLOWS, "Bytes never seen in the capture (gaps in the sequence space the reassembly could not fill)");
    public static final Column TCP_RST_COUNT = add("tcp_rst_count", INT, FLOWS, "Segments with RST");
    public static final Column TCP_FIN_COUNT = add("tcp_fin_count", INT, FLOWS, "Segments with FIN");
    public static final Column TCP_SYN_ACK_TIME = add("tcp_syn_ack_time", INT, FLOWS, "SYN to SYN-ACK in microseconds: the responder's share of the handshake (0 without both)");
    public static final Column TCP_RTT_SAMPLES = add("tcp_rtt_samples", INT, FLOWS, "ACKs that acknowledged exactly a segment's end (Wireshark's tcp.analysis.ack_rtt), both directions");
    public static final Column TCP_RTT_MIN = add("tcp_rtt_min", INT, FLOWS, "Smallest ACK round-trip time sample in microseconds (0 without samples)");
    public static final Column TCP_RTT_AVG = add("tcp_rtt_avg", INT, FLOWS, "Mean ACK round-trip time in microseconds (0 without samples)");
    public static final Column TCP_RTT_MAX = add("tcp_rtt_max", INT, FLOWS, "Largest ACK round-trip time sample in microseconds");
    public static final Column TCP_RTT_JITTER = add("tcp_rtt_jitter", INT, FLOWS, "Mean absolute difference between consecutive RTT samples in microseconds");
    public static final Column TCP_FAST_RETRANSMISSIONS = add("tcp_fast_retransmissions", INT, FLOWS,
            "Retransmissions of the segment two or more duplicate ACKs asked for, within 20 ms of the last (tcp.analysis.fast_retransmission)");
    public static final Column TCP_DUP_ACKS = add("tcp_dup_acks", INT, FLOWS, "Duplicate ACKs (same ACK, same window, no data), both directions");
    public static final Column TCP_ZERO_WINDOWS = add("tcp_zero_windows", INT, FLOWS, "Segments advertising a zero receive window");
    public static final Column TCP_WINDOW_FULL = add("tcp_window_full", INT, FLOWS, "Segments that filled the peer's advertised receive window");
    public static final Column TCP_KEEPALIVES = add("tcp_keepalives", INT, FLOWS, "Keep-alive segments (one byte or none, one before the next expected sequence number)");
    public static final Column TCP_LOCAL_WINDOW_SCALE = add("tcp_local_window_scale", INT, FLOWS, "Window-scale shift of the initiator (-1 when the handshake was not seen; 0 when not negotiated)");
    public static final Column TCP_REMOTE_WINDOW_SCALE = add("tcp_remote_window_scale", INT, FLOWS, "Window-scale shift of the responder (-1 when the handshake was not seen; 0 when not negotiated)");
    public static final Column TCP_LOCAL_AVG_WINDOW = add("tcp_local_avg_window", INT, FLOWS, "Mean receive window the initiator advertised, in bytes (scaled)");
    public static final Column TCP_REMOTE_AVG_WINDOW = add("tcp_remote_avg_window", INT, FLOWS, "Mean receive window the responder advertised, in bytes (scaled)");
    public static final Column TCP_COMPLETENESS = add("tcp_completeness", INT, FLOWS, "Wireshark's connection-completeness bitmask: 1 SYN, 2 SYN-ACK, 4 ACK, 8 data, 16 FIN, 32 RST (31 or 47: complete)");
    public static final Column TCP_TIME_TO_FIRST_BYTE = add("tcp_time_to_first_byte", INT, FLOWS, "Initiator's first data byte to the responder's first data byte, in microseconds (0 when either sent none)");
    public static final Column TCP_LOCAL_GOODPUT = add("tcp_local_goodput", INT, FLOWS, "Initiator's payload bytes (each counted once) per second of the flow's duration");
    public static final Column TCP_REMOTE_GOODPUT = add("tcp_remote_goodput", INT, FLOWS, "Responder's payload bytes (each counted once) per second of the flow's duration");

    // ---- Kubernetes ----
    static { section = "Kubernetes"; }
    public static final Column SRC_POD_NAME = ref("src.pod.name", STRING, BOTH, "Source pod name (falls back to the service)");
    public static final Column SRC_POD_NAMESPACE = ref("src.pod.namespace", STRING, BOTH, "Source pod namespace (falls back to the service)");
    public static final Column DST_POD_NAME = ref("dst.pod.name", STRING, BOTH, "Destination pod name (falls back to the service)");
    public static final Column DST_POD_NAMESPACE = ref("dst.pod.namespace", STRING, BOTH, "Destination pod namespace (falls back to the service)");
    public static final Column SRC_SERVICE_NAME = ref("src.service.name", STRING, BOTH, "Source service name");
    public static final Column SRC_SERVICE_NAMESPACE = ref("src.service.namespace", STRING, BOTH, "Source service namespace");
    public static final Column DST_SERVICE_NAME = ref("dst.service.name", STRING, BOTH, "Destination service name");
    public static final Column DST_SERVICE_NAMESPACE = ref("dst.service.namespace", STRING, BOTH, "Destination service namespace");
    public static final Column SRC_WORKLOAD_NAME = add("src.workload.name", STRING, BOTH,
            "Source workload: the pod's controller (a Deployment's pods belong to the Deployment, not their ReplicaSet), else the pod; for a service address the service");
    public static final Column SRC_WORKLOAD_KIND = add("src.workload.kind", STRING, BOTH, "Kind of the source workload: Deployment, StatefulSet, DaemonSet, CronJob, Job, ReplicaSet, Pod or Service");
    public static final Column DST_WORKLOAD_NAME = add("dst.workload.name", STRING, BOTH, "Destination workload, as for src.workload.name");
    public static final Column DST_WORKLOAD_KIND = add("dst.workload.kind", STRING, BOTH, "Kind of the destination workload");
    public static final Column NAMESPACES = ref("namespaces", STRING_LIST, BOTH, "All namespaces: src and dst, pod and service");
    public static final Column PODS = ref("pods", STRING_LIST, BOTH, "All pod names: src and dst");
    public static final Column SERVICES = ref("services", STRING_LIST, BOTH, "All service names: src and dst");
    public static final Column LOCAL_LABELS = ref("local_labels", STRING_MAP, BOTH, "Kubernetes labels of the local peer (src)");
    public static final Column LOCAL_ANNOTATIONS = ref("local_annotations", STRING_MAP, BOTH, "Kubernetes annotations of the local peer (src)");
    public static final Column REMOTE_LABELS = ref("remote_labels", STRING_MAP, BOTH, "Kubernetes labels of the remote peer (dst)");
    public static final Column REMOTE_ANNOTATIONS = ref("remote_annotations", STRING_MAP, BOTH, "Kubernetes annotations of the remote peer (dst)");
    public static final Column NODE = ref("node", STRING_MAP, BOTH, "The capturing node as a map with keys name and ip");
    public static final Column NODE_NAME = ref("node_name", STRING, BOTH, "The capturing node's name");
    public static final Column NODE_IP = ref("node_ip", STRING, BOTH, "The capturing node's IP");
    public static final Column LOCAL_NODE_NAME = ref("local_node_name", STRING, BOTH, "Node name of the local peer (src)");
    public static final Column REMOTE_NODE_NAME = ref("remote_node_name", STRING, BOTH, "Node name of the remote peer (dst)");
    public static final Column LOCAL_PROCESS_NAME = ref("local_process_name", STRING, BOTH, "Process name on the local peer (src); always empty: packet capture does not see processes (eBPF capture would)");
    public static final Column REMOTE_PROCESS_NAME = ref("remote_process_name", STRING, BOTH, "Process name on the remote peer (dst); always empty: packet capture does not see processes (eBPF capture would)");
    public static final Column SRC_DNS = ref("src.dns", STRING, BOTH, "DNS name of the source IP, from DNS answers seen in the capture");
    public static final Column DST_DNS = ref("dst.dns", STRING, BOTH, "DNS name of the destination IP, from DNS answers seen in the capture");
    public static final Column DNS_RESOLUTIONS = ref("dns_resolutions", STRING_LIST, BOTH, "All DNS resolutions of src and dst (deduplicated)");
    public static final Column LOCAL_RESOLUTION_STATUS = ref("local_resolution_status", STRING, BOTH, "\"\" when the local peer resolved, else why not (no_node_mapping, cache_miss, ...)");
    public static final Column REMOTE_RESOLUTION_STATUS = ref("remote_resolution_status", STRING, BOTH, "\"\" when the remote peer resolved, else why not");

    // ---- Quality ----
    static { section = "Quality"; }
    public static final Column ANOMALIES = add("anomalies", STRING_LIST, BOTH, "Named anomalies met while dissecting the row (malformed input is data, not an error)");

    private static final List<Column> FROZEN = Collections.unmodifiableList(ALL);
    private static final Map<Table, List<Column>> BY_TABLE = byTable();

    /** Every declared column, in declaration order. */
    public static List<Column> all()
    {
        return FROZEN;
    }

    /** The columns of a table, in declaration order (the schema's field order). */
    public static List<Column> of(Table table)
    {
        return BY_TABLE.get(table);
    }

    public static Optional<Column> byKflName(String kflName)
    {
        return FROZEN.stream().filter(column -> column.kflName().equals(kflName)).findFirst();
    }

    private static Map<Table, List<Column>> byTable()
    {
        Map<Table, List<Column>> tables = new LinkedHashMap<>();
        for (Table table : Table.values()) {
            tables.put(table, ALL.stream().filter(column -> column.in(table)).toList());
        }
        return Collections.unmodifiableMap(tables);
    }

    private static Column ref(String name, ColumnType type, Set<Table> tables, String doc)
    {
        return declare(new Column(name, type, section, doc, tables, true, ALL.size()));
    }

    private static Column add(String name, ColumnType type, Set<Table> tables, String doc)
    {
        return declare(new Column(name, type, section, doc, tables, false, ALL.size()));
    }

    private static Column declare(Column column)
    {
        for (Column existing : ALL) {
            if (existing.sqlName().equals(column.sqlName())) {
                throw new IllegalStateException("column declared twice: " + column.kflName());
            }
        }
        ALL.add(column);
        return column;
    }
}
