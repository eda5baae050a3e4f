package io.wirelake.dissect.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Records traffic with tcpdump (libpcap), as root, while real clients talk to real servers: on
 * loopback, or on an interface of a network namespace. Without root this fails with a message
 * (it does not skip: a test that needs root and cannot have it has not passed). The tests that
 * need it are tagged {@code root}; {@code -DexcludedGroups=root} leaves them out on purpose.
 */
public final class LoopbackCapture
        implements AutoCloseable
{
    private final Process tcpdump;
    private final Path file;
    private final BufferedReader errors;
    private long dropped = -1;

    private LoopbackCapture(Process tcpdump, Path file, BufferedReader errors)
    {
        this.tcpdump = tcpdump;
        this.file = file;
        this.errors = errors;
    }

    /** Fails unless this JVM runs as root. */
    public static void requireRoot(String what)
    {
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new IllegalStateException(what + " needs root (CI runs as root); run as root, or leave these tests out with -DexcludedGroups=root");
        }
    }

    public static LoopbackCapture start(Path file, String filter)
            throws IOException, InterruptedException
    {
        return start(List.of(), "lo", file, filter);
    }

    /** A capture on an interface of a network namespace. */
    public static LoopbackCapture startIn(String namespace, String interfaceName, Path file, String filter)
            throws IOException, InterruptedException
    {
        return start(List.of("ip", "netns", "exec", namespace), interfaceName, file, filter);
    }

    private static LoopbackCapture start(List<String> prefix, String interfaceName, Path file, String filter)
            throws IOException, InterruptedException
    {
        requireRoot("packet capture");
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of("tcpdump", "-i", interfaceName, "-n", "-U", "--immediate-mode", "-B", "32768", "-s", "0", "-w", file.toString(), filter));
        Process process = new ProcessBuilder(command).start();
        BufferedReader errors = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> listening = CompletableFuture.supplyAsync(() -> {
            try {
                String line;
                while ((line = errors.readLine()) != null) {
                    if (line.contains("listening on")) {
                        return line;
                    }
                }
                return null;
            }
            catch (IOException e) {
                return null;
            }
        });
        try {
            if (listening.get(20, TimeUnit.SECONDS) == null) {
                throw new IOException("tcpdump did not start");
            }
        }
        catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            process.destroyForcibly();
            throw new IOException("tcpdump did not start", e);
        }
        return new LoopbackCapture(process, file, errors);
    }

    /**
     * Stops the capture once it has gone quiet (tcpdump -U writes every packet as it comes: the
     * file unchanged for {@link #QUIET}, at most {@link #QUIET_LIMIT}, so the last packets of a
     * slow exchange on a loaded machine are in it) and returns the file; SIGTERM lets tcpdump flush.
     */
    public Path stop()
            throws InterruptedException
    {
        waitUntilQuiet();
        tcpdump.destroy();
        tcpdump.waitFor(10, TimeUnit.SECONDS);
        // tcpdump's closing statistics: "N packets dropped by kernel".
        try {
            String line;
            while ((line = errors.readLine()) != null) {
                java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("^(\\d+) packets? dropped by kernel").matcher(line);
                if (matcher.find()) {
                    dropped = Long.parseLong(matcher.group(1));
                }
            }
        }
        catch (IOException e) {
            dropped = -1;
        }
        return file;
    }

    private static final java.time.Duration QUIET = java.time.Duration.ofMillis(300);
    private static final java.time.Duration QUIET_LIMIT = java.time.Duration.ofSeconds(10);

    private void waitUntilQuiet()
            throws InterruptedException
    {
        long deadline = System.nanoTime() + QUIET_LIMIT.toNanos();
        long size = -1;
        long unchangedSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            long now = file.toFile().length();
            if (now != size) {
                size = now;
                unchangedSince = System.nanoTime();
            }
            else if (System.nanoTime() - unchangedSince >= QUIET.toNanos()) {
                return;
            }
            Thread.sleep(20);
        }
    }

    /** Packets the kernel dropped before tcpdump read them (-1 if tcpdump did not say). */
    public long dropped()
    {
        return dropped;
    }

    @Override
    public void close()
    {
        tcpdump.destroyForcibly();
    }

    /** Ports {@link #freePort} handed out in this JVM: never handed out twice, so two servers of one test never get the same. */
    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public static int freePort()
            throws IOException
    {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }

    public static int freeUdpPort()
            throws IOException
    {
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Runs a command to completion and returns its standard output; fails on a non-zero exit. */
    public static String run(List<String> command)
            throws IOException, InterruptedException
    {
        Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException("timed out: " + command);
        }
        if (process.exitValue() != 0) {
            throw new IOException("exit " + process.exitValue() + " from " + command + ":\n" + output);
        }
        return output;
    }

    public static void waitForPort(int port, String protocol)
            throws InterruptedException, IOException
    {
        for (int attempt = 0; attempt < 100; attempt++) {
            if (protocol.equals("tcp")) {
                try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                    return;
                }
                catch (IOException e) {
                    Thread.sleep(100);
                }
            }
            else {
                String listening = run(List.of("bash", "-c", "ss -lun | grep -c ':" + port + " ' || true"));
                if (!listening.trim().equals("0")) {
                    return;
                }
                Thread.sleep(100);
            }
        }
        throw new IOException("nothing listens on " + protocol + " port " + port);
    }

    public static Path write(Path file, String text)
            throws IOException
    {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }
}
