package dev.sluice.core.config;

import java.io.Serializable;

/**
 * The Kafka topic a job reads. One job per topic; it hosts every stream table of that topic.
 *
 * @param topic          raw topic name
 * @param groupId        consumer group (offsets live in Flink checkpoints; the group is for monitoring)
 * @param start          where to start without a checkpoint: earliest (default), latest, timestamp
 * @param startTimestamp epoch ms, used with {@code start: timestamp}
 */
public record SourceConfig(String topic, String groupId, StartMode start, long startTimestamp)
        implements Serializable {

    public SourceConfig(String topic,
                        String groupId,
                        StartMode start,
                        Long startTimestamp) {
        this(topic, groupId == null ? "sluice-" + topic : groupId, start == null ? StartMode.EARLIEST : start,
                startTimestamp == null ? 0L : startTimestamp);
    }
}
