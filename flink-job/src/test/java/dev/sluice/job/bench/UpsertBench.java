package dev.sluice.job.bench;

import static dev.sluice.job.bench.BenchRounds.awaitEnd;
import static dev.sluice.job.bench.BenchRounds.awaitRunning;
import static dev.sluice.job.bench.BenchRounds.median;
import static dev.sluice.job.bench.BenchRounds.onceMoreIfStalled;
import static dev.sluice.job.bench.BenchRounds.preload;
import static dev.sluice.job.bench.BenchRounds.spread;

import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.infra.kafka.KafkaBroker;
import dev.sluice.infra.kafka.KafkaBrokers;
import dev.sluice.job.EtlJob;
import dev.sluice.job.bench.BenchRounds.Attempt;
import dev.sluice.job.bench.BenchRounds.Measurement;
import dev.sluice.job.bench.BenchRounds.Phase;
import dev.sluice.job.bench.BenchRounds.TaskThreadCpu;
import dev.sluice.job.runtime.JobEnvironments;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.FileUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code ./sluice bench upsert}: the same pre-loaded order records, 20 % of them repeating an earlier
 * order's key, upserted into Hudi by bounded jobs with the same parallelism and checkpoint interval, one
 * after the other on equally configured local MiniClusters, for a COW and a MOR table:
 * <ol type="a">
 *   <li>(a) Flink SQL: Kafka JSON table → {@code INSERT INTO} a Hudi table with {@code PRIMARY KEY (order_id)},
 *       {@code write.operation = upsert}, Hudi's defaults otherwise (Flink state index: bucket assigner with
 *       the key → file group map in keyed state);</li>
 *   <li>(b) Sluice: a pipeline with {@code operation: upsert}, the same key, precombine field and partition
 *       ({@code bench/upsert/pipeline.yaml}), with Hudi's bucket index in its sink options
 *       ({@code index.type: BUCKET}, {@code --buckets} buckets per partition; docs/lake.md);</li>
 *   <li>(s) Sluice with its default index (Hudi's Flink state index, as (a)): what the engine alone gives;</li>
 *   <li>(q) Flink SQL with the bucket index, as (b): what the index alone gives.</li>
 * </ol>
 * Throughput is records read / data phase (job RUNNING → last data commit; MOR compactions do not count).
 * Every measured table is read back through Hudi's Flink reader (snapshot query) and must hold exactly the
 * generator's distinct keys with each key's last value: a side that dropped or duplicated rows is reported
 * and fails the bench. A key always lands in the same Kafka partition and Hudi partition, in order, so the
 * expected final value is each key's last record.
 */
public final class UpsertBench {
    private static final String[] STATUSES = {"created", "paid", "shipped", "delivered"};
    private static final String[] DAYS = {"2026-11-21", "2026-11-22", "2026-11-23"};
    /** One record in this many repeats an earlier key (20 %). */
    private static final int REPEAT_EVERY = 5;

    private static final int MIN_RECORDS = 100_000;
    private static final int MAX_RECORDS = 10_000_000;

    /** Records of the measured topic; 0 until sized from the warm-up round ({@code --records=auto}). */
    private int records;
    /** The flags the round-based benches share. */
    private final BenchRounds.Options common;
    private final List<String> types;
    private final int buckets;
    /** Hudi options (b) and (q) write with on top of the bucket index ({@code --extra-options}). */
    private final Map<String, String> extraOptions;
    private int topicRecords;
    private boolean failed;

    @Command(name = "bench upsert", mixinStandardHelpOptions = true, sortOptions = false,
            description = "(a) Flink SQL vs (b) Sluice with the bucket index upserting the same order records into Hudi "
                    + "COW and MOR; (s) Sluice with its default index, (q) Flink SQL with the bucket index.")
    static final class Args {
        @Mixin
        BenchRounds.Options common = new BenchRounds.Options(300_000, 2, Path.of("flink-job/target/bench-upsert"));

        @Option(names = "--types", split = ",", paramLabel = "cow|mor",
                description = "Table types (default: cow,mor).")
        List<String> types = List.of("cow", "mor");

        @Option(names = "--buckets", description = "Buckets per partition of the bucket index (default: ${DEFAULT-VALUE}).")
        int buckets = 8;

        @Option(names = "--extra-options", split = ",", paramLabel = "KEY=VALUE",
                description = "More Hudi options for (b) and (q).")
        Map<String, String> extraOptions = new LinkedHashMap<>();
    }

    private UpsertBench(BenchRounds.Options common, int records, List<String> types, int buckets,
                        Map<String, String> extraOptions) {
        this.common = common.absolute();
        this.records = records;
        this.types = types;
        this.buckets = buckets;
        this.extraOptions = extraOptions;
    }

    public static void main(String[] args) throws Exception {
        Args parsed = new Args();
        BenchRounds.main(parsed, args, cmd -> {
            int records = parsed.common.records(cmd, REPEAT_EVERY, 1_000_000);
            if (parsed.buckets < 1) {
                throw new ParameterException(cmd, "--buckets must be at least 1");
            }
            List<String> types = new ArrayList<>();
            for (String type : parsed.types) {
                switch (type.trim().toLowerCase(Locale.ROOT)) {
                    case "cow" -> types.add("COPY_ON_WRITE");
                    case "mor" -> types.add("MERGE_ON_READ");
                    default -> throw new ParameterException(cmd, "--types: unknown table type '" + type + "'; use cow, mor or cow,mor");
                }
            }
            UpsertBench bench = new UpsertBench(parsed.common, records, types, parsed.buckets, parsed.extraOptions);
            bench.run();
            return bench.failed ? 1 : 0;
        });
    }

    private void run() throws Exception {
        FileUtils.deleteDirectory(common.workDir.toFile());
        Files.createDirectories(common.workDir);
        try (KafkaBroker broker = KafkaBrokers.start(common.workDir.resolve("kafka"))) {
            String bootstrap = broker.bootstrapServers();
            String topic = "bench-upsert";
            String warmupTopic = "bench-upsert-warmup";
            if (common.warmups > 0) {
                preload(bootstrap, warmupTopic, common.parallelism, common.warmupRecords, UpsertBench::record, i -> key(i) % common.parallelism);
            }
            System.out.printf(Locale.ROOT, "parallelism %d, checkpoint interval %d s, %d cores, %d warm-up round(s) of %,d records, "
                            + "then %d round(s) of %s in turn per table type %s%n",
                    common.parallelism, common.checkpointInterval().toSeconds(), Runtime.getRuntime().availableProcessors(), common.warmups,
                    common.warmups > 0 ? common.warmupRecords : 0, common.rounds, common.only, types);
            System.out.println("(b) and (q) write with " + bucketIndexOptions()
                    + "; (a) and (s) with Hudi's default index (FLINK_STATE: bucket assigner + keyed state)");
            Expected warmupExpected = Expected.of(common.warmupRecords);
            Map<String, Map<Character, Measurement[]>> results = new LinkedHashMap<>();
            for (String type : types) {
                Map<Character, Measurement[]> byVariant = new LinkedHashMap<>();
                for (char variant : common.only.toCharArray()) {
                    byVariant.put(variant, new Measurement[common.rounds]);
                }
                results.put(type, byVariant);
            }
            topicRecords = common.warmupRecords;
            long sized = 1_000_000;
            for (int warmup = 1; warmup <= common.warmups; warmup++) {
                long started = System.nanoTime();
                sized = 0;
                for (String type : types) {
                    for (char variant : common.only.toCharArray()) {
                        Measurement run = measure(variant, type, "-warmup" + warmup, warmupTopic, bootstrap, warmupExpected, false);
                        sized = Math.max(sized, BenchRounds.recordsFor(new Phase(run.seconds(), run.committed()),
                                common.checkpointInterval(), common.seconds));
                    }
                }
                System.out.printf(Locale.ROOT, "warm-up round %d done in %.0f s%n", warmup, (System.nanoTime() - started) / 1e9);
            }
            if (records == 0) {
                // Sized for the fastest job, so every measured data phase lasts at least --seconds.
                records = BenchRounds.autoRecords(sized, 50_000, MIN_RECORDS, MAX_RECORDS, common.seconds);
            }
            long preload = System.nanoTime();
            long bytes = preload(bootstrap, topic, common.parallelism, records, UpsertBench::record, i -> key(i) % common.parallelism);
            System.out.printf(Locale.ROOT, "pre-loaded %,d order records (%,d distinct keys, %d %% repeats; %,d MB, %d partitions) in %.1f s%n",
                    records, distinctKeys(records), 100 / REPEAT_EVERY, bytes >> 20, common.parallelism, (System.nanoTime() - preload) / 1e9);
            Expected expected = Expected.of(records);
            topicRecords = records;
            for (int round = 1; round <= common.rounds; round++) {
                for (String type : types) {
                    Map<Character, Measurement[]> byVariant = results.get(type);
                    for (char variant : common.only.toCharArray()) {
                        byVariant.get(variant)[round - 1] = measure(variant, type, "-r" + round, topic, bootstrap, expected, true);
                    }
                    if (byVariant.containsKey('a') && byVariant.containsKey('b')) {
                        System.out.printf(Locale.ROOT, "    round %d %s: b/a = %.2f   CPU/record b/a = %.2f%n", round, type,
                                byVariant.get('b')[round - 1].rate() / byVariant.get('a')[round - 1].rate(),
                                byVariant.get('b')[round - 1].cpuPerRecord() / byVariant.get('a')[round - 1].cpuPerRecord());
                    }
                }
            }
            for (String type : types) {
                Map<Character, Measurement[]> byVariant = results.get(type);
                StringBuilder rates = new StringBuilder();
                byVariant.forEach((variant, runs) -> rates.append(String.format(Locale.ROOT, " (%c) %,.0f records/s %.2f us/record;",
                        variant, median(runs, Measurement::rate), median(runs, Measurement::cpuPerRecord) * 1e6)));
                System.out.printf(Locale.ROOT, "%s medians:%s%n", type, rates);
                // b/a is the figure asked for; s/a and q/a split it into engine and index, b/s and b/q check it.
                for (String pair : List.of("ba", "sa", "qa", "bs", "bq")) {
                    Measurement[] top = byVariant.get(pair.charAt(0));
                    Measurement[] bottom = byVariant.get(pair.charAt(1));
                    if (top != null && bottom != null) {
                        System.out.printf(Locale.ROOT, "%s %c/%c = %s   task-thread CPU per record %c/%c = %s   (min / median / max over rounds)%n",
                                type, pair.charAt(0), pair.charAt(1), spread(top, bottom, Measurement::rate),
                                pair.charAt(0), pair.charAt(1), spread(top, bottom, Measurement::cpuPerRecord));
                    }
                }
            }
            if (failed) {
                System.out.println("FAILED: a table did not hold the expected keys and final values (above)");
            }
        }
    }

    private Measurement measure(char variant, String type, String suffix, String topic, String bootstrap, Expected expected,
                                boolean report) throws Exception {
        String what = switch (variant) {
            case 'a' -> "Flink SQL upsert, Hudi defaults";
            case 'b' -> "Sluice upsert, bucket index";
            case 's' -> "Sluice upsert, default index (Flink state)";
            case 'q' -> "Flink SQL upsert, bucket index";
            default -> throw new IllegalArgumentException("--only: unknown variant '" + variant + "'; use any of absq");
        };
        Attempt<Phase> run = s -> switch (variant) {
            case 'a' -> flinkSql(bootstrap, topic, type, variant + s, false);
            case 'q' -> flinkSql(bootstrap, topic, type, variant + s, true);
            default -> sluice(bootstrap, topic, type, variant + s, variant == 'b');
        };
        String label = variant + (type.startsWith("C") ? "-cow" : "-mor");
        return onceMoreIfStalled(label, suffix, s -> {
            TaskThreadCpu tasks = TaskThreadCpu.start();
            Phase phase = run.run(s);
            double taskCpu = tasks.stop();
            Measurement measurement = new Measurement(phase.seconds(), topicRecords, taskCpu);
            String verdict = verify(table(variant + s, variant), type, expected);
            if (report) {
                System.out.printf(Locale.ROOT, "(%s) %-42s %,9.0f records/s  (data phase %.1f s, task threads %.1f s, %.2f us/record; %s)%n",
                        label, what, measurement.rate(), phase.seconds(), taskCpu, measurement.cpuPerRecord() * 1e6, verdict);
            }
            BenchRounds.deleteQuietly(common.workDir.resolve("lake" + variant + s));
            return measurement;
        });
    }

    /** {@code suffix} starts with the variant: each job has its own tables, consumer group and checkpoints. */
    private Path table(String suffix, char variant) {
        return common.workDir.resolve("lake" + suffix).resolve(variant == 'a' || variant == 'q' ? "sql_orders" : "bench/orders");
    }

    /** (a) and (q): Flink SQL Kafka JSON → Hudi upsert, Hudi's default index ((a)) or the bucket index ((q)). */
    private Phase flinkSql(String bootstrap, String topic, String type, String suffix, boolean bucketIndex) throws Exception {
        Path table = table(suffix, 'a');
        StreamTableEnvironment tables = StreamTableEnvironment.create(environment(suffix + type));
        tables.executeSql("CREATE TABLE kafka_src (order_id STRING, seq BIGINT, amount_cents BIGINT, status STRING, "
                + "customer STRING, dt STRING) WITH ('connector' = 'kafka', 'topic' = '" + topic
                + "', 'properties.bootstrap.servers' = '" + bootstrap + "', 'properties.group.id' = 'sql" + suffix + type
                + "', 'format' = 'json', 'scan.startup.mode' = 'earliest-offset', 'scan.bounded.mode' = 'latest-offset')");
        StringBuilder with = new StringBuilder("'connector' = 'hudi', 'path' = '" + table.toUri() + "', 'table.type' = '" + type
                + "', 'write.operation' = 'upsert', 'precombine.field' = 'seq', "
                + "'hoodie.datasource.write.hive_style_partitioning' = 'true', 'write.tasks' = '" + common.parallelism + "'");
        if (bucketIndex) {
            bucketIndexOptions().forEach((key, value) -> with.append(", '").append(key).append("' = '").append(value).append('\''));
        }
        tables.executeSql("CREATE TABLE hudi_sink (order_id STRING PRIMARY KEY NOT ENFORCED, seq BIGINT, amount_cents BIGINT, "
                + "status STRING, customer STRING, dt STRING) PARTITIONED BY (dt) WITH (" + with + ")");
        TableResult result = tables.executeSql("INSERT INTO hudi_sink SELECT * FROM kafka_src");
        JobClient job = result.getJobClient().orElseThrow();
        long start = awaitRunning(job);
        awaitEnd(job, 120 + topicRecords / 5_000);
        return Phase.of(start, HudiCommits.of(List.of(table)));
    }

    /** (b) and (s): the Sluice job as {@code sluice etl} runs it, bounded, with the bucket index ((b)) or its default ((s)). */
    private Phase sluice(String bootstrap, String topic, String type, String suffix, boolean bucketIndex) throws Exception {
        String yaml = Files.readString(Path.of("bench/upsert/pipeline.yaml")).replace("TOPIC", topic)
                .replace("GROUP", "sluice" + suffix + type).replace("TABLE_TYPE", type)
                .replace("options: {}", "options: " + optionsYaml(bucketIndex ? bucketIndexOptions() : Map.of()));
        EtlJob job = EtlJob.builder().pipeline(PipelineConfigLoader.parse(yaml, "bench/upsert/pipeline.yaml"))
                .bootstrapServers(bootstrap).lakeRoot(common.workDir.resolve("lake" + suffix).toString())
                .sinkParallelism(common.parallelism).bounded(true).build();
        StreamExecutionEnvironment env = environment(suffix + type);
        job.attachTo(env);
        JobClient client = env.executeAsync(job.name());
        long start = awaitRunning(client);
        awaitEnd(client, 120 + topicRecords / 5_000);
        return Phase.of(start, HudiCommits.of(job.targets().stream().map(t -> Path.of(URI.create(t.path()))).toList()));
    }

    /** Hudi's bucket index: a key's file group is a hash of the key, no assigner, no index state. */
    private Map<String, String> bucketIndexOptions() {
        Map<String, String> options = new LinkedHashMap<>();
        options.put("index.type", "BUCKET");
        options.put("hoodie.bucket.index.num.buckets", String.valueOf(buckets));
        options.putAll(extraOptions);
        return options;
    }

    private static String optionsYaml(Map<String, String> options) {
        if (options.isEmpty()) {
            return "{}";
        }
        StringBuilder yaml = new StringBuilder("{ ");
        options.forEach((key, value) -> yaml.append(yaml.length() > 2 ? ", " : "").append(key).append(": '").append(value).append('\''));
        return yaml.append(" }").toString();
    }

    private StreamExecutionEnvironment environment(String label) {
        return JobEnvironments.create(JobEnvironments.checkpointStorage(common.workDir.resolve("checkpoints-" + label).toString()),
                common.parallelism, common.checkpointInterval(), 0);
    }

    /**
     * Reads the table back through Hudi's Flink reader (snapshot query: base files merged with logs) and
     * compares it with the generator's final state; returns a one-line verdict and marks the bench failed on
     * a mismatch.
     */
    private String verify(Path table, String type, Expected expected) throws Exception {
        StreamTableEnvironment tables = StreamTableEnvironment.create(StreamExecutionEnvironment.createLocalEnvironment(1));
        tables.executeSql("CREATE TABLE t (order_id STRING, seq BIGINT, amount_cents BIGINT, status STRING, customer STRING, "
                + "dt STRING) PARTITIONED BY (dt) WITH ('connector' = 'hudi', 'path' = '" + table.toUri()
                + "', 'table.type' = '" + type + "', 'read.streaming.enabled' = 'false')");
        long rows = 0;
        long seqSum = 0;
        long amountSum = 0;
        Set<String> keys = new HashSet<>();
        try (CloseableIterator<Row> it = tables.executeSql("SELECT order_id, seq, amount_cents FROM t").collect()) {
            while (it.hasNext()) {
                Row row = it.next();
                rows++;
                keys.add((String) row.getField(0));
                seqSum += (Long) row.getField(1);
                amountSum += (Long) row.getField(2);
            }
        }
        boolean ok = rows == expected.keys() && keys.size() == expected.keys() && seqSum == expected.seqSum()
                && amountSum == expected.amountSum();
        if (!ok) {
            failed = true;
            return String.format(Locale.ROOT, "MISMATCH: %,d rows, %,d distinct keys, seq sum %d, amount sum %d; expected %,d keys, %d, %d",
                    rows, keys.size(), seqSum, amountSum, expected.keys(), expected.seqSum(), expected.amountSum());
        }
        return String.format(Locale.ROOT, "read back: %,d keys, final values match", rows);
    }

    /** The final state the generator's first {@code n} records leave: keys, sums of each key's last seq and amount. */
    private record Expected(long keys, long seqSum, long amountSum) {
        static Expected of(int n) {
            int[] last = new int[distinctKeys(n)];
            for (int i = 0; i < n; i++) {
                last[key(i)] = i;
            }
            long seqSum = 0;
            long amountSum = 0;
            for (int i : last) {
                seqSum += i;
                amountSum += amountCents(i);
            }
            return new Expected(last.length, seqSum, amountSum);
        }
    }

    /** New keys among the first {@code n} records: all but every {@link #REPEAT_EVERY}th. */
    static int distinctKeys(int n) {
        return n - n / REPEAT_EVERY;
    }

    /**
     * Record {@code i}'s key: the next new key, or for every {@link #REPEAT_EVERY}th record a pseudo-random
     * earlier one.
     */
    static int key(int i) {
        if (i % REPEAT_EVERY != REPEAT_EVERY - 1) {
            return distinctKeys(i);
        }
        long mixed = (i * 0x9E3779B97F4A7C15L) >>> 17;
        return (int) (mixed % distinctKeys(i));
    }

    private static long amountCents(int i) {
        return (i * 37L) % 100_000;
    }

    /** An order change: its key, a sequence number (the precombine field), amount, status, customer, day. */
    static String record(int i) {
        int key = key(i);
        return "{\"order_id\":\"o-" + key + "\",\"seq\":" + i + ",\"amount_cents\":" + amountCents(i)
                + ",\"status\":\"" + STATUSES[i % STATUSES.length] + "\",\"customer\":\"c-" + (key % 20_000)
                + "\",\"dt\":\"" + DAYS[key % DAYS.length] + "\"}";
    }
}
