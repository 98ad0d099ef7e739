package dev.sluice.job.bench;

import static dev.sluice.job.bench.BenchRounds.awaitEnd;
import static dev.sluice.job.bench.BenchRounds.awaitRunning;
import static dev.sluice.job.bench.BenchRounds.median;
import static dev.sluice.job.bench.BenchRounds.onceMoreIfStalled;
import static dev.sluice.job.bench.BenchRounds.preload;
import static dev.sluice.job.bench.BenchRounds.processCpuNanos;
import static dev.sluice.job.bench.BenchRounds.seconds;
import static dev.sluice.job.bench.BenchRounds.spread;

import dev.sluice.job.bench.BenchRounds.Attempt;
import dev.sluice.job.bench.BenchRounds.Measurement;
import dev.sluice.job.bench.BenchRounds.Phase;
import dev.sluice.job.bench.BenchRounds.TaskThreadCpu;
import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.core.config.TableConfig;
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
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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
 * Throughput is committed rows / data phase: the rows the tables' completed Hudi commits hold (commit
 * metadata; (c): the records read), over the time from the job reaching RUNNING to its last Hudi commit
 * ((a), (b), (d)) or its last record reaching the sink ((c)); JVM start, broker start, pre-load and the
 * job's shutdown (bounded jobs wait for a final checkpoint) are outside it. The data phase must be well
 * over a checkpoint interval (at least {@code --seconds}, default 30), else where the last checkpoint
 * lands swings one round's ratio by 2× (issue 20): by default ({@code --records=auto}) the measured topic
 * is sized from the fastest job's rate in the warm-up round ({@link BenchRounds#recordsFor}). After {@code --warmups} unmeasured rounds on a
 * smaller topic (default 1 of 2 M records), the selected jobs (default (a) and (b)) take turns for
 * {@code --rounds} rounds (default 3), each on fresh tables; the ratios are given as min / median / max
 * over the rounds, for records/s and for task-thread CPU per committed record.
 */
public final class EtlBench {
    private static final String[] LEVELS = {"INFO", "INFO", "INFO", "WARN", "ERROR"};
    private static final String[] REGIONS = {"eu", "us", "ap"};
    private static final String[] COUNTRIES = {"DE", "FR", "US", "JP", "BR"};
    private static final String[] DAYS = {"2026-11-21", "2026-11-22", "2026-11-23"};

    private static final String CODEC_KEY = HoodieStorageConfig.PARQUET_COMPRESSION_CODEC_NAME.key();

    /** Arrival time of the last record at (c)'s sink; the sink runs in this JVM's MiniCluster. */
    static final AtomicLong LAST_RECORD_NANOS = new AtomicLong();

    /** A round's data phase shorter than this is dominated by where its checkpoints land (issue 20). */
    private static final double MIN_TRUSTED_SECONDS = 30;

    private static final int DEFAULT_RECORDS = 7_000_000;
    private static final int MIN_RECORDS = 2_000_000;
    /** About 6 GB in the broker: the disk, not the bench, is the limit. */
    private static final int MAX_RECORDS = 20_000_000;

    /** Records of the measured topic; 0 until sized from the warm-up rounds ({@code --records=auto}). */
    private int records;
    /** The flags the round-based benches share. */
    private final BenchRounds.Options common;
    /** Parquet codec for all tables, or null for each side's table defaults (Hudi's gzip for (a) and (d), Sluice's snappy). */
    private final String codec;
    /** Whether (a) and (d) write with Sluice's table defaults ({@link HudiSink#TABLE_DEFAULTS}) instead of Hudi's. */
    private final boolean sluiceTableOptions;
    /** Records of the topic the current jobs read: {@link #records} or {@link #warmupRecords}. */
    private int topicRecords;

    @Command(name = "bench etl", mixinStandardHelpOptions = true, sortOptions = false,
            description = "(a) Flink SQL vs (b) Sluice inserting the same records into Hudi COW; (c) Sluice's stages "
                    + "alone, (d) Flink SQL doing (b)'s work.")
    static final class Args {
        @Mixin
        BenchRounds.Options common = new BenchRounds.Options(2_000_000, 3, Path.of("flink-job/target/bench-etl"));

        @Option(names = "--codec", description = "Parquet codec for every table (default: each side's table defaults).")
        String codec;

        @Option(names = "--sluice-table-options",
                description = "(a) and (d) write with Sluice's table defaults instead of Hudi's.")
        boolean sluiceTableOptions;
    }

    private EtlBench(BenchRounds.Options common, int records, String codec, boolean sluiceTableOptions) {
        this.common = common.absolute();
        this.records = records;
        this.codec = codec;
        this.sluiceTableOptions = sluiceTableOptions;
    }

    public static void main(String[] args) throws Exception {
        Args parsed = new Args();
        BenchRounds.main(parsed, args, cmd -> {
            int records = parsed.common.records(cmd, 1, DEFAULT_RECORDS);
            new EtlBench(parsed.common, records, parsed.codec, parsed.sluiceTableOptions).run();
            return 0;
        });
    }

    private void run() throws Exception {
        FileUtils.deleteDirectory(common.workDir.toFile());
        Files.createDirectories(common.workDir);
        try (KafkaBroker broker = KafkaBrokers.start(common.workDir.resolve("kafka"))) {
            String bootstrap = broker.bootstrapServers();
            String topic = "bench-etl";
            String warmupTopic = "bench-etl-warmup";
            if (common.warmups > 0) {
                preload(bootstrap, warmupTopic, common.parallelism, common.warmupRecords, EtlBench::record, i -> i % common.parallelism);
            }
            System.out.printf(Locale.ROOT, "parallelism %d, checkpoint interval %d s, %d cores, %d warm-up round(s) of %,d records then %d round(s) of %s in turn%n",
                    common.parallelism, common.checkpointInterval().toSeconds(), Runtime.getRuntime().availableProcessors(), common.warmups,
                    common.warmupRecords, common.rounds, common.only.replace("c", ""));
            System.out.println(sluiceTableOptions
                    ? "(a), (b) and (d) write with Sluice's table defaults " + HudiSink.TABLE_DEFAULTS
                    : "table options: each side's defaults, (a) and (d) Hudi's, (b) Sluice's " + HudiSink.TABLE_DEFAULTS);
            if (codec != null) {
                System.out.println("Parquet codec: " + codec + " for (a), (b) and (d)");
            }
            System.out.println("records/s = rows in the tables' completed commits (Hudi commit metadata) / data phase; "
                    + "CPU/record = the job's task-thread CPU / those rows");
            // (a), (b) and (d) take turns: a neighbour's load that comes and goes then hits both sides of a round's
            // ratio instead of one whole measurement.
            Measurement[] a = new Measurement[common.rounds];
            Measurement[] b = new Measurement[common.rounds];
            Measurement[] d = new Measurement[common.rounds];
            // Unmeasured rounds first: the first jobs in a JVM pay class loading and JIT compilation (on 2
            // cores the compiler threads took a third of a first run's CPU, and a job's CPU kept falling over
            // its first three runs), which would favour whichever pipeline reached its compiled code first.
            // They read a smaller topic: compiled code is what they are for, not figures.
            topicRecords = common.warmupRecords;
            long sized = DEFAULT_RECORDS;
            for (int warmup = 1; warmup <= common.warmups; warmup++) {
                String suffix = "-warmup" + warmup;
                long started = System.nanoTime();
                List<Phase> phases = new ArrayList<>();
                if (common.only.contains("a")) {
                    phases.add(onceMoreIfStalled("a", suffix, s -> flinkSql(bootstrap, warmupTopic, s)));
                }
                if (common.only.contains("b")) {
                    phases.add(onceMoreIfStalled("b", suffix, s -> sluice(bootstrap, warmupTopic, s)));
                }
                if (common.only.contains("d")) {
                    phases.add(onceMoreIfStalled("d", suffix, s -> flinkSqlFull(bootstrap, warmupTopic, s)));
                }
                sized = phases.stream().mapToLong(p -> BenchRounds.recordsFor(p, common.checkpointInterval(), common.seconds))
                        .max().orElse(DEFAULT_RECORDS);
                System.out.printf(Locale.ROOT, "warm-up round %d done in %.0f s%n", warmup, (System.nanoTime() - started) / 1e9);
            }
            if (records == 0) {
                // Sized for the fastest job: every measured data phase is then at least --seconds long.
                records = BenchRounds.autoRecords(sized, 100_000, MIN_RECORDS, MAX_RECORDS, common.seconds);
            }
            long preload = System.nanoTime();
            long bytes = preload(bootstrap, topic, common.parallelism, records, EtlBench::record, i -> i % common.parallelism);
            System.out.printf(Locale.ROOT, "pre-loaded %,d records (%,d MB, %d partitions) in %.1f s%n",
                    records, bytes >> 20, common.parallelism, (System.nanoTime() - preload) / 1e9);
            topicRecords = records;
            for (int round = 1; round <= common.rounds; round++) {
                String suffix = "-r" + round;
                a[round - 1] = common.only.contains("a") ? measure("a", "Flink SQL Kafka JSON -> Hudi COW insert", suffix,
                        s -> flinkSql(bootstrap, topic, s)) : Measurement.SKIPPED;
                b[round - 1] = common.only.contains("b") ? measure("b", "Sluice parse+flatten+2 derived+route -> Hudi COW insert", suffix,
                        s -> sluice(bootstrap, topic, s)) : Measurement.SKIPPED;
                d[round - 1] = common.only.contains("d") ? measure("d", "Flink SQL doing (b)'s work -> Hudi COW insert", suffix,
                        s -> flinkSqlFull(bootstrap, topic, s)) : Measurement.SKIPPED;
                System.out.printf(Locale.ROOT, "    round %d: b/a = %.2f   b/d = %.2f   CPU/record b/a = %.2f%n", round,
                        b[round - 1].rate() / a[round - 1].rate(), b[round - 1].rate() / d[round - 1].rate(),
                        b[round - 1].cpuPerRecord() / a[round - 1].cpuPerRecord());
            }
            Measurement c = common.only.contains("c") ? measure("c", "Sluice stages alone -> discarding sink", "",
                    s -> stagesOnly(bootstrap, topic, s)) : Measurement.SKIPPED;
            System.out.printf(Locale.ROOT, "median of rounds: (a) %,.0f records/s, (b) %,.0f records/s, (d) %,.0f records/s%n",
                    median(a, Measurement::rate), median(b, Measurement::rate), median(d, Measurement::rate));
            System.out.printf(Locale.ROOT, "b/a = %s   b/d = %s   (the rounds' ratios: min / median / max)%n",
                    spread(b, a, Measurement::rate), spread(b, d, Measurement::rate));
            System.out.printf(Locale.ROOT, "c/a = %.2f   b/c = %.2f%n",
                    c.rate() / median(a, Measurement::rate), median(b, Measurement::rate) / c.rate());
            // Wall time swings with the shared machine's load; the task threads' CPU per record much less.
            System.out.printf(Locale.ROOT, "task-thread CPU per committed record: (a) %.2f us, (b) %.2f us, (d) %.2f us (medians); "
                            + "b/a = %s   b/d = %s%n",
                    median(a, Measurement::cpuPerRecord) * 1e6, median(b, Measurement::cpuPerRecord) * 1e6,
                    median(d, Measurement::cpuPerRecord) * 1e6,
                    spread(b, a, Measurement::cpuPerRecord), spread(b, d, Measurement::cpuPerRecord));
            double shortest = Stream.of(a, b, d).flatMap(Arrays::stream).mapToDouble(Measurement::seconds)
                    .filter(v -> !Double.isNaN(v)).min().orElse(Double.NaN);
            System.out.printf(Locale.ROOT, "shortest data phase %.1f s%s%n", shortest, shortest < MIN_TRUSTED_SECONDS
                    ? " -- under " + (int) MIN_TRUSTED_SECONDS + " s, a checkpoint's position swings the ratio: raise --records or --seconds" : "");
        }
    }

    /**
     * Runs and reports one job: records/s of its data phase, and this JVM's CPU time over the whole run
     * (the MiniCluster runs in it; start and shutdown included), to tell a slower job from a waiting one.
     */
    private Measurement measure(String label, String what, String suffix, Attempt<Phase> run) throws Exception {
        return onceMoreIfStalled(label, suffix, s -> measureOnce(label, what, s, run));
    }

    private Measurement measureOnce(String label, String what, String suffix, Attempt<Phase> run) throws Exception {
        long cpuBefore = processCpuNanos();
        TaskThreadCpu tasks = TaskThreadCpu.start();
        Phase phase = run.run(suffix);
        double taskCpu = tasks.stop();
        double cpu = (processCpuNanos() - cpuBefore) / 1e9;
        Measurement measurement = new Measurement(phase.seconds(), phase.committed(), taskCpu);
        System.out.printf(Locale.ROOT, "(%s) %-58s %,10.0f records/s  (data phase %.1f s, CPU %.1f s, task threads %.1f s, %.2f us/record)%n",
                label, what, measurement.rate(), phase.seconds(), cpu, taskCpu, measurement.cpuPerRecord() * 1e6);
        if (phase.committed() != topicRecords) {
            System.out.printf(Locale.ROOT, "(%s) committed %,d rows of %,d records read: the rate counts the committed rows%n",
                    label, phase.committed(), topicRecords);
        }
        deleteLake(suffix);
        return measurement;
    }

    /** (a): the published Kafka → Hudi Flink SQL pipeline, mapping top-level fields only. */
    private Phase flinkSql(String bootstrap, String topic, String suffix) throws Exception {
        Path table = common.workDir.resolve("lake" + suffix + "/sql_events");
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
        awaitEnd(job, 60 + topicRecords / 20_000);
        return Phase.of(start, HudiCommits.of(List.of(table)));
    }

    /**
     * (d): (b)'s table written by Flink SQL: same columns and types, the nested fields read through {@code ROW}
     * types, {@code dt} by {@code DATE_FORMAT}, {@code user_key} by the same FNV-1a hash as a scalar function
     * (Flink SQL has no 64-bit hash), the route as {@code WHERE}.
     */
    private Phase flinkSqlFull(String bootstrap, String topic, String suffix) throws Exception {
        Path table = common.workDir.resolve("lake" + suffix + "/sql_full_events");
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
        awaitEnd(job, 60 + topicRecords / 20_000);
        return Phase.of(start, HudiCommits.of(List.of(table)));
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
                + "'hoodie.datasource.write.hive_style_partitioning' = 'true', 'write.tasks' = '" + common.parallelism + "'");
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
    private Phase sluice(String bootstrap, String topic, String suffix) throws Exception {
        EtlJob job = EtlJob.builder().pipeline(pipeline(topic, "bench-sluice" + suffix))
                .bootstrapServers(bootstrap).lakeRoot(common.workDir.resolve("lake" + suffix).toString())
                .sinkParallelism(common.parallelism).bounded(true).build();
        StreamExecutionEnvironment env = environment("b" + suffix);
        job.attachTo(env);
        JobClient client = env.executeAsync(job.name());
        long start = awaitRunning(client);
        awaitEnd(client, 60 + topicRecords / 20_000);
        return Phase.of(start, HudiCommits.of(job.targets().stream().map(t -> Path.of(URI.create(t.path()))).toList()));
    }

    /** (c): source → {@link EtlFunction} → every side output into a discarding sink. */
    private Phase stagesOnly(String bootstrap, String topic, String suffix) throws Exception {
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
        awaitEnd(client, 60 + topicRecords / 20_000);
        return new Phase(seconds(start, LAST_RECORD_NANOS.get()), topicRecords);
    }

    private StreamExecutionEnvironment environment(String label) {
        return JobEnvironments.create(JobEnvironments.checkpointStorage(common.workDir.resolve("checkpoints-" + label).toString()),
                common.parallelism, common.checkpointInterval(), 0);
    }

    private PipelineConfig pipeline(String topic, String group) throws IOException {
        String yaml = Files.readString(Path.of("bench/etl/pipeline.yaml")).replace("TOPIC", topic).replace("GROUP", group);
        if (codec != null) {
            yaml = yaml.replace("options: {}", "options: { " + CODEC_KEY + ": " + codec + " }");
        }
        return PipelineConfigLoader.parse(yaml, "bench/etl/pipeline.yaml");
    }

    /** A measured round's tables go once counted: 7 M rows a table would fill the disk over the rounds. */
    private void deleteLake(String suffix) throws InterruptedException {
        BenchRounds.deleteQuietly(common.workDir.resolve("lake" + suffix));
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

    /** Discards rows, remembering when the last one arrived. */
    private static final class LastRecordSink implements SinkFunction<RowData> {
        private static final long serialVersionUID = 1L;

        @Override
        public void invoke(RowData value, Context context) {
            LAST_RECORD_NANOS.set(System.nanoTime());
        }
    }
}
