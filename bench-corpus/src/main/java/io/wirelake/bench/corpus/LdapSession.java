package io.wirelake.bench.corpus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * slapd (OpenLDAP, port 389, an mdb database) and the OpenLDAP tools: a directory of people
 * added, searched by uid and by department (results of one to hundreds of entries), modified,
 * compared, and deleted; binds with right and wrong passwords.
 */
final class LdapSession
        implements Session
{
    static final int PORT = 389;
    private static final String BASE = "dc=example,dc=com";
    private static final String[] DEPARTMENTS = {"engineering", "sales", "support", "finance", "marketing"};

    private Process slapd;
    private Path directory;

    @Override
    public String name()
    {
        return "ldap (slapd, ldap-utils)";
    }

    @Override
    public void start(Path directory)
            throws Exception
    {
        this.directory = directory;
        Files.createDirectories(directory.resolve("db"));
        Path configuration = Processes.write(directory.resolve("slapd.conf"), """
                include /etc/ldap/schema/core.schema
                include /etc/ldap/schema/cosine.schema
                include /etc/ldap/schema/inetorgperson.schema
                pidfile %1$s/slapd.pid
                modulepath /usr/lib/ldap
                moduleload back_mdb
                sizelimit 1000
                database mdb
                maxsize 268435456
                suffix "%2$s"
                rootdn "cn=admin,%2$s"
                rootpw secret
                directory %1$s/db
                index uid,ou eq
                """.formatted(directory, BASE));
        slapd = Processes.start(directory.resolve("slapd.log"), List.of("/usr/sbin/slapd", "-f", configuration.toString(), "-h", "ldap://127.0.0.1:" + PORT + "/", "-d", "0"));
        Processes.waitForTcp(PORT, slapd, directory.resolve("slapd.log"));
    }

    @Override
    public void run(double scale)
            throws Exception
    {
        Random random = new Random(389);
        int people = Session.scaled(600, scale);
        StringBuilder entries = new StringBuilder("""
                dn: %1$s
                objectClass: dcObject
                objectClass: organization
                o: Example
                dc: example

                dn: ou=People,%1$s
                objectClass: organizationalUnit
                ou: People

                """.formatted(BASE));
        for (int person = 0; person < people; person++) {
            entries.append("dn: uid=user").append(person).append(",ou=People,").append(BASE).append('\n')
                    .append("objectClass: inetOrgPerson\n")
                    .append("uid: user").append(person).append('\n')
                    .append("cn: User Number ").append(person).append('\n')
                    .append("sn: Number").append(person).append('\n')
                    .append("mail: user").append(person).append("@example.com\n")
                    .append("departmentNumber: ").append(DEPARTMENTS[random.nextInt(DEPARTMENTS.length)]).append('\n')
                    .append("telephoneNumber: +1 555 ").append(1000 + random.nextInt(9000)).append('\n')
                    .append("description: ").append("member of staff since 20").append(10 + random.nextInt(16)).append(", ")
                    .append("x".repeat(random.nextInt(400))).append("\n\n");
        }
        Path ldif = Processes.write(directory.resolve("people.ldif"), entries.toString());
        List<String> admin = List.of("-x", "-H", "ldap://127.0.0.1:" + PORT, "-D", "cn=admin," + BASE, "-w", "secret");
        run("ldapadd", admin, List.of("-f", ldif.toString()));
        // searches on one connection, each line of the file a filter (ldapsearch puts it in the pattern's parentheses):
        // by uid (one entry) and by department (many)
        List<String> filters = new ArrayList<>();
        for (int search = 0; search < Session.scaled(400, scale); search++) {
            filters.add(random.nextInt(10) < 8 ? "uid=user" + random.nextInt(people) : "departmentNumber=" + DEPARTMENTS[random.nextInt(DEPARTMENTS.length)]);
        }
        Path filterFile = Processes.write(directory.resolve("filters.txt"), String.join("\n", filters) + "\n");
        run("ldapsearch", List.of("-x", "-H", "ldap://127.0.0.1:" + PORT), List.of("-b", "ou=People," + BASE, "-f", filterFile.toString(), "(%s)", "cn", "mail", "departmentNumber"));
        StringBuilder changes = new StringBuilder();
        for (int change = 0; change < Session.scaled(200, scale); change++) {
            changes.append("dn: uid=user").append(random.nextInt(people)).append(",ou=People,").append(BASE).append('\n')
                    .append("changetype: modify\nreplace: telephoneNumber\ntelephoneNumber: +1 555 ").append(1000 + random.nextInt(9000)).append("\n\n");
        }
        run("ldapmodify", admin, List.of("-f", Processes.write(directory.resolve("changes.ldif"), changes.toString()).toString()));
        for (int compare = 0; compare < Session.scaled(20, scale); compare++) {
            Processes.run(concat("ldapcompare", admin, List.of("uid=user" + random.nextInt(people) + ",ou=People," + BASE, "departmentNumber:sales")), 5, 6, 32);
        }
        for (int bind = 0; bind < Session.scaled(20, scale); bind++) {
            Processes.run(List.of("ldapwhoami", "-x", "-H", "ldap://127.0.0.1:" + PORT, "-D", "cn=admin," + BASE, "-w", bind % 4 == 0 ? "wrong" : "secret"), 49);
        }
        StringBuilder deletions = new StringBuilder();
        for (int person = people / 2; person < people; person += 3) {
            deletions.append("uid=user").append(person).append(",ou=People,").append(BASE).append('\n');
        }
        run("ldapdelete", admin, List.of("-f", Processes.write(directory.resolve("deletions.txt"), deletions.toString()).toString()));
        // and the rest of the directory, which also lets a second recording start from an empty one
        run("ldapdelete", admin, List.of("-r", BASE));
    }

    private static void run(String tool, List<String> connection, List<String> arguments)
            throws Exception
    {
        Processes.run(concat(tool, connection, arguments));
    }

    private static List<String> concat(String tool, List<String> connection, List<String> arguments)
    {
        List<String> command = new ArrayList<>();
        command.add(tool);
        command.addAll(connection);
        command.addAll(arguments);
        return command;
    }

    @Override
    public void close()
            throws Exception
    {
        Processes.stop(slapd);
    }
}
