package dev.sluice.job.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.sla.SlaMetrics;
import dev.sluice.infra.registry.SchemaRegistry;
import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import dev.sluice.job.testing.JobFixture;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.types.Row;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Kafka table sink on a real broker and MiniCluster: a table with a Hudi, a Hive and a Kafka sink, the
 * TaskManager killed after the first committed transaction, more records produced while it recovers. A
 * {@code read_committed} consumer must then find every row exactly once, keyed by its id, with the values
 * that were sent, and the same rows as the table's Hudi table and Parquet copy. Avro values likewise, plain
 * and in the Confluent wire format against a real schema registry (Apicurio's Confluent-compatible API).
 */
class KafkaSinkITCase {
    private static final Duration PATIENCE = Duration.ofMinutes(4);
    private static final int ORDERS = 20_000;
    private static final int BROKEN = 200;
    private static final int PAYMENTS = 300;

    @RegisterExtension
    static final JobFixture fixture = JobFixture.perClass(4, Duration.ofSeconds(1));

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

    @Test
    void avroValuesPlainAndWithARegistryHoldEveryRowOnceAsTheLakeTablesDo() throws Exception {
        String topic = "kafka-avro-" + UUID.randomUUID().toString().substring(0, 8);
        String plainTopic = topic + "-avro";
        String framedTopic = topic + "-registry";
        fixture.createTopic(topic, 2);
        fixture.createTopic(plainTopic, 2);
        fixture.createTopic(framedTopic, 2);
        try (SchemaRegistry registry = SchemaRegistry.start(fixture.dir().resolve("registry-" + topic))) {
            EtlJob job = fixture.job(JobFixture.pipeline("it-kafka-avro.yaml",
                    Map.of("topic", topic, "registry", registry.url(), "amount-type", "DOUBLE")), topic).build();
            List<TableTarget> kafka = job.targets().stream().filter(t -> t.format().equals("kafka")).toList();
            TableTarget hive = job.targets().stream().filter(t -> t.format().equals("hive")).findFirst().orElseThrow();
            TableTarget hudi = job.targets().stream().filter(t -> t.format().equals("hudi-cow")).findFirst().orElseThrow();
            Schema derived = ((KafkaTableSink) kafka.get(0).sink()).avroSchema();
            List<byte[]> lines = new ArrayList<>();
            for (int i = 0; i < PAYMENTS; i++) {
                lines.add(payment(i).getBytes(StandardCharsets.UTF_8));
            }

            JobID id = fixture.submit(job, 2, null);
            try {
                fixture.produce(topic, lines, System.currentTimeMillis());
                await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() ->
                        committed(plainTopic, new ByteArrayDeserializer()).size() == PAYMENTS
                                && committed(framedTopic, new ByteArrayDeserializer()).size() == PAYMENTS);
            } finally {
                if (!fixture.flink().status(id).isGloballyTerminalState()) {
                    fixture.flink().stopWithSavepoint(id);
                }
            }

            // Plain values: Avro binary of the schema derived from the table, decoded by Avro's own reader.
            Map<String, GenericRecord> plain = decodeOncePerKey(committed(plainTopic, new ByteArrayDeserializer()),
                    value -> new GenericDatumReader<GenericRecord>(derived)
                            .read(null, DecoderFactory.get().binaryDecoder(value, null)));
            assertPayments(plain);

            // Framed values: magic byte, the id the registry gave the subject, Avro binary of the schema under it.
            String subject = framedTopic + "-value";
            Set<Integer> ids = new HashSet<>();
            Map<Integer, Schema> writers = new HashMap<>();
            Map<String, GenericRecord> framed = decodeOncePerKey(committed(framedTopic, new ByteArrayDeserializer()),
                    value -> {
                        assertThat(value[0]).isZero();
                        int schemaId = ByteBuffer.wrap(value, 1, 4).getInt();
                        ids.add(schemaId);
                        Schema writer = writers.computeIfAbsent(schemaId, sid -> registrySchema(registry, sid));
                        return new GenericDatumReader<GenericRecord>(writer, derived)
                                .read(null, DecoderFactory.get().binaryDecoder(value, 5, value.length - 5, null));
                    });
            assertPayments(framed);
            assertThat(ids).singleElement().isEqualTo(latestId(registry, subject));
            assertThat(writers.values()).singleElement().isEqualTo(derived);

            // The same rows in both topics, the Hudi table and the Parquet copy.
            List<Row> lake = hive.readAll();
            assertThat(lake).hasSize(PAYMENTS).containsExactlyInAnyOrderElementsOf(hudi.readAll());
            assertThat(kafka).hasSize(2).allSatisfy(t -> assertThat(t.readAll()).containsExactlyInAnyOrderElementsOf(lake));

            // A schema the subject's compatibility rule refuses stops the next job from starting.
            put(registry.url() + "/config/" + subject, "{\"compatibility\":\"BACKWARD\"}");
            EtlJob incompatible = fixture.job(JobFixture.pipeline("it-kafka-avro.yaml",
                    Map.of("topic", topic, "registry", registry.url(), "amount-type", "STRING")), topic + "-2").build();
            assertThatThrownBy(() -> incompatible.attachTo(fixture.flink().newEnvironment(1)))
                    .hasMessageStartingWith("Kafka sink of table rt.payments: the schema registry refused the Avro "
                            + "schema for subject " + subject + ": registry " + registry.url() + " answered 409");
        }
    }

    private static String payment(int i) {
        // Every 10th payment has no amount, units, paid, day nor meta: the null branch of each union.
        String optional = i % 10 == 0 ? "" : ",\"amount\":" + i + ".25,\"units\":" + i + ",\"paid\":" + (i % 2 == 0)
                + ",\"day\":\"2026-11-" + String.format("%02d", 1 + i % 28) + "\",\"meta\":{\"k\":" + i + "}";
        return "{\"id\":\"p-" + i + "\",\"ts\":\"" + paymentTime(i) + "\"" + optional + "}";
    }

    /** Distinct per payment, with microseconds. */
    private static String paymentTime(int i) {
        return String.format("2026-11-23T10:%02d:%02d.%06dZ", (i / 60) % 60, i % 60, i);
    }

    private static void assertPayments(Map<String, GenericRecord> records) {
        assertThat(records).hasSize(PAYMENTS);
        for (int i : new int[] {7, 30}) {
            GenericRecord record = records.get("{\"id\":\"p-" + i + "\"}");
            assertThat(record.get("id")).hasToString("p-" + i);
            Instant ts = Instant.parse(paymentTime(i));
            assertThat(record.get("ts")).isEqualTo(ts.getEpochSecond() * 1_000_000 + ts.getNano() / 1000);
            assertThat(record.get("dt")).hasToString("2026-11-23");
        }
        GenericRecord full = records.get("{\"id\":\"p-7\"}");
        assertThat(full.get("amount")).isEqualTo(7.25);
        assertThat(full.get("units")).isEqualTo(7L);
        assertThat(full.get("paid")).isEqualTo(false);
        assertThat(full.get("day")).isEqualTo((int) LocalDate.parse("2026-11-08").toEpochDay());
        assertThat(full.get("meta")).hasToString("{\"k\":7}");
        GenericRecord sparse = records.get("{\"id\":\"p-30\"}");
        assertThat(List.of("amount", "units", "paid", "day", "meta")).allSatisfy(f -> assertThat(sparse.get(f)).isNull());
    }

    /** Values decoded per message key; fails when a key comes twice. */
    private static Map<String, GenericRecord> decodeOncePerKey(List<ConsumerRecord<String, byte[]>> records,
                                                                AvroDecoder decoder) throws Exception {
        Map<String, GenericRecord> result = new HashMap<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            assertThat(result.put(record.key(), decoder.decode(record.value()))).as("key %s", record.key()).isNull();
        }
        return result;
    }

    @FunctionalInterface
    private interface AvroDecoder {
        GenericRecord decode(byte[] value) throws Exception;
    }

    /** The schema under {@code id}, fetched as any consumer would ({@code GET /schemas/ids/{id}}). */
    private static Schema registrySchema(SchemaRegistry registry, int id) {
        try {
            String body = http("GET", registry.url() + "/schemas/ids/" + id, null);
            return new Schema.Parser().parse(new ObjectMapper().readTree(body).get("schema").textValue());
        } catch (Exception e) {
            throw new IllegalStateException("schema id " + id, e);
        }
    }

    private static int latestId(SchemaRegistry registry, String subject) throws Exception {
        return new ObjectMapper().readTree(http("GET", registry.url() + "/subjects/" + subject + "/versions/latest", null))
                .get("id").intValue();
    }

    private static void put(String url, String body) throws Exception {
        http("PUT", url, body);
    }

    /** One call of the registry's REST API; fails unless it answers 200. */
    private static String http(String method, String url, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("%s %s: %s", method, url, response.body()).isEqualTo(200);
        return response.body();
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
        return committed(topic, new StringDeserializer());
    }

    /** Every committed record of the topic up to its last stable offset, keys as text. */
    private static <V> List<ConsumerRecord<String, V>> committed(String topic, Deserializer<V> values) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrapServers());
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, V>> records = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(props, new StringDeserializer(), values)) {
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
