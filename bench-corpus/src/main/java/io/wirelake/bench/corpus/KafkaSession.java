package io.wirelake.bench.corpus;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/**
 * An Apache Kafka broker (KRaft, its own JVM, port 9092) and Kafka's Java client: topics created,
 * order events of hundreds of bytes to kilobytes produced in batches (with the client's
 * defaults: compression none, lingering batches), consumed by a group that commits its offsets.
 */
final class KafkaSession
        implements Session
{
    static final int PORT = 9092;
    static final int CONTROLLER_PORT = 9093;
    private static final List<String> TOPICS = List.of("orders.created", "payments.settled", "inventory.changed");

    private Process broker;

    @Override
    public String name()
    {
        return "kafka (Apache Kafka broker and client)";
    }

    @Override
    public void start(Path directory)
            throws Exception
    {
        Path properties = Processes.write(directory.resolve("server.properties"), String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + CONTROLLER_PORT,
                "listeners=PLAINTEXT://127.0.0.1:" + PORT + ",CONTROLLER://127.0.0.1:" + CONTROLLER_PORT,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + PORT,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + directory.resolve("data"),
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                ""));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classpath = System.getProperty("java.class.path");
        Processes.run(List.of(java, "-cp", classpath, "kafka.tools.StorageTool", "format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString()));
        Path log = directory.resolve("broker.out");
        broker = Processes.start(log, List.of(java, "-Xmx512m", "-cp", classpath, "kafka.Kafka", properties.toString()));
        Processes.waitForTcp(PORT, broker, log);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + PORT, AdminClientConfig.CLIENT_ID_CONFIG, "bench-setup"))) {
            admin.createTopics(TOPICS.stream().map(topic -> new NewTopic(topic, 3, (short) 1)).toList()).all().get();
        }
    }

    @Override
    public void run(double scale)
            throws Exception
    {
        Random random = new Random(9092);
        int records = Session.scaled(8_000, scale);
        Properties producer = new Properties();
        producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + PORT);
        producer.put(ProducerConfig.CLIENT_ID_CONFIG, "orders-service");
        producer.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        producer.put(ProducerConfig.BATCH_SIZE_CONFIG, 64 * 1024);
        try (KafkaProducer<String, byte[]> client = new KafkaProducer<>(producer, new StringSerializer(), new ByteArraySerializer())) {
            for (int record = 0; record < records; record++) {
                String topic = TOPICS.get(random.nextInt(TOPICS.size()));
                client.send(new ProducerRecord<>(topic, "key-" + random.nextInt(5_000),
                        Content.json(random, Content.size(random, 150, 6_000)).getBytes(StandardCharsets.UTF_8)));
                if (record % 500 == 499) {
                    // a service's pace, not one burst
                    client.flush();
                    Thread.sleep(20);
                }
            }
        }
        Properties consumer = new Properties();
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + PORT);
        consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, "billing-service");
        consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "billing");
        consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        consumer.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
        try (KafkaConsumer<String, byte[]> client = new KafkaConsumer<>(consumer, new StringDeserializer(), new ByteArrayDeserializer())) {
            client.subscribe(TOPICS);
            long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
            int consumed = 0;
            while (consumed < records && System.nanoTime() < deadline) {
                int polled = client.poll(Duration.ofMillis(500)).count();
                consumed += polled;
                if (polled > 0) {
                    client.commitSync();
                }
            }
            if (consumed < records) {
                throw new IllegalStateException("consumed " + consumed + " of " + records + " Kafka records in 3 minutes");
            }
        }
    }

    @Override
    public void close()
            throws Exception
    {
        Processes.stop(broker);
    }
}
