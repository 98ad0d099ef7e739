package dev.sluice.backfill.bench;

import dev.sluice.backfill.ReplayRequest;
import dev.sluice.backfill.ReplaySource;
import dev.sluice.backfill.ReplaySummary;
import dev.sluice.backfill.Replayer;
import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.core.record.RecordHeaders;
import dev.sluice.infra.Dirs;
import dev.sluice.infra.kafka.KafkaBroker;
import dev.sluice.infra.kafka.KafkaBrokers;
import dev.sluice.infra.metastore.HiveMetastore;
import dev.sluice.infra.metastore.HiveMetastores;
import dev.sluice.job.EtlJob;
import dev.sluice.job.runtime.JobEnvironments;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code ./sluice bench replay}: the same pre-loaded raw records (one day, one Hive partition) through
 * (s) the streaming job ({@link EtlJob}, bounded, checkpoints every 3 s as in the demo, Hive sink registering
 * in a real metastore) and (r) {@code sluice replay --from kafka} of that partition (BATCH job into staging,
 * read-back verification, metastore swap), same parallelism, one run each on this machine. Prints each
 * side's wall time and records/s, and r/s (goal ≥ 1.0: a bounded batch job should not be slower than
 * streaming). The streaming side's time includes the final checkpoint a bounded streaming job waits for;
 * the replay's includes reading the partition back twice (rows before, verification) and the swap, which is
 * what an operator waits for.
 */
public final class ReplayBench {
    private ReplayBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>(Map.of("records", "1000000", "parallelism", "1"));
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            if (kv.length != 2 || !options.containsKey(kv[0])) {
                throw new IllegalArgumentException("unknown option " + arg + "; options: --records=N --parallelism=P");
            }
            options.put(kv[0], kv[1]);
        }
        int records = Integer.parseInt(options.get("records"));
        int parallelism = Integer.parseInt(options.get("parallelism"));
        Path dir = Files.createTempDirectory("sluice-bench-replay");
        LocalDate day = LocalDate.now(ZoneOffset.UTC).minusDays(1);
        String topic = "raw-bench-replay";
        // Closed in reverse order: the broker and the metastore stop before their directory goes.
        try (java.io.Closeable cleanup = () -> Dirs.deleteTree(dir);
             KafkaBroker broker = KafkaBrokers.start(dir.resolve("kafka"));
             HiveMetastore metastore = HiveMetastores.start(dir.resolve("metastore"))) {
            preload(broker.bootstrapServers(), topic, records, day);
            Path pipelineFile = dir.resolve("bench.yaml");
            Files.writeString(pipelineFile, Files.readString(Path.of("backfill-job/src/test/resources/pipelines/replay-events.yaml"))
                    .replace("${topic}", topic).replace("${db}", "bench").replace("${user_path}", "uid")
                    .replace("${ts_format}", ""));
            PipelineConfig pipeline = PipelineConfigLoader.load(pipelineFile);
            String lakeRoot = dir.resolve("lake").toUri().toString();

            System.out.printf("records: %,d (one day, one partition), parallelism %d%n", records, parallelism);
            long started = System.nanoTime();
            EtlJob job = EtlJob.builder().pipeline(pipeline).bootstrapServers(broker.bootstrapServers())
                    .lakeRoot(lakeRoot).metastoreUri(metastore.thriftUri()).sinkParallelism(parallelism)
                    .bounded(true).build();
            StreamExecutionEnvironment env = JobEnvironments.create(
                    JobEnvironments.checkpointStorage(dir.resolve("checkpoints").toString()), parallelism,
                    Duration.ofSeconds(3), 0);
            job.attachTo(env);
            env.execute(job.name());
            double streaming = (System.nanoTime() - started) / 1e9;
            System.out.printf("(s) streaming job: %.1f s, %,.0f records/s%n", streaming, records / streaming);

            started = System.nanoTime();
            ReplaySummary summary = new Replayer(line -> System.out.println("    " + line)).replay(
                    ReplayRequest.builder().pipeline(pipeline).table("bench.events").partition("dt=" + day)
                            .from(ReplaySource.KAFKA).bootstrapServers(broker.bootstrapServers()).lakeRoot(lakeRoot)
                            .metastoreUri(metastore.thriftUri()).parallelism(parallelism).build());
            double replay = (System.nanoTime() - started) / 1e9;
            if (summary.rowsAfter() != records) {
                throw new IllegalStateException("replay wrote " + summary.rowsAfter() + " rows, expected " + records);
            }
            System.out.printf("(r) replay --from kafka: %.1f s, %,.0f records/s%n", replay, records / replay);
            System.out.printf("r/s = %.2f (records/s of the replay over the streaming job's; goal >= 1.0)%n",
                    streaming / replay);
        }
    }

    private static void preload(String bootstrapServers, String topic, int records, LocalDate day) throws Exception {
        Properties adminProps = new Properties();
        adminProps.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        try (Admin admin = Admin.create(adminProps)) {
            admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1).configs(Map.of("retention.ms", "-1"))))
                    .all().get(60, TimeUnit.SECONDS);
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        long dayStart = day.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        long spacing = Duration.ofDays(1).toMillis() / records;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                long at = dayStart + i * Math.max(1, spacing);
                String line = "{\"id\":" + i + ",\"ts\":\"" + java.time.Instant.ofEpochMilli(at) + "\",\"uid\":\"u" + i
                        + "\",\"msg\":\"event " + i + " of the replay bench\",\"day\":\"" + day + "\"}";
                ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, i % 2, at, null,
                        line.getBytes(StandardCharsets.UTF_8));
                record.headers().add(RecordHeaders.RECEIVED_AT, Long.toString(at).getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
            producer.flush();
        }
    }
}
