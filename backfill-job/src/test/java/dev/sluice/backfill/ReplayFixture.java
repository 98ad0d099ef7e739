package dev.sluice.backfill;

import static org.awaitility.Awaitility.await;

import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.core.record.RecordHeaders;
import dev.sluice.infra.kafka.KafkaBroker;
import dev.sluice.infra.kafka.KafkaBrokers;
import dev.sluice.infra.metastore.HiveMetastore;
import dev.sluice.infra.metastore.HiveMetastores;
import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import dev.sluice.job.runtime.JobEnvironments;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.types.Row;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Real parts of the replay tests, started once per test class: a KRaft broker and a Hive Metastore
 * (Derby) in child JVMs, a producer that writes raw records the way the gateway does (ingest time as
 * the Kafka timestamp and the received-at header), and the streaming job run bounded over a topic.
 */
final class ReplayFixture implements AutoCloseable {
    private final Path dir;
    private final KafkaBroker broker;
    private final HiveMetastore metastore;
    private final KafkaProducer<byte[], byte[]> producer;
    private final Admin admin;

    private ReplayFixture(Path dir, KafkaBroker broker, HiveMetastore metastore) {
        this.dir = dir;
        this.broker = broker;
        this.metastore = metastore;
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        this.admin = Admin.create(adminProps);
    }

    static ReplayFixture start(Path dir) {
        KafkaBroker broker = KafkaBrokers.start(dir.resolve("kafka"));
        try {
            return new ReplayFixture(dir, broker, HiveMetastores.start(dir.resolve("metastore")));
        } catch (RuntimeException | Error e) {
            broker.close();
            throw e;
        }
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    String metastoreUri() {
        return metastore.thriftUri();
    }

    Admin admin() {
        return admin;
    }

    /** A topic of one partition that keeps everything (the tests' ingest times are days old). */
    void createTopic(String topic) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("retention.ms", "-1"))))
                .all().get(30, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.describeTopics(List.of(topic)).allTopicNames()
                .get(10, TimeUnit.SECONDS).get(topic).partitions().stream().allMatch(p -> p.leader() != null));
    }

    /** Writes {@code lines} as if the gateway had received them at {@code ingestedAt} (epoch ms). */
    void produce(String topic, List<String> lines, long ingestedAt) throws Exception {
        byte[] received = Long.toString(ingestedAt).getBytes(StandardCharsets.UTF_8);
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (String line : lines) {
            ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, 0, ingestedAt, null,
                    line.getBytes(StandardCharsets.UTF_8));
            record.headers().add(RecordHeaders.SOURCE, "test".getBytes(StandardCharsets.UTF_8));
            record.headers().add(RecordHeaders.RECEIVED_AT, received);
            acks.add(producer.send(record));
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            ack.get(60, TimeUnit.SECONDS);
        }
    }

    /** The test pipeline with its placeholders filled, written to a file as an operator would have it. */
    Path pipelineFile(String name, String topic, String db, String userPath, String tsFormat) throws Exception {
        return pipelineFile("replay-events.yaml", name, topic, db, userPath, tsFormat);
    }

    /** As above, from the test pipeline resource {@code resource}. */
    Path pipelineFile(String resource, String name, String topic, String db, String userPath, String tsFormat)
            throws Exception {
        String yaml = Files.readString(Path.of("src/test/resources/pipelines", resource))
                .replace("${topic}", topic).replace("${db}", db).replace("${user_path}", userPath)
                .replace("${ts_format}", tsFormat == null ? "" : ", format: '" + tsFormat + "'");
        Path file = dir.resolve(name + ".yaml");
        Files.writeString(file, yaml);
        return file;
    }

    /** The streaming job over everything the topic holds, registering partitions in the metastore. */
    void runStreamingJob(Path pipelineFile, String lakeRoot) throws Exception {
        EtlJob job = job(pipelineFile, lakeRoot).bounded(true).build();
        StreamExecutionEnvironment env = JobEnvironments.create(
                JobEnvironments.checkpointStorage(dir.resolve("checkpoints").toString()), 1, Duration.ofSeconds(1), 0);
        job.attachTo(env);
        env.execute(job.name());
    }

    EtlJob.Builder job(Path pipelineFile, String lakeRoot) {
        PipelineConfig pipeline = PipelineConfigLoader.load(pipelineFile);
        return EtlJob.builder().pipeline(pipeline).bootstrapServers(broker.bootstrapServers()).lakeRoot(lakeRoot)
                .metastoreUri(metastore.thriftUri());
    }

    /**
     * Every row of a table as readers see it: a Hive table through the metastore's partition locations, a
     * Hudi table through Hudi's reader; also the error table.
     */
    List<Row> read(Path pipelineFile, String lakeRoot, String table) throws Exception {
        TableTarget target = job(pipelineFile, lakeRoot).build().targets().stream()
                .filter(t -> t.name().equals(table)).findFirst().orElseThrow();
        return target.readAll();
    }

    @Override
    public void close() {
        producer.close();
        admin.close();
        try {
            metastore.close();
        } finally {
            broker.close();
        }
    }
}
