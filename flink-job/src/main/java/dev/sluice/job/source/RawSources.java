package dev.sluice.job.source;

import dev.sluice.core.config.SourceConfig;
import dev.sluice.core.record.RawRecord;
import org.apache.flink.connector.kafka.source.KafkaSource;
import org.apache.flink.connector.kafka.source.KafkaSourceBuilder;
import org.apache.flink.connector.kafka.source.enumerator.initializer.OffsetsInitializer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;

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
}
