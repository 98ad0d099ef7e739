package dev.sluice.core.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A Kafka topic fed with the table's rows (e.g. a real-time warehouse's input), exactly once: each row a
 * JSON object or an Avro record with the table's columns, keyed by its record key, written in Kafka
 * transactions committed with the job's checkpoints.
 *
 * @param topic          the topic written to
 * @param recordKey      columns whose values (as a JSON object) are the message key; empty: no key
 * @param format         value format: {@link #JSON} (default) or {@link #AVRO} (schema derived from the columns)
 * @param schemaRegistry base URL of a Confluent-compatible schema registry ({@code avro} only): values are
 *                       then framed in the Confluent wire format with the id of the schema registered under
 *                       {@code <topic>-value}; null: plain Avro binary values
 * @param properties     Kafka producer settings passed as they are ({@code bootstrap.servers} defaults to the
 *                       job's source cluster)
 */
public record KafkaSinkConfig(String topic, List<String> recordKey, String format, String schemaRegistry,
                              Map<String, String> properties) implements SinkConfig {

    public static final String JSON = "json";
    public static final String AVRO = "avro";
    /** Values of {@code format}, in the order error messages list them. */
    public static final List<String> FORMATS = List.of(JSON, AVRO);
    /** What Avro accepts as a field name; with {@code format: avro} every column name must match. */
    public static final Pattern AVRO_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

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

    /**
     * The registry subject the value schema is registered under: Confluent's default TopicNameStrategy,
     * {@code <topic>-value}, which consumers with default settings look up.
     */
    public String valueSubject() {
        return topic + "-value";
    }
}
