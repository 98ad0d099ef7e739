package dev.sluice.backfill;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The offsets of a raw topic whose records were ingested (Kafka timestamp, set when the gateway produced
 * them) within {@code [from, until)}: per partition, the first offset at or after {@code from}
 * ({@code offsetsForTimes}) up to the first at or after {@code until} (or the end of the partition).
 *
 * @param topic the raw topic
 * @param from  window start (inclusive)
 * @param until window end (exclusive)
 * @param start first offset to read per partition
 * @param end   first offset not to read per partition
 */
record KafkaWindow(String topic, Instant from, Instant until, Map<TopicPartition, Long> start,
                   Map<TopicPartition, Long> end) {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    /** Records in the window. */
    long records() {
        return start.entrySet().stream().mapToLong(e -> end.get(e.getKey()) - e.getValue()).sum();
    }

    /**
     * Looks the window up on the broker.
     *
     * @throws ReplayException (usage) when the topic does not exist, or no longer holds the window's start
     *                         (retention deleted records that may have been ingested in it); (failed) when
     *                         the broker cannot be reached
     */
    static KafkaWindow find(String bootstrapServers, String topic, Instant from, Instant until) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-replay-window");
        props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis());
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic, TIMEOUT);
            if (infos == null || infos.isEmpty()) {
                throw ReplayException.usage("topic " + topic + " does not exist on " + bootstrapServers);
            }
            List<TopicPartition> partitions = new ArrayList<>();
            infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
            Map<TopicPartition, Long> beginning = consumer.beginningOffsets(partitions, TIMEOUT);
            Map<TopicPartition, Long> latest = consumer.endOffsets(partitions, TIMEOUT);
            Map<TopicPartition, Long> startAt = offsetsAt(consumer, partitions, from, latest);
            Map<TopicPartition, Long> endAt = offsetsAt(consumer, partitions, until, latest);
            List<String> missing = new ArrayList<>();
            for (TopicPartition partition : partitions) {
                long first = beginning.get(partition);
                if (first > 0 && first < latest.get(partition)) {
                    // Records before `first` are gone; if the oldest one left was ingested after the window
                    // opened, some of the deleted ones may have been ingested in it.
                    long oldest = timestampAt(consumer, partition, first);
                    if (oldest > from.toEpochMilli()) {
                        missing.add(partition.partition() + " (offsets 0.." + (first - 1) + " deleted; the oldest left, "
                                + first + ", was ingested at " + Instant.ofEpochMilli(oldest) + ")");
                    }
                } else if (first > 0 && first == latest.get(partition) && latest.get(partition) > 0) {
                    missing.add(partition.partition() + " (every record up to offset " + (first - 1) + " deleted)");
                }
            }
            if (!missing.isEmpty()) {
                throw ReplayException.usage("topic " + topic + " no longer holds the window's start " + from
                        + " (retention): partitions " + String.join(", ", missing)
                        + "; replay what is left with --from errors, or restore the topic first");
            }
            return new KafkaWindow(topic, from, until, sorted(startAt), sorted(endAt));
        } catch (org.apache.kafka.common.KafkaException e) {
            throw ReplayException.unavailable("cannot read topic " + topic + " on " + bootstrapServers + ": "
                    + e.getMessage(), e);
        }
    }

    private static Map<TopicPartition, Long> offsetsAt(KafkaConsumer<byte[], byte[]> consumer,
                                                       List<TopicPartition> partitions, Instant time,
                                                       Map<TopicPartition, Long> latest) {
        Map<TopicPartition, Long> query = new LinkedHashMap<>();
        partitions.forEach(p -> query.put(p, time.toEpochMilli()));
        Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query, TIMEOUT);
        Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
        for (TopicPartition partition : partitions) {
            OffsetAndTimestamp at = found.get(partition);
            // No record at or after `time`: the window reaches the end of the partition.
            offsets.put(partition, at == null ? latest.get(partition) : at.offset());
        }
        return offsets;
    }

    private static long timestampAt(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long offset) {
        consumer.assign(List.of(partition));
        consumer.seek(partition, offset);
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                return record.timestamp();
            }
        }
        throw new TimeoutException("no record at offset " + offset + " of " + partition + " within " + TIMEOUT);
    }

    private static Map<TopicPartition, Long> sorted(Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, Long> sorted = new LinkedHashMap<>();
        offsets.entrySet().stream().sorted(Map.Entry.comparingByKey((a, b) -> Integer.compare(a.partition(), b.partition())))
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }
}
