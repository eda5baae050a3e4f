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
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FreeRADIUS (its own server on loopback, from a copy of Debian's configuration) and radclient:
 * an accepted and a rejected Access-Request, and an accounting start and stop. Recorded with
 * tcpdump and compared with tshark's RADIUS dissection of the same file.
 */
@Tag("root")
class FreeRadiusTest
{
    @TempDir
    Path directory;

    @Test
    void requestsAndResponsesAgreeWithTshark()
            throws Exception
    {
        int auth = LoopbackCapture.freePort();
        int acct = auth + 1;
        Path configuration = directory.resolve("freeradius");
        LoopbackCapture.run(List.of("cp", "-a", "/etc/freeradius/3.0", configuration.toString()));
        try (var sites = Files.list(configuration.resolve("sites-enabled"))) {
            for (Path site : sites.toList()) {
                Files.delete(site);
            }
        }
        Files.deleteIfExists(configuration.resolve("mods-enabled/eap"));
        LoopbackCapture.write(configuration.resolve("sites-enabled/test"), """
                server default {
                listen {
                    type = auth
                    ipaddr = 127.0.0.1
                    port = %d
                }
                listen {
                    type = acct
                    ipaddr = 127.0.0.1
                    port = %d
                }
                authorize {
                    files
                    pap
                }
                authenticate {
                    pap
                }
                preacct {
                }
                accounting {
                    ok
                }
                post-auth {
                }
                }
                """.formatted(auth, acct));
        Files.writeString(configuration.resolve("mods-config/files/authorize"), "bob Cleartext-Password := \"hello\"\n        Reply-Message := \"Hello, bob\"\n");
        String radiusd = Files.readString(configuration.resolve("radiusd.conf")).replaceAll("(?m)^(\\s*)proxy_requests\\s*=\\s*yes", "$1proxy_requests = no");
        Files.writeString(configuration.resolve("radiusd.conf"), radiusd);
        LoopbackCapture.run(List.of("chmod", "-R", "a+rX", directory.toString()));
        Process server = new ProcessBuilder("/usr/sbin/freeradius", "-f", "-d", configuration.toString(), "-l", "stdout")
                .redirectErrorStream(true).redirectOutput(directory.resolve("freeradius.log").toFile()).start();
        Path capture;
        try {
            waitUntilReady(directory.resolve("freeradius.log"), server);
            try (LoopbackCapture recording = LoopbackCapture.start(directory.resolve("radius.pcap"), "udp port " + auth + " or udp port " + acct)) {
                radclient("User-Name=bob,User-Password=hello", "127.0.0.1:" + auth, "auth");
                radclient("User-Name=bob,User-Password=wrong", "127.0.0.1:" + auth, "auth");
                radclient("User-Name=bob,Acct-Status-Type=Start,Acct-Session-Id=s1", "127.0.0.1:" + acct, "acct");
                radclient("User-Name=bob,Acct-Status-Type=Stop,Acct-Session-Id=s1", "127.0.0.1:" + acct, "acct");
                capture = recording.stop();
            }
        }
        finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
        List<GenericData.Record> rows = Dissection.of(capture).calls("RADIUS");
        assertThat(rows).extracting(row -> row.get("radius_code_name") + " -> " + row.get("radius_response_code_name"))
                .containsExactly("Access-Request -> Access-Accept", "Access-Request -> Access-Reject", "Accounting-Request -> Accounting-Response",
                        "Accounting-Request -> Accounting-Response");
        assertThat(rows).allSatisfy(row -> assertThat(row.get("radius_user")).isEqualTo("bob"));
        List<String> tshark = new ArrayList<>();
        for (String[] row : Tshark.fields(capture, List.of("-d", "udp.port==" + auth + ",radius", "-d", "udp.port==" + acct + ",radius", "-Y", "radius"),
                "radius.code")) {
            tshark.add(row[0]);
        }
        List<String> ours = new ArrayList<>();
        rows.forEach(row -> {
            ours.add(String.valueOf(row.get("radius_code")));
            ours.add(String.valueOf(responseCode(row.get("radius_response_code_name").toString())));
        });
        assertThat(ours).containsExactlyInAnyOrderElementsOf(tshark);
    }

    private static int responseCode(String name)
    {
        return switch (name) {
            case "Access-Accept" -> 2;
            case "Access-Reject" -> 3;
            case "Accounting-Response" -> 5;
            default -> -1;
        };
    }

    private static void radclient(String attributes, String server, String type)
            throws Exception
    {
        Process process = new ProcessBuilder("radclient", "-r", "1", "-t", "5", server, type, "testing123").redirectErrorStream(true).start();
        process.getOutputStream().write(attributes.getBytes());
        process.getOutputStream().close();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    private static void waitUntilReady(Path log, Process server)
            throws Exception
    {
        for (int attempt = 0; attempt < 200; attempt++) {
            if (Files.exists(log) && Files.readString(log).contains("Ready to process requests")) {
                return;
            }
            assertThat(server.isAlive()).as("freeradius: %s", Files.exists(log) ? Files.readString(log) : "").isTrue();
            Thread.sleep(100);
        }
        throw new AssertionError("freeradius did not become ready: " + Files.readString(log));
    }
}
