package dev.sluice.job.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;
import java.util.function.ToDoubleFunction;
import java.util.regex.Pattern;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.util.FileUtils;
import org.apache.kafka.clients.admin.AdminClient;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * What the throughput benches (etl, upsert) share: pre-loading a topic, timing a bounded job's data phase,
 * its task threads' CPU, one retry of a stalled job, and the rounds' statistics.
 */
final class BenchRounds {
    private BenchRounds() {
    }

    /**
     * The flags of the round-based benches (a picocli mixin); each bench adds its own beside them and gives
     * its defaults for the warm-up size, the rounds and the work directory.
     */
    static final class Options {
        @Option(names = "--records", paramLabel = "N|auto", description = "Records of the measured topic; auto sizes it "
                + "from the warm-up round so that the fastest job's data phase lasts --seconds (default: ${DEFAULT-VALUE}).")
        String records = "auto";

        @Option(names = "--seconds", description = "Data phase to size --records=auto for (default: ${DEFAULT-VALUE}).")
        int seconds = 30;

        @Option(names = "--warmup-records", description = "Records of the warm-up topic (default: ${DEFAULT-VALUE}).")
        int warmupRecords;

        @Option(names = "--parallelism", description = "Parallelism of every job (default: ${DEFAULT-VALUE}).")
        int parallelism = 2;

        @Option(names = "--checkpoint-interval", paramLabel = "SECONDS",
                description = "Checkpoint interval of every job (default: ${DEFAULT-VALUE}).")
        long checkpointIntervalSeconds = 10;

        @Option(names = "--work-dir", description = "Broker and tables; deleted first (default: ${DEFAULT-VALUE}).")
        Path workDir;

        @Option(names = "--only", description = "Jobs to run, by letter (default: ${DEFAULT-VALUE}).")
        String only = "ab";

        @Option(names = "--rounds", description = "Measured rounds (default: ${DEFAULT-VALUE}).")
        int rounds;

        @Option(names = "--warmups", description = "Unmeasured warm-up rounds (default: ${DEFAULT-VALUE}).")
        int warmups = 1;

        Options(int warmupRecords, int rounds, Path workDir) {
            this.warmupRecords = warmupRecords;
            this.rounds = rounds;
            this.workDir = workDir;
        }

        /**
         * Records of the measured topic: 0 for auto (sized from the warm-up), or {@code withoutWarmup} when
         * auto has no warm-up round to size it from.
         *
         * @throws ParameterException naming the flag that is out of range
         */
        int records(CommandLine cmd, int minRecords, int withoutWarmup) {
            int count;
            try {
                count = records.equals("auto") ? 0 : Integer.parseInt(records.replace("_", ""));
            } catch (NumberFormatException e) {
                throw new ParameterException(cmd, "--records: '" + records + "' is neither a count nor auto");
            }
            if (count != 0 && count < minRecords || warmupRecords < minRecords) {
                throw new ParameterException(cmd, "--records (unless auto) and --warmup-records must be at least " + minRecords);
            }
            if (seconds < 1 || rounds < 1 || parallelism < 1 || checkpointIntervalSeconds < 1 || warmups < 0) {
                throw new ParameterException(cmd, "--seconds, --rounds, --parallelism and --checkpoint-interval must be at "
                        + "least 1, --warmups at least 0");
            }
            return count == 0 && warmups == 0 ? withoutWarmup : count;
        }

        /** These options with the work directory made absolute: Flink SQL and Hudi get it as a path string. */
        Options absolute() {
            workDir = workDir.toAbsolutePath();
            return this;
        }

        Duration checkpointInterval() {
            return Duration.ofSeconds(checkpointIntervalSeconds);
        }
    }

    /** A bench's work once its flags are parsed; returns the exit code. */
    interface Body {
        int run(CommandLine cmd) throws Exception;
    }

    /**
     * A bench's {@code main}: parses {@code args} into {@code command} (an {@code @Command} with {@link Options}
     * mixed in), runs {@code body} and exits with its code; prints the usage and exits on {@code --help} (0)
     * or on a bad flag (2), also when {@code body} finds one.
     */
    static void main(Object command, String[] args, Body body) throws Exception {
        CommandLine cmd = new CommandLine(command);
        int code;
        try {
            cmd.parseArgs(args);
            if (cmd.isUsageHelpRequested()) {
                cmd.usage(System.out);
                System.exit(0);
            }
            code = body.run(cmd);
        } catch (ParameterException e) {
            System.err.println(e.getMessage());
            cmd.usage(System.err);
            code = 2;
        }
        System.exit(code);
    }

    /**
     * One job's data phase: its seconds, the rows its tables' commits hold (or the records it read) and its
     * task threads' CPU seconds.
     */
    record Measurement(double seconds, long committed, double taskCpu) {
        static final Measurement SKIPPED = new Measurement(Double.NaN, 0, Double.NaN);

        double rate() {
            return committed / seconds;
        }

        double cpuPerRecord() {
            return taskCpu / committed;
        }
    }

    /** A job's data phase as its run reports it: seconds, and rows committed (or records read). */
    record Phase(double seconds, long committed) {
        static Phase of(long startNanos, HudiCommits commits) {
            return new Phase(BenchRounds.seconds(startNanos, commits.lastNanos()), commits.writes());
        }
    }

    /**
     * Records for a data phase of at least {@code targetSeconds}, from a warm-up run's phase: a phase ends
     * with a wait for the final commit of between nothing and one checkpoint interval (the next periodic
     * checkpoint after the input ended), which a rate taken over the whole phase would count as work and
     * size the measured runs too short. Half an interval is taken out (at most two thirds of the phase) and
     * a quarter added for the spread between jobs and rounds.
     */
    static long recordsFor(Phase warmup, Duration checkpointInterval, int targetSeconds) {
        double working = Math.max(warmup.seconds() - checkpointInterval.toMillis() / 2e3, warmup.seconds() / 3);
        return (long) Math.ceil(warmup.committed() / working * targetSeconds * 1.25);
    }

    /**
     * The measured topic's records for {@code --records=auto}: the warm-up's {@link #recordsFor} figure
     * rounded up to {@code step} and kept within {@code [min, max]}; says what it chose.
     */
    static int autoRecords(long sized, int step, int min, int max, int targetSeconds) {
        int records = (int) Math.min(max, Math.max(min, Math.ceil(sized / (double) step) * step));
        System.out.printf(Locale.ROOT, "records sized for a data phase of at least %d s of the fastest job: %,d%n",
                targetSeconds, records);
        return records;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    static double median(Measurement[] runs, ToDoubleFunction<Measurement> value) {
        return median(Arrays.stream(runs).mapToDouble(value).toArray());
    }

    /** {@code min / median / max} over rounds of {@code top[round] / bottom[round]}. */
    static String spread(Measurement[] top, Measurement[] bottom, ToDoubleFunction<Measurement> value) {
        double[] ratios = new double[top.length];
        for (int i = 0; i < top.length; i++) {
            ratios[i] = value.applyAsDouble(top[i]) / value.applyAsDouble(bottom[i]);
        }
        Arrays.sort(ratios);
        return String.format(Locale.ROOT, "%.2f / %.2f / %.2f", ratios[0], median(ratios), ratios[ratios.length - 1]);
    }

    static double seconds(long startNanos, long endNanos) {
        return (endNanos - startNanos) / 1e9;
    }

    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /**
     * Creates {@code topic} with {@code partitions} partitions and writes {@code count} records into it,
     * record {@code i} into partition {@code partitionOf(i)}; returns the bytes written.
     */
    static long preload(String bootstrap, String topic, int partitions, int count, IntFunction<String> record,
                        IntUnaryOperator partitionOf) throws Exception {
        Properties admin = new Properties();
        admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (AdminClient client = AdminClient.create(admin)) {
            client.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
        }
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        long bytes = 0;
        try (KafkaProducer<byte[], byte[]> producer =
                     new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                byte[] value = record.apply(i).getBytes(StandardCharsets.UTF_8);
                bytes += value.length;
                producer.send(new ProducerRecord<>(topic, partitionOf.applyAsInt(i), null, value));
            }
            producer.flush();
        }
        return bytes;
    }

    /**
     * Deletes a measured job's tables. Hudi's coordinator can still be finishing a table's timeline for a
     * moment after the job's result arrived, so a failed delete is retried and then left for the disk.
     */
    static void deleteQuietly(Path dir) throws InterruptedException {
        for (int attempt = 1; attempt <= 5; attempt++) {
            try {
                FileUtils.deleteDirectory(dir.toFile());
                return;
            } catch (IOException e) {
                TimeUnit.SECONDS.sleep(1);
            }
        }
        System.out.println("could not delete " + dir + " (still being written); left on disk");
    }

    /** The job's first seconds (deployment, split assignment) count: the clock starts at RUNNING. */
    static long awaitRunning(JobClient job) throws Exception {
        while (true) {
            JobStatus status = job.getJobStatus().get();
            if (status == JobStatus.RUNNING || status.isTerminalState()) {
                return System.nanoTime();
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** Waits for a bounded job's end; cancels it and throws {@link Stalled} when it takes longer than {@code limitSeconds}. */
    static void awaitEnd(JobClient job, long limitSeconds) throws Exception {
        try {
            job.getJobExecutionResult().get(limitSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            job.cancel().get();
            try {
                // Its cluster shuts down with it; the result fails once it has.
                job.getJobExecutionResult().get();
            } catch (ExecutionException cancelled) {
                // expected
            }
            throw new Stalled("no end after " + limitSeconds + " s");
        }
    }

    /** A job that stopped making progress before its end ({@link #awaitEnd}); it has been cancelled. */
    static final class Stalled extends Exception {
        Stalled(String message) {
            super(message);
        }
    }

    /**
     * One attempt at a job on tables, consumer group and checkpoints named with {@code suffix}; a job's run
     * returns its data phase.
     */
    @FunctionalInterface
    interface Attempt<T> {
        T run(String suffix) throws Exception;
    }

    /**
     * Makes an attempt, and once more on fresh tables if the job stalled: in these bounded runs Hudi
     * 0.14's writer can wait for an instant that never comes when its peer subtask ended its input as a
     * checkpoint completed (docs/lake.md). A second stall fails the bench.
     */
    static <T> T onceMoreIfStalled(String label, String suffix, Attempt<T> attempt) throws Exception {
        try {
            return attempt.run(suffix);
        } catch (Stalled e) {
            System.out.printf(Locale.ROOT, "(%s) stalled, %s; cancelled, running it again on fresh tables%n",
                    label, e.getMessage());
            return attempt.run(suffix + "-again");
        }
    }

    /**
     * CPU time of the jobs' task threads (named {@code <task> (i/n)#attempt}), where the records are read,
     * transformed and written: the process CPU also holds JIT compilation, GC and the cluster's start and
     * stop, and JFR's execution samples miss native code such as Parquet's compressors. Task threads end
     * with their job, so their times are polled while it runs.
     */
    static final class TaskThreadCpu {
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
}
