package io.wirelake.query.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * A drift report as JSON ({@code {"baseline", "current", "findings": [{"check", "severity",
 * "subject", "baseline", "current", "detail"}]}} with the windows, thresholds and a summary
 * beside), as Markdown for a pull-request comment or an agent, or as one self-contained HTML page
 * with a summary by severity, tables of what was added, removed and changed, and inline SVG charts.
 */
public final class DriftFormat
{
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> ADDED = Set.of("new_endpoint", "new_edge", "new_external_destination", "new_listener");
    private static final Set<String> REMOVED = Set.of("removed_endpoint", "removed_edge");

    private DriftFormat() {}

    public static ObjectNode json(DriftReport report)
    {
        ObjectNode root = JSON.createObjectNode();
        root.put("baseline", report.baseline());
        root.put("current", report.current());
        ObjectNode windows = root.putObject("windows");
        window(windows.putObject(report.baseline()), report.baselineWindow());
        window(windows.putObject(report.current()), report.currentWindow());
        report.kfl().ifPresentOrElse(kfl -> root.put("kfl", kfl), () -> root.putNull("kfl"));
        ObjectNode summary = root.putObject("summary");
        for (Severity severity : Severity.values()) {
            summary.put(severity.label(), report.count(severity));
        }
        root.set("thresholds", JSON.valueToTree(report.thresholds()));
        ArrayNode findings = root.putArray("findings");
        for (DriftReport.Finding finding : report.findings()) {
            ObjectNode node = findings.addObject();
            node.put("check", finding.check());
            node.put("severity", finding.severity().label());
            node.put("subject", finding.subject());
            node.set("baseline", JSON.valueToTree(finding.baseline()));
            node.set("current", JSON.valueToTree(finding.current()));
            node.put("detail", finding.detail());
        }
        return root;
    }

    public static String markdown(DriftReport report)
    {
        StringBuilder text = new StringBuilder();
        text.append("## Traffic drift: `").append(report.current()).append("` against `").append(report.baseline()).append("`\n\n");
        text.append("Windows: ").append(describe(report.baselineWindow())).append(" (baseline), ").append(describe(report.currentWindow())).append(" (current)");
        report.kfl().ifPresent(kfl -> text.append("; calls and flows selected by `").append(kfl.replace("`", "'")).append('`'));
        text.append(".\n\n");
        text.append("| critical | warning | info |\n|---:|---:|---:|\n| ").append(report.count(Severity.CRITICAL)).append(" | ").append(report.count(Severity.WARNING))
                .append(" | ").append(report.count(Severity.INFO)).append(" |\n\n");
        if (report.findings().isEmpty()) {
            return text.append("No drift: nothing appeared, disappeared or changed beyond the thresholds.\n").toString();
        }
        text.append("| severity | check | subject | what changed |\n|---|---|---|---|\n");
        for (DriftReport.Finding finding : report.findings()) {
            text.append("| ").append(finding.severity().label()).append(" | `").append(finding.check()).append("` | ").append(cell(finding.subject())).append(" | ")
                    .append(cell(finding.detail())).append(" |\n");
        }
        return text.toString();
    }

    public static String html(DriftReport report)
    {
        StringBuilder body = new StringBuilder();
        String title = "Traffic drift: " + report.current() + " against " + report.baseline();
        body.append("<h1>").append(Html.escape(title)).append("</h1>\n<p class=\"meta\">Baseline ").append(Html.escape(describe(report.baselineWindow())))
                .append(", current ").append(Html.escape(describe(report.currentWindow())));
        report.kfl().ifPresent(kfl -> body.append(", filter <code>").append(Html.escape(kfl)).append("</code>"));
        body.append(".</p>\n<div class=\"cards\">");
        for (Severity severity : List.of(Severity.CRITICAL, Severity.WARNING, Severity.INFO)) {
            body.append("<div class=\"card ").append(severity.label()).append("\"><b>").append(report.count(severity)).append("</b>").append(severity.label())
                    .append("</div>");
        }
        body.append("</div>\n");
        table(body, "Added", report.findings().stream().filter(finding -> ADDED.contains(finding.check())).toList());
        table(body, "Removed", report.findings().stream().filter(finding -> REMOVED.contains(finding.check())).toList());
        table(body, "Changed", report.findings().stream().filter(finding -> !ADDED.contains(finding.check()) && !REMOVED.contains(finding.check())).toList());
        body.append("<h2>Latency, baseline and current</h2>\n").append(latencyChart(report));
        body.append("<h2>Error rate change</h2>\n").append(errorChart(report));
        body.append("<h2>Edges between workloads</h2>\n").append(edgeGraph(report));
        int charts = 3;
        return """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <title>%s</title>
                <style>
                  body { font: 14px system-ui, sans-serif; color: #1d2630; margin: 24px auto; max-width: 1100px; padding: 0 16px; }
                  h1 { font-size: 22px; } h2 { font-size: 17px; margin-top: 28px; }
                  .meta { color: #55606c; }
                  .cards { display: flex; gap: 12px; }
                  .card { padding: 10px 18px; border-radius: 8px; color: #fff; text-transform: uppercase; font-size: 12px; }
                  .card b { display: block; font-size: 26px; }
                  .critical { background: #c62828; } .warning { background: #ef8f00; } .info { background: #4f7cac; }
                  table { border-collapse: collapse; width: 100%%; margin-top: 6px; }
                  th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid #e3e8ee; vertical-align: top; }
                  td.sev { color: #fff; border-radius: 4px; font-size: 11px; text-transform: uppercase; white-space: nowrap; }
                  code { background: #f1f4f7; padding: 1px 4px; border-radius: 3px; }
                  svg.chart { display: block; margin-top: 8px; }
                  svg.chart text { font: 11px system-ui, sans-serif; fill: #1d2630; }
                </style>
                </head>
                <body data-rendered="%d">
                %s
                </body>
                </html>
                """.formatted(Html.escape(title), charts, body);
    }

    private static void table(StringBuilder body, String heading, List<DriftReport.Finding> findings)
    {
        body.append("<h2>").append(heading).append(" (").append(findings.size()).append(")</h2>\n");
        if (findings.isEmpty()) {
            body.append("<p class=\"meta\">Nothing.</p>\n");
            return;
        }
        body.append("<table><tr><th>severity</th><th>check</th><th>subject</th><th>what changed</th></tr>\n");
        for (DriftReport.Finding finding : findings) {
            body.append("<tr><td class=\"sev ").append(finding.severity().label()).append("\">").append(finding.severity().label()).append("</td><td><code>")
                    .append(finding.check()).append("</code></td><td>").append(Html.escape(finding.subject())).append("</td><td>").append(Html.escape(finding.detail()))
                    .append("</td></tr>\n");
        }
        body.append("</table>\n");
    }

    /** p50–p99 whiskers with p95 bars, baseline above current, per endpoint, on a log scale. */
    private static String latencyChart(DriftReport report)
    {
        List<Stats.Group> groups = report.context().endpoints().groups().stream()
                .filter(group -> group.bySnapshot().values().stream().anyMatch(metrics -> !Double.isNaN(metrics.p95Millis()))).toList();
        int labelWidth = 360;
        int plotWidth = 600;
        int rowHeight = 30;
        int height = 40 + rowHeight * Math.max(1, groups.size());
        double minimum = 0.1;
        double maximum = 10;
        for (Stats.Group group : groups) {
            for (Stats.Metrics metrics : group.bySnapshot().values()) {
                if (!Double.isNaN(metrics.p99Millis())) {
                    maximum = Math.max(maximum, metrics.p99Millis());
                }
            }
        }
        double low = Math.log10(minimum);
        double high = Math.log10(maximum) + 0.1;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart\" width=\"").append(labelWidth + plotWidth + 20).append("\" height=\"").append(height).append("\" role=\"img\">");
        for (double tick = minimum; tick <= maximum * 1.26; tick *= 10) {
            double x = labelWidth + plotWidth * (Math.log10(tick) - low) / (high - low);
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"20\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e3e8ee\"/><text x=\"%.1f\" y=\"14\" text-anchor=\"middle\">%s ms</text>",
                    x, x, height - 10, x, tick < 1 ? String.format(Locale.ROOT, "%.1f", tick) : String.format(Locale.ROOT, "%.0f", tick)));
        }
        int row = 0;
        for (Stats.Group group : groups) {
            double y = 28 + row++ * rowHeight;
            svg.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%.1f\">%s</text>", y + 12, Html.escape(shorten(group.key(), 56))));
            int side = 0;
            for (String snapshot : List.of(report.baseline(), report.current())) {
                Stats.Metrics metrics = group.bySnapshot().get(snapshot);
                double top = y + side * 11;
                String colour = side++ == 0 ? "#9aa7b4" : "#2f6fb7";
                if (metrics == null || Double.isNaN(metrics.p95Millis())) {
                    continue;
                }
                double x50 = scale(metrics.p50Millis(), low, high, labelWidth, plotWidth);
                double x95 = scale(metrics.p95Millis(), low, high, labelWidth, plotWidth);
                double x99 = scale(metrics.p99Millis(), low, high, labelWidth, plotWidth);
                svg.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%.1f\" width=\"%.1f\" height=\"9\" fill=\"%s\"><title>%s %s: p50 %.1f ms, p95 %.1f ms, p99 %.1f ms</title></rect>",
                        labelWidth, top, Math.max(1, x95 - labelWidth), colour, Html.escape(snapshot), Html.escape(group.key()), metrics.p50Millis(), metrics.p95Millis(),
                        metrics.p99Millis()));
                svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#1d2630\" stroke-width=\"1\"/>", x50, top + 4.5, x99, top + 4.5));
            }
        }
        svg.append(legend(labelWidth, height - 4, List.of("#9aa7b4", "#2f6fb7"), List.of(report.baseline() + " p95 (line: p50-p99)", report.current() + " p95")));
        return svg.append("</svg>\n").toString();
    }

    /** The change of each endpoint's error rate, in percentage points. */
    private static String errorChart(DriftReport report)
    {
        List<Stats.Group> groups = report.context().endpoints().groups().stream()
                .filter(group -> group.bySnapshot().containsKey(report.baseline()) && group.bySnapshot().containsKey(report.current())).toList();
        int labelWidth = 360;
        int plotWidth = 600;
        int rowHeight = 20;
        int height = 40 + rowHeight * Math.max(1, groups.size());
        double largest = 1;
        for (Stats.Group group : groups) {
            largest = Math.max(largest, Math.abs(delta(report, group)));
        }
        double zero = labelWidth + plotWidth / 2.0;
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart\" width=\"").append(labelWidth + plotWidth + 20).append("\" height=\"").append(height).append("\" role=\"img\">");
        svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"18\" x2=\"%.1f\" y2=\"%d\" stroke=\"#1d2630\"/><text x=\"%.1f\" y=\"14\" text-anchor=\"middle\">0</text>",
                zero, zero, height - 10, zero));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"14\" text-anchor=\"start\">-%.1f pp</text><text x=\"%d\" y=\"14\" text-anchor=\"end\">+%.1f pp</text>",
                labelWidth, largest, labelWidth + plotWidth, largest));
        int row = 0;
        for (Stats.Group group : groups) {
            double y = 24 + row++ * rowHeight;
            double change = delta(report, group);
            double width = Math.max(1, Math.abs(change) / largest * plotWidth / 2);
            svg.append(String.format(Locale.ROOT, "<text x=\"0\" y=\"%.1f\">%s</text>", y + 11, Html.escape(shorten(group.key(), 56))));
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"13\" fill=\"%s\"><title>%s: %+.2f percentage points</title></rect>",
                    change >= 0 ? zero : zero - width, y, width, change > 0 ? "#c62828" : "#2e7d32", Html.escape(group.key()), change));
        }
        return svg.append("</svg>\n").toString();
    }

    private static double delta(DriftReport report, Stats.Group group)
    {
        return 100 * (group.bySnapshot().get(report.current()).errorRate() - group.bySnapshot().get(report.baseline()).errorRate());
    }

    /** The cluster's workloads and what they call, on a circle; edges grey when on both sides, green when new, red and dashed when gone. */
    private static String edgeGraph(DriftReport report)
    {
        TreeSet<String> names = new TreeSet<>();
        for (DriftReport.EdgePresence edge : report.context().edges()) {
            names.add(edge.client());
            names.add(edge.server());
        }
        List<String> nodes = new ArrayList<>(names);
        int size = 760;
        double radius = size / 2.0 - 130;
        double centre = size / 2.0;
        java.util.Map<String, double[]> positions = new java.util.HashMap<>();
        for (int index = 0; index < nodes.size(); index++) {
            double angle = 2 * Math.PI * index / Math.max(1, nodes.size()) - Math.PI / 2;
            positions.put(nodes.get(index), new double[] {centre + radius * Math.cos(angle), centre + radius * Math.sin(angle)});
        }
        StringBuilder svg = new StringBuilder();
        svg.append("<svg class=\"chart\" width=\"").append(size).append("\" height=\"").append(size + 20).append("\" role=\"img\">");
        svg.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"6\" markerHeight=\"6\" orient=\"auto-start-reverse\">"
                + "<path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#55606c\"/></marker></defs>");
        for (DriftReport.EdgePresence edge : report.context().edges()) {
            double[] from = positions.get(edge.client());
            double[] to = positions.get(edge.server());
            String colour = edge.inBaseline() && edge.inCurrent() ? "#9aa7b4" : edge.inCurrent() ? "#2e7d32" : "#c62828";
            String dash = edge.inCurrent() ? "" : " stroke-dasharray=\"6 4\"";
            svg.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-width=\"%s\"%s marker-end=\"url(#arrow)\">"
                            + "<title>%s -> %s: %d flow(s) in %s, %d in %s</title></line>",
                    from[0], from[1], to[0], to[1], colour, edge.inBaseline() && edge.inCurrent() ? "1.2" : "2.5", dash, Html.escape(edge.client()), Html.escape(edge.server()),
                    edge.baselineFlows(), Html.escape(report.baseline()), edge.currentFlows(), Html.escape(report.current())));
        }
        for (String node : nodes) {
            double[] at = positions.get(node);
            boolean right = at[0] >= centre;
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"5\" fill=\"#2f6fb7\"/><text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>",
                    at[0], at[1], at[0] + (right ? 8 : -8), at[1] + 4, right ? "start" : "end", Html.escape(shorten(node, 40))));
        }
        svg.append(legend(10, size + 14, List.of("#9aa7b4", "#2e7d32", "#c62828"), List.of("on both sides", "new in " + report.current(), "gone since " + report.baseline())));
        return svg.append("</svg>\n").toString();
    }

    private static String legend(int x, int y, List<String> colours, List<String> labels)
    {
        StringBuilder legend = new StringBuilder();
        int at = x;
        for (int index = 0; index < colours.size(); index++) {
            legend.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\">%s</text>", at, y - 9, colours.get(index),
                    at + 14, y, Html.escape(labels.get(index))));
            at += 24 + 7 * labels.get(index).length();
        }
        return legend.toString();
    }

    private static double scale(double millis, double low, double high, int left, int width)
    {
        double value = Math.log10(Math.max(millis, Math.pow(10, low)));
        return left + width * (value - low) / (high - low);
    }

    private static String shorten(String text, int length)
    {
        return text.length() <= length ? text : text.substring(0, length - 1) + "…";
    }

    private static String cell(String text)
    {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    private static void window(ObjectNode node, Window window)
    {
        node.put("from", Instant.EPOCH.plus(window.fromMicros(), ChronoUnit.MICROS).toString());
        node.put("to", Instant.EPOCH.plus(window.toMicros(), ChronoUnit.MICROS).toString());
        node.put("minutes", StatsJson.round(window.minutes(), 3));
    }

    private static String describe(Window window)
    {
        return Instant.EPOCH.plus(window.fromMicros(), ChronoUnit.MICROS).truncatedTo(ChronoUnit.SECONDS) + " .. "
                + Instant.EPOCH.plus(window.toMicros(), ChronoUnit.MICROS).truncatedTo(ChronoUnit.SECONDS)
                + String.format(Locale.ROOT, " (%.1f min)", window.minutes());
    }
}
