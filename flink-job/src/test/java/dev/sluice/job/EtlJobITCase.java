package dev.sluice.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.core.sla.SlaMetrics;
import dev.sluice.infra.kafka.KafkaBroker;
import dev.sluice.infra.kafka.KafkaBrokers;
import dev.sluice.job.reload.ConfigReloader;
import dev.sluice.job.runtime.JobEnvironments;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.types.Row;
import org.apache.flink.util.OptionalFailure;
import org.apache.flink.util.SerializedValue;
import org.apache.hudi.common.bloom.BloomFilter;
import org.apache.hudi.common.model.HoodieFileFormat;
import org.apache.hudi.common.util.BaseFileUtils;
import org.apache.hudi.exception.TableNotFoundException;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link EtlJob} on a MiniCluster reading a real KRaft broker (child JVM) into Hudi tables, read back
 * with the tables' readers: one topic with three log types, and a hot reload of a route mid-stream.
 */
class EtlJobITCase {
    private static final int PARALLELISM = 2;
    /**
     * Not shorter: Hudi 0.14's writer can wait for good in its task thread when a row reaches it after a
     * checkpoint in which it wrote nothing and before its task has handled the coordinator's commit
     * acknowledgement (docs/lake.md); the shorter the interval, the more often a row falls in that window.
     */
    private static final Duration CHECKPOINTS = Duration.ofSeconds(3);
    private static final Duration PATIENCE = Duration.ofMinutes(2);

    /**
     * Class-wide, and each test's lake a directory in it: Hudi's coordinator may still finish an instant
     * after a cancelled job reached a terminal state, so the lake is deleted only once the cluster is closed.
     */
    @TempDir
    static Path root;

    static KafkaBroker broker;
    /** A plain MiniCluster, not Flink's test extension: the Hudi table readers run their own local environment. */
    static MiniCluster flink;

    @BeforeAll
    static void start() throws Exception {
        broker = KafkaBrokers.start(root.resolve("kafka"));
        Configuration conf = new Configuration();
        // Accumulators reach the JobManager with TaskManager heartbeats: beat often so a reload shows promptly.
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, 500L);
        conf.set(RestOptions.PORT, 0);
        conf.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        flink = new MiniCluster(new MiniClusterConfiguration.Builder().setConfiguration(conf)
                .setNumTaskManagers(1).setNumSlotsPerTaskManager(2 * PARALLELISM).build());
        flink.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (flink != null) {
            flink.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void oneTopicWithThreeLogTypesFillsThreeTablesWithExactCounts() throws Exception {
        Path dir = Files.createDirectories(root.resolve("oneTopicWithThreeLogTypesFillsThreeTablesWithExactCounts"));
        String topic = createTopic("three-types");
        EtlJob job = job(pipelineFile(dir, "it-three-types.yaml", topic), dir);
        List<String> lines = new ArrayList<>();
        lines.addAll(lines(120, i -> "{\"kind\":\"app\",\"id\":\"a-" + i + "\",\"level\":\"" + (i % 3 == 0 ? "ERROR" : "INFO")
                + "\",\"latency_ms\":" + i + ",\"user\":{\"region\":\"eu\"}}"));
        lines.addAll(lines(80, i -> "web,w-" + i + "," + (i % 2 == 0 ? 200 : 404) + ",/p/" + i));
        lines.addAll(lines(50, i -> "GAME id=g-" + i + " score=" + (i * 10)));
        lines.addAll(lines(7, i -> "noise line " + i));
        produce(topic, shuffled(lines));

        JobID jobId = submit(job, dir);
        try {
            Map<String, TableTarget> tables = job.targets().stream()
                    .collect(Collectors.toMap(TableTarget::name, t -> t));
            awaitJob(jobId, () ->
                    tables.get("it.app").readAll().size() >= 120 && tables.get("it.web").readAll().size() >= 80
                            && tables.get("it.game").readAll().size() >= 50);

            assertThat(ids(tables.get("it.app"))).hasSize(120).containsExactlyInAnyOrderElementsOf(ids("a-", 120));
            assertThat(ids(tables.get("it.web"))).hasSize(80).containsExactlyInAnyOrderElementsOf(ids("w-", 80));
            assertThat(ids(tables.get("it.game"))).hasSize(50).containsExactlyInAnyOrderElementsOf(ids("g-", 50));
            Row game = tables.get("it.game").readAll().stream().filter(r -> "g-7".equals(r.getField("id")))
                    .findFirst().orElseThrow();
            assertThat(game.getField("score")).isEqualTo(70L);
            awaitJob(jobId, () -> sla(jobId, SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_IN) == 257);
            assertThat(sla(jobId, SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_OUT)).isEqualTo(250);
            assertThat(sla(jobId, SlaMetrics.JOB_TABLE, SlaMetrics.RECORDS_DROPPED)).isEqualTo(7);
        } finally {
            cancel(jobId);
        }
    }

    @Test
    void routeChangedMidStreamAppliesAfterTheReloadAndNotBefore() throws Exception {
        Path dir = Files.createDirectories(root.resolve("routeChangedMidStreamAppliesAfterTheReloadAndNotBefore"));
        String topic = createTopic("reload");
        Path yaml = pipelineFile(dir, "it-reload.yaml", topic);
        EtlJob job = job(yaml, dir);
        TableTarget all = job.targets().get(0);
        TableTarget alerts = job.targets().get(1);
        produce(topic, lines(60, i -> event("before-" + i, i)));

        JobID jobId = submit(job, dir);
        try {
            awaitJob(jobId, () -> all.readAll().size() >= 60);
            String ruleB = Files.readString(yaml).replace("route: level == 'ERROR'", "route: level == 'WARN'");
            Path staged = dir.resolve("it-reload.yaml.tmp");
            Files.writeString(staged, ruleB);
            Files.move(staged, yaml, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            // Every subtask counts its own swap: all of them have switched once the sum is the parallelism.
            awaitJob(jobId, () ->
                    sla(jobId, SlaMetrics.JOB_TABLE, ConfigReloader.RELOADS_COUNTER) == PARALLELISM);

            produce(topic, lines(60, i -> event("after-" + i, i)));
            awaitJob(jobId, () -> all.readAll().size() >= 120);

            Set<String> expected = IntStream.range(0, 60).boxed().flatMap(i -> level(i).equals("ERROR")
                    ? Stream.of("before-" + i)
                    : level(i).equals("WARN") ? Stream.of("after-" + i) : Stream.empty())
                    .collect(Collectors.toSet());
            awaitJob(jobId, () -> ids(alerts).size() >= expected.size());
            assertThat(ids(alerts)).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(ids(all)).hasSize(120);
        } finally {
            cancel(jobId);
        }
    }

    /**
     * Rows keep landing across checkpoints, including after checkpoints in which a writer got no rows
     * (its Hudi writer then waits for the table's next instant before writing again), and broken lines
     * land in the error table. The table is the job's only data sink with a salt above its writers, so its
     * writers run in the ETL operator's task, behind a forward exchange from the source (EtlJobGraphTest).
     */
    @Test
    void rowsLandAcrossCheckpointsAndBrokenLinesInTheErrorTable() throws Exception {
        Path dir = Files.createDirectories(root.resolve("rowsLandAcrossCheckpointsAndBrokenLinesInTheErrorTable"));
        String topic = createTopic("checkpoints");
        EtlJob job = EtlJob.builder()
                .pipeline(PipelineConfigLoader.load(pipelineFile(dir, "it-checkpoints.yaml", topic)))
                .bootstrapServers(broker.bootstrapServers())
                .lakeRoot(dir.resolve("lake").toString())
                .sinkParallelism(PARALLELISM)
                .build();
        TableTarget events = job.targets().get(0);
        TableTarget errors = job.targets().get(1);
        IntFunction<String> event = i -> "{\"id\":\"e-" + i + "\",\"ts\":\"2026-11-2" + (i % 3) + "T10:00:00Z\"}";
        produce(topic, lines(150, event));
        produce(topic, lines(4, i -> "{\"id\":\"broken-" + i + "\""));

        JobID jobId = submit(job, dir);
        try {
            awaitJob(jobId, () -> events.readAll().size() >= 150);
            produce(topic, lines(150, i -> event.apply(150 + i)));
            awaitJob(jobId, () -> events.readAll().size() >= 300 && errors.readAll().size() >= 4);

            assertThat(ids(events)).containsExactlyInAnyOrderElementsOf(ids("e-", 300));
            assertThat(errors.readAll()).hasSize(4);
            assertThat(events.readAll()).extracting(r -> r.getField("dt"))
                    .containsOnly("2026-11-20", "2026-11-21", "2026-11-22");
            assertThat(parquetCodecs(events)).containsOnly(CompressionCodecName.SNAPPY);
            assertSmallWorkingBloomFilters(events);
        } finally {
            cancel(jobId);
        }
    }

    /** Cancels and waits until the job has stopped: its writers must not touch the lake once the test cleans it up. */
    private static void cancel(JobID jobId) throws Exception {
        flink.cancelJob(jobId).get();
        await().atMost(PATIENCE).until(() -> flink.getJobStatus(jobId).get().isGloballyTerminalState());
    }

    private static String level(int i) {
        return switch (i % 3) {
            case 0 -> "ERROR";
            case 1 -> "WARN";
            default -> "INFO";
        };
    }

    private static String event(String id, int i) {
        return "{\"id\":\"" + id + "\",\"level\":\"" + level(i) + "\"}";
    }

    private static EtlJob job(Path yaml, Path dir) {
        return EtlJob.builder()
                .pipeline(PipelineConfigLoader.load(yaml))
                .configLocation(yaml)
                .bootstrapServers(broker.bootstrapServers())
                .lakeRoot(dir.resolve("lake").toString())
                .build();
    }

    /**
     * Waits for {@code condition}; a Hudi table that has no commit yet does not exist, and a failed job
     * ends the wait at once.
     */
    private static void awaitJob(JobID job, Callable<Boolean> condition) {
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1))
                .ignoreExceptionsInstanceOf(TableNotFoundException.class)
                .until(() -> {
                    JobStatus status = flink.getJobStatus(job).get();
                    if (status.isGloballyTerminalState()) {
                        throw new AssertionError("job " + job + " ended " + status + ": "
                                + flink.getExecutionGraph(job).get().getFailureInfo());
                    }
                    return condition.call();
                });
    }

    /** Submits with no restarts (a broken job fails the test instead of restarting until the timeout). */
    private static JobID submit(EtlJob job, Path dir) throws Exception {
        StreamExecutionEnvironment env = JobEnvironments.create(
                JobEnvironments.checkpointStorage(dir.resolve("checkpoints").toString()), PARALLELISM, CHECKPOINTS, 0);
        job.attachTo(env);
        StreamGraph graph = env.getStreamGraph();
        graph.setJobName(job.name());
        return flink.submitJob(graph.getJobGraph()).get().getJobID();
    }

    @SuppressWarnings("unchecked")
    private static long sla(JobID job, String table, String counter) throws Exception {
        SerializedValue<OptionalFailure<Object>> value =
                flink.getExecutionGraph(job).get().getAccumulatorsSerialized().get(SlaMetrics.ACCUMULATOR);
        if (value == null) {
            return 0;
        }
        Map<String, Long> values = (Map<String, Long>) value.deserializeValue(EtlJobITCase.class.getClassLoader())
                .getUnchecked();
        return values.getOrDefault(SlaMetrics.key(table, counter), 0L);
    }

    /** The codec of every column chunk of every data file of the table, read from the files' footers. */
    private static Set<CompressionCodecName> parquetCodecs(TableTarget table) throws Exception {
        Set<CompressionCodecName> codecs = new HashSet<>();
        for (Path file : baseFiles(table)) {
            try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(
                    new org.apache.hadoop.fs.Path(file.toUri()), new org.apache.hadoop.conf.Configuration()))) {
                reader.getFooter().getBlocks().forEach(block ->
                        block.getColumns().forEach(column -> codecs.add(column.getCodec())));
            }
        }
        return codecs;
    }

    private static List<Path> baseFiles(TableTarget table) throws Exception {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(Path.of(URI.create(table.path())))) {
            files = walk.filter(f -> f.toString().endsWith(".parquet") && !f.toString().contains("/.hoodie/")).toList();
        }
        assertThat(files).isNotEmpty();
        return files;
    }

    /**
     * Every base file's footer carries a record-key bloom filter sized for its rows (at Hudi's defaults
     * each held 434 KB from the first key) that holds the file's keys and rejects others at about the
     * configured 1 %.
     */
    private static void assertSmallWorkingBloomFilters(TableTarget table) throws Exception {
        BaseFileUtils parquet = BaseFileUtils.getInstance(HoodieFileFormat.PARQUET);
        org.apache.hadoop.conf.Configuration conf = new org.apache.hadoop.conf.Configuration();
        for (Path file : baseFiles(table)) {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(file.toUri());
            BloomFilter filter = parquet.readBloomFilterFromMetadata(conf, path);
            Set<String> keys = parquet.readRowKeys(conf, path);
            assertThat(keys).isNotEmpty().allMatch(filter::mightContain);
            long falsePositives = IntStream.range(0, 10_000).filter(i -> filter.mightContain("absent-" + i)).count();
            assertThat(falsePositives).as("false positives of 10,000 absent keys in %s", file).isLessThan(300);
            assertThat(filter.serializeToString().length()).as("bloom filter of %s", file).isLessThan(32 * 1024);
        }
    }

    private static List<String> ids(TableTarget table) throws Exception {
        return table.readAll().stream().map(r -> (String) r.getField("id")).collect(Collectors.toList());
    }

    private static List<String> ids(String prefix, int count) {
        return lines(count, i -> prefix + i);
    }

    private static List<String> lines(int count, IntFunction<String> line) {
        return IntStream.range(0, count).mapToObj(line).collect(Collectors.toList());
    }

    private static List<String> shuffled(List<String> lines) {
        List<String> copy = new ArrayList<>(lines);
        Collections.shuffle(copy, new Random(42));
        return copy;
    }

    private static Path pipelineFile(Path dir, String name, String topic) throws Exception {
        String yaml = Files.readString(Path.of("src/test/resources/pipelines", name), StandardCharsets.UTF_8)
                .replace("TOPIC", topic);
        Path file = dir.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    private static String createTopic(String prefix) throws Exception {
        String topic = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (AdminClient admin = AdminClient.create(props)) {
            admin.createTopics(List.of(new NewTopic(topic, PARALLELISM, (short) 1))).all().get();
        }
        return topic;
    }

    private static void produce(String topic, List<String> lines) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer =
                     new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < lines.size(); i++) {
                producer.send(new ProducerRecord<>(topic, Integer.toString(i), lines.get(i)));
            }
            producer.flush();
        }
    }
}
