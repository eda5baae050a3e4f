package io.wirelake.dissect.golden;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.packets.testing.Corpus;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** ICMP and ICMPv6 rows: one per ICMP flow, with the first message's type and code as tshark reads them. */
class IcmpTsharkTest
{
    @ParameterizedTest
    @ValueSource(strings = {"zeek/icmp/icmp-ping.pcap", "zeek/icmp/icmp-destunreach-udp.pcap", "arkime/dot1ad.pcap", "tcpdump/icmpv6.pcap",
            "zeek/linux_dlt_sll2.pcap"})
    void icmpRowsCarryTsharksTypesAndCodes(String name)
            throws Exception
    {
        Corpus.Capture capture = Corpus.capture(name);
        // The first message of each (source, destination) pair in either direction, in capture order.
        List<String> expected = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String[] row : Tshark.fields(capture.path(), List.of("-Y", "icmp || icmpv6"), "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "icmp.type",
                "icmp.code", "icmpv6.type", "icmpv6.code")) {
            String source = row[0].isEmpty() ? row[2] : row[0].split(",")[0];
            String destination = row[1].isEmpty() ? row[3] : row[1].split(",")[0];
            String pair = source.compareTo(destination) < 0 ? source + " " + destination : destination + " " + source;
            if (seen.add(pair)) {
                boolean v6 = row[4].isEmpty();
                expected.add((v6 ? "6 " + row[6].split(",")[0] + ":" + row[7].split(",")[0] : "4 " + row[4].split(",")[0] + ":" + row[5].split(",")[0]));
            }
        }
        List<String> ours = new ArrayList<>();
        for (GenericData.Record call : Dissection.of(capture.path()).calls("ICMP")) {
            ours.add(call.get("icmp_version") + " " + numeric(((Long) call.get("icmp_version")).intValue(), (String) call.get("icmp_type")));
        }
        assertThat(ours).containsExactlyInAnyOrderElementsOf(expected);
    }

    /** Back from the name to type:code, through the same table the dissector uses. */
    private static String numeric(int version, String name)
    {
        String[] parts = name.split(":");
        String code = parts.length > 1 ? parts[1] : "0";
        for (int type = 0; type < 256; type++) {
            if (io.wirelake.dissect.flow.TransportProtocolsAccess.icmpTypeName(version, type, 0).equals(parts[0])) {
                return type + ":" + code;
            }
        }
        return name;
    }
}
