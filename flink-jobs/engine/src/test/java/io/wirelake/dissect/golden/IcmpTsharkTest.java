package io.wirelake.dissect.golden;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.IcmpComparison;
import io.wirelake.packets.testing.Corpus;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ICMP and ICMPv6 rows of corpus captures, message by message, against tshark (see {@link
 * IcmpComparison}): echo exchanges, a destination-unreachable quoting a DNS query, ICMP inside
 * 802.1ad, ICMPv6 neighbour discovery and multicast listener messages, Linux SLL2.
 */
class IcmpTsharkTest
{
    @ParameterizedTest
    @ValueSource(strings = {"zeek/icmp/icmp-ping.pcap", "zeek/icmp/icmp-destunreach-udp.pcap", "arkime/dot1ad.pcap", "tcpdump/icmpv6.pcap",
            "zeek/linux_dlt_sll2.pcap", "arkime/v6-http.pcap"})
    void icmpRowsAgreeWithTshark(String name)
            throws Exception
    {
        Corpus.Capture capture = Corpus.capture(name);
        IcmpComparison.assertAgrees(capture.path(), Dissection.of(capture.path()).calls());
    }
}
