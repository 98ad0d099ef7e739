package dev.sluice.job.load;

import dev.sluice.core.config.KafkaSinkConfig;
import dev.sluice.job.format.AvroSchemas;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.function.IntFunction;
import org.apache.avro.Schema;
import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchema;
import org.apache.flink.connector.kafka.sink.KafkaRecordSerializationSchemaBuilder;
import org.apache.flink.connector.kafka.sink.KafkaSink;
import org.apache.flink.formats.common.TimestampFormat;
import org.apache.flink.formats.json.JsonFormatOptions;
import org.apache.flink.formats.json.JsonRowDataDeserializationSchema;
import org.apache.flink.formats.json.JsonRowDataSerializationSchema;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.DataStreamSink;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.conversion.RowRowConverter;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.utils.TypeConversions;
import org.apache.flink.types.Row;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a stream table's rows to a Kafka topic: each row a JSON object of the table's columns
 * ({@code format: json}) or an Avro record of the schema derived from them ({@link AvroSchemas},
 * {@code format: avro}), the message key the JSON object of its record-key columns (no key without record
 * key). With a schema registry, the Avro schema is registered under {@code <topic>-value} when the job is
 * built, and values carry its id in the Confluent wire format ({@link AvroValueSchema}); a registry that
 * refuses the schema (incompatible, invalid) or cannot be reached fails the job's start.
 *
 * <p>Usage:
 * <pre>{@code
 * KafkaTableSink.builder()
 *     .table("app.events").rowType(rowType).config(kafkaSinkConfig)
 *     .bootstrapServers("kafka:9092").parallelism(2)
 *     .build()
 *     .writeTo(rows);
 * }</pre>
 *
 * <p>Semantics: exactly-once through Flink's {@link KafkaSink} with {@link DeliveryGuarantee#EXACTLY_ONCE}:
 * each writer subtask writes in a Kafka transaction that is committed when the checkpoint completes, so
 * consumers with {@code isolation.level=read_committed} see every row once, also across failovers (Flink
 * aborts the lingering transactions of the failed attempt on restore); rows appear with each checkpoint.
 * Transactions must outlive a checkpoint: {@code transaction.timeout.ms} defaults to
 * {@link #TRANSACTION_TIMEOUT} (the broker's default cap, {@code transaction.max.timeout.ms}) instead of
 * the producer's 60 s.
 */
public final class KafkaTableSink implements LakeSink {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaTableSink.class);

    /** Producer transaction timeout unless the sink's properties say otherwise. */
    public static final Duration TRANSACTION_TIMEOUT = Duration.ofMinutes(15);

    private final String table;
    private final RowType rowType;
    private final KafkaSinkConfig config;
    private final Map<String, String> producer;
    private final int parallelism;
    /** The value schema with {@code format: avro}, else null. */
    private final Schema avroSchema;

    private KafkaTableSink(String table, RowType rowType, KafkaSinkConfig config, Map<String, String> producer,
                           int parallelism, Schema avroSchema) {
        this.table = table;
        this.rowType = rowType;
        this.config = config;
        this.producer = Map.copyOf(producer);
        this.parallelism = parallelism;
        this.avroSchema = avroSchema;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public DataStreamSink<?> writeTo(DataStream<RowData> rows) {
        KafkaRecordSerializationSchemaBuilder<RowData> records = KafkaRecordSerializationSchema.<RowData>builder()
                .setTopic(config.topic())
                .setValueSerializationSchema(valueSerializer());
        if (!config.recordKey().isEmpty()) {
            records.setKeySerializationSchema(new JsonKeySchema(rowType,
                    config.recordKey().stream().mapToInt(rowType::getFieldIndex).toArray()));
        }
        Properties properties = new Properties();
        properties.putAll(producer);
        String name = table.replace('.', '_');
        KafkaSink<RowData> sink = KafkaSink.<RowData>builder()
                .setBootstrapServers(producer.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG))
                .setKafkaProducerConfig(properties)
                .setRecordSerializer(records.build())
                .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
                // Unique per table and topic: Flink aborts lingering transactions by this prefix on restore.
                .setTransactionalIdPrefix("sluice-" + name + "-" + config.topic())
                .build();
        return rows.sinkTo(sink).name("kafka:" + table + "->" + config.topic()).uid("kafka-" + name + "-" + config.topic())
                .setParallelism(parallelism);
    }

    private SerializationSchema<RowData> valueSerializer() {
        if (avroSchema == null) {
            return jsonSerializer(rowType);
        }
        if (config.schemaRegistry() == null) {
            return new AvroValueSchema(avroSchema, rowType, null);
        }
        String subject = config.valueSubject();
        int id;
        try {
            id = new SchemaRegistryClient(config.schemaRegistry()).register(subject, avroSchema);
        } catch (SchemaRegistryClient.SchemaRegistryException e) {
            throw new IllegalStateException("Kafka sink of table " + table + ": " + (e.refused()
                    ? "the schema registry refused the Avro schema for subject " + subject
                    : "cannot register the Avro schema for subject " + subject) + ": " + e.getMessage(), e);
        }
        LOG.info("Kafka sink of table {}: Avro schema registered under subject {} at {}, id {}", table, subject,
                config.schemaRegistry(), id);
        return new AvroValueSchema(avroSchema, rowType, id);
    }

    @Override
    public boolean writesInPlace(int producerParallelism) {
        return false;
    }

    /**
     * Every committed row of the topic ({@code read_committed}), from the beginning up to its last stable
     * offset at the time of the call.
     */
    @Override
    public List<Row> readAll() throws Exception {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, producer.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG));
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        ValueDecoder values = valueDecoder();
        RowRowConverter converter = RowRowConverter.create(TypeConversions.fromLogicalToDataType(rowType));
        converter.open(KafkaTableSink.class.getClassLoader());
        List<Row> rows = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(config.topic(), Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
            long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("reading topic " + config.topic() + " did not reach " + end + " in 1 min");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    rows.add(converter.toExternal(values.decode(record.value())));
                }
            }
        }
        return rows;
    }

    /** Decodes one value of the topic into a row of the table's row type. */
    @FunctionalInterface
    private interface ValueDecoder {
        RowData decode(byte[] value) throws Exception;
    }

    private ValueDecoder valueDecoder() throws Exception {
        if (avroSchema == null) {
            JsonRowDataDeserializationSchema json = new JsonRowDataDeserializationSchema(rowType,
                    InternalTypeInfo.of(rowType), true, false, TimestampFormat.ISO_8601);
            json.open(null);
            return json::deserialize;
        }
        IntFunction<Schema> registry = config.schemaRegistry() == null ? null
                : new SchemaRegistryClient(config.schemaRegistry())::schema;
        return new AvroValueReader(avroSchema, registry)::read;
    }

    /** The Avro schema of the values with {@code format: avro}, else null. */
    public Schema avroSchema() {
        return avroSchema;
    }

    public KafkaSinkConfig config() {
        return config;
    }

    /** The producer settings the writers use (for logs and tests). */
    public Map<String, String> producerProperties() {
        return producer;
    }

    /** The JSON of a row as this sink writes it: ISO-8601 timestamps, null map keys refused. */
    static JsonRowDataSerializationSchema jsonSerializer(RowType type) {
        return new JsonRowDataSerializationSchema(type, TimestampFormat.ISO_8601,
                JsonFormatOptions.MapNullKeyMode.FAIL, "null", true);
    }

    /** Builds a {@link KafkaTableSink}; {@link #build()} reports every problem of the definition at once. */
    public static final class Builder {
        private String table;
        private RowType rowType;
        private KafkaSinkConfig config;
        private String bootstrapServers;
        private int parallelism = 1;

        public Builder table(String value) {
            table = value;
            return this;
        }

        public Builder rowType(RowType value) {
            rowType = value;
            return this;
        }

        public Builder config(KafkaSinkConfig value) {
            config = value;
            return this;
        }

        /** The cluster written to unless the config's {@code properties} name {@code bootstrap.servers}. */
        public Builder bootstrapServers(String value) {
            bootstrapServers = value;
            return this;
        }

        /** Number of writer subtasks (each with its own transactions). */
        public Builder parallelism(int value) {
            parallelism = value;
            return this;
        }

        public KafkaTableSink build() {
            Objects.requireNonNull(table, "table");
            Objects.requireNonNull(rowType, "rowType");
            Objects.requireNonNull(config, "config");
            List<String> problems = new ArrayList<>();
            if (config.topic() == null || config.topic().isBlank()) {
                problems.add("topic is required");
            }
            config.recordKey().stream().filter(c -> !rowType.getFieldNames().contains(c))
                    .forEach(c -> problems.add("record-key column '" + c + "' is not a column of the table"));
            Map<String, String> producer = new HashMap<>();
            if (bootstrapServers != null) {
                producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            }
            producer.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, String.valueOf(TRANSACTION_TIMEOUT.toMillis()));
            // Configured properties win: they are the user's documented escape hatch.
            producer.putAll(config.properties());
            if (producer.get(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) == null) {
                problems.add("no bootstrap servers: set the job's or properties.bootstrap.servers");
            }
            if (parallelism < 1) {
                problems.add("parallelism must be at least 1, was " + parallelism);
            }
            Schema avroSchema = null;
            if (KafkaSinkConfig.AVRO.equals(config.format())) {
                try {
                    avroSchema = AvroSchemas.of(table, rowType);
                } catch (IllegalArgumentException e) {
                    problems.add("format avro: " + e.getMessage());
                }
            } else if (!KafkaSinkConfig.JSON.equals(config.format())) {
                problems.add("unknown format '" + config.format() + "', expected one of "
                        + String.join(", ", KafkaSinkConfig.FORMATS));
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("Kafka sink of table " + table + ": " + String.join("; ", problems));
            }
            return new KafkaTableSink(table, rowType, config, producer, parallelism, avroSchema);
        }
    }
}
