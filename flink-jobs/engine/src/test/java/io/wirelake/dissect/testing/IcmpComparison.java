package io.wirelake.dissect.testing;

import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ICMP and ICMPv6 rows against tshark's {@code icmp.*} and {@code icmpv6.*} fields for the same
 * capture, message by message: an echo exchange (tshark's request/response pairing) is one line,
 * every other message a line with its type, code, the MTU it announces and the datagram it
 * quotes. The names of types and codes are checked against IANA's registries, transcribed here
 * from RFC 792, 1191, 4443 and 4861 (not taken from the dissector's table).
 */
public final class IcmpComparison
{
    /** Type names by "version type", from IANA's ICMP Type Numbers and ICMPv6 Parameters registries. */
    private static final Map<String, String> TYPE_NAMES = Map.ofEntries(
            Map.entry("4 0", "echo-reply"), Map.entry("4 3", "destination-unreachable"), Map.entry("4 5", "redirect"),
            Map.entry("4 8", "echo-request"), Map.entry("4 11", "time-exceeded"), Map.entry("4 12", "parameter-problem"),
            Map.entry("4 13", "timestamp"), Map.entry("4 14", "timestamp-reply"),
            Map.entry("6 1", "destination-unreachable"), Map.entry("6 2", "packet-too-big"), Map.entry("6 3", "time-exceeded"),
            Map.entry("6 4", "parameter-problem"), Map.entry("6 128", "echo-request"), Map.entry("6 129", "echo-reply"),
            Map.entry("6 130", "multicast-listener-query"), Map.entry("6 131", "multicast-listener-report"), Map.entry("6 132", "multicast-listener-done"),
            Map.entry("6 133", "router-solicitation"), Map.entry("6 134", "router-advertisement"), Map.entry("6 135", "neighbor-solicitation"),
            Map.entry("6 136", "neighbor-advertisement"), Map.entry("6 137", "redirect"), Map.entry("6 143", "multicast-listener-report-v2"));
    /** Code names by "version type code" for the error types (RFC 792's and RFC 4443's wording, in lower case with hyphens). */
    private static final Map<String, String> CODE_NAMES = Map.ofEntries(
            Map.entry("4 3 0", "net-unreachable"), Map.entry("4 3 1", "host-unreachable"), Map.entry("4 3 2", "protocol-unreachable"),
            Map.entry("4 3 3", "port-unreachable"), Map.entry("4 3 4", "fragmentation-needed"), Map.entry("4 3 13", "communication-administratively-prohibited"),
            Map.entry("4 5 0", "redirect-for-network"), Map.entry("4 5 1", "redirect-for-host"),
            Map.entry("4 11 0", "ttl-exceeded-in-transit"), Map.entry("4 11 1", "fragment-reassembly-time-exceeded"),
            Map.entry("4 12 0", "pointer-indicates-the-error"),
            Map.entry("6 1 0", "no-route-to-destination"), Map.entry("6 1 1", "communication-administratively-prohibited"),
            Map.entry("6 1 3", "address-unreachable"), Map.entry("6 1 4", "port-unreachable"),
            Map.entry("6 3 0", "hop-limit-exceeded-in-transit"), Map.entry("6 3 1", "fragment-reassembly-time-exceeded"),
            Map.entry("6 4 0", "erroneous-header-field"), Map.entry("6 4 1", "unrecognized-next-header-type"));

    private IcmpComparison() {}

    /** Every ICMP row of the dissection agrees with tshark, one for one, and carries the registries' names. */
    public static void assertAgrees(Path capture, List<GenericData.Record> calls)
            throws Exception
    {
        List<GenericData.Record> icmp = calls.stream().filter(row -> row.get("protocol").toString().equals("ICMP")).toList();
        List<String> ours = new ArrayList<>();
        for (GenericData.Record row : icmp) {
            ours.add(describe(row));
            String version = row.get("icmp_version").toString();
            String type = row.get("icmp_type_number").toString();
            assertThat(row.get("icmp_type").toString()).as("name of ICMPv%s type %s", version, type)
                    .isEqualTo(TYPE_NAMES.getOrDefault(version + " " + type, "type-" + type));
            String code = version + " " + type + " " + row.get("icmp_code");
            // the types whose codes have names: destination unreachable, redirect (ICMP), time exceeded, parameter problem
            boolean namedCodes = version.equals("6") ? List.of("1", "3", "4").contains(type) : List.of("3", "5", "11", "12").contains(type);
            if (namedCodes) {
                assertThat(CODE_NAMES).as("the test's transcription of the registry knows %s", code).containsKey(code);
                assertThat(row.get("icmp_code_name").toString()).as("name of code %s", code).isEqualTo(CODE_NAMES.get(code));
            }
            else {
                assertThat(row.get("icmp_code_name").toString()).as("name of code %s", code).isEmpty();
            }
        }
        assertThat(ours).as("ICMP rows of %s", capture).containsExactlyInAnyOrderElementsOf(tshark(capture));
    }

    private static String describe(GenericData.Record row)
    {
        String version = "v" + row.get("icmp_version");
        if ((Boolean) row.get("icmp_request") || (Boolean) row.get("icmp_response")) {
            return version + " echo id=" + row.get("icmp_echo_id") + " seq=" + row.get("icmp_echo_sequence") + " request=" + row.get("icmp_request")
                    + " reply=" + row.get("icmp_response") + (((Boolean) row.get("icmp_request") && (Boolean) row.get("icmp_response"))
                    ? " rtt=" + row.get("elapsed_time") : "");
        }
        StringBuilder line = new StringBuilder(version + " " + row.get("icmp_type_number") + ":" + row.get("icmp_code"));
        if ((Long) row.get("icmp_mtu") != 0) {
            line.append(" mtu=").append(row.get("icmp_mtu"));
        }
        if (!row.get("icmp_quoted_protocol").toString().isEmpty()) {
            line.append(" quoted ").append(row.get("icmp_quoted_protocol")).append(' ').append(row.get("icmp_quoted_src_ip")).append(':')
                    .append(row.get("icmp_quoted_src_port")).append(" > ").append(row.get("icmp_quoted_dst_ip")).append(':').append(row.get("icmp_quoted_dst_port"));
        }
        return line.toString();
    }

    /** tshark's view in the same words: two passes, so a request knows its response. Round trips in microseconds (tshark's resptime is in milliseconds to three places). */
    private static List<String> tshark(Path capture)
            throws Exception
    {
        List<String> lines = new ArrayList<>();
        for (String[] row : Tshark.fields(capture, List.of("-2", "-Y", "icmp || icmpv6"), "ip.src", "ip.dst", "ip.proto", "ipv6.src", "ipv6.dst",
                "icmp.type", "icmp.code", "icmp.ident", "icmp.seq", "icmp.resp_in", "icmp.resp_to", "icmp.resptime", "icmp.mtu",
                "icmpv6.type", "icmpv6.code", "icmpv6.echo.identifier", "icmpv6.echo.sequence_number", "icmpv6.resp_in", "icmpv6.resp_to",
                "icmpv6.resptime", "icmpv6.mtu", "udp.srcport", "udp.dstport", "tcp.srcport", "tcp.dstport", "sctp.srcport", "sctp.dstport")) {
            boolean v6 = row[5].isEmpty();
            String[] types = (v6 ? row[13] : row[5]).split(",");
            String type = types[0];
            String code = (v6 ? row[14] : row[6]).split(",")[0];
            boolean request = v6 ? type.equals("128") : type.equals("8");
            boolean reply = v6 ? type.equals("129") : type.equals("0");
            String version = v6 ? "v6" : "v4";
            if (request || reply) {
                String identifier = first(v6 ? row[15] : row[7]);
                String sequence = first(v6 ? row[16] : row[8]);
                boolean answered = !(v6 ? row[17] : row[9]).isEmpty();
                boolean answers = !(v6 ? row[18] : row[10]).isEmpty();
                if (request) {
                    lines.add(version + " echo id=" + Long.decode(identifier) + " seq=" + Long.decode(sequence) + " request=true reply=" + answered
                            + (answered ? " rtt=pending" : ""));
                }
                else if (answers) {
                    String time = first(v6 ? row[19] : row[11]);
                    // the request's line learns its round trip from the reply
                    String pending = version + " echo id=" + Long.decode(identifier) + " seq=" + Long.decode(sequence) + " request=true reply=true rtt=pending";
                    int index = lines.indexOf(pending);
                    assertThat(index).as("tshark's request for %s", pending).isNotNegative();
                    lines.set(index, pending.replace("pending", String.valueOf(Math.round(Double.parseDouble(time) * 1000))));
                }
                else {
                    lines.add(version + " echo id=" + Long.decode(identifier) + " seq=" + Long.decode(sequence) + " request=false reply=true");
                }
                continue;
            }
            StringBuilder line = new StringBuilder(version + " " + type + ":" + code);
            String mtu = first(v6 ? row[20] : row[12]);
            if (!mtu.isEmpty()) {
                line.append(" mtu=").append(mtu);
            }
            String[] sources = (v6 ? row[3] : row[0]).split(",");
            String[] destinations = (v6 ? row[4] : row[1]).split(",");
            if (sources.length > 1) {
                // the quoted datagram's header is tshark's second IP layer; its transport the one tshark found in it
                String protocol;
                String ports;
                if (!row[21].isEmpty()) {
                    protocol = "UDP";
                    ports = first(row[21]) + "/" + first(row[22]);
                }
                else if (!row[23].isEmpty()) {
                    protocol = "TCP";
                    ports = first(row[23]) + "/" + first(row[24]);
                }
                else if (!row[25].isEmpty()) {
                    protocol = "SCTP";
                    ports = first(row[25]) + "/" + first(row[26]);
                }
                else if (types.length > 1) {
                    protocol = "ICMP";
                    ports = "0/0";
                }
                else {
                    protocol = v6 ? "?" : row[2].split(",")[1];
                    ports = "0/0";
                }
                String[] port = ports.split("/");
                line.append(" quoted ").append(protocol).append(' ').append(sources[1]).append(':').append(port[0]).append(" > ").append(destinations[1])
                        .append(':').append(port[1]);
            }
            lines.add(line.toString());
        }
        return lines;
    }

    private static String first(String values)
    {
        return values.split(",")[0];
    }
}
