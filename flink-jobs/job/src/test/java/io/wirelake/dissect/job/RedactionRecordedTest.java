package io.wirelake.dissect.job;

import io.wirelake.dissect.enrich.Enrichment;
import io.wirelake.dissect.flow.FlowTracker;
import io.wirelake.dissect.protocol.ProtocolRegistry;
import io.wirelake.dissect.redact.Redaction;
import io.wirelake.dissect.redact.RedactionRules;
import io.wirelake.dissect.scan.ScanReport;
import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.LoopbackCapture;
import io.wirelake.dissect.testing.Nginx;
import io.wirelake.store.dissection.DissectionSpec;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every default redaction rule on recorded traffic of real clients and servers: curl with a bearer
 * token, a cookie, a token in the query string and a password in a JSON body against nginx (whose
 * response sets a cookie), redis-cli authenticating to redis-server and changing its password,
 * curl logging in to an FTP server and a client that sends USER and PASS in one segment. The job
 * writes Parquet; no secret byte is in any file (dictionary pages included). The oracle that the
 * grep can find them: the same capture dissected with {@code --redact none} has every secret in
 * its files' bytes.
 */
class RedactionRecordedTest
{
    private static final String BEARER = "wlbearer" + random();
    private static final String COOKIE = "wlcookie" + random();
    private static final String SET_COOKIE = "wlsetcookie" + random();
    private static final String QUERY_TOKEN = "wlquery" + random();
    private static final String JSON_PASSWORD = "wljson" + random();
    private static final String REDIS_PASSWORD = "wlredis" + random();
    private static final String REDIS_NEW_PASSWORD = "wlredisnew" + random();
    private static final String FTP_PASSWORD = "wlftp" + random();
    private static final String FTP_PIPELINED_PASSWORD = "wlftppipe" + random();
    private static final List<String> SECRETS = List.of(BEARER, COOKIE, SET_COOKIE, QUERY_TOKEN, JSON_PASSWORD, REDIS_PASSWORD, REDIS_NEW_PASSWORD,
            FTP_PIPELINED_PASSWORD);
    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");

    @TempDir
    static Path directory;
    static Path capture;

    private static String random()
    {
        byte[] bytes = new byte[8];
        new java.security.SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @BeforeAll
    static void record()
            throws Exception
    {
        int http = LoopbackCapture.freePort();
        int redisPort = LoopbackCapture.freePort();
        try (FtpServer ftp = new FtpServer();
                Nginx nginx = Nginx.start(directory, """
                        server {
                            listen 127.0.0.1:%d;
                            location / { add_header Set-Cookie "session=%s; HttpOnly"; return 200 "ok\\n"; }
                        }
                        """.formatted(http, SET_COOKIE), http)) {
            Process redis = new ProcessBuilder("redis-server", "--port", String.valueOf(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                    "--requirepass", REDIS_PASSWORD).redirectErrorStream(true).redirectOutput(directory.resolve("redis.log").toFile()).start();
            try {
                LoopbackCapture.waitForPort(redisPort, "tcp");
                try (LoopbackCapture recording = LoopbackCapture.start(directory.resolve("secrets.pcap"),
                        "tcp port " + http + " or tcp port " + redisPort + " or tcp port " + ftp.port())) {
                    String base = "http://127.0.0.1:" + http;
                    for (int request = 0; request < 2; request++) {
                        LoopbackCapture.run(List.of("curl", "-s", "-H", "Authorization: Bearer " + BEARER, "-b", "session=" + COOKIE, base + "/orders"));
                    }
                    LoopbackCapture.run(List.of("curl", "-s", base + "/search?q=shoes&access_token=" + QUERY_TOKEN));
                    LoopbackCapture.run(List.of("curl", "-s", "-H", "Content-Type: application/json", "-d",
                            "{\"user\":\"bob\",\"password\":\"" + JSON_PASSWORD + "\"}", base + "/login"));
                    LoopbackCapture.run(List.of("redis-cli", "-p", String.valueOf(redisPort), "-a", REDIS_PASSWORD, "--no-auth-warning", "SET", "k", "v"));
                    LoopbackCapture.run(List.of("redis-cli", "-p", String.valueOf(redisPort), "-a", REDIS_PASSWORD, "--no-auth-warning", "CONFIG", "SET",
                            "requirepass", REDIS_NEW_PASSWORD));
                    // curl logs in (USER, then PASS in a segment of its own), lists, and the server says goodbye
                    LoopbackCapture.run(List.of("bash", "-c", "curl -s --max-time 10 ftp://alice:" + FTP_PASSWORD + "@127.0.0.1:" + ftp.port() + "/ || true"));
                    // a client that sends both commands in one segment: the first payload, which unclaimed rows keep, holds the password
                    try (Socket client = new Socket(InetAddress.getLoopbackAddress(), ftp.port()); OutputStream output = client.getOutputStream()) {
                        BufferedReader input = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                        input.readLine();
                        output.write(("USER bob\r\nPASS " + FTP_PIPELINED_PASSWORD + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        output.flush();
                        input.readLine();
                    }
                    capture = recording.stop();
                }
            }
            finally {
                redis.destroy();
                redis.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void noSecretIsInAnyParquetFile()
            throws Exception
    {
        byte[] redacted = parquetBytes(dissect(new Redaction(RedactionRules.DEFAULTS, KEY), "redacted"));
        byte[] plain = parquetBytes(dissect(Redaction.NONE, "plain"));
        for (String secret : SECRETS) {
            assertThat(contains(plain, secret)).as("the unredacted tables hold %s (the grep finds what is there)", secret).isTrue();
            assertThat(contains(redacted, secret)).as("the redacted tables hold %s", secret).isFalse();
        }
        assertThat(contains(redacted, FTP_PASSWORD)).isFalse();
    }

    @Test
    void everyRuleIsCountedAndEqualSecretsCorrelate()
    {
        FlowTracker.Settings settings = FlowTracker.Settings.defaults("test-node", 0).withRedaction(new Redaction(RedactionRules.DEFAULTS, KEY));
        Dissection dissection = Dissection.of(ProtocolRegistry.standard(), settings, Enrichment.none(), capture);
        ScanReport report = dissection.report();
        assertThat(report.withPrefix("redacted.")).containsKeys("header", "cookie", "parameter", "json", "redis", "text_command");
        List<GenericData.Record> orders = dissection.calls("HTTP").stream().filter(call -> call.get("path").toString().equals("/orders")).toList();
        assertThat(orders).hasSize(2);
        String first = ((Map<?, ?>) orders.get(0).get("request_headers")).get("authorization").toString();
        String second = ((Map<?, ?>) orders.get(1).get("request_headers")).get("authorization").toString();
        // the marker keeps the length of "Bearer <token>" and a keyed hash, the same for the same token
        assertThat(first).startsWith("[redacted " + ("Bearer " + BEARER).length() + " bytes hmac ").isEqualTo(second);
        List<String> redis = dissection.calls("Redis").stream().map(call -> call.get("redis_command").toString()).toList();
        assertThat(redis).anySatisfy(command -> assertThat(command).startsWith("AUTH [redacted " + REDIS_PASSWORD.length() + " bytes"));
        assertThat(redis).anySatisfy(command -> assertThat(command).startsWith("CONFIG SET requirepass [redacted"));
    }

    private static Path dissect(Redaction redaction, String name)
            throws Exception
    {
        Path output = directory.resolve(name);
        DissectionJob.runLocally(DissectionSpec.ofCaptures(ScanUnits.captures(List.of(capture)), output.toUri().toString()).withParallelism(1), redaction,
                directory.resolve("tmp-" + name).toString(), null, new org.apache.flink.configuration.Configuration());
        return output;
    }

    /**
     * Every byte of every Parquet file of both tables: the files as stored (footer and statistics),
     * and each page decompressed, dictionary pages included (Snappy's back-references could split
     * a secret in the stored bytes).
     */
    private static byte[] parquetBytes(Path output)
            throws Exception
    {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        try (Stream<Path> files = Files.walk(output)) {
            List<Path> parquet = files.filter(file -> file.toString().endsWith(".parquet")).toList();
            assertThat(parquet).isNotEmpty();
            for (Path file : parquet) {
                all.writeBytes(Files.readAllBytes(file));
                pages(file, all);
            }
        }
        return all.toByteArray();
    }

    private static void pages(Path file, java.io.ByteArrayOutputStream all)
            throws Exception
    {
        // a local file read without Hadoop's file systems (as ParquetFiles reads rows)
        org.apache.parquet.io.InputFile input = new org.apache.parquet.io.LocalInputFile(file);
        try (org.apache.parquet.hadoop.ParquetFileReader reader = org.apache.parquet.hadoop.ParquetFileReader.open(input)) {
            List<org.apache.parquet.column.ColumnDescriptor> columns = reader.getFooter().getFileMetaData().getSchema().getColumns();
            org.apache.parquet.column.page.PageReadStore rowGroup;
            while ((rowGroup = reader.readNextRowGroup()) != null) {
                for (org.apache.parquet.column.ColumnDescriptor column : columns) {
                    org.apache.parquet.column.page.PageReader pages = rowGroup.getPageReader(column);
                    org.apache.parquet.column.page.DictionaryPage dictionary = pages.readDictionaryPage();
                    if (dictionary != null) {
                        all.writeBytes(dictionary.getBytes().toByteArray());
                    }
                    org.apache.parquet.column.page.DataPage page;
                    while ((page = pages.readPage()) != null) {
                        if (page instanceof org.apache.parquet.column.page.DataPageV1 v1) {
                            all.writeBytes(v1.getBytes().toByteArray());
                        }
                        else if (page instanceof org.apache.parquet.column.page.DataPageV2 v2) {
                            all.writeBytes(v2.getData().toByteArray());
                        }
                    }
                }
            }
        }
    }

    private static boolean contains(byte[] haystack, String needle)
    {
        byte[] bytes = needle.getBytes(StandardCharsets.US_ASCII);
        outer:
        for (int start = 0; start + bytes.length <= haystack.length; start++) {
            for (int index = 0; index < bytes.length; index++) {
                if (haystack[start + index] != bytes[index]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    /** A small FTP control-connection server (RFC 959 replies) that accepts any login and lists nothing. */
    private static final class FtpServer
            implements AutoCloseable
    {
        private final ServerSocket socket;
        private final Thread thread;

        FtpServer()
                throws Exception
        {
            socket = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
            thread = new Thread(this::serve, "ftp");
            thread.setDaemon(true);
            thread.start();
        }

        int port()
        {
            return socket.getLocalPort();
        }

        private void serve()
        {
            while (!socket.isClosed()) {
                try (Socket client = socket.accept()) {
                    OutputStream output = client.getOutputStream();
                    BufferedReader input = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII));
                    output.write("220 wirelake FTP\r\n".getBytes(StandardCharsets.US_ASCII));
                    String line;
                    while ((line = input.readLine()) != null) {
                        String verb = line.split(" ")[0].toUpperCase(java.util.Locale.ROOT);
                        String reply = switch (verb) {
                            case "USER" -> "331 password please\r\n";
                            case "PASS" -> "230 logged in\r\n";
                            case "PWD" -> "257 \"/\"\r\n";
                            case "QUIT" -> "221 bye\r\n";
                            default -> "502 not implemented\r\n";
                        };
                        output.write(reply.getBytes(StandardCharsets.US_ASCII));
                        output.flush();
                        if (verb.equals("QUIT") || verb.equals("EPSV") || verb.equals("PASV")) {
                            break;
                        }
                    }
                }
                catch (Exception e) {
                    // a client went away; the next is served
                }
            }
        }

        @Override
        public void close()
                throws Exception
        {
            socket.close();
            thread.join(5_000);
        }
    }
}
