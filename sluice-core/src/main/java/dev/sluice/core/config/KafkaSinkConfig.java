package dev.sluice.core.config;

import java.util.List;
import java.util.Map;

/**
 * A Kafka topic fed with the table's rows (e.g. a real-time warehouse's input), exactly once: each row a
 * JSON object with the table's columns, keyed by its record key, written in Kafka transactions committed
 * with the job's checkpoints.
 *
 * @param topic      the topic written to
 * @param recordKey  columns whose values (as a JSON object) are the message key; empty: no key
 * @param format     value format; {@code json} (the only one so far)
 * @param properties Kafka producer settings passed as they are ({@code bootstrap.servers} defaults to the
 *                   job's source cluster)
 */
public record KafkaSinkConfig(String topic, List<String> recordKey, String format, Map<String, String> properties)
        implements SinkConfig {

    public static final String JSON = "json";

    public KafkaSinkConfig {
        recordKey = recordKey == null ? List.of() : List.copyOf(recordKey);
        format = format == null ? JSON : format;
        properties = properties == null ? Map.of() : Map.copyOf(properties);
    }

    /** A topic has no partition columns. */
    @Override
    public List<String> partitionFields() {
        return List.of();
    }
}
