package dev.sluice.gateway.it;

import static org.awaitility.Awaitility.await;

import dev.sluice.core.record.RecordHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Reads what landed on a topic. Topics are shared by the tests of a run, so tests pick their records
 * by the {@code sluice-request-id} header (each test sends its own request ids).
 */
public final class TopicReader {

    /** A consumed record with its headers as strings. */
    public record Landed(String key, byte[] value, Map<String, String> headers) {
        public String text() {
            return new String(value, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            return headers.get(name);
        }
    }

    private TopicReader() {
    }

    /** Every record of {@code topic} whose request id satisfies {@code requestIds}, read to the end. */
    public static List<Landed> read(String topic, Predicate<String> requestIds) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<Landed> landed = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    Map<String, String> headers = new java.util.HashMap<>();
                    for (Header h : record.headers()) {
                        headers.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
                    }
                    if (requestIds.test(headers.get(RecordHeaders.REQUEST_ID))) {
                        landed.add(new Landed(record.key(), record.value(), headers));
                    }
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
            });
        }
        return landed;
    }

    public static List<Landed> read(String topic, String requestId) {
        return read(topic, requestId::equals);
    }
}
