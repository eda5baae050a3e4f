package io.wirelake.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/**
 * The two sides of a call or flow as Kubeshark's tools show them: {@code src} (the client, which
 * opened the connection) and {@code dst} (the server), each with its IP, port, pod, namespace,
 * service, workload and node, empty strings where the row has no Kubernetes names.
 */
final class Peers
{
    /** The columns a side needs, for a side ({@code src} or {@code dst}). */
    static List<String> columns(String side)
    {
        String node = side.equals("src") ? "local_node_name" : "remote_node_name";
        return List.of(side + "_ip", side + "_port", side + "_pod_name", side + "_pod_namespace", side + "_service_name", side + "_service_namespace",
                side + "_workload_name", side + "_workload_kind", node);
    }

    private Peers() {}

    static ObjectNode side(Map<String, Object> row, String side)
    {
        ObjectNode node = Json.object();
        node.put("ip", text(row, side + "_ip"));
        node.put("port", number(row, side + "_port"));
        node.put("pod", text(row, side + "_pod_name"));
        node.put("ns", text(row, side + "_pod_namespace"));
        node.put("svc", text(row, side + "_service_name"));
        node.put("svc_ns", text(row, side + "_service_namespace"));
        node.put("workload", text(row, side + "_workload_name"));
        node.put("workload_kind", text(row, side + "_workload_kind"));
        node.put("node", text(row, side.equals("src") ? "local_node_name" : "remote_node_name"));
        node.put("name", display(row, side));
        return node;
    }

    /** Who a side is, in one string: {@code namespace/pod} (or {@code namespace/service} for a server), else the IP. */
    static String display(Map<String, Object> row, String side)
    {
        if (side.equals("dst") && !text(row, "dst_service_name").isEmpty()) {
            return text(row, "dst_service_namespace") + "/" + text(row, "dst_service_name");
        }
        if (!text(row, side + "_pod_name").isEmpty()) {
            return text(row, side + "_pod_namespace") + "/" + text(row, side + "_pod_name");
        }
        return text(row, side + "_ip");
    }

    static String text(Map<String, Object> row, String column)
    {
        Object value = row.get(column);
        return value == null ? "" : value.toString();
    }

    static long number(Map<String, Object> row, String column)
    {
        Object value = row.get(column);
        return value instanceof Number number ? number.longValue() : 0;
    }

    static boolean flag(Map<String, Object> row, String column)
    {
        return Boolean.TRUE.equals(row.get(column));
    }
}
