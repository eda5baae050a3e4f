package io.wirelake.dissect.recorded;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.LoopbackCapture;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenLDAP's slapd on loopback and the ldap-utils clients: simple binds (one with a wrong
 * password), adds, a search, modify, compare, delete, whoami (an extended operation), unbinds.
 * Recorded with tcpdump; tshark's LDAP dissection of the same file gives the operations and
 * result codes each client exchanged.
 */
@Tag("root")
class SlapdLdapUtilsTest
{
    @TempDir
    Path directory;

    private static final Map<Integer, String> OPERATIONS = Map.of(0, "bind", 2, "unbind", 3, "search", 6, "modify", 8, "add", 10, "delete",
            14, "compare", 23, "extended");

    @Test
    void operationsAndResultsAgreeWithTshark()
            throws Exception
    {
        int port = LoopbackCapture.freePort();
        Files.createDirectories(directory.resolve("db"));
        Path configuration = LoopbackCapture.write(directory.resolve("slapd.conf"), """
                include /etc/ldap/schema/core.schema
                include /etc/ldap/schema/cosine.schema
                include /etc/ldap/schema/inetorgperson.schema
                pidfile %1$s/slapd.pid
                modulepath /usr/lib/ldap
                moduleload back_mdb
                database mdb
                suffix "dc=example,dc=com"
                rootdn "cn=admin,dc=example,dc=com"
                rootpw secret
                directory %1$s/db
                """.formatted(directory));
        Process slapd = new ProcessBuilder("/usr/sbin/slapd", "-f", configuration.toString(), "-h", "ldap://127.0.0.1:" + port + "/", "-d", "0")
                .redirectErrorStream(true).redirectOutput(directory.resolve("slapd.log").toFile()).start();
        Path capture;
        String url = "ldap://127.0.0.1:" + port;
        List<String> admin = List.of("-x", "-H", url, "-D", "cn=admin,dc=example,dc=com", "-w", "secret");
        try {
            LoopbackCapture.waitForPort(port, "tcp");
            Path entries = LoopbackCapture.write(directory.resolve("entries.ldif"), """
                    dn: dc=example,dc=com
                    objectClass: dcObject
                    objectClass: organization
                    o: Example
                    dc: example

                    dn: ou=People,dc=example,dc=com
                    objectClass: organizationalUnit
                    ou: People

                    dn: uid=bjensen,ou=People,dc=example,dc=com
                    objectClass: inetOrgPerson
                    uid: bjensen
                    cn: Barbara Jensen
                    sn: Jensen
                    """);
            Path change = LoopbackCapture.write(directory.resolve("change.ldif"), """
                    dn: uid=bjensen,ou=People,dc=example,dc=com
                    changetype: modify
                    replace: sn
                    sn: Jensen-Smith
                    """);
            try (LoopbackCapture recording = LoopbackCapture.start(directory.resolve("ldap.pcap"), "tcp port " + port)) {
                run(List.of("ldapadd", "-f", entries.toString()), admin, 0);
                run(List.of("ldapsearch", "-b", "ou=People,dc=example,dc=com", "(uid=*)", "cn"), List.of("-x", "-H", url), 0);
                run(List.of("ldapmodify", "-f", change.toString()), admin, 0);
                run(List.of("ldapcompare", "uid=bjensen,ou=People,dc=example,dc=com", "sn:Jensen-Smith"), admin, 6);
                run(List.of("ldapwhoami"), admin, 0);
                run(List.of("ldapdelete", "uid=bjensen,ou=People,dc=example,dc=com"), admin, 0);
                run(List.of("ldapwhoami"), List.of("-x", "-H", url, "-D", "cn=admin,dc=example,dc=com", "-w", "wrong"), 49);
                capture = recording.stop();
            }
        }
        finally {
            slapd.destroy();
            slapd.waitFor(10, TimeUnit.SECONDS);
        }

        List<GenericData.Record> rows = Dissection.of(capture).calls("LDAP");
        List<String> decodeAs = List.of("-d", "tcp.port==" + port + ",ldap", "-Y", "ldap");
        List<String> requests = new ArrayList<>();
        List<String> results = new ArrayList<>();
        List<String> mechanisms = new ArrayList<>();
        for (String[] row : Tshark.fields(capture, decodeAs, "ldap.protocolOp", "ldap.resultCode", "ldap.authentication", "ldap.mechanism")) {
            for (String op : row[0].split(",")) {
                String name = OPERATIONS.get(Integer.parseInt(op));
                if (name != null) {
                    requests.add(name);
                }
            }
            if (row.length > 1 && !row[1].isEmpty()) {
                results.addAll(List.of(row[1].split(",")));
            }
            // AuthenticationChoice 0 is simple, 3 SASL with its mechanism (RFC 4511 section 4.2)
            if (!row[2].isEmpty()) {
                mechanisms.add(row[2].equals("0") ? "simple" : row[3]);
            }
        }
        // the bare operation, as users filter it: ldap_type == "bind" finds every bind
        assertThat(rows).extracting(row -> row.get("ldap_type").toString()).containsExactlyInAnyOrderElementsOf(requests);
        assertThat(rows).filteredOn(row -> row.get("ldap_type").toString().equals("bind")).extracting(row -> row.get("ldap_bind_mechanism").toString())
                .isNotEmpty().containsExactlyInAnyOrderElementsOf(mechanisms);
        assertThat(rows).filteredOn(row -> !row.get("ldap_type").toString().equals("bind")).allSatisfy(row ->
                assertThat(row.get("ldap_bind_mechanism").toString()).isEmpty());
        assertThat(rows).filteredOn(row -> (Boolean) row.get("ldap_response")).extracting(row -> row.get("ldap_result_code").toString())
                .containsExactlyInAnyOrderElementsOf(results);
        assertThat(rows).extracting(row -> row.get("ldap_summary").toString()).contains(
                "bind simple cn=admin,dc=example,dc=com -> invalidCredentials",
                "search ou=People,dc=example,dc=com scope sub -> success, 1 entry",
                "compare uid=bjensen,ou=People,dc=example,dc=com -> compareTrue",
                "delete uid=bjensen,ou=People,dc=example,dc=com -> success",
                "extended 1.3.6.1.4.1.4203.1.11.3 (whoami) -> success");
        assertThat(rows).allSatisfy(row -> assertThat(row.get("anomalies")).asList().isEmpty());
    }

    private static void run(List<String> command, List<String> connection, int expectedExit)
            throws Exception
    {
        List<String> full = new ArrayList<>(command.subList(0, 1));
        full.addAll(connection);
        full.addAll(command.subList(1, command.size()));
        Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", full, output).isEqualTo(expectedExit);
    }
}
