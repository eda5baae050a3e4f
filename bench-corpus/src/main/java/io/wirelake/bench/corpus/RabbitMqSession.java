package io.wirelake.bench.corpus;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * RabbitMQ (Debian's rabbitmq-server, port 5672) and its Java client: order events of a few
 * hundred bytes to tens of kilobytes (some over a frame, so their bodies span body frames)
 * published to a topic exchange with persistent properties, delivered to a consumer that acks,
 * and a work queue read with basic.get.
 */
final class RabbitMqSession
        implements Session
{
    static final int PORT = 5672;

    private final Map<String, String> environment = new HashMap<>();
    private Process broker;
    private Path directory;

    @Override
    public String name()
    {
        return "amqp (RabbitMQ, amqp-client)";
    }

    @Override
    public void start(Path directory)
            throws Exception
    {
        this.directory = directory;
        String node = "bench@localhost";
        Files.createDirectories(directory.resolve("mnesia"));
        Files.createDirectories(directory.resolve("log"));
        Processes.write(directory.resolve("enabled_plugins"), "[].");
        Processes.write(directory.resolve("rabbitmq.conf"), "loopback_users = none\n");
        Processes.run(List.of("chown", "-R", "rabbitmq:rabbitmq", directory.toString()));
        environment.put("RABBITMQ_NODE_IP_ADDRESS", "127.0.0.1");
        environment.put("RABBITMQ_NODE_PORT", String.valueOf(PORT));
        environment.put("RABBITMQ_DIST_PORT", "25672");
        environment.put("RABBITMQ_NODENAME", node);
        environment.put("RABBITMQ_MNESIA_BASE", directory.resolve("mnesia").toString());
        environment.put("RABBITMQ_LOG_BASE", directory.resolve("log").toString());
        environment.put("RABBITMQ_ENABLED_PLUGINS_FILE", directory.resolve("enabled_plugins").toString());
        environment.put("RABBITMQ_CONFIG_FILE", directory.resolve("rabbitmq").toString());
        environment.put("RABBITMQ_FEATURE_FLAGS_FILE", directory.resolve("feature_flags").toString());
        environment.put("RABBITMQ_PLUGINS_EXPAND_DIR", directory.resolve("plugins-expand").toString());
        environment.put("RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS", "-kernel inet_dist_use_interface {127,0,0,1}");
        environment.put("ERL_EPMD_ADDRESS", "127.0.0.1");
        environment.put("HOME", directory.toString());
        broker = Processes.start(directory.resolve("server.out"), List.of("/usr/sbin/rabbitmq-server"), environment);
        Processes.waitForTcp(PORT, broker, directory.resolve("server.out"));
    }

    @Override
    public void run(double scale)
            throws Exception
    {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("127.0.0.1");
        factory.setPort(PORT);
        Random random = new Random(5672);
        int events = Session.scaled(1_500, scale);
        int jobs = Session.scaled(100, scale);
        try (Connection publisher = factory.newConnection("orders-service"); Connection consumer = factory.newConnection("billing-service")) {
            Channel publishing = publisher.createChannel();
            publishing.exchangeDeclare("orders", "topic", true);
            publishing.queueDeclare("billing.orders", true, false, false, null);
            publishing.queueBind("billing.orders", "orders", "order.*");
            publishing.queueDeclare("thumbnails.jobs", true, false, false, null);
            Channel consuming = consumer.createChannel();
            consuming.basicQos(50);
            CountDownLatch delivered = new CountDownLatch(events);
            consuming.basicConsume("billing.orders", false, "billing", (tag, delivery) -> {
                consuming.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
                delivered.countDown();
            }, tag -> {});
            String[] keys = {"order.created", "order.paid", "order.shipped"};
            for (int event = 0; event < events; event++) {
                AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder().contentType("application/json").deliveryMode(2)
                        .messageId("evt-" + event).appId("orders-service").build();
                publishing.basicPublish("orders", keys[random.nextInt(keys.length)], properties,
                        Content.json(random, Content.size(random, 200, 20_000)).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            for (int job = 0; job < jobs; job++) {
                publishing.basicPublish("", "thumbnails.jobs", null, Content.binary(random, Content.size(random, 5_000, 100_000)));
            }
            if (!delivered.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("RabbitMQ delivered " + (events - delivered.getCount()) + " of " + events + " events in 5 minutes");
            }
            Channel worker = consumer.createChannel();
            int fetched = 0;
            for (int attempt = 0; fetched < jobs && attempt < jobs * 20; attempt++) {
                GetResponse response = worker.basicGet("thumbnails.jobs", true);
                if (response == null) {
                    Thread.sleep(10);
                }
                else {
                    fetched++;
                }
            }
        }
    }

    @Override
    public void close()
            throws Exception
    {
        if (broker == null) {
            return;
        }
        ProcessBuilder stop = new ProcessBuilder("rabbitmqctl", "-n", "bench@localhost", "stop").redirectErrorStream(true)
                .redirectOutput(directory.resolve("stop.out").toFile());
        stop.environment().putAll(environment);
        stop.start().waitFor(60, TimeUnit.SECONDS);
        broker.waitFor(30, TimeUnit.SECONDS);
        Processes.stop(broker);
        new ProcessBuilder("epmd", "-kill").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(10, TimeUnit.SECONDS);
    }
}
