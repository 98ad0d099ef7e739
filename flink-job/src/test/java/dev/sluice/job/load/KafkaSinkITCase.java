package dev.sluice.job.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.sla.SlaMetrics;
import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import dev.sluice.job.testing.JobFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.types.Row;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka table sink on a real broker and MiniCluster: a table with a Hudi, a Hive and a Kafka sink, the
 * TaskManager killed after the first committed transaction, more records produced while it recovers. A
 * {@code read_committed} consumer must then find every row exactly once, keyed by its id, with the values
 * that were sent, and the same rows as the table's Hudi table and Parquet copy.
 */
class KafkaSinkITCase {
    private static final Duration PATIENCE = Duration.ofMinutes(4);
    private static final int ORDERS = 20_000;
    private static final int BROKEN = 200;

    @TempDir
    static Path dir;

    static JobFixture fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = JobFixture.start(dir, 4, Duration.ofSeconds(1), new Configuration());
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void everyRowOnceForReadCommittedConsumersAcrossAKilledTaskManager() throws Exception {
        String topic = "kafka-sink-" + UUID.randomUUID().toString().substring(0, 8);
        String sinkTopic = topic + "-rt";
        fixture.createTopic(topic, 2);
        fixture.createTopic(sinkTopic, 2);
        EtlJob job = fixture.job(JobFixture.pipeline("it-kafka.yaml", topic), topic).sinkParallelism(2).build();
        TableTarget kafka = job.targets().stream().filter(t -> t.format().equals("kafka")).findFirst().orElseThrow();
        TableTarget hive = job.targets().stream().filter(t -> t.format().equals("hive")).findFirst().orElseThrow();
        TableTarget hudi = job.targets().stream().filter(t -> t.format().equals("hudi-cow")).findFirst().orElseThrow();
        List<byte[]> lines = corpus();

        JobID id = fixture.submit(job, 2, null);
        try {
            fixture.produce(topic, lines.subList(0, lines.size() / 2), System.currentTimeMillis());
            await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() -> committed(sinkTopic).size() > 0);
            fixture.flink().killTaskManager();
            fixture.produce(topic, lines.subList(lines.size() / 2, lines.size()), System.currentTimeMillis());
            await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                    .until(() -> fixture.jobCounter(id, SlaMetrics.RECORDS_IN) >= ORDERS + BROKEN);
            assertThat(fixture.flink().status(id)).isEqualTo(JobStatus.RUNNING);
            // The savepoint commits the last transactions.
            fixture.flink().stopWithSavepoint(id);
        } finally {
            if (!fixture.flink().status(id).isGloballyTerminalState()) {
                fixture.flink().stopWithSavepoint(id);
            }
        }

        List<ConsumerRecord<String, String>> records = committed(sinkTopic);
        assertThat(records).hasSize(ORDERS);
        Map<String, Long> perKey = records.stream().collect(Collectors.groupingBy(ConsumerRecord::key, Collectors.counting()));
        assertThat(perKey).hasSize(ORDERS).allSatisfy((key, count) -> assertThat(count).isOne());
        assertThat(records).filteredOn(r -> r.key().equals("{\"id\":\"o-7\"}")).singleElement()
                .satisfies(r -> assertThat(r.value())
                        .isEqualTo("{\"id\":\"o-7\",\"ts\":\"2026-11-23T10:00:07\",\"amount\":7.5,\"dt\":\"2026-11-23\"}"));

        List<Row> fromTopic = kafka.readAll();
        assertThat(fromTopic).hasSize(ORDERS).containsExactlyInAnyOrderElementsOf(hive.readAll())
                .containsExactlyInAnyOrderElementsOf(hudi.readAll());
        assertThat(fromTopic).filteredOn(r -> "o-7".equals(r.getField("id"))).singleElement()
                .satisfies(r -> assertThat(r.getField("ts")).isEqualTo(LocalDateTime.parse("2026-11-23T10:00:07")));
    }

    private static List<byte[]> corpus() {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            lines.add("{\"id\":\"o-" + i + "\",\"ts\":\"2026-11-23T10:" + String.format("%02d:%02d", (i / 60) % 60, i % 60)
                    + "Z\",\"amount\":" + (i % 100) + ".5}");
        }
        for (int i = 0; i < BROKEN; i++) {
            lines.add("{\"id\":\"broken-" + i + "\",\"ts\":");
        }
        Collections.shuffle(lines, new Random(11));
        return lines.stream().map(l -> l.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** Every committed record of the topic up to its last stable offset. */
    private static List<ConsumerRecord<String, String>> committed(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = new HashMap<>(consumer.endOffsets(partitions));
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(500)).forEach(records::add);
            }
        }
        return records;
    }
}
