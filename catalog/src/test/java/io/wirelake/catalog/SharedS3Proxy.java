package io.wirelake.catalog;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real S3 API on loopback for the test run: S3Proxy (Maven Central's
 * {@code org.gaul:s3proxy:4.1.0} jar-with-dependencies, run as its own process since its Jackson 3
 * clashes with the test class path) with a filesystem backend. Objects are files under
 * {@link #bucketDirectory}.
 */
final class SharedS3Proxy
{
    static final String IDENTITY = "wirelake-test";
    static final String CREDENTIAL = "wirelake-test-secret";
    static final String BUCKET = "lake";

    private static Process process;
    private static int port;
    private static Path base;

    private SharedS3Proxy() {}

    static synchronized String endpoint()
            throws IOException, InterruptedException
    {
        if (process == null) {
            Path jar = Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"))
                    .resolve("org/gaul/s3proxy/4.1.0/s3proxy-4.1.0-jar-with-dependencies.jar");
            if (!Files.exists(jar)) {
                throw new IOException("S3Proxy is not in the Maven cache: ./mvnw dependency:get -Dartifact=org.gaul:s3proxy:4.1.0:jar:jar-with-dependencies");
            }
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            base = Path.of("target", "s3proxy").toAbsolutePath();
            Directories.deleteTree(base);
            Files.createDirectories(base.resolve(BUCKET));
            Path properties = base.resolve("s3proxy.properties");
            Files.writeString(properties, """
                    s3proxy.endpoint=http://127.0.0.1:%d
                    s3proxy.authorization=aws-v2-or-v4
                    s3proxy.identity=%s
                    s3proxy.credential=%s
                    s3proxy.ignore-unknown-headers=true
                    jclouds.provider=filesystem
                    jclouds.filesystem.basedir=%s
                    """.formatted(port, IDENTITY, CREDENTIAL, base));
            Process started = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                    "--properties", properties.toString()).redirectErrorStream(true).redirectOutput(base.resolve("s3proxy.log").toFile()).start();
            Runtime.getRuntime().addShutdownHook(new Thread(started::destroy));
            for (int attempt = 0; attempt < 200; attempt++) {
                try (Socket socket = new Socket("127.0.0.1", port)) {
                    process = started;
                    break;
                }
                catch (IOException e) {
                    if (!started.isAlive()) {
                        throw new IOException("S3Proxy exited: " + Files.readString(base.resolve("s3proxy.log")));
                    }
                    TimeUnit.MILLISECONDS.sleep(100);
                }
            }
            if (process == null) {
                started.destroyForcibly();
                throw new IOException("S3Proxy did not listen on port " + port);
            }
        }
        return "http://127.0.0.1:" + port;
    }

    /** Where the bucket's objects live as files (the filesystem backend). */
    static Path bucketDirectory()
            throws IOException, InterruptedException
    {
        endpoint();
        return base.resolve(BUCKET);
    }
}
