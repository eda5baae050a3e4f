package io.wirelake.dissect.recorded;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.LoopbackCapture;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * RabbitMQ (Debian's rabbitmq-server, its own node on loopback) and RabbitMQ's Java client: an
 * exchange, a queue and a binding declared, three messages published (one larger than a frame, so
 * its body spans body frames), one fetched with basic.get, two delivered to a consumer and acked.
 * Recorded with tcpdump and compared, method by method, with tshark's AMQP dissection.
 */
@Tag("root")
class RabbitMqTest
{
    @TempDir
    Path directory;

    @Test
    void methodsRoutingKeysAndBodiesAgreeWithTshark()
            throws Exception
    {
        int port = LoopbackCapture.freePort();
        int distribution = LoopbackCapture.freePort();
        int epmd = LoopbackCapture.freePort();
        String node = "wirelake" + port + "@localhost";
        Files.createDirectories(directory.resolve("mnesia"));
        Files.createDirectories(directory.resolve("log"));
        LoopbackCapture.write(directory.resolve("enabled_plugins"), "[].");
        LoopbackCapture.write(directory.resolve("rabbitmq.conf"), "loopback_users = none\n");
        LoopbackCapture.run(List.of("chown", "-R", "rabbitmq:rabbitmq", directory.toString()));
        Map<String, String> environment = new HashMap<>();
        environment.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
        environment.put("RABBITMQ_NODE_PORT", String.valueOf(port));
        environment.put("RABBITMQ_DIST_PORT", String.valueOf(distribution));
        environment.put("RABBITMQ_NODENAME", node);
        environment.put("RABBITMQ_MNESIA_BASE", directory.resolve("mnesia").toString());
        environment.put("RABBITMQ_LOG_BASE", directory.resolve("log").toString());
        environment.put("RABBITMQ_ENABLED_PLUGINS_FILE", directory.resolve("enabled_plugins").toString());
        environment.put("RABBITMQ_CONFIG_FILE", directory.resolve("rabbitmq").toString());
        environment.put("RABBITMQ_FEATURE_FLAGS_FILE", directory.resolve("feature_flags").toString());
        environment.put("RABBITMQ_PLUGINS_EXPAND_DIR", directory.resolve("plugins-expand").toString());
        environment.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
        environment.put("ERL_EPMD_ADDRESS", "127.0.0.1");
        environment.put("ERL_EPMD_PORT", String.valueOf(epmd));
        environment.put("HOME", directory.toString());
        ProcessBuilder server = new ProcessBuilder("/usr/sbin/rabbitmq-server").redirectErrorStream(true)
                .redirectOutput(directory.resolve("server.out").toFile());
        server.environment().putAll(environment);
        Process broker = server.start();
        Path capture;
        List<Integer> sizes = List.of(10, 5_000, 300_000);
        try {
            LoopbackCapture.waitForPort(port, "tcp");
            try (LoopbackCapture recording = LoopbackCapture.start(directory.resolve("amqp.pcap"), "tcp port " + port)) {
                ConnectionFactory factory = new ConnectionFactory();
                factory.setHost("127.0.0.1");
                factory.setPort(port);
                try (Connection connection = factory.newConnection(); Channel channel = connection.createChannel()) {
                    channel.exchangeDeclare("orders", "direct");
                    channel.queueDeclare("orders.created", false, false, false, null);
                    channel.queueBind("orders.created", "orders", "created");
                    for (int size : sizes) {
                        channel.basicPublish("orders", "created", null, new byte[size]);
                    }
                    GetResponse first = null;
                    for (int attempt = 0; attempt < 50 && first == null; attempt++) {
                        first = channel.basicGet("orders.created", true);
                        if (first == null) {
                            Thread.sleep(20);
                        }
                    }
                    assertThat(first).isNotNull();
                    LinkedBlockingQueue<Integer> delivered = new LinkedBlockingQueue<>();
                    channel.basicConsume("orders.created", false, (tag, delivery) -> {
                        delivered.add(delivery.getBody().length);
                        channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
                    }, tag -> {});
                    assertThat(delivered.poll(10, TimeUnit.SECONDS)).isNotNull();
                    assertThat(delivered.poll(10, TimeUnit.SECONDS)).isNotNull();
                    Thread.sleep(200);
                }
                capture = recording.stop();
            }
        }
        finally {
            ProcessBuilder stop = new ProcessBuilder("rabbitmqctl", "-n", node, "stop").redirectErrorStream(true)
                    .redirectOutput(directory.resolve("stop.out").toFile());
            stop.environment().putAll(environment);
            stop.start().waitFor(60, TimeUnit.SECONDS);
            broker.waitFor(30, TimeUnit.SECONDS);
            ProcessBuilder epmdKill = new ProcessBuilder("epmd", "-port", String.valueOf(epmd), "-kill").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            epmdKill.start().waitFor(10, TimeUnit.SECONDS);
        }

        List<GenericData.Record> rows = Dissection.of(capture).calls("AMQP");
        List<String> methods = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        List<String> decodeAs = List.of("-d", "tcp.port==" + port + ",amqp", "-Y", "amqp");
        for (String[] row : Tshark.fields(capture, decodeAs, "amqp.method.class", "amqp.method.method", "amqp.header.body-size")) {
            if (!row[0].isEmpty()) {
                String[] classes = row[0].split(",");
                String[] ids = row[1].split(",");
                for (int i = 0; i < classes.length; i++) {
                    methods.add(classes[i] + "." + ids[i]);
                }
            }
            if (row.length > 2 && !row[2].isEmpty()) {
                bodies.addAll(List.of(row[2].split(",")));
            }
        }
        assertThat(rows).hasSameSizeAs(methods);
        assertThat(rows).extracting(row -> row.get("amqp_method").toString())
                .contains("exchange.declare", "queue.declare", "queue.bind", "basic.publish", "basic.get-ok", "basic.deliver", "basic.ack");
        assertThat(rows).filteredOn(row -> row.get("amqp_method").equals("basic.publish")).extracting(row -> row.get("amqp_summary").toString())
                .containsExactly("exchange=orders routing_key=created body=10", "exchange=orders routing_key=created body=5000",
                        "exchange=orders routing_key=created body=300000");
        List<String> ourBodies = rows.stream().map(row -> row.get("amqp_summary").toString()).filter(summary -> summary.contains("body="))
                .map(summary -> summary.substring(summary.indexOf("body=") + 5)).toList();
        assertThat(ourBodies).containsExactlyInAnyOrderElementsOf(bodies);
        assertThat(rows).allSatisfy(row -> assertThat(row.get("anomalies")).asList().isEmpty());
    }
}
