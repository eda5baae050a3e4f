package io.wirelake.store.testing;

import io.wirelake.store.S3ObjectStore;
import io.wirelake.store.S3Settings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real S3 API on loopback for the test run: S3Proxy (Maven Central's
 * {@code org.gaul:s3proxy:4.1.0} jar-with-dependencies, run as its own process since its Jackson 3
 * clashes with the test class path) with a filesystem backend. One per test JVM; it can be
 * stopped and started again on the same port and data, to test what happens while the store is down.
 * The credentials are the test server's own, known to nothing else.
 */
public final class SharedS3Proxy
{
    public static final String IDENTITY = "wirelake-test";
    public static final String CREDENTIAL = "wirelake-test-secret";
    public static final String BUCKET = "lake";

    private static Process process;
    private static int port;
    private static Path base;

    private SharedS3Proxy() {}

    public static synchronized String endpoint()
            throws IOException, InterruptedException
    {
        if (base == null) {
            try (ServerSocket socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            base = Path.of("target", "s3proxy").toAbsolutePath();
            deleteTree(base);
            Files.createDirectories(base.resolve(BUCKET));
        }
        if (process == null || !process.isAlive()) {
            start();
        }
        return "http://127.0.0.1:" + port;
    }

    /** A store on a fresh prefix of the bucket, with the test credentials. */
    public static S3ObjectStore store(String prefix)
            throws IOException, InterruptedException
    {
        return new S3ObjectStore(BUCKET, prefix, settings(),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL)));
    }

    public static S3Settings settings()
            throws IOException, InterruptedException
    {
        return new S3Settings(Optional.of(endpoint()), "us-east-1", true);
    }

    /** The environment a child process (bin/wirelake) needs to reach this server. */
    public static Map<String, String> environment()
            throws IOException, InterruptedException
    {
        return Map.of("WIRELAKE_S3_ENDPOINT", endpoint(), "WIRELAKE_S3_REGION", "us-east-1",
                "AWS_ACCESS_KEY_ID", IDENTITY, "AWS_SECRET_ACCESS_KEY", CREDENTIAL);
    }

    /** Stops the server (the store becomes unreachable); {@link #endpoint()} starts it again. */
    public static synchronized void stop()
            throws InterruptedException
    {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
            process = null;
        }
    }

    /** Where the bucket's objects live as files (the filesystem backend). */
    public static Path bucketDirectory()
            throws IOException, InterruptedException
    {
        endpoint();
        return base.resolve(BUCKET);
    }

    private static void start()
            throws IOException, InterruptedException
    {
        Path jar = Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"))
                .resolve("org/gaul/s3proxy/4.1.0/s3proxy-4.1.0-jar-with-dependencies.jar");
        if (!Files.exists(jar)) {
            throw new IOException("S3Proxy is not in the Maven cache: ./mvnw dependency:get -Dartifact=org.gaul:s3proxy:4.1.0:jar:jar-with-dependencies");
        }
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
                "--properties", properties.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("s3proxy.log").toFile())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroy));
        for (int attempt = 0; attempt < 300; attempt++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                process = started;
                return;
            }
            catch (IOException e) {
                if (!started.isAlive()) {
                    throw new IOException("S3Proxy exited: " + Files.readString(base.resolve("s3proxy.log")));
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        started.destroyForcibly();
        throw new IOException("S3Proxy did not listen on port " + port);
    }

    private static void deleteTree(Path root)
            throws IOException
    {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
