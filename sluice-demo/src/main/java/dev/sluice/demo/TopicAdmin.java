package dev.sluice.demo;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The demo's view of Kafka: creates its topics up front and tells how far a job's consumer group is
 * behind its topic. The Kafka source commits offsets when a checkpoint completes, which is also when
 * Hudi commits: zero lag means the data is committed.
 */
public final class TopicAdmin implements AutoCloseable {
    private final Admin admin;

    public TopicAdmin(String bootstrapServers) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.admin = Admin.create(props);
    }

    /**
     * Creates the topics that do not exist yet (one partition), so jobs see them from their first
     * start instead of after a partition discovery round.
     */
    public void ensureTopics(Collection<String> topics) throws Exception {
        Set<String> existing = admin.listTopics().names().get(10, TimeUnit.SECONDS);
        List<NewTopic> missing = topics.stream().filter(t -> !existing.contains(t))
                .map(t -> new NewTopic(t, 1, (short) 1)).toList();
        if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        }
    }

    /** Records in {@code topic} not yet committed by {@code groupId}; -1 when the topic does not exist yet. */
    public long lag(String topic, String groupId) throws Exception {
        if (!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic)) {
            return -1;
        }
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<TopicPartition, OffsetSpec> latest = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(10, TimeUnit.SECONDS).get(topic).partitions().stream()
                .collect(Collectors.toMap(p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
        Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all()
                .get(10, TimeUnit.SECONDS);
        long lag = 0;
        for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> end : ends.entrySet()) {
            OffsetAndMetadata done = committed.get(end.getKey());
            lag += end.getValue().offset() - (done == null ? 0 : done.offset());
        }
        return lag;
    }

    @Override
    public void close() {
        admin.close();
    }
}
