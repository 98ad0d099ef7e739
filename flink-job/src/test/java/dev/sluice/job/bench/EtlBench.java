package dev.sluice.job.bench;

import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.core.config.TableConfig;
import dev.sluice.core.record.RawRecord;
import dev.sluice.infra.kafka.KafkaBroker;
import dev.sluice.infra.kafka.KafkaBrokers;
import dev.sluice.job.EtlFunction;
import dev.sluice.job.EtlJob;
import dev.sluice.job.error.ErrorTable;
import dev.sluice.job.extend.BuiltinFunctions;
import dev.sluice.job.format.TableSchemas;
import dev.sluice.job.load.HudiSink;
import dev.sluice.job.pipeline.RecordProcessor;
import dev.sluice.job.runtime.JobEnvironments;
import dev.sluice.job.source.RawSources;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.sink.SinkFunction;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.util.FileUtils;
import org.apache.flink.util.OutputTag;
import org.apache.hudi.common.config.HoodieStorageConfig;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * {@code ./sluice bench etl}: the same pre-loaded nested JSON records read by three bounded jobs with the
 * same parallelism and checkpoint interval, one after the other on equally configured local MiniClusters:
 * <ol type="a">
 *   <li>the Flink SQL baseline: Kafka JSON table → {@code INSERT INTO} a Hudi COW table (insert), top-level
 *       fields only;</li>
 *   <li>Sluice: {@link EtlJob} with parse + flatten + 2 derived fields + route into the same kind of table;</li>
 *   <li>Sluice's stages alone ({@link EtlFunction}) into a discarding sink;</li>
 *   <li>Flink SQL doing (b)'s work: the nested fields read as {@code ROW}s, {@code DATE_FORMAT}, Sluice's
 *       {@code hash} as a scalar function and the route as {@code WHERE}, into a table of (b)'s schema. It
 *       tells the cost of (b)'s wider table from the cost of Sluice's engine.</li>
 * </ol>
 * Throughput is records / data phase: from the job reaching RUNNING to its last Hudi commit ((a), (b)) or
 * its last record reaching the sink ((c)); JVM start, broker start, pre-load and the job's shutdown
 * (bounded jobs wait for a final checkpoint) are outside it. After {@code --warmups} unmeasured rounds
 * (default 2), (a), (b) and (d) take turns for {@code --rounds} rounds (default 5), each on fresh tables,
 * and b/a and b/d are medians of the rounds' ratios.
 */
public final class EtlBench {
    private static final String[] LEVELS = {"INFO", "INFO", "INFO", "WARN", "ERROR"};
    private static final String[] REGIONS = {"eu", "us", "ap"};
    private static final String[] COUNTRIES = {"DE", "FR", "US", "JP", "BR"};
    private static final String[] DAYS = {"2026-11-21", "2026-11-22", "2026-11-23"};

    private static final String CODEC_KEY = HoodieStorageConfig.PARQUET_COMPRESSION_CODEC_NAME.key();

    /** Arrival time of the last record at (c)'s sink; the sink runs in this JVM's MiniCluster. */
    static final AtomicLong LAST_RECORD_NANOS = new AtomicLong();

    private final int records;
    private final int parallelism;
    private final Duration checkpointInterval;
    private final Path workDir;
    private final String only;
    private final int rounds;
    private final int warmups;
    /** Parquet codec for all tables, or null for each side's table defaults (Hudi's gzip for (a) and (d), Sluice's snappy). */
    private final String codec;
    /** Whether (a) and (d) write with Sluice's table defaults ({@link HudiSink#TABLE_DEFAULTS}) instead of Hudi's. */
    private final boolean sluiceTableOptions;

    private EtlBench(int records, int parallelism, Duration checkpointInterval, Path workDir, String only, int rounds,
                     int warmups, String codec, boolean sluiceTableOptions) {
        this.records = records;
        this.parallelism = parallelism;
        this.checkpointInterval = checkpointInterval;
        this.workDir = workDir;
        this.only = only;
        this.rounds = rounds;
        this.warmups = warmups;
        this.codec = codec;
        this.sluiceTableOptions = sluiceTableOptions;
    }

    public static void main(String[] args) throws Exception {
        int records = 1_000_000;
        int parallelism = 2;
        Duration interval = Duration.ofSeconds(10);
        Path workDir = Path.of("flink-job/target/bench-etl");
        String only = "abcd";
        int rounds = 5;
        int warmups = 2;
        String codec = null;
        boolean sluiceTableOptions = false;
        for (String arg : args) {
            String value = arg.substring(arg.indexOf('=') + 1);
            if (arg.startsWith("--records=")) {
                records = Integer.parseInt(value.replace("_", ""));
            } else if (arg.startsWith("--parallelism=")) {
                parallelism = Integer.parseInt(value);
            } else if (arg.startsWith("--checkpoint-interval=")) {
                interval = Duration.ofSeconds(Long.parseLong(value));
            } else if (arg.startsWith("--work-dir=")) {
                workDir = Path.of(value);
            } else if (arg.startsWith("--only=")) {
                only = value;
            } else if (arg.startsWith("--rounds=")) {
                rounds = Integer.parseInt(value);
            } else if (arg.startsWith("--warmups=")) {
                warmups = Integer.parseInt(value);
            } else if (arg.startsWith("--codec=")) {
                codec = value;
            } else if (arg.equals("--sluice-table-options")) {
                sluiceTableOptions = true;
            } else {
                throw new IllegalArgumentException("unknown option " + arg
                        + "; options: --records=N --parallelism=N --checkpoint-interval=SECONDS --work-dir=DIR --only=abcd --rounds=N --warmups=N --codec=NAME --sluice-table-options");
            }
        }
        new EtlBench(records, parallelism, interval, workDir.toAbsolutePath(), only, rounds, warmups, codec, sluiceTableOptions).run();
        System.exit(0);
    }

    private void run() throws Exception {
        FileUtils.deleteDirectory(workDir.toFile());
        Files.createDirectories(workDir);
        try (KafkaBroker broker = KafkaBrokers.start(workDir.resolve("kafka"))) {
            String topic = "bench-etl";
            long preload = System.nanoTime();
            long bytes = preload(broker.bootstrapServers(), topic);
            System.out.printf(Locale.ROOT, "pre-loaded %,d records (%,d MB, %d partitions) in %.1f s%n", records,
                    bytes >> 20, parallelism, (System.nanoTime() - preload) / 1e9);
            System.out.printf(Locale.ROOT, "parallelism %d, checkpoint interval %d s, %d cores, %d warm-up round(s) then %d round(s) of (a), (b), (d) in turn%n",
                    parallelism, checkpointInterval.toSeconds(), Runtime.getRuntime().availableProcessors(), warmups, rounds);
            System.out.println(sluiceTableOptions
                    ? "(a), (b) and (d) write with Sluice's table defaults " + HudiSink.TABLE_DEFAULTS
                    : "table options: each side's defaults, (a) and (d) Hudi's, (b) Sluice's " + HudiSink.TABLE_DEFAULTS);
            if (codec != null) {
                System.out.println("Parquet codec: " + codec + " for (a), (b) and (d)");
            }
            // (a), (b) and (d) take turns: a neighbour's load that comes and goes then hits both sides of a round's
            // ratio instead of one whole measurement.
            Measurement[] a = new Measurement[rounds];
            Measurement[] b = new Measurement[rounds];
            Measurement[] d = new Measurement[rounds];
            // Unmeasured rounds first: the first jobs in a JVM pay class loading and JIT compilation (on 2
            // cores the compiler threads took a third of a first run's CPU, and a job's CPU kept falling over
            // its first three runs), which would favour whichever pipeline reached its compiled code first.
            for (int warmup = 1; warmup <= warmups; warmup++) {
                String suffix = "-warmup" + warmup;
                if (only.contains("a")) {
                    onceMoreIfStalled("a", suffix, s -> flinkSql(broker.bootstrapServers(), topic, s));
                }
                if (only.contains("b")) {
                    onceMoreIfStalled("b", suffix, s -> sluice(broker.bootstrapServers(), topic, s));
                }
                if (only.contains("d")) {
                    onceMoreIfStalled("d", suffix, s -> flinkSqlFull(broker.bootstrapServers(), topic, s));
                }
            }
            for (int round = 1; round <= rounds; round++) {
                String suffix = "-r" + round;
                a[round - 1] = only.contains("a") ? measure("a", "Flink SQL Kafka JSON -> Hudi COW insert", suffix,
                        s -> flinkSql(broker.bootstrapServers(), topic, s)) : Measurement.SKIPPED;
                b[round - 1] = only.contains("b") ? measure("b", "Sluice parse+flatten+2 derived+route -> Hudi COW insert", suffix,
                        s -> sluice(broker.bootstrapServers(), topic, s)) : Measurement.SKIPPED;
                d[round - 1] = only.contains("d") ? measure("d", "Flink SQL doing (b)'s work -> Hudi COW insert", suffix,
                        s -> flinkSqlFull(broker.bootstrapServers(), topic, s)) : Measurement.SKIPPED;
                System.out.printf(Locale.ROOT, "    round %d: b/a = %.2f   b/d = %.2f%n", round,
                        b[round - 1].rate() / a[round - 1].rate(), b[round - 1].rate() / d[round - 1].rate());
            }
            Measurement c = only.contains("c") ? measure("c", "Sluice stages alone -> discarding sink", "",
                    s -> stagesOnly(broker.bootstrapServers(), topic, s)) : Measurement.SKIPPED;
            System.out.printf(Locale.ROOT, "median of rounds: (a) %,.0f records/s, (b) %,.0f records/s, (d) %,.0f records/s%n",
                    median(a, Measurement::rate), median(b, Measurement::rate), median(d, Measurement::rate));
            System.out.printf(Locale.ROOT, "b/a = %.2f (median of the rounds' ratios)   b/d = %.2f   c/a = %.2f   b/c = %.2f%n",
                    medianRatio(b, a, Measurement::rate), medianRatio(b, d, Measurement::rate),
                    c.rate() / median(a, Measurement::rate), median(b, Measurement::rate) / c.rate());
            // Wall time swings with the shared machine's load; the task threads' CPU per run much less.
            System.out.printf(Locale.ROOT, "task-thread CPU per run, medians of the rounds' ratios: (b)/(a) = %.2f   (b)/(d) = %.2f%n",
                    medianRatio(b, a, Measurement::taskCpu), medianRatio(b, d, Measurement::taskCpu));
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private static double median(Measurement[] runs, ToDoubleFunction<Measurement> value) {
        return median(Arrays.stream(runs).mapToDouble(value).toArray());
    }

    /** The median over rounds of {@code top[round] / bottom[round]}. */
    private static double medianRatio(Measurement[] top, Measurement[] bottom, ToDoubleFunction<Measurement> value) {
        double[] ratios = new double[top.length];
        for (int i = 0; i < top.length; i++) {
            ratios[i] = value.applyAsDouble(top[i]) / value.applyAsDouble(bottom[i]);
        }
        return median(ratios);
    }

    /** One job's records/s over its data phase and its task threads' CPU seconds. */
    private record Measurement(double rate, double taskCpu) {
        static final Measurement SKIPPED = new Measurement(Double.NaN, Double.NaN);
    }

    /** A job that stopped making progress before its end ({@link #awaitEnd}); it has been cancelled. */
    private static final class Stalled extends Exception {
        Stalled(String message) {
            super(message);
        }
    }

    /**
     * One attempt at a job on tables, consumer group and checkpoints named with {@code suffix}; a job's run
     * returns the seconds of its data phase.
     */
    @FunctionalInterface
    private interface Attempt<T> {
        T run(String suffix) throws Exception;
    }

    /**
     * Makes an attempt, and once more on fresh tables if the job stalled: in these bounded runs Hudi
     * 0.14's writer can wait for an instant that never comes when its peer subtask ended its input as a
     * checkpoint completed (docs/lake.md). A second stall fails the bench.
     */
    private static <T> T onceMoreIfStalled(String label, String suffix, Attempt<T> attempt) throws Exception {
        try {
            return attempt.run(suffix);
        } catch (Stalled e) {
            System.out.printf(Locale.ROOT, "(%s) stalled, %s; cancelled, running it again on fresh tables%n",
                    label, e.getMessage());
            return attempt.run(suffix + "-again");
        }
    }

    /** Waits for a bounded job's end; cancels it and throws {@link Stalled} when it takes longer than any healthy run. */
    private void awaitEnd(JobClient job) throws Exception {
        long limit = 60 + records / 20_000;
        try {
            job.getJobExecutionResult().get(limit, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            job.cancel().get();
            try {
                // Its cluster shuts down with it; the result fails once it has.
                job.getJobExecutionResult().get();
            } catch (ExecutionException cancelled) {
                // expected
            }
            throw new Stalled("no end after " + limit + " s");
        }
    }

    /**
     * Runs and reports one job: records/s of its data phase, and this JVM's CPU time over the whole run
     * (the MiniCluster runs in it; start and shutdown included), to tell a slower job from a waiting one.
     */
    private Measurement measure(String label, String what, String suffix, Attempt<Double> run) throws Exception {
        return onceMoreIfStalled(label, suffix, s -> measureOnce(label, what, s, run));
    }

    private Measurement measureOnce(String label, String what, String suffix, Attempt<Double> run) throws Exception {
        long cpuBefore = processCpuNanos();
        TaskThreadCpu tasks = TaskThreadCpu.start();
        double seconds = run.run(suffix);
        double taskCpu = tasks.stop();
        double cpu = (processCpuNanos() - cpuBefore) / 1e9;
        double rate = records / seconds;
        System.out.printf(Locale.ROOT, "(%s) %-58s %,10.0f records/s  (data phase %.1f s, CPU %.1f s, task threads %.1f s)%n",
                label, what, rate, seconds, cpu, taskCpu);
        return new Measurement(rate, taskCpu);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** (a): the published Kafka → Hudi Flink SQL pipeline, mapping top-level fields only. */
    private double flinkSql(String bootstrap, String topic, String suffix) throws Exception {
        Path table = workDir.resolve("lake" + suffix + "/sql_events");
        StreamTableEnvironment tables = StreamTableEnvironment.create(environment("a" + suffix));
        tables.executeSql("CREATE TABLE kafka_src (ts TIMESTAMP(3), level STRING, service STRING, host STRING, "
                + "trace_id STRING, msg STRING, latency_ms BIGINT, `day` STRING) "
                + kafkaTable(bootstrap, topic, "bench-sql" + suffix));
        tables.executeSql("CREATE TABLE hudi_sink (trace_id STRING PRIMARY KEY NOT ENFORCED, ts TIMESTAMP(3), "
                + "level STRING, service STRING, host STRING, msg STRING, latency_ms BIGINT, `day` STRING) "
                + "PARTITIONED BY (`day`) " + hudiTable(table));
        TableResult result = tables.executeSql("INSERT INTO hudi_sink SELECT trace_id, ts, level, service, host, msg, "
                + "latency_ms, `day` FROM kafka_src");
        JobClient job = result.getJobClient().orElseThrow();
        long start = awaitRunning(job);
        awaitEnd(job);
        return seconds(start, lastCommitNanos(List.of(table)));
    }

    /**
     * (d): (b)'s table written by Flink SQL: same columns and types, the nested fields read through {@code ROW}
     * types, {@code dt} by {@code DATE_FORMAT}, {@code user_key} by the same FNV-1a hash as a scalar function
     * (Flink SQL has no 64-bit hash), the route as {@code WHERE}.
     */
    private double flinkSqlFull(String bootstrap, String topic, String suffix) throws Exception {
        Path table = workDir.resolve("lake" + suffix + "/sql_full_events");
        StreamTableEnvironment tables = StreamTableEnvironment.create(environment("d" + suffix));
        tables.createTemporarySystemFunction("sluice_hash", SluiceHash.class);
        tables.executeSql("CREATE TABLE kafka_src (ts TIMESTAMP(3), level STRING, service STRING, host STRING, "
                + "trace_id STRING, msg STRING, latency_ms BIGINT, "
                + "`user` ROW<id BIGINT, region STRING, geo ROW<country STRING>>) "
                + kafkaTable(bootstrap, topic, "bench-sql-full" + suffix));
        int precision = TableSchemas.TIMESTAMP_PRECISION;
        tables.executeSql("CREATE TABLE hudi_sink (trace_id STRING NOT NULL PRIMARY KEY NOT ENFORCED, "
                + "ts TIMESTAMP(" + precision + ") NOT NULL, level STRING, service STRING, host STRING, msg STRING, "
                + "latency_ms BIGINT, user_id BIGINT, user_region STRING, user_geo_country STRING, user_key STRING, "
                + "dt STRING NOT NULL) PARTITIONED BY (dt) " + hudiTable(table));
        TableResult result = tables.executeSql("INSERT INTO hudi_sink SELECT trace_id, CAST(ts AS TIMESTAMP(" + precision
                + ")), level, service, host, msg, latency_ms, `user`.id, `user`.region, `user`.geo.country, "
                + "sluice_hash(CAST(`user`.id AS STRING)), DATE_FORMAT(ts, 'yyyy-MM-dd') FROM kafka_src "
                + "WHERE level <> 'TRACE'");
        JobClient job = result.getJobClient().orElseThrow();
        long start = awaitRunning(job);
        awaitEnd(job);
        return seconds(start, lastCommitNanos(List.of(table)));
    }

    /** The WITH clause of (a)'s and (d)'s sources: the topic's JSON records from the earliest to the latest offset. */
    private static String kafkaTable(String bootstrap, String topic, String group) {
        return "WITH ('connector' = 'kafka', 'topic' = '" + topic + "', 'properties.bootstrap.servers' = '" + bootstrap
                + "', 'properties.group.id' = '" + group + "', 'format' = 'json', "
                + "'json.timestamp-format.standard' = 'ISO-8601', "
                + "'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset')";
    }

    /**
     * The WITH clause of (a)'s and (d)'s tables: a Hudi COW table written by insert, Hudi's defaults otherwise
     * (or Sluice's, {@code --sluice-table-options}).
     */
    private String hudiTable(Path table) {
        Map<String, String> options = new LinkedHashMap<>();
        if (sluiceTableOptions) {
            options.putAll(HudiSink.TABLE_DEFAULTS);
        }
        if (codec != null) {
            options.put(CODEC_KEY, codec);
        }
        StringBuilder with = new StringBuilder("WITH ('connector' = 'hudi', 'path' = '" + table.toUri() + "', "
                + "'table.type' = 'COPY_ON_WRITE', 'write.operation' = 'insert', 'precombine.field' = 'no_precombine', "
                + "'hoodie.datasource.write.hive_style_partitioning' = 'true', 'write.tasks' = '" + parallelism + "'");
        options.forEach((key, value) -> with.append(", '").append(key).append("' = '").append(value).append('\''));
        return with.append(')').toString();
    }

    /** Sluice's {@code hash} of one value, as a Flink SQL function for (d). */
    public static final class SluiceHash extends ScalarFunction {
        public String eval(String text) {
            return BuiltinFunctions.Hash.of(text);
        }
    }

    /** (b): the Sluice job as {@code sluice etl} runs it, bounded. */
    private double sluice(String bootstrap, String topic, String suffix) throws Exception {
        EtlJob job = EtlJob.builder().pipeline(pipeline(topic, "bench-sluice" + suffix))
                .bootstrapServers(bootstrap).lakeRoot(workDir.resolve("lake" + suffix).toString())
                .sinkParallelism(parallelism).bounded(true).build();
        StreamExecutionEnvironment env = environment("b" + suffix);
        job.attachTo(env);
        JobClient client = env.executeAsync(job.name());
        long start = awaitRunning(client);
        awaitEnd(client);
        return seconds(start, lastCommitNanos(job.targets().stream().map(t -> Path.of(URI.create(t.path()))).toList()));
    }

    /** (c): source → {@link EtlFunction} → every side output into a discarding sink. */
    private double stagesOnly(String bootstrap, String topic, String suffix) throws Exception {
        PipelineConfig config = pipeline(topic, "bench-stages" + suffix);
        Map<String, OutputTag<RowData>> outputs = new LinkedHashMap<>();
        for (TableConfig table : config.tables()) {
            outputs.put(table.name(), new OutputTag<>("table-" + table.name(),
                    InternalTypeInfo.of(TableSchemas.rowType(table))));
        }
        OutputTag<RowData> errors = new OutputTag<>("errors", InternalTypeInfo.of(ErrorTable.ROW_TYPE));
        StreamExecutionEnvironment env = environment("c" + suffix);
        SingleOutputStreamOperator<Void> etl = env
                .fromSource(RawSources.kafka(bootstrap, config.source(), true), WatermarkStrategy.noWatermarks(), "kafka")
                .process(new EtlFunction(new RecordProcessor(config), outputs, errors, Duration.ofDays(7)), Types.VOID);
        for (OutputTag<RowData> tag : outputs.values()) {
            etl.getSideOutput(tag).addSink(new LastRecordSink());
        }
        etl.getSideOutput(errors).addSink(new LastRecordSink());
        LAST_RECORD_NANOS.set(0);
        JobClient client = env.executeAsync("bench-stages");
        long start = awaitRunning(client);
        awaitEnd(client);
        return seconds(start, LAST_RECORD_NANOS.get());
    }

    private StreamExecutionEnvironment environment(String label) {
        return JobEnvironments.create(JobEnvironments.checkpointStorage(workDir.resolve("checkpoints-" + label).toString()),
                parallelism, checkpointInterval, 0);
    }

    private PipelineConfig pipeline(String topic, String group) throws IOException {
        String yaml = Files.readString(Path.of("bench/etl/pipeline.yaml")).replace("TOPIC", topic).replace("GROUP", group);
        if (codec != null) {
            yaml = yaml.replace("options: {}", "options: { " + CODEC_KEY + ": " + codec + " }");
        }
        return PipelineConfigLoader.parse(yaml, "bench/etl/pipeline.yaml");
    }

    /** The job's first seconds (deployment, split assignment) count: the clock starts at RUNNING. */
    private static long awaitRunning(JobClient job) throws Exception {
        while (true) {
            JobStatus status = job.getJobStatus().get();
            if (status == JobStatus.RUNNING || status.isTerminalState()) {
                return System.nanoTime();
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** The completion time of the newest commit on the tables' timelines, on the {@link System#nanoTime} clock. */
    private static long lastCommitNanos(List<Path> tables) throws IOException {
        long newest = 0;
        for (Path table : tables) {
            Path timeline = table.resolve(".hoodie");
            if (!Files.isDirectory(timeline)) {
                continue;
            }
            try (Stream<Path> files = Files.list(timeline)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    String name = file.getFileName().toString();
                    if (name.endsWith(".commit") || name.endsWith(".deltacommit")) {
                        newest = Math.max(newest, Files.getLastModifiedTime(file).toMillis());
                    }
                }
            }
        }
        return System.nanoTime() - TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis() - newest);
    }

    private static double seconds(long startNanos, long endNanos) {
        return (endNanos - startNanos) / 1e9;
    }

    private long preload(String bootstrap, String topic) throws Exception {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (AdminClient client = AdminClient.create(admin)) {
            client.createTopics(List.of(new NewTopic(topic, parallelism, (short) 1))).all().get();
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                byte[] value = record(i).getBytes(StandardCharsets.UTF_8);
                bytes += value.length;
                producer.send(new ProducerRecord<>(topic, i % parallelism, null, value));
            }
            producer.flush();
        }
        return bytes;
    }

    /** A nested program-log line: top-level scalars plus a {@code user} object with a nested {@code geo}. */
    static String record(int i) {
        String day = DAYS[i % DAYS.length];
        return "{\"ts\":\"" + day + "T" + String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", (i / 3600) % 24,
                (i / 60) % 60, i % 60, i % 1000) + "\",\"day\":\"" + day + "\",\"level\":\"" + LEVELS[i % LEVELS.length]
                + "\",\"service\":\"svc-" + (i % 7) + "\",\"host\":\"web-" + (i % 13) + "\",\"trace_id\":\"t-" + i
                + "\",\"msg\":\"request " + i + " handled\",\"latency_ms\":" + (i % 997)
                + ",\"user\":{\"id\":" + (i % 50_000) + ",\"region\":\"" + REGIONS[i % REGIONS.length]
                + "\",\"geo\":{\"country\":\"" + COUNTRIES[i % COUNTRIES.length] + "\",\"city\":\"c" + (i % 31) + "\"}}}";
    }

    /**
     * CPU time of the jobs' task threads (named {@code <task> (i/n)#attempt}), where the records are read,
     * transformed and written: the process CPU also holds JIT compilation, GC and the cluster's start and
     * stop, and JFR's execution samples miss native code such as Parquet's compressors. Task threads end
     * with their job, so their times are polled while it runs.
     */
    private static final class TaskThreadCpu {
        private static final Pattern TASK = Pattern.compile(".* \\(\\d+/\\d+\\)#\\d+");
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

        private final Map<Long, Long> nanos = new ConcurrentHashMap<>();
        /** Task threads of an earlier job that are still ending count from here. */
        private final Map<Long, Long> before = new HashMap<>();
        private final Thread poller = new Thread(this::poll, "bench-task-cpu");

        static TaskThreadCpu start() {
            TaskThreadCpu cpu = new TaskThreadCpu();
            cpu.record();
            cpu.before.putAll(cpu.nanos);
            cpu.poller.setDaemon(true);
            cpu.poller.start();
            return cpu;
        }

        private void poll() {
            while (!Thread.currentThread().isInterrupted()) {
                record();
                try {
                    TimeUnit.MILLISECONDS.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void record() {
            for (ThreadInfo info : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
                if (info != null && TASK.matcher(info.getThreadName()).matches()) {
                    long time = THREADS.getThreadCpuTime(info.getThreadId());
                    if (time > 0) {
                        nanos.merge(info.getThreadId(), time, Math::max);
                    }
                }
            }
        }

        /** Seconds of task-thread CPU since {@link #start} (task threads are created per job). */
        double stop() throws InterruptedException {
            poller.interrupt();
            poller.join();
            record();
            return nanos.entrySet().stream().mapToLong(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L)).sum() / 1e9;
        }
    }

    /** Discards rows, remembering when the last one arrived. */
    private static final class LastRecordSink implements SinkFunction<RowData> {
        private static final long serialVersionUID = 1L;

        @Override
        public void invoke(RowData value, Context context) {
            LAST_RECORD_NANOS.set(System.nanoTime());
        }
    }
}
