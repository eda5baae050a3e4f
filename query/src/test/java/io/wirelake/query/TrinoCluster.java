package io.wirelake.query;

import io.wirelake.catalog.Directories;
import io.wirelake.catalog.LocalTrino;
import io.wirelake.store.testing.SharedS3Proxy;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Trino beyond one node, once per test JVM: a coordinator that schedules no work itself and a
 * worker, two processes of the same Trino 476 server the local Trino installs, on loopback. The
 * coordinator serves clients over HTTPS only, with a certificate generated here (keytool) that
 * the test's trust store holds, and authenticates them with a password file (bcrypt); the nodes
 * talk to each other over HTTP with a shared secret. The catalogs ({@code hive} and
 * {@code wirelake}, the same Hive catalog over local files and the shared S3Proxy) are on both
 * nodes, as an operator installs them.
 */
final class TrinoCluster
{
    static final String USER = "analyst";
    private static TrinoCluster cluster;

    private final Path home;
    private final Path server;
    private final Path java;
    private final int httpsPort;
    private final String password;
    private final Path trustStore;
    private final String trustStorePassword;

    private TrinoCluster(Path home, Path server, Path java, int httpsPort, String password, Path trustStore, String trustStorePassword)
    {
        this.home = home;
        this.server = server;
        this.java = java;
        this.httpsPort = httpsPort;
        this.password = password;
        this.trustStore = trustStore;
        this.trustStorePassword = trustStorePassword;
    }

    static synchronized TrinoCluster get()
            throws Exception
    {
        if (cluster == null) {
            cluster = start(Path.of("target", "trino-cluster").toAbsolutePath());
            TrinoCluster started = cluster;
            Runtime.getRuntime().addShutdownHook(new Thread(started::stop, "trino-cluster-stop"));
        }
        return cluster;
    }

    private static TrinoCluster start(Path home)
            throws Exception
    {
        Directories.deleteTree(home);
        Files.createDirectories(home);
        // The server the single-node tests install (the same tarball, the same lean plugins).
        LocalTrino installer = new LocalTrino(Path.of("target", "trino-home").toAbsolutePath(), 0, Optional.empty());
        installer.install();
        Path java = installer.detectJava();
        addPasswordAuthenticators(installer.serverDirectory(), home);
        SecureRandom random = new SecureRandom();
        String password = HexFormat.of().formatHex(random.generateSeed(12));
        String storePassword = HexFormat.of().formatHex(random.generateSeed(12));
        String sharedSecret = HexFormat.of().formatHex(random.generateSeed(32));

        Path keyStore = home.resolve("coordinator.p12");
        Path certificate = home.resolve("coordinator.crt");
        Path trustStore = home.resolve("truststore.p12");
        Path keytool = java.resolve("bin/keytool");
        run(home, keytool.toString(), "-genkeypair", "-alias", "trino", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-keystore", keyStore.toString(), "-storetype", "PKCS12", "-storepass", storePassword,
                "-keypass", storePassword);
        run(home, keytool.toString(), "-exportcert", "-alias", "trino", "-keystore", keyStore.toString(), "-storepass", storePassword, "-rfc",
                "-file", certificate.toString());
        run(home, keytool.toString(), "-importcert", "-noprompt", "-alias", "trino", "-file", certificate.toString(), "-keystore", trustStore.toString(),
                "-storetype", "PKCS12", "-storepass", storePassword);
        Path passwords = home.resolve("password.db");
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        Files.writeString(passwords, USER + ":" + OpenBSDBCrypt.generate("2y", password.toCharArray(), salt, 10) + "\n");

        int http = freePort();
        int https = freePort();
        int workerHttp = freePort();
        String catalog = """
                connector.name=hive
                hive.metastore=file
                hive.metastore.catalog.dir=local://%s
                fs.native-local.enabled=true
                local.location=/
                fs.native-s3.enabled=true
                s3.region=us-east-1
                s3.endpoint=%s
                s3.path-style-access=true
                hive.timestamp-precision=MICROSECONDS
                hive.parquet.time-zone=UTC
                hive.non-managed-table-writes-enabled=false
                hive.allow-register-partition-procedure=true
                """;
        String common = """
                node.internal-address=127.0.0.1
                internal-communication.shared-secret=%s
                query.max-memory=512MB
                query.max-memory-per-node=384MB
                deprecated.regex-library=RE2J
                """.formatted(sharedSecret);
        TrinoCluster cluster = new TrinoCluster(home, installer.serverDirectory(), java, https, password, trustStore, storePassword);
        for (String node : List.of("coordinator", "worker")) {
            Path etc = Files.createDirectories(home.resolve(node).resolve("etc/catalog"));
            Files.writeString(etc.getParent().resolve("node.properties"),
                    "node.environment=wirelake\nnode.id=" + node + "\nnode.data-dir=" + home.resolve(node).resolve("data") + "\nnode.bind-ip=127.0.0.1\n");
            // C1 alone, as the test JVMs: two servers start at once on two cores, and C2 compiling for both made
            // the start about 15 s longer; what these tests check is which rows the cluster selects, not how fast
            Files.writeString(etc.getParent().resolve("jvm.config"), String.join("\n", "-server", "-Xmx1G", "-XX:+UseG1GC", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError",
                    "-Djdk.attach.allowAttachSelf=true", "-Dfile.encoding=UTF-8", "-Duser.timezone=UTC") + "\n");
            Files.writeString(etc.getParent().resolve("log.properties"), "io.trino=WARN\n");
            Files.writeString(etc.getParent().resolve("config.properties"), node.equals("coordinator")
                    ? """
                    coordinator=true
                    node-scheduler.include-coordinator=false
                    http-server.http.port=%d
                    http-server.https.enabled=true
                    http-server.https.port=%d
                    http-server.https.keystore.path=%s
                    http-server.https.keystore.key=%s
                    http-server.authentication.type=PASSWORD
                    discovery.uri=http://127.0.0.1:%d
                    """.formatted(http, https, keyStore, storePassword, http) + common
                    : """
                    coordinator=false
                    http-server.http.port=%d
                    discovery.uri=http://127.0.0.1:%d
                    """.formatted(workerHttp, http) + common);
            if (node.equals("coordinator")) {
                Files.writeString(etc.getParent().resolve("password-authenticator.properties"),
                        "password-authenticator.name=file\nfile.password-file=" + passwords + "\n");
            }
            for (String name : List.of("hive", "wirelake")) {
                Files.writeString(etc.resolve(name + ".properties"), catalog.formatted(home.resolve("metastore-" + name), SharedS3Proxy.endpoint()));
            }
            Files.writeString(etc.resolve("tpch.properties"), "connector.name=tpch\n");
        }
        Files.createDirectories(home.resolve("metastore-hive"));
        Files.createDirectories(home.resolve("metastore-wirelake"));
        cluster.launcher("coordinator", "start");
        cluster.launcher("worker", "start");
        cluster.awaitWorker();
        return cluster;
    }

    /**
     * The password file authenticator is a plugin the lean install leaves out (the local Trino
     * authenticates nobody): taken from the same tarball. The whole tarball is extracted, as the
     * install does, because it stores plugin jars as hard links into other plugins.
     */
    private static void addPasswordAuthenticators(Path server, Path home)
            throws IOException, InterruptedException
    {
        Path plugin = server.resolve("plugin/password-authenticators");
        if (Files.isDirectory(plugin)) {
            return;
        }
        Path tarball = Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"))
                .resolve("io/trino/trino-server/" + LocalTrino.VERSION + "/trino-server-" + LocalTrino.VERSION + ".tar.gz");
        Path staging = Files.createDirectories(home.resolve("staging"));
        try {
            run(home, "tar", "-xzf", tarball.toString(), "-C", staging.toString());
            Path partial = server.resolve("plugin/password-authenticators.partial");
            Directories.deleteTree(partial);
            Files.move(staging.resolve("trino-server-" + LocalTrino.VERSION + "/plugin/password-authenticators"), partial);
            Files.move(partial, plugin);
        }
        finally {
            Directories.deleteTree(staging);
        }
    }

    /** The access every wirelake command gets from {@code --trino https://127.0.0.1:PORT} and the WIRELAKE_TRINO_* variables. */
    TrinoAccess.Remote access(String catalog)
    {
        return TrinoAccess.Remote.of(url(), USER, Optional.of(password), catalog).withTrustStore(Optional.of(trustStore.toString()), Optional.of(trustStorePassword));
    }

    /** The variables that point a wirelake command at this cluster. */
    Map<String, String> environment()
    {
        return Map.of("WIRELAKE_TRINO_URL", url(), "WIRELAKE_TRINO_USER", USER, "WIRELAKE_TRINO_PASSWORD", password,
                "WIRELAKE_TRINO_TRUSTSTORE", trustStore.toString(), "WIRELAKE_TRINO_TRUSTSTORE_PASSWORD", trustStorePassword);
    }

    String url()
    {
        return "https://127.0.0.1:" + httpsPort;
    }

    List<Long> ids(String catalog, String sql)
            throws Exception
    {
        List<Long> ids = new ArrayList<>();
        try (Connection connection = access(catalog).connect(); Statement statement = connection.createStatement(); ResultSet results = statement.executeQuery(sql)) {
            while (results.next()) {
                ids.add(results.getLong(1));
            }
        }
        return ids;
    }

    void execute(String catalog, String sql)
            throws Exception
    {
        try (Connection connection = access(catalog).connect(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** Until the coordinator lists the worker as active and a query on it succeeds several times in a row. */
    private void awaitWorker()
            throws Exception
    {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        int streak = 0;
        String last = "";
        boolean relaunched = false;
        while (System.nanoTime() < deadline) {
            for (String node : List.of("coordinator", "worker")) {
                if (running(node)) {
                    continue;
                }
                String logs = logTail(node);
                if (node.equals("worker") && !relaunched) {
                    // Once, on another port: a CI run saw the worker die within seconds of its launch with
                    // no log at all (a port taken between freePort() and the bind is one way to get there).
                    System.err.println("TrinoCluster: the worker stopped while starting; launching it again on another port. " + logs);
                    Path config = home.resolve("worker/etc/config.properties");
                    Files.writeString(config, Files.readString(config).replaceFirst("(?m)^http-server\\.http\\.port=\\d+$", "http-server.http.port=" + freePort()));
                    launcher("worker", "start");
                    relaunched = true;
                    continue;
                }
                throw new IOException("the Trino " + node + " stopped while starting; see " + home.resolve(node).resolve("data/var/log/server.log") + ". " + logs);
            }
            try {
                List<Long> workers = ids("hive", "SELECT count(*) FROM system.runtime.nodes WHERE coordinator = false AND state = 'active'");
                ids("hive", "SELECT count(*) FROM tpch.tiny.nation");
                streak = workers.equals(List.of(1L)) ? streak + 1 : 0;
                if (streak >= 3) {
                    return;
                }
            }
            catch (SQLException e) {
                streak = 0;
                last = e.getMessage();
            }
            Thread.sleep(500);
        }
        throw new IOException("the Trino cluster did not get ready within 300 s (" + last + "); logs under " + home);
    }

    private void launcher(String node, String command)
            throws IOException, InterruptedException
    {
        ProcessBuilder builder = new ProcessBuilder(server.resolve("bin/launcher").toString(), command, "--etc-dir", home.resolve(node).resolve("etc").toString(),
                "--data-dir", home.resolve(node).resolve("data").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("launcher.log").toFile()));
        builder.environment().put("JAVA_HOME", java.toString());
        builder.environment().put("PATH", java.resolve("bin") + ":" + System.getenv("PATH"));
        // S3Proxy's test credentials reach the servers through their environment only.
        builder.environment().put("AWS_ACCESS_KEY_ID", SharedS3Proxy.IDENTITY);
        builder.environment().put("AWS_SECRET_ACCESS_KEY", SharedS3Proxy.CREDENTIAL);
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IOException("Trino's launcher " + command + " for the " + node + " failed; see " + home.resolve("launcher.log"));
        }
    }

    /** The end of the launchers' log and of the node's own logs, for a message. */
    private String logTail(String node)
    {
        StringBuilder tail = new StringBuilder();
        for (Path log : List.of(home.resolve("launcher.log"), home.resolve(node).resolve("data/var/log/launcher.log"), home.resolve(node).resolve("data/var/log/server.log"))) {
            tail.append(log).append(":\n").append(LocalTrino.logTail(log)).append('\n');
        }
        return tail.toString();
    }

    private boolean running(String node)
            throws IOException, InterruptedException
    {
        ProcessBuilder builder = new ProcessBuilder(server.resolve("bin/launcher").toString(), "status", "--etc-dir", home.resolve(node).resolve("etc").toString(),
                "--data-dir", home.resolve(node).resolve("data").toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("launcher.log").toFile()));
        builder.environment().put("JAVA_HOME", java.toString());
        builder.environment().put("PATH", java.resolve("bin") + ":" + System.getenv("PATH"));
        Process process = builder.start();
        return process.waitFor(60, TimeUnit.SECONDS) && process.exitValue() == 0;
    }

    private void stop()
    {
        for (String node : List.of("worker", "coordinator")) {
            try {
                launcher(node, "stop");
            }
            catch (IOException | InterruptedException e) {
                // the JVM is exiting; nothing more to do
            }
        }
    }

    private static void run(Path directory, String... command)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(String.join(" ", command[0], command[1]) + " failed: " + output);
        }
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
