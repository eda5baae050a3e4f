package io.wirelake.bench.corpus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * nginx serving a shop's API and assets over HTTP/1.1 (port 80) and h2c (port 8081, HTTP/2 with
 * prior knowledge), driven by nghttp2's h2load: small JSON documents most of the time, gzip-coded
 * catalog pages, photos of tens to hundreds of kilobytes, a few downloads of megabytes, posted
 * orders, and some requests for what is not there.
 */
final class HttpSession
        implements Session
{
    static final int HTTP1_PORT = 80;
    static final int HTTP2_PORT = 8081;

    private Path directory;
    private Process nginx;

    @Override
    public String name()
    {
        return "http (nginx, h2load)";
    }

    @Override
    public void start(Path directory)
            throws Exception
    {
        this.directory = directory;
        Path root = directory.resolve("www");
        Random random = new Random(80);
        Processes.write(root.resolve("index.html"), "<!doctype html><html><head><title>shop</title></head><body>" + "<p>welcome to the shop</p>".repeat(50) + "</body></html>\n");
        for (int order = 1; order <= 50; order++) {
            Processes.write(root.resolve("api/orders/" + order + ".json"), Content.json(random, Content.size(random, 600, 8_000)));
        }
        for (int page = 1; page <= 10; page++) {
            Processes.write(root.resolve("catalog/page-" + page + ".json"), Content.json(random, Content.size(random, 20_000, 160_000)));
        }
        for (int photo = 1; photo <= 10; photo++) {
            Files.createDirectories(root.resolve("img"));
            Files.write(root.resolve("img/photo-" + photo + ".jpg"), Content.binary(random, Content.size(random, 40_000, 400_000)));
        }
        for (int bundle = 1; bundle <= 3; bundle++) {
            Files.createDirectories(root.resolve("download"));
            Files.write(root.resolve("download/bundle-" + bundle + ".bin"), Content.binary(random, 1_000_000 * bundle));
        }
        Processes.write(directory.resolve("order.json"), Content.json(random, 1_500));
        Path configuration = Processes.write(directory.resolve("nginx.conf"), """
                daemon off;
                master_process off;
                worker_processes 1;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log;
                events { worker_connections 256; }
                http {
                    access_log off;
                    client_body_temp_path %1$s/body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    types { text/html html; application/json json; image/jpeg jpg; application/octet-stream bin; }
                    keepalive_requests 1000;
                    gzip on;
                    gzip_types application/json;
                    server {
                        listen 127.0.0.1:%2$d;
                        listen 127.0.0.1:%3$d http2;
                        root %1$s/www;
                        location = /api/orders { default_type application/json; return 201 '{"id":4711,"state":"created"}'; }
                        location = /api/health { default_type application/json; return 200 '{"status":"UP"}'; }
                    }
                }
                """.formatted(directory, HTTP1_PORT, HTTP2_PORT));
        nginx = Processes.start(directory.resolve("nginx.out"), List.of("nginx", "-c", configuration.toString()));
        Processes.waitForTcp(HTTP1_PORT, nginx, directory.resolve("nginx.out"));
        Processes.waitForTcp(HTTP2_PORT, nginx, directory.resolve("nginx.out"));
        Files.writeString(directory.resolve("uris-1.txt"), String.join("\n", uris(new Random(1), HTTP1_PORT)) + "\n");
        Files.writeString(directory.resolve("uris-2.txt"), String.join("\n", uris(new Random(2), HTTP2_PORT)) + "\n");
    }

    /** One client's requests in order: h2load goes through the list, one line per request. */
    private static List<String> uris(Random random, int port)
    {
        String base = "http://127.0.0.1:" + port;
        List<String> uris = new ArrayList<>();
        for (int index = 0; index < 400; index++) {
            int kind = random.nextInt(100);
            if (kind < 55) {
                uris.add(base + "/api/orders/" + (1 + random.nextInt(50)) + ".json");
            }
            else if (kind < 72) {
                uris.add(base + "/catalog/page-" + (1 + random.nextInt(10)) + ".json");
            }
            else if (kind < 82) {
                uris.add(base + "/api/health");
            }
            else if (kind < 93) {
                uris.add(base + "/img/photo-" + (1 + random.nextInt(10)) + ".jpg");
            }
            else if (kind < 95) {
                uris.add(base + "/download/bundle-" + (1 + random.nextInt(3)) + ".bin");
            }
            else if (kind < 98) {
                uris.add(base + "/index.html");
            }
            else {
                uris.add(base + "/api/orders/" + (1000 + random.nextInt(1000)) + ".json");
            }
        }
        return uris;
    }

    @Override
    public void run(double scale)
            throws Exception
    {
        List<String> headers = List.of("-H", "accept-encoding: gzip", "-H", "user-agent: shop-frontend/2.4 (h2load)", "-H", "accept: application/json");
        // HTTP/1.1: a few keep-alive connections going through the list
        List<String> http1 = new ArrayList<>(List.of("h2load", "--h1", "-c", "4", "-n", String.valueOf(Session.scaled(900, scale)),
                "-i", directory.resolve("uris-1.txt").toString()));
        http1.addAll(headers);
        Processes.run(http1);
        // orders posted as JSON
        Processes.run(List.of("h2load", "--h1", "-c", "2", "-n", String.valueOf(Session.scaled(400, scale)), "-d", directory.resolve("order.json").toString(),
                "-H", "content-type: application/json", "http://127.0.0.1:" + HTTP1_PORT + "/api/orders"));
        // HTTP/2: multiplexed streams on a few connections
        List<String> http2 = new ArrayList<>(List.of("h2load", "-c", "3", "-m", "8", "-n", String.valueOf(Session.scaled(900, scale)),
                "-i", directory.resolve("uris-2.txt").toString()));
        http2.addAll(headers);
        Processes.run(http2);
        Processes.run(List.of("h2load", "-c", "1", "-m", "4", "-n", String.valueOf(Session.scaled(200, scale)), "-d", directory.resolve("order.json").toString(),
                "-H", "content-type: application/json", "http://127.0.0.1:" + HTTP2_PORT + "/api/orders"));
    }

    @Override
    public void close()
            throws Exception
    {
        Processes.stop(nginx);
    }
}
