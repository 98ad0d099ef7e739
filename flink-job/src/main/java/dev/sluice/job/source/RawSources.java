package dev.sluice.job.source;

import dev.sluice.core.config.SourceConfig;
import dev.sluice.core.record.RawRecord;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

/** Builds the Kafka source of a job from its {@link SourceConfig}. */
public final class RawSources {
    private RawSources() {
    }

    /**
     * An unbounded source on the configured topic. Offsets live in Flink checkpoints (exactly-once
     * with checkpoint-committing sinks); they are also committed to the group for lag monitoring.
     * Without a checkpoint the configured start applies; a committed group offset wins over it so a
     * job restarted without its checkpoint does not re-read everything.
     */
    public static KafkaSource<RawRecord> kafka(String bootstrapServers, SourceConfig config) {
        return kafka(bootstrapServers, config, false);
    }

    /**
     * As {@link #kafka(String, SourceConfig)}; when {@code bounded}, the source stops at the latest
     * offsets of the topic's partitions as of the job's start, so the job finishes.
     */
    public static KafkaSource<RawRecord> kafka(String bootstrapServers, SourceConfig config, boolean bounded) {
        OffsetsInitializer start = switch (config.start()) {
            case EARLIEST -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.EARLIEST);
            case LATEST -> OffsetsInitializer.committedOffsets(OffsetResetStrategy.LATEST);
            case TIMESTAMP -> OffsetsInitializer.timestamp(config.startTimestamp());
        };
        KafkaSourceBuilder<RawRecord> builder = KafkaSource.<RawRecord>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(config.topic())
                .setGroupId(config.groupId())
                .setStartingOffsets(start)
                .setDeserializer(new RawRecordDeserializer())
                .setProperty("commit.offsets.on.checkpoint", "true")
                // Topics created after the job started (and partitions added later) are picked up.
                .setProperty("partition.discovery.interval.ms", "10000")
                .setProperty("client.id.prefix", config.groupId());
        if (bounded) {
            builder.setBounded(OffsetsInitializer.latest());
        }
        return builder.build();
    }

    /**
     * A bounded source on exact offset ranges of the configured topic, {@code [start, end)} per partition
     * (re-processing a window of the topic, {@code sluice replay}); offsets are neither read from nor
     * committed to the consumer group, so the running job's group is left alone.
     */
    public static KafkaSource<RawRecord> kafkaRange(String bootstrapServers, SourceConfig config,
                                                    Map<TopicPartition, Long> start, Map<TopicPartition, Long> end) {
        return KafkaSource.<RawRecord>builder()
                .setBootstrapServers(bootstrapServers)
                .setTopics(config.topic())
                .setGroupId(config.groupId() + "-replay")
                .setStartingOffsets(OffsetsInitializer.offsets(start))
                .setBounded(OffsetsInitializer.offsets(end))
                .setDeserializer(new RawRecordDeserializer())
                .setProperty("commit.offsets.on.checkpoint", "false")
                .setProperty("enable.auto.commit", "false")
                .setProperty("client.id.prefix", config.groupId() + "-replay")
                .build();
    }
}
