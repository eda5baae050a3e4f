package io.wirelake.dissect.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * nginx for the recorded tests: one process of its own (no daemon, no master) with every path
 * under a test directory, listening only where the given server blocks say (loopback), started
 * and waited for. The configuration around the blocks is the same for every test.
 */
public final class Nginx
        implements AutoCloseable
{
    private final Process process;
    private final Path directory;

    private Nginx(Process process, Path directory)
    {
        this.process = process;
        this.directory = directory;
    }

    /** Whether it runs, and what it said (its error log and output), for a test's failure message. */
    public String state()
    {
        StringBuilder state = new StringBuilder(process.isAlive() ? "nginx runs" : "nginx ended with " + process.exitValue());
        for (String name : new String[] {"error.log", "nginx.out"}) {
            try {
                state.append("\n").append(name).append(": ").append(java.nio.file.Files.readString(directory.resolve(name)));
            }
            catch (IOException e) {
                state.append("\n").append(name).append(": ").append(e);
            }
        }
        return state.toString();
    }

    /**
     * @param http directives inside {@code http { }}: server blocks and anything else (types, gzip)
     * @param ports the ports to wait for
     */
    public static Nginx start(Path directory, String http, int... ports)
            throws IOException, InterruptedException
    {
        Path configuration = LoopbackCapture.write(directory.resolve("nginx.conf"), """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events { worker_connections 64; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                %2$s
                }
                """.formatted(directory, http.indent(4)));
        Process process = new ProcessBuilder("nginx", "-c", configuration.toString()).redirectErrorStream(true)
                .redirectOutput(directory.resolve("nginx.out").toFile()).start();
        for (int port : ports) {
            LoopbackCapture.waitForPort(port, "tcp");
        }
        return new Nginx(process, directory);
    }

    @Override
    public void close()
            throws InterruptedException
    {
        process.destroy();
        process.waitFor(10, TimeUnit.SECONDS);
    }
}
