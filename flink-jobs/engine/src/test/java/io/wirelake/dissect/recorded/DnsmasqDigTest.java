package io.wirelake.dissect.recorded;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.LoopbackCapture;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.wirelake.dissect.testing.LoopbackCapture.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * dig against dnsmasq on loopback, over UDP and TCP, recorded with tcpdump, dissected and compared
 * with tshark's dissection of the same file: question names and types, response codes, answers.
 * The names of types and response codes come from IANA's DNS Parameters registry, written out
 * here (not from the dissector's own table, which a wrong entry would then pass).
 */
@Tag("root")
class DnsmasqDigTest
{
    @TempDir
    static Path directory;
    static Process dnsmasq;
    static Path capture;
    static int port;

    /** RR TYPEs (IANA "Resource Record (RR) TYPEs"; RFC 1035 section 3.2.2, RFC 3596 for AAAA) of the lookups below. */
    private static final Map<Integer, String> TYPES = Map.of(1, "A", 2, "NS", 5, "CNAME", 6, "SOA", 12, "PTR", 15, "MX", 16, "TXT", 28, "AAAA");
    /** RCODEs (IANA "DNS RCODEs"; RFC 1035 section 4.1.1, RFC 2136 for 6 to 10). */
    private static final Map<Integer, String> RCODES = Map.of(0, "NOERROR", 1, "FORMERR", 2, "SERVFAIL", 3, "NXDOMAIN", 4, "NOTIMP", 5, "REFUSED",
            6, "YXDOMAIN", 7, "YXRRSET", 8, "NXRRSET", 9, "NOTAUTH");

    @BeforeAll
    static void record()
            throws Exception
    {
        port = LoopbackCapture.freePort();
        dnsmasq = new ProcessBuilder("dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts", "--user=root", "--pid-file=",
                "--listen-address=127.0.0.1", "--bind-interfaces", "--port=" + port, "--local=/test/",
                "--address=/web.test/10.1.2.3", "--host-record=db.test,10.1.2.4,fd00::4", "--mx-host=test,mail.test,10",
                "--txt-record=txt.test,hello world", "--cname=alias.test,db.test")
                .redirectErrorStream(true).redirectOutput(directory.resolve("dnsmasq.out").toFile()).start();
        LoopbackCapture.waitForPort(port, "udp");
        try (LoopbackCapture recording = LoopbackCapture.start(directory.resolve("dns.pcap"), "port " + port)) {
            String server = "@127.0.0.1";
            String portOption = "-p" + port;
            run(List.of("dig", server, portOption, "+tries=1", "+time=3", "web.test", "A", "db.test", "AAAA", "test", "MX", "txt.test", "TXT",
                    "alias.test", "A", "missing.test", "A"));
            run(List.of("dig", server, portOption, "+tcp", "+tries=1", "+time=3", "db.test", "A", "nothing.test", "AAAA"));
            capture = recording.stop();
        }
    }

    @AfterAll
    static void stop()
            throws InterruptedException
    {
        if (dnsmasq != null) {
            dnsmasq.destroy();
            dnsmasq.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void sameLookupsAsTshark()
            throws Exception
    {
        List<String> tshark = new ArrayList<>();
        // tshark needs to be told that the odd port carries DNS.
        List<String> decodeAs = List.of("-d", "udp.port==" + port + ",dns", "-d", "tcp.port==" + port + ",dns", "-Y", "dns.flags.response == 1");
        for (String[] row : Tshark.fields(capture, decodeAs, "tcp.stream", "dns.qry.name", "dns.qry.type", "dns.flags.rcode",
                "dns.a", "dns.aaaa")) {
            List<String> addresses = new ArrayList<>();
            for (String column : new String[] {row[4], row[5]}) {
                if (!column.isEmpty()) {
                    addresses.addAll(List.of(column.split(",")));
                }
            }
            int type = Integer.parseInt(row[2]);
            int rcode = Integer.parseInt(row[3]);
            assertThat(TYPES).as("the registry's name of type %d", type).containsKey(type);
            assertThat(RCODES).as("the registry's name of rcode %d", rcode).containsKey(rcode);
            tshark.add(String.join(" ", row[0].isEmpty() ? "udp" : "tcp", row[1], TYPES.get(type), RCODES.get(rcode), addresses.toString()));
        }
        List<String> ours = new ArrayList<>();
        for (GenericData.Record call : Dissection.of(capture).calls("DNS")) {
            assertThat((Boolean) call.get("dns_request")).isTrue();
            assertThat((Boolean) call.get("dns_response")).isTrue();
            List<String> addresses = ((List<?>) call.get("dns_answers")).stream().map(Object::toString).filter(answer -> answer.matches("[0-9.:a-f]+")).toList();
            ours.add(String.join(" ", (Boolean) call.get("tcp") ? "tcp" : "udp", ((List<?>) call.get("dns_questions")).get(0).toString(),
                    ((List<?>) call.get("dns_question_types")).get(0).toString(), call.get("dns_rcode_name").toString(), addresses.toString()));
        }
        assertThat(ours).containsExactlyElementsOf(tshark);
        assertThat(ours).hasSize(8).contains("udp missing.test A NXDOMAIN []", "udp db.test AAAA NOERROR [fd00::4]", "tcp db.test A NOERROR [10.1.2.4]");
    }

    @Test
    void mxTxtAndCnameAnswersAreText()
    {
        List<GenericData.Record> calls = Dissection.of(capture).calls("DNS");
        assertThat(calls.get(2).get("dns_answers").toString()).isEqualTo("[mail.test]");
        assertThat(calls.get(3).get("dns_answers").toString()).isEqualTo("[hello world]");
        assertThat(calls.get(4).get("dns_answers").toString()).isEqualTo("[db.test, 10.1.2.4]");
        assertThat(calls).allSatisfy(call -> assertThat((Long) call.get("elapsed_time")).isPositive());
    }
}
