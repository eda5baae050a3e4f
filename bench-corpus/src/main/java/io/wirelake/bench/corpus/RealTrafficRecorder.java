package io.wirelake.bench.corpus;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Records the real-traffic benchmark corpus's seed: real servers and real clients talking at the
 * same time, captured with tcpdump. Everything runs in a network namespace of its own, whose
 * loopback has an Ethernet-sized MTU with segmentation offload off (so the capture holds
 * 1514-byte frames as a node's interface would, not 64 KiB loopback super-packets) and a token
 * bucket that keeps the traffic at a rate tcpdump records without drops. The host's own
 * interfaces are not touched. A capture with drops is recorded again.
 *
 * <pre>
 * java -cp wirelake-bench-corpus.jar:lib/* io.wirelake.bench.corpus.RealTrafficRecorder --out DIR [--scale 1.0]
 * </pre>
 * writes {@code DIR/seed.pcap} and {@code DIR/seed.properties} (what was recorded), unless the
 * directory holds a seed this recipe recorded at this scale already. Needs root.
 */
public final class RealTrafficRecorder
{
    /** Changes whenever the sessions change what they send: a seed recorded by another recipe is recorded again. */
    public static final String RECIPE = "real-traffic-1";
    static final String RATE = "250mbit";
    private static final Pattern DROPPED = Pattern.compile("^(\\d+) packets? dropped by kernel");
    private static final List<String> TOOLS = List.of("ip", "tc", "tcpdump", "nginx", "h2load", "redis-server", "redis-benchmark", "rabbitmq-server",
            "rabbitmqctl", "slapd", "ldapadd", "ldapsearch", "freeradius", "radclient", "dnsmasq", "dig");

    private RealTrafficRecorder() {}

    public static void main(String[] arguments)
            throws Exception
    {
        Path output = null;
        double scale = 1.0;
        boolean inside = false;
        for (int index = 0; index < arguments.length; index++) {
            switch (arguments[index]) {
                case "--out" -> output = Path.of(arguments[++index]).toAbsolutePath();
                case "--scale" -> scale = Double.parseDouble(arguments[++index]);
                case "--inside" -> inside = true;
                default -> throw new IllegalArgumentException("usage: RealTrafficRecorder --out DIR [--scale FACTOR]");
            }
        }
        if (output == null) {
            throw new IllegalArgumentException("usage: RealTrafficRecorder --out DIR [--scale FACTOR]");
        }
        if (inside) {
            record(output, scale);
        }
        else if (current(output, scale)) {
            System.err.println("  " + output.resolve("seed.pcap") + " was recorded by this recipe (" + RECIPE + ", scale " + scale + "): kept");
        }
        else {
            inNamespace(output, scale);
        }
    }

    /** Whether the directory holds a seed this recipe recorded at this scale. */
    private static boolean current(Path output, double scale)
            throws IOException
    {
        Path properties = output.resolve("seed.properties");
        if (!Files.isRegularFile(output.resolve("seed.pcap")) || !Files.isRegularFile(properties)) {
            return false;
        }
        java.util.Properties recorded = new java.util.Properties();
        try (var reader = Files.newBufferedReader(properties)) {
            recorded.load(reader);
        }
        return RECIPE.equals(recorded.getProperty("recipe")) && String.valueOf(scale).equals(recorded.getProperty("scale"));
    }

    /** Makes the namespace, runs this class inside it, and removes the namespace (and anything left running in it). */
    private static void inNamespace(Path output, double scale)
            throws Exception
    {
        if (!"0".equals(Processes.run(List.of("id", "-u")).trim())) {
            throw new IllegalStateException("recording the real-traffic corpus needs root (a network namespace of its own, and tcpdump)");
        }
        List<String> missing = new ArrayList<>();
        for (String tool : TOOLS) {
            if (new ProcessBuilder("bash", "-c", "command -v " + tool).start().waitFor() != 0) {
                missing.add(tool);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalStateException("the real-traffic corpus needs these programs, not found: " + String.join(", ", missing)
                    + " (Debian: apt-get install iproute2 tcpdump nginx-light nghttp2-client redis-server rabbitmq-server slapd ldap-utils"
                    + " freeradius freeradius-utils dnsmasq-base bind9-dnsutils)");
        }
        Files.createDirectories(output);
        String namespace = "wirelake-bench-" + ProcessHandle.current().pid();
        Processes.run(List.of("ip", "netns", "add", namespace));
        try {
            Processes.run(List.of("ip", "-n", namespace, "link", "set", "dev", "lo", "up", "mtu", "1500"));
            // One segment per packet: what the kernel would put on a 1500-byte wire.
            Processes.run(List.of("ip", "-n", namespace, "link", "set", "dev", "lo", "gso_max_segs", "1", "gso_max_size", "1500"));
            Processes.run(List.of("tc", "-n", namespace, "qdisc", "add", "dev", "lo", "root", "tbf", "rate", RATE, "burst", "256kb", "latency", "200ms"));
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", namespace, Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx1g", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-cp", System.getProperty("java.class.path"), RealTrafficRecorder.class.getName(), "--inside", "--out", output.toString(),
                    "--scale", String.valueOf(scale)));
            Process recorder = new ProcessBuilder(command).inheritIO().start();
            if (recorder.waitFor() != 0) {
                throw new IllegalStateException("recording failed (exit " + recorder.exitValue() + "); see the output above and " + output.resolve("work"));
            }
        }
        finally {
            // servers the sessions started and did not stop (a failed run): they are ours, in our namespace
            for (String pid : Processes.run(List.of("ip", "netns", "pids", namespace)).split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid)).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
            Processes.run(List.of("ip", "netns", "delete", namespace));
        }
    }

    /** Inside the namespace: servers up, then the capture while every client talks, then servers down. */
    private static void record(Path output, double scale)
            throws Exception
    {
        Path work = output.resolve("work");
        deleteTree(work);
        Files.createDirectories(work);
        List<Session> sessions = List.of(new HttpSession(), new GrpcSession(), new WebSocketSession(), new RedisSession(), new RabbitMqSession(),
                new LdapSession(), new RadiusSession(), new KafkaSession(), new DnsSession());
        List<Session> started = new ArrayList<>();
        try {
            for (Session session : sessions) {
                long start = System.nanoTime();
                session.start(work.resolve(session.name().replaceAll("[^a-z0-9]+", "-")));
                started.add(session);
                System.err.printf(Locale.ROOT, "  started %-42s %5.1f s%n", session.name(), (System.nanoTime() - start) / 1e9);
            }
            Path capture = output.resolve("seed.pcap.partial");
            long dropped = -1;
            Duration took = Duration.ZERO;
            for (int attempt = 1; attempt <= 3 && dropped != 0; attempt++) {
                long start = System.nanoTime();
                dropped = captureWhile(capture, work.resolve("tcpdump-" + attempt + ".log"), () -> runAll(sessions, scale));
                took = Duration.ofNanos(System.nanoTime() - start);
                System.err.printf(Locale.ROOT, "  recorded %s in %d s, %d packets dropped by the kernel%n", capture, took.toSeconds(), dropped);
            }
            if (dropped != 0) {
                throw new IllegalStateException("tcpdump dropped packets in 3 attempts (" + dropped + " the last time); the machine is too busy to record");
            }
            Files.move(capture, output.resolve("seed.pcap"), StandardCopyOption.REPLACE_EXISTING);
            Files.writeString(output.resolve("seed.properties"), String.join("\n",
                    "recipe=" + RECIPE,
                    "scale=" + scale,
                    "rate=" + RATE,
                    "seconds=" + took.toSeconds(),
                    "bytes=" + Files.size(output.resolve("seed.pcap")),
                    "sessions=" + String.join("; ", sessions.stream().map(Session::name).toList()),
                    ""));
        }
        finally {
            java.util.Collections.reverse(started);
            for (Session session : started) {
                try {
                    session.close();
                }
                catch (Exception e) {
                    System.err.println("  stopping " + session.name() + ": " + e);
                }
            }
        }
    }

    private interface Traffic
    {
        void run()
                throws Exception;
    }

    /** Every session's clients at once, as a node sees many services talking. */
    private static void runAll(List<Session> sessions, double scale)
            throws Exception
    {
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (Session session : sessions) {
            Thread thread = new Thread(() -> {
                long start = System.nanoTime();
                try {
                    session.run(scale);
                    System.err.printf(Locale.ROOT, "    %-42s %5.1f s%n", session.name(), (System.nanoTime() - start) / 1e9);
                }
                catch (Throwable e) {
                    failures.add(new IllegalStateException(session.name() + " failed", e));
                }
            }, session.name());
            thread.start();
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("clients failed: " + failures, failures.get(0));
        }
    }

    /** Captures the namespace's loopback while the traffic runs; returns the packets the kernel dropped (-1: tcpdump did not say). */
    private static long captureWhile(Path capture, Path log, Traffic traffic)
            throws Exception
    {
        Process tcpdump = Processes.start(log, List.of("tcpdump", "-i", "lo", "-n", "-B", "262144", "-s", "0", "-w", capture.toString()));
        try {
            Processes.waitForLog(log, "listening on", tcpdump);
            traffic.run();
            Thread.sleep(500);
        }
        finally {
            // SIGTERM: tcpdump flushes the file and prints its statistics
            Processes.stop(tcpdump);
        }
        long dropped = -1;
        for (String line : Files.readAllLines(log)) {
            Matcher matcher = DROPPED.matcher(line);
            if (matcher.find()) {
                dropped = Long.parseLong(matcher.group(1));
            }
        }
        return dropped;
    }

    private static void deleteTree(Path directory)
            throws IOException
    {
        if (!Files.exists(directory)) {
            return;
        }
        try (var paths = Files.walk(directory)) {
            for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
