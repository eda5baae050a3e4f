package io.wirelake.store.testing;

import io.wirelake.store.S3ObjectStore;
import io.wirelake.store.S3Settings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * An S3 API with Object Lock on loopback for the test run: Adobe's S3Mock (Maven Central's
 * {@code com.adobe.testing:s3mock:4.9.1}, its Spring Boot {@code exec} jar) in a process of its own,
 * every connector bound to 127.0.0.1 ({@link S3MockOnLoopback}). S3Proxy has no Object Lock; S3Mock
 * has the bucket and object calls (lock configuration, retention, legal hold) and stores what they
 * set, but it enforces none of it: it deletes and overwrites locked objects, and lets a compliance
 * retention be shortened (ObjectLockTest records exactly what it does). It is the S3 half of the
 * retention tests: the calls, their XML, and reading the locks back.
 */
public final class SharedS3Mock
{
    public static final String IDENTITY = "wirelake-test";
    public static final String CREDENTIAL = "wirelake-test-secret";

    private static Process process;
    private static int port;

    private SharedS3Mock() {}

    public static synchronized String endpoint()
            throws IOException, InterruptedException
    {
        if (process == null || !process.isAlive()) {
            start();
        }
        return "http://127.0.0.1:" + port;
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
        return Map.of("WIRELAKE_S3_ENDPOINT", endpoint(), "WIRELAKE_S3_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", IDENTITY, "AWS_SECRET_ACCESS_KEY", CREDENTIAL);
    }

    public static S3Client client()
            throws IOException, InterruptedException
    {
        return S3Client.builder().endpointOverride(URI.create(endpoint())).region(Region.US_EAST_1).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL)))
                .httpClientBuilder(software.amazon.awssdk.http.apache.ApacheHttpClient.builder()).build();
    }

    /** A new bucket created with Object Lock (as on AWS: {@code x-amz-bucket-object-lock-enabled}), and a store on it. */
    public static S3ObjectStore lockedBucket(String bucket)
            throws IOException, InterruptedException
    {
        try (S3Client client = client()) {
            client.createBucket(request -> request.bucket(bucket).objectLockEnabledForBucket(true));
        }
        return store(bucket);
    }

    /** A new bucket without Object Lock. */
    public static S3ObjectStore plainBucket(String bucket)
            throws IOException, InterruptedException
    {
        try (S3Client client = client()) {
            client.createBucket(request -> request.bucket(bucket));
        }
        return store(bucket);
    }

    public static S3ObjectStore store(String bucket)
            throws IOException, InterruptedException
    {
        return new S3ObjectStore(bucket, "", settings(), StaticCredentialsProvider.create(AwsBasicCredentials.create(IDENTITY, CREDENTIAL)));
    }

    private static void start()
            throws IOException, InterruptedException
    {
        Path jar = Path.of(System.getProperty("maven.repo.local", System.getProperty("user.home") + "/.m2/repository"))
                .resolve("com/adobe/testing/s3mock/4.9.1/s3mock-4.9.1-exec.jar");
        if (!Files.exists(jar)) {
            throw new IOException("S3Mock is not in the Maven cache: ./mvnw dependency:get -Dartifact=com.adobe.testing:s3mock:4.9.1:jar:exec");
        }
        int httpsPort;
        try (ServerSocket first = new ServerSocket(0); ServerSocket second = new ServerSocket(0)) {
            port = first.getLocalPort();
            httpsPort = second.getLocalPort();
        }
        Path base = Path.of("target", "s3mock").toAbsolutePath();
        Files.createDirectories(base);
        Path root = Files.createTempDirectory(base, "root");
        Path classes = Path.of(URI.create(S3MockOnLoopback.class.getProtectionDomain().getCodeSource().getLocation().toString()));
        Process started = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-Dloader.path=" + classes, "-Dloader.main=" + S3MockOnLoopback.class.getName(),
                "-cp", jar.toString(), "org.springframework.boot.loader.launch.PropertiesLauncher",
                "--com.adobe.testing.s3mock.httpPort=" + port, "--server.port=" + httpsPort, "--server.address=127.0.0.1",
                "--com.adobe.testing.s3mock.store.root=" + root, "--logging.level.root=WARN")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("s3mock.log").toFile())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(started::destroy));
        for (int attempt = 0; attempt < 600; attempt++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                process = started;
                return;
            }
            catch (IOException e) {
                if (!started.isAlive()) {
                    throw new IOException("S3Mock exited: " + Files.readString(base.resolve("s3mock.log")));
                }
                TimeUnit.MILLISECONDS.sleep(100);
            }
        }
        started.destroyForcibly();
        throw new IOException("S3Mock did not listen on port " + port + ": " + Files.readString(base.resolve("s3mock.log")));
    }
}
