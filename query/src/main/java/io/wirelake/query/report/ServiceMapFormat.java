package io.wirelake.query.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Locale;

/**
 * A service map as JSON ({@code {"snapshot", "kfl", "nodes": [{id, label, kind, namespace}],
 * "edges": [{source, target, transport, port, protocols, flows, bytes, handshake_rtt_p95_us,
 * requests, errors, latency_p95_ms}]}}), as Graphviz DOT, or as one self-contained HTML page
 * with an interactive graph (Cytoscape.js, vendored; no network needed).
 */
public final class ServiceMapFormat
{
    private static final ObjectMapper JSON = new ObjectMapper();

    private ServiceMapFormat() {}

    public static ObjectNode json(ServiceMap.Graph graph)
    {
        ObjectNode root = JSON.createObjectNode();
        root.put("snapshot", graph.snapshot());
        graph.kfl().ifPresentOrElse(kfl -> root.put("kfl", kfl), () -> root.putNull("kfl"));
        ArrayNode nodes = root.putArray("nodes");
        for (ServiceMap.Node node : graph.nodes()) {
            nodes.addObject().put("id", node.id()).put("label", node.label()).put("kind", node.kind().name().toLowerCase(Locale.ROOT))
                    .put("namespace", node.namespace());
        }
        ArrayNode edges = root.putArray("edges");
        for (ServiceMap.Edge edge : graph.edges()) {
            ObjectNode node = edges.addObject();
            node.put("source", edge.source()).put("target", edge.target()).put("transport", edge.transport()).put("port", edge.port());
            ArrayNode protocols = node.putArray("protocols");
            edge.protocols().forEach(protocols::add);
            node.put("flows", edge.flows()).put("bytes", edge.bytes());
            number(node, "handshake_rtt_p95_us", edge.handshakeRttP95Micros());
            node.put("requests", edge.requests()).put("errors", edge.errors());
            number(node, "latency_p95_ms", edge.latencyP95Millis());
        }
        return root;
    }

    public static String dot(ServiceMap.Graph graph)
    {
        StringBuilder dot = new StringBuilder("digraph \"wirelake ").append(dotEscape(graph.snapshot())).append("\" {\n")
                .append("  rankdir=LR;\n  node [shape=box, style=\"rounded,filled\", fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n");
        for (ServiceMap.Node node : graph.nodes()) {
            dot.append("  \"").append(dotEscape(node.id())).append("\" [label=\"").append(dotEscape(node.label())).append("\", fillcolor=\"")
                    .append(node.kind() == ServiceMap.Kind.EXTERNAL ? "#fde2c8" : "#dbe8fb").append("\"];\n");
        }
        for (ServiceMap.Edge edge : graph.edges()) {
            dot.append("  \"").append(dotEscape(edge.source())).append("\" -> \"").append(dotEscape(edge.target())).append("\" [label=\"")
                    .append(dotEscape(edgeLabel(edge))).append("\"").append(edge.errors() > 0 ? ", color=\"#c62828\"" : "").append("];\n");
        }
        return dot.append("}\n").toString();
    }

    public static String html(ServiceMap.Graph graph)
    {
        ArrayNode elements = JSON.createArrayNode();
        for (ServiceMap.Node node : graph.nodes()) {
            ObjectNode data = elements.addObject().putObject("data");
            data.put("id", node.id()).put("label", node.label()).put("kind", node.kind().name().toLowerCase(Locale.ROOT)).put("namespace", node.namespace());
        }
        long maximumBytes = Math.max(1, graph.edges().stream().mapToLong(ServiceMap.Edge::bytes).max().orElse(1));
        int index = 0;
        for (ServiceMap.Edge edge : graph.edges()) {
            ObjectNode data = elements.addObject().putObject("data");
            data.put("id", "e" + index++).put("source", edge.source()).put("target", edge.target()).put("label", edgeLabel(edge))
                    .put("width", 1 + 7 * Math.sqrt((double) edge.bytes() / maximumBytes)).put("errors", edge.errors())
                    .put("details", details(edge));
        }
        String title = "wirelake service map: " + graph.snapshot() + graph.kfl().map(kfl -> " [" + kfl + "]").orElse("");
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <title>%s</title>
                <style>
                  body { margin: 0; font: 14px system-ui, sans-serif; color: #1d2630; }
                  header { padding: 10px 16px; border-bottom: 1px solid #dde3ea; }
                  header h1 { font-size: 17px; margin: 0 0 4px 0; }
                  header p { margin: 0; color: #55606c; }
                  #graph { position: absolute; top: 64px; bottom: 0; left: 0; right: 320px; }
                  #details { position: absolute; top: 64px; bottom: 0; right: 0; width: 300px; padding: 10px; border-left: 1px solid #dde3ea;
                             overflow: auto; white-space: pre-wrap; font: 12px ui-monospace, monospace; }
                  .legend span { display: inline-block; width: 12px; height: 12px; border-radius: 3px; margin: 0 4px 0 12px; vertical-align: middle; }
                </style>
                </head>
                <body>
                <header>
                  <h1>%s</h1>
                  <p class="legend">%d nodes, %d edges. Drag to move, scroll to zoom, click an edge or node for details.
                    <span style="background:#dbe8fb"></span>workload <span style="background:#fde2c8"></span>outside the cluster
                    <span style="background:#c62828"></span>edge with errors</p>
                </header>
                <div id="graph"></div>
                <div id="details">Click an edge or a node.</div>
                <script>%s</script>
                <script id="map-data" type="application/json">%s</script>
                <script>
                  const elements = JSON.parse(document.getElementById('map-data').textContent);
                  const cy = cytoscape({
                    container: document.getElementById('graph'),
                    elements: elements,
                    wheelSensitivity: 0.3,
                    style: [
                      { selector: 'node', style: { 'label': 'data(label)', 'shape': 'round-rectangle', 'width': 'label', 'height': 24, 'padding': '8px',
                          'background-color': '#dbe8fb', 'border-width': 1, 'border-color': '#7a9cc6', 'font-size': 11, 'text-valign': 'center' } },
                      { selector: 'node[kind = "external"]', style: { 'background-color': '#fde2c8', 'border-color': '#d08a4a' } },
                      { selector: 'edge', style: { 'width': 'data(width)', 'line-color': '#8a99a8', 'target-arrow-color': '#8a99a8',
                          'target-arrow-shape': 'triangle', 'curve-style': 'bezier', 'label': 'data(label)', 'font-size': 9,
                          'text-rotation': 'autorotate', 'text-background-color': '#ffffff', 'text-background-opacity': 0.8 } },
                      { selector: 'edge[errors > 0]', style: { 'line-color': '#c62828', 'target-arrow-color': '#c62828' } },
                      { selector: ':selected', style: { 'overlay-opacity': 0.15 } }
                    ],
                    layout: { name: 'cose', animate: false, nodeRepulsion: 400000, idealEdgeLength: 140, randomize: false }
                  });
                  const details = document.getElementById('details');
                  cy.on('tap', 'edge', event => { details.textContent = event.target.data('details'); });
                  cy.on('tap', 'node', event => {
                    const node = event.target;
                    const lines = [node.data('label'), node.data('kind') + (node.data('namespace') ? ' in ' + node.data('namespace') : ''), ''];
                    node.outgoers('edge').forEach(edge => lines.push('-> ' + edge.target().data('label') + '  ' + edge.data('label')));
                    node.incomers('edge').forEach(edge => lines.push('<- ' + edge.source().data('label') + '  ' + edge.data('label')));
                    details.textContent = lines.join('\\n');
                  });
                  document.body.dataset.rendered = String(cy.nodes().length);
                </script>
                </body>
                </html>
                """.formatted(Html.escape(title), Html.escape(title), graph.nodes().size(), graph.edges().size(), Html.vendored("cytoscape.min.js"),
                Html.scriptJson(elements.toString()));
    }

    static String edgeLabel(ServiceMap.Edge edge)
    {
        StringBuilder label = new StringBuilder();
        label.append(edge.protocols().isEmpty() ? edge.transport() : String.join("+", edge.protocols())).append(" :").append(edge.port());
        if (edge.requests() > 0) {
            label.append(" ").append(edge.requests()).append(" req");
            if (edge.errors() > 0) {
                label.append(", ").append(edge.errors()).append(" err");
            }
            if (!Double.isNaN(edge.latencyP95Millis())) {
                label.append(String.format(Locale.ROOT, ", p95 %.1f ms", edge.latencyP95Millis()));
            }
        }
        else if (edge.flows() > 0) {
            label.append(" ").append(edge.flows()).append(" flows");
        }
        return label.toString();
    }

    private static String details(ServiceMap.Edge edge)
    {
        return String.format(Locale.ROOT, "%s%n-> %s%n%ntransport  %s, port %d%nprotocols  %s%nflows      %d%nbytes      %d%nhandshake  p95 %s%ncalls      %d%nerrors     %d%nlatency    p95 %s",
                edge.source(), edge.target(), edge.transport().isEmpty() ? "-" : edge.transport(), edge.port(),
                edge.protocols().isEmpty() ? "-" : String.join(", ", edge.protocols()), edge.flows(), edge.bytes(),
                Double.isNaN(edge.handshakeRttP95Micros()) ? "-" : String.format(Locale.ROOT, "%.0f µs", edge.handshakeRttP95Micros()),
                edge.requests(), edge.errors(), Double.isNaN(edge.latencyP95Millis()) ? "-" : String.format(Locale.ROOT, "%.1f ms", edge.latencyP95Millis()));
    }

    private static void number(ObjectNode node, String name, double value)
    {
        if (Double.isNaN(value)) {
            node.putNull(name);
        }
        else {
            node.put(name, StatsJson.round(value, 3));
        }
    }

    private static String dotEscape(String text)
    {
        return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
