package io.wirelake.dissect.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessSpec;
import org.apache.flink.runtime.clusterframework.TaskExecutorProcessUtils;
import org.apache.flink.runtime.util.config.memory.ProcessMemoryUtils;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * A Flink standalone session cluster as separate local processes, the way a Flink distribution's
 * {@code bin/start-cluster.sh} runs one, from Maven's Flink jars (Maven Central has no
 * flink-dist): a JobManager ({@code StandaloneSessionClusterEntrypoint}) and TaskManagers
 * ({@code TaskManagerRunner}), each its own JVM with Flink's runtime, RPC and file connector on
 * its class path ({@code cluster-classpath.txt}, nothing of the job: jobs bring their jars), the
 * S3 file-system plugin from a plugins directory, everything bound to loopback. TaskManagers get
 * the JVM memory options Flink's scripts would compute ({@code TaskExecutorProcessUtils}).
 */
public final class StandaloneFlinkCluster
        implements AutoCloseable
{
    private static final String CLASS_PATH_LIST = "cluster-classpath.txt";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    /**
     * The module openings a Flink distribution's {@code config.yaml} gives every Flink JVM
     * ({@code env.java.opts.all}) on Java 17: Flink reflects into these packages (its DataStream
     * translators, Kryo, its network stack). A Flink client ({@code flink run}) needs them too.
     */
    public static final List<String> JAVA_OPTIONS = List.of("--add-exports=java.base/sun.net.util=ALL-UNNAMED",
            "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED", "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED", "--add-opens=java.base/java.io=ALL-UNNAMED",
            "--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED", "--add-opens=java.base/java.util=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    /**
     * @param directory the cluster's configuration, logs and temporary files
     * @param plugins Flink's plugins directory (with {@code s3-fs-hadoop/}), if any
     * @param configuration settings added to the cluster's {@code config.yaml} (S3 endpoint, ...)
     * @param environment variables added to the processes' environment (AWS credentials from the chain, ...)
     * @param taskManagerMemory each TaskManager's {@code taskmanager.memory.process.size}, e.g. {@code 1536m}
     */
    public record Settings(int taskManagers, int slotsPerTaskManager, Path directory, Optional<Path> plugins, Map<String, String> configuration,
            Map<String, String> environment, String taskManagerMemory)
    {
        public Settings
        {
            if (taskManagers < 1 || slotsPerTaskManager < 1) {
                throw new IllegalArgumentException("a cluster needs at least one TaskManager with at least one slot");
            }
            requireNonNull(directory, "directory is null");
            requireNonNull(plugins, "plugins is null");
            configuration = Map.copyOf(configuration);
            environment = Map.copyOf(environment);
            requireNonNull(taskManagerMemory, "taskManagerMemory is null");
        }

        public static Settings of(int taskManagers, int slotsPerTaskManager, Path directory)
        {
            return new Settings(taskManagers, slotsPerTaskManager, directory, Optional.empty(), Map.of(), Map.of(), "1536m");
        }

        public Settings withPlugins(Optional<Path> newPlugins)
        {
            return new Settings(taskManagers, slotsPerTaskManager, directory, newPlugins, configuration, environment, taskManagerMemory);
        }

        public Settings withConfiguration(Map<String, String> newConfiguration, Map<String, String> newEnvironment)
        {
            return new Settings(taskManagers, slotsPerTaskManager, directory, plugins, newConfiguration, newEnvironment, taskManagerMemory);
        }

        public Settings withTaskManagerMemory(String newMemory)
        {
            return new Settings(taskManagers, slotsPerTaskManager, directory, plugins, configuration, environment, newMemory);
        }
    }

    private final Settings settings;
    private final int restPort;
    private final List<Process> processes = new ArrayList<>();
    private final List<Path> logs = new ArrayList<>();

    private StandaloneFlinkCluster(Settings settings, int restPort)
    {
        this.settings = settings;
        this.restPort = restPort;
    }

    /** Starts the JobManager and the TaskManagers and waits until every slot has registered. */
    public static StandaloneFlinkCluster start(Settings settings)
            throws IOException, InterruptedException
    {
        Path directory = Files.createDirectories(settings.directory().toAbsolutePath());
        Path configurationDirectory = Files.createDirectories(directory.resolve("conf"));
        Path temporary = Files.createDirectories(directory.resolve("tmp"));
        int rpcPort = freePort();
        int restPort = freePort();
        Map<String, String> configuration = new LinkedHashMap<>();
        configuration.put("jobmanager.rpc.address", "127.0.0.1");
        configuration.put("jobmanager.rpc.port", String.valueOf(rpcPort));
        configuration.put("jobmanager.bind-host", "127.0.0.1");
        configuration.put("jobmanager.memory.process.size", "1024m");
        configuration.put("rest.address", "127.0.0.1");
        configuration.put("rest.bind-address", "127.0.0.1");
        configuration.put("rest.port", String.valueOf(restPort));
        configuration.put("blob.server.port", String.valueOf(freePort()));
        configuration.put("taskmanager.host", "127.0.0.1");
        configuration.put("taskmanager.bind-host", "127.0.0.1");
        configuration.put("taskmanager.rpc.port", "0");
        configuration.put("taskmanager.data.port", "0");
        configuration.put("taskmanager.numberOfTaskSlots", String.valueOf(settings.slotsPerTaskManager()));
        configuration.put("taskmanager.memory.process.size", settings.taskManagerMemory());
        // The job sorts nothing (no keyBy): heap for the flow tables and Parquet writers, not managed memory.
        configuration.put("taskmanager.memory.managed.fraction", "0.1");
        // A batch job's blocking exchanges take 512 network buffers per result partition and slot: more than the
        // default 10 % of a small TaskManager holds.
        configuration.put("taskmanager.memory.network.min", "256m");
        configuration.put("parallelism.default", String.valueOf(settings.taskManagers() * settings.slotsPerTaskManager()));
        configuration.put("io.tmp.dirs", temporary.toString());
        configuration.put("web.tmpdir", temporary.toString());
        configuration.put("execution.runtime-mode", "BATCH");
        configuration.putAll(settings.configuration());
        StringBuilder yaml = new StringBuilder("# written by wirelake's StandaloneFlinkCluster\n");
        configuration.forEach((key, value) -> yaml.append(key).append(": ").append(quoted(value)).append('\n'));
        Files.writeString(configurationDirectory.resolve("config.yaml"), yaml.toString());

        StandaloneFlinkCluster cluster = new StandaloneFlinkCluster(settings, restPort);
        try {
            cluster.launch("jobmanager", List.of("-Xms256m", "-Xmx768m"), "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint",
                    List.of("--configDir", configurationDirectory.toString()));
            TaskExecutorProcessSpec memory = TaskExecutorProcessUtils.processSpecFromConfig(Configuration.fromMap(configuration));
            List<String> jvm = Arrays.asList(ProcessMemoryUtils.generateJvmParametersStr(memory).trim().split("\\s+"));
            List<String> arguments = new ArrayList<>(List.of("--configDir", configurationDirectory.toString()));
            arguments.addAll(Arrays.asList(TaskExecutorProcessUtils.generateDynamicConfigsStr(memory).trim().split("\\s+")));
            for (int index = 0; index < settings.taskManagers(); index++) {
                cluster.launch("taskmanager-" + index, jvm, "org.apache.flink.runtime.taskexecutor.TaskManagerRunner", arguments);
            }
            cluster.awaitSlots();
            return cluster;
        }
        catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    private void launch(String name, List<String> jvmOptions, String mainClass, List<String> arguments)
            throws IOException
    {
        Path log = settings.directory().toAbsolutePath().resolve("log").resolve(name + ".log");
        Files.createDirectories(log.getParent());
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(JAVA_OPTIONS);
        command.addAll(jvmOptions);
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=info");
        command.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        command.add("-Dlog.file=" + log);
        command.add("-Djava.io.tmpdir=" + settings.directory().toAbsolutePath().resolve("tmp"));
        command.add("-cp");
        command.add(String.join(java.io.File.pathSeparator, classPath().stream().map(Path::toString).toList()));
        command.add(mainClass);
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("FLINK_CONF_DIR", settings.directory().toAbsolutePath().resolve("conf").toString());
        settings.plugins().ifPresent(plugins -> builder.environment().put("FLINK_PLUGINS_DIR", plugins.toAbsolutePath().toString()));
        builder.environment().putAll(settings.environment());
        processes.add(builder.start());
        logs.add(log);
    }

    private void awaitSlots()
            throws IOException, InterruptedException
    {
        int expected = settings.taskManagers() * settings.slotsPerTaskManager();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            for (int index = 0; index < processes.size(); index++) {
                if (!processes.get(index).isAlive()) {
                    throw new IllegalStateException("Flink process " + logs.get(index).getFileName() + " exited with " + processes.get(index).exitValue()
                            + "; the end of its log:\n" + tail(logs.get(index)));
                }
            }
            try {
                JsonNode overview = JSON.readTree(get("/overview"));
                last = overview.toString();
                if (overview.path("taskmanagers").asInt() == settings.taskManagers() && overview.path("slots-total").asInt() == expected) {
                    return;
                }
            }
            catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the Flink cluster did not register " + expected + " slots within " + START_TIMEOUT.toSeconds() + " s (last: " + last
                + "); the end of the JobManager's log:\n" + tail(logs.get(0)));
    }

    /** The REST API's URL, {@code http://127.0.0.1:PORT}: what {@code --flink} takes. */
    public String restUrl()
    {
        return "http://127.0.0.1:" + restPort;
    }

    /** The cluster's configuration directory ({@code config.yaml}): a Flink client's {@code FLINK_CONF_DIR} reaches the cluster with it. */
    public Path configurationDirectory()
    {
        return settings.directory().toAbsolutePath().resolve("conf");
    }

    public int slots()
    {
        return settings.taskManagers() * settings.slotsPerTaskManager();
    }

    public Settings settings()
    {
        return settings;
    }

    public List<Path> logs()
    {
        return List.copyOf(logs);
    }

    /** CPU time (user and system) the cluster's processes have used so far. */
    public double cpuSeconds()
    {
        return processes.stream().mapToDouble(process -> process.info().totalCpuDuration().map(duration -> duration.toNanos() / 1e9).orElse(0.0)).sum();
    }

    /** A GET of the REST API, as text. */
    public String get(String path)
            throws IOException, InterruptedException
    {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(restUrl() + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + path + ": HTTP " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    /** Stops the processes: TERM, as Flink's scripts do, then KILL after 15 seconds. */
    @Override
    public void close()
    {
        for (int index = processes.size() - 1; index >= 0; index--) {
            processes.get(index).destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            }
            catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The cluster processes' class path: the jars {@code cluster-classpath.txt} names, found on this JVM's class path. */
    public static List<Path> classPath()
    {
        Map<String, Path> onClassPath = new LinkedHashMap<>();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                onClassPath.putIfAbsent(Path.of(entry).getFileName().toString(), Path.of(entry));
            }
        }
        List<Path> jars = new ArrayList<>();
        for (String name : listed()) {
            Path jar = find(onClassPath, name);
            if (jar == null) {
                throw new IllegalStateException("Flink's " + name + " is not on this class path; cannot start a Flink cluster");
            }
            jars.add(jar);
        }
        return jars;
    }

    private static List<String> listed()
    {
        try (InputStream input = StandaloneFlinkCluster.class.getResourceAsStream(CLASS_PATH_LIST)) {
            if (input == null) {
                throw new IllegalStateException(CLASS_PATH_LIST + " is missing (built without Maven's generate-resources phase?)");
            }
            return Arrays.stream(new String(input.readAllBytes(), StandardCharsets.UTF_8).strip().split(":"))
                    .filter(entry -> !entry.isBlank()).map(entry -> entry.substring(entry.lastIndexOf('/') + 1)).toList();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String quoted(String value)
    {
        return "'" + value.replace("'", "''") + "'";
    }

    private static int freePort()
            throws IOException
    {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String tail(Path log)
    {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        }
        catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /**
     * The class path's jar of that file name, else of the same artifact in another version (the
     * module that lists it and the application that runs may settle on different versions).
     */
    private static Path find(Map<String, Path> onClassPath, String name)
    {
        Path exact = onClassPath.get(name);
        if (exact != null) {
            return exact;
        }
        String artifact = name.replaceFirst("-\\d[^-]*(-.*)?\\.jar$", "");
        java.util.regex.Pattern sameArtifact = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(artifact) + "-\\d[^-]*(-[^-]+)?\\.jar");
        return onClassPath.entrySet().stream().filter(entry -> sameArtifact.matcher(entry.getKey()).matches()).map(Map.Entry::getValue)
                .findFirst().orElse(null);
    }
}
