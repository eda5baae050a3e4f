package io.wirelake.dissect.recorded;

import io.wirelake.dissect.testing.Dissection;
import io.wirelake.dissect.testing.LoopbackCapture;
import io.wirelake.packets.testing.Tshark;
import org.apache.avro.generic.GenericData;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real Kafka broker (Apache Kafka in KRaft mode, in its own JVM on loopback) with Kafka's Java
 * client of the same release: a topic created, records produced, consumed by a group and
 * committed. The client speaks the newest versions (Produce and Fetch name topics by id), so the
 * rows must show topic names learned from the Metadata responses. Recorded with tcpdump and
 * compared with tshark's Kafka dissection: requests per API, client ids, pairing.
 */
@Tag("root")
class KafkaBrokerTest
{
    private static final String TOPIC = "orders.created";
    private static final int RECORDS = 20;

    @TempDir
    Path directory;

    @Test
    void requestsTopicsAndClientsAgreeWithTsharkAndTheClient()
            throws Exception
    {
        int port = LoopbackCapture.freePort();
        int controller = LoopbackCapture.freePort();
        Path properties = LoopbackCapture.write(directory.resolve("server.properties"), String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
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
        LoopbackCapture.run(List.of(java, "-cp", classpath, "kafka.tools.StorageTool", "format",
                "-t", Uuid.randomUuid().toString(), "-c", properties.toString()));
        Process broker = new ProcessBuilder(java, "-Xmx512m", "-cp", classpath, "kafka.Kafka", properties.toString())
                .redirectErrorStream(true).redirectOutput(directory.resolve("broker.out").toFile()).start();
        Path capture;
        List<String> consumed = new ArrayList<>();
        try {
            try {
                LoopbackCapture.waitForPort(port, "tcp");
            }
            catch (IOException e) {
                throw new IOException("the Kafka broker did not start; its output:\n" + Files.readString(directory.resolve("broker.out")), e);
            }
            try (LoopbackCapture recording = LoopbackCapture.start(directory.resolve("kafka.pcap"), "tcp port " + port)) {
                Properties admin = new Properties();
                admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
                admin.put(AdminClientConfig.CLIENT_ID_CONFIG, "wirelake-admin");
                try (Admin client = Admin.create(admin)) {
                    client.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get();
                }
                Properties producer = new Properties();
                producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
                producer.put(ProducerConfig.CLIENT_ID_CONFIG, "wirelake-producer");
                producer.put(ProducerConfig.LINGER_MS_CONFIG, "0");
                try (KafkaProducer<String, String> client = new KafkaProducer<>(producer, new StringSerializer(), new StringSerializer())) {
                    for (int record = 0; record < RECORDS; record++) {
                        client.send(new ProducerRecord<>(TOPIC, "order-" + record, "{\"id\":" + record + "}")).get();
                    }
                }
                Properties consumer = new Properties();
                consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port);
                consumer.put(ConsumerConfig.CLIENT_ID_CONFIG, "wirelake-consumer");
                consumer.put(ConsumerConfig.GROUP_ID_CONFIG, "billing");
                consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
                consumer.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
                try (KafkaConsumer<String, String> client = new KafkaConsumer<>(consumer, new StringDeserializer(), new StringDeserializer())) {
                    client.subscribe(List.of(TOPIC));
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (consumed.size() < RECORDS && System.nanoTime() < deadline) {
                        for (ConsumerRecord<String, String> record : client.poll(Duration.ofMillis(500))) {
                            consumed.add(record.key());
                        }
                    }
                    client.commitSync();
                }
                capture = recording.stop();
            }
        }
        finally {
            broker.destroy();
            broker.waitFor();
        }
        assertThat(consumed).hasSize(RECORDS);

        // tshark's view: each request's API key and client id, and how many responses it paired
        List<String> decodeAs = List.of("-d", "tcp.port==" + port + ",kafka");
        Map<String, Integer> tsharkRequests = new TreeMap<>();
        Map<String, Integer> tsharkClients = new TreeMap<>();
        for (String[] row : Tshark.fields(capture, List.of(decodeAs.get(0), decodeAs.get(1), "-Y", "kafka && tcp.dstport == " + port),
                "kafka.api_key", "kafka.client_id")) {
            for (String key : row[0].split(",")) {
                tsharkRequests.merge(key, 1, Integer::sum);
            }
            for (String client : row[1].split(",")) {
                tsharkClients.merge(client, 1, Integer::sum);
            }
        }
        int tsharkResponses = 0;
        for (String[] row : Tshark.fields(capture, List.of(decodeAs.get(0), decodeAs.get(1), "-Y", "kafka && tcp.srcport == " + port),
                "kafka.correlation_id")) {
            tsharkResponses += row[0].split(",").length;
        }

        List<GenericData.Record> calls = Dissection.of(capture).calls("Kafka");
        Map<String, Integer> ourRequests = new TreeMap<>();
        Map<String, Integer> ourClients = new TreeMap<>();
        int answered = 0;
        for (GenericData.Record call : calls) {
            ourRequests.merge(String.valueOf(call.get("kafka_api_key")), 1, Integer::sum);
            ourClients.merge(call.get("kafka_client_id").toString(), 1, Integer::sum);
            answered += Boolean.TRUE.equals(call.get("kafka_response")) ? 1 : 0;
            assertThat(call.get("anomalies")).asList().isEmpty();
        }
        assertThat(ourRequests).isEqualTo(tsharkRequests);
        assertThat(ourClients).isEqualTo(tsharkClients).containsKeys("wirelake-admin", "wirelake-producer", "wirelake-consumer");
        assertThat(answered).isEqualTo(tsharkResponses).isEqualTo(calls.size());

        // Produce, Fetch, OffsetCommit and Metadata name the topic by name, whichever version sent an id
        for (String api : List.of("PRODUCE", "FETCH", "OFFSET_COMMIT", "METADATA")) {
            List<String> summaries = calls.stream().filter(call -> call.get("kafka_api_key_name").toString().equals(api))
                    .map(call -> call.get("kafka_request_summary").toString()).filter(summary -> !summary.isEmpty()).toList();
            assertThat(summaries).as(api).isNotEmpty().allSatisfy(summary -> assertThat(summary).isEqualTo(TOPIC));
        }
        // the newest versions were spoken: Produce 13 and Fetch 13+ send topic ids only
        List<String[]> produceVersions = Tshark.fields(capture, List.of(decodeAs.get(0), decodeAs.get(1), "-Y", "kafka.api_key == 0 && tcp.dstport == " + port),
                "kafka.api_version");
        assertThat(produceVersions).extracting(row -> Integer.parseInt(row[0].split(",")[0])).allSatisfy(version -> assertThat(version).isGreaterThanOrEqualTo(13));
    }
}
