package io.wirelake.bench.corpus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * FreeRADIUS (ports 1812 and 1813) and radclient: access requests of users with right and wrong
 * passwords, and accounting starts, interim updates and stops of their sessions.
 */
final class RadiusSession
        implements Session
{
    static final int AUTH_PORT = 1812;
    static final int ACCOUNTING_PORT = 1813;
    private static final int USERS = 50;

    private Process server;
    private Path directory;

    @Override
    public String name()
    {
        return "radius (FreeRADIUS, radclient)";
    }

    @Override
    public void start(Path directory)
            throws Exception
    {
        this.directory = directory;
        Path configuration = directory.resolve("freeradius");
        Files.createDirectories(directory);
        Processes.run(List.of("cp", "-a", "/etc/freeradius/3.0", configuration.toString()));
        try (var sites = Files.list(configuration.resolve("sites-enabled"))) {
            for (Path site : sites.toList()) {
                Files.delete(site);
            }
        }
        Files.deleteIfExists(configuration.resolve("mods-enabled/eap"));
        Processes.write(configuration.resolve("sites-enabled/bench"), """
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
                """.formatted(AUTH_PORT, ACCOUNTING_PORT));
        StringBuilder users = new StringBuilder();
        for (int user = 0; user < USERS; user++) {
            users.append("user").append(user).append(" Cleartext-Password := \"password").append(user).append("\"\n")
                    .append("        Reply-Message := \"Hello, user").append(user).append("\"\n");
        }
        Files.writeString(configuration.resolve("mods-config/files/authorize"), users);
        String radiusd = Files.readString(configuration.resolve("radiusd.conf")).replaceAll("(?m)^(\\s*)proxy_requests\\s*=\\s*yes", "$1proxy_requests = no");
        Files.writeString(configuration.resolve("radiusd.conf"), radiusd);
        Processes.run(List.of("chmod", "-R", "a+rX", directory.toString()));
        Path log = directory.resolve("freeradius.log");
        server = Processes.start(log, List.of("/usr/sbin/freeradius", "-f", "-d", configuration.toString(), "-l", "stdout"));
        Processes.waitForLog(log, "Ready to process requests", server);
    }

    @Override
    public void run(double scale)
            throws Exception
    {
        Random random = new Random(1812);
        StringBuilder access = new StringBuilder();
        for (int request = 0; request < Session.scaled(1_500, scale); request++) {
            int user = random.nextInt(USERS);
            String password = random.nextInt(10) == 0 ? "wrong" : "password" + user;
            access.append("User-Name = \"user").append(user).append("\", User-Password = \"").append(password)
                    .append("\", NAS-IP-Address = 10.0.0.").append(1 + random.nextInt(20)).append(", NAS-Port = ").append(random.nextInt(48)).append("\n\n");
        }
        StringBuilder accounting = new StringBuilder();
        for (int session = 0; session < Session.scaled(500, scale); session++) {
            int user = random.nextInt(USERS);
            for (String status : List.of("Start", "Interim-Update", "Stop")) {
                accounting.append("User-Name = \"user").append(user).append("\", Acct-Status-Type = ").append(status)
                        .append(", Acct-Session-Id = \"s").append(session).append("\", Acct-Input-Octets = ").append(random.nextInt(1_000_000)).append("\n\n");
            }
        }
        Path accessFile = Processes.write(directory.resolve("access.txt"), access.toString());
        Path accountingFile = Processes.write(directory.resolve("accounting.txt"), accounting.toString());
        // a reject is an expected answer: radclient exits 1 when any request was rejected
        Processes.run(List.of("radclient", "-q", "-p", "10", "-r", "2", "-t", "5", "-f", accessFile.toString(), "127.0.0.1:" + AUTH_PORT, "auth", "testing123"), 1);
        Processes.run(List.of("radclient", "-q", "-p", "10", "-r", "2", "-t", "5", "-f", accountingFile.toString(), "127.0.0.1:" + ACCOUNTING_PORT, "acct", "testing123"));
    }

    @Override
    public void close()
            throws Exception
    {
        Processes.stop(server);
    }
}
