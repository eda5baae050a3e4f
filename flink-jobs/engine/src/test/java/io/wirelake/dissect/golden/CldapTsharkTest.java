package io.wirelake.dissect.golden;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.packets.testing.Corpus;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connectionless LDAP (CLDAP, UDP 389) from a Windows client and an Active Directory domain
 * controller (suricata-verify's ldap-udp capture: the DC locator's rootDSE search, answered by an
 * entry and its done in one datagram), dissected as LDAP over TCP is, against tshark's LDAP
 * dissection of the same datagrams.
 */
class CldapTsharkTest
{
    @Test
    void aDomainControllerLocatorSearchIsOneLdapRowOverUdp()
            throws Exception
    {
        Path capture = Corpus.capture("suricata-verify/ldap-udp/cldap.pcap").path();
        List<GenericData.Record> rows = Dissection.of(capture).calls("LDAP");
        // tshark: the requests' message ids and operations (searchRequest is 3), the responses' results and entries (searchResEntry is 4)
        List<String> requests = new ArrayList<>();
        long entries = 0;
        List<String> results = new ArrayList<>();
        for (String[] row : Tshark.fields(capture, List.of("-Y", "cldap || ldap"), "udp.dstport", "ldap.messageID", "ldap.protocolOp", "ldap.resultCode")) {
            String[] operations = row[2].split(",");
            String[] ids = row[1].split(",");
            for (int index = 0; index < operations.length; index++) {
                if (operations[index].equals("3")) {
                    requests.add("search " + ids[index]);
                }
                entries += operations[index].equals("4") ? 1 : 0;
            }
            if (!row[3].isEmpty()) {
                results.addAll(List.of(row[3].split(",")));
            }
        }
        assertThat(requests).isNotEmpty();
        assertThat(rows).extracting(row -> row.get("ldap_type") + " " + row.get("ldap_message_id")).containsExactlyElementsOf(requests);
        assertThat(rows).extracting(row -> row.get("ldap_result_code").toString()).containsExactlyElementsOf(results);
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.get("udp")).isEqualTo(true);
            assertThat(row.get("ldap")).isEqualTo(true);
            assertThat((Boolean) row.get("ldap_request") && (Boolean) row.get("ldap_response")).isTrue();
            assertThat((Long) row.get("elapsed_time")).isPositive();
        });
        assertThat(rows.stream().mapToLong(row -> (Long) row.get("ldap_search_entries")).sum()).isEqualTo(entries);
        assertThat(Dissection.of(capture).flows()).singleElement().satisfies(flow ->
                assertThat(flow.get("conn_l7_detected")).asList().map(Object::toString).containsExactly("CLDAP"));
    }
}
