package dev.sluice.job.testing;

import static org.awaitility.Awaitility.await;

import dev.sluice.core.record.RecordHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Raw topics on a real broker: creates them and writes raw records the way the gateway does (value
 * unchanged, Sluice headers, idempotent producer, every write acknowledged).
 */
public final class RawTopics implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;
    private final Admin admin;

    public RawTopics(String bootstrapServers) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.admin = Admin.create(adminProps);
    }

    /** Creates the topic and waits until every partition has a leader, so the first writes are not refused. */
    public void create(String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> admin.describeTopics(List.of(topic)).allTopicNames()
                .get(10, TimeUnit.SECONDS).get(topic).partitions().stream().allMatch(p -> p.leader() != null));
    }

    /** Writes raw lines round-robin over the topic's partitions, as the gateway would, and waits for the acks. */
    public void produce(String topic, List<byte[]> values, long receivedAt) throws Exception {
        byte[] received = Long.toString(receivedAt).getBytes(StandardCharsets.UTF_8);
        List<Future<RecordMetadata>> acks = new ArrayList<>(values.size());
        for (byte[] value : values) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, null, null, value);
            record.headers().add(RecordHeaders.SOURCE, "test".getBytes(StandardCharsets.UTF_8));
            record.headers().add(RecordHeaders.RECEIVED_AT, received);
            acks.add(producer.send(record));
        }
        producer.flush();
        // A refused write must fail the test here, not show up later as a "lost" record.
        for (Future<RecordMetadata> ack : acks) {
            ack.get(60, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        producer.close();
        admin.close();
    }
}
