package dev.sluice.demo.bench;

import dev.sluice.core.config.HudiSinkConfig;
import dev.sluice.core.config.PipelineConfig;
import dev.sluice.core.config.PipelineConfigLoader;
import dev.sluice.core.config.TableConfig;
import dev.sluice.core.sla.SlaMetrics;
import dev.sluice.demo.LocalStack;
import dev.sluice.demo.TopicAdmin;
import dev.sluice.infra.process.Ports;
import dev.sluice.job.EtlJob;
import dev.sluice.job.TableTarget;
import dev.sluice.job.format.TableSchemas;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.Row;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.FileUtils;

/**
 * {@code ./sluice bench freshness}: how long after the gateway's 2xx a record's row is visible to a Hudi
 * reader, end to end through the real parts: the ingest gateway (child JVM, demo profile), the Kafka broker,
 * a {@code sluice etl} job ({@link EtlJob} on the local Flink cluster, the same stack {@link LocalStack}
 * starts for {@code ./sluice demo}) and its Hudi table.
 *
 * <p>Method, per checkpoint interval ({@code --intervals}, default 10 s, the default of {@code sluice etl},
 * and 2 s): a fresh stack; {@code --rate} single-record POSTs per second for {@code --seconds}, each record
 * carrying its id; the client notes when each 2xx arrived. Meanwhile the table's timeline is polled every
 * 50 ms and the time each completed write instant ({@code .commit}, {@code .deltacommit}) first appears is
 * noted: from then on a reader sees its rows. After the stream the table is read back through Hudi's Flink
 * reader (snapshot query) with its {@code _hoodie_commit_time}, which names the instant that wrote each row;
 * a row's freshness is that instant's appearance minus its 2xx. Every id must be read back.
 *
 * <p>The job's own freshness gauge ({@code lastCommittedIngestTime}, docs/observability.md) is scraped from
 * its Prometheus reporter every 200 ms: each time it moves, its age (scrape time − value) is the age of the
 * newest committed record at that commit, which the bench compares with the same age from its own view
 * (the newest row of each instant: instant appearance − that row's 2xx).
 */
public final class FreshnessBench {
    private static final String API_KEY = "sluice-bench-freshness-key";
    private static final String SOURCE = "app-logs";
    private static final Duration VISIBLE_TIMEOUT = Duration.ofMinutes(2);
    private static final int ATTEMPTS = 10;
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

    private final int rate;
    private final int seconds;
    private final Path workDir;
    private final Path gatewayApp;
    private final Path pipelineFile;
    /** The error code in the gateway's JSON answer. */
    private static final Pattern ERROR_CODE = Pattern.compile("\"code\"\\s*:\\s*\"(\\w+)\"");

    /** Requests of the last stream retried after a 503/429. */
    private int retried;
    /** Why they were retried: the error code of the gateway's answer → count, for the last stream. */
    private final Map<String, Integer> retryReasons = new ConcurrentHashMap<>();

    private FreshnessBench(int rate, int seconds, Path workDir, Path gatewayApp, Path pipelineFile) {
        this.rate = rate;
        this.seconds = seconds;
        this.workDir = workDir;
        this.gatewayApp = gatewayApp;
        this.pipelineFile = pipelineFile;
    }

    public static void main(String[] args) throws Exception {
        int rate = 300;
        int seconds = 60;
        List<Duration> intervals = List.of(Duration.ofSeconds(10), Duration.ofSeconds(2));
        Path workDir = Path.of("sluice-demo/target/bench-freshness");
        for (String arg : args) {
            String value = arg.substring(arg.indexOf('=') + 1);
            if (arg.startsWith("--rate=")) {
                rate = Integer.parseInt(value);
            } else if (arg.startsWith("--seconds=")) {
                seconds = Integer.parseInt(value);
            } else if (arg.startsWith("--intervals=")) {
                intervals = Arrays.stream(value.split(",")).map(s -> Duration.ofSeconds(Long.parseLong(s.trim()))).toList();
            } else if (arg.startsWith("--work-dir=")) {
                workDir = Path.of(value);
            } else {
                throw new IllegalArgumentException("unknown option " + arg
                        + "; options: --rate=RECORDS_PER_SECOND --seconds=N --intervals=SECONDS[,SECONDS...] --work-dir=DIR");
            }
        }
        if (rate < 1 || seconds < 1 || intervals.isEmpty() || intervals.stream().anyMatch(i -> i.isZero() || i.isNegative())) {
            throw new IllegalArgumentException("--rate, --seconds and every --intervals value must be at least 1");
        }
        FreshnessBench bench = new FreshnessBench(rate, seconds, workDir.toAbsolutePath(),
                Path.of("ingest-gateway/target/quarkus-app/quarkus-run.jar"), Path.of("examples/pipelines/app-logs.yaml"));
        List<String> summary = new ArrayList<>();
        try {
            for (Duration interval : intervals) {
                summary.add(bench.run(interval));
            }
        } catch (Exception | Error e) {
            // Exit rather than return: the stack's non-daemon threads would keep the JVM (and the bench lock) alive.
            e.printStackTrace();
            System.err.println("freshness bench failed: " + e);
            System.exit(1);
        }
        System.out.println("summary (HTTP 2xx -> row visible to the Hudi reader):");
        summary.forEach(System.out::println);
        System.exit(0);
    }

    /** One measurement at one checkpoint interval on a fresh stack; returns its summary line. */
    private String run(Duration interval) throws Exception {
        Path dataDir = workDir.resolve("interval-" + interval.toSeconds() + "s");
        FileUtils.deleteDirectory(dataDir.toFile());
        Files.createDirectories(dataDir.resolve("logs"));
        long t0 = System.nanoTime();
        LocalStack.Progress progress = message -> System.out.printf(Locale.ROOT, "[freshness %ds %5.1fs] %s%n",
                interval.toSeconds(), (System.nanoTime() - t0) / 1e9, message);
        try (LocalStack stack = LocalStack.start(dataDir, gatewayApp, Ports.free(), API_KEY, 2, interval, false, progress)) {
            PipelineConfig pipeline = PipelineConfigLoader.load(pipelineFile);
            try (TopicAdmin topics = new TopicAdmin(stack.broker().bootstrapServers())) {
                topics.ensureTopics(List.of(pipeline.source().topic()));
            }
            EtlJob job = EtlJob.builder().pipeline(pipeline).bootstrapServers(stack.broker().bootstrapServers())
                    .lakeRoot(dataDir.resolve("lake").toUri().toString()).build();
            stack.submit(job);
            TableConfig tableConfig = pipeline.tables().get(0);
            TableTarget target = job.targets().stream().filter(t -> t.name().equals(tableConfig.name())).findFirst().orElseThrow();
            Path table = Path.of(URI.create(target.path()));
            awaitRunning(stack, progress);

            InstantWatcher instants = InstantWatcher.start(table);
            GaugeWatcher gauge = GaugeWatcher.start(stack.prometheusPort(), tableConfig.name());
            progress.step(String.format(Locale.ROOT, "posting %d single-record requests/s for %d s to %s", rate, seconds,
                    stack.gateway().baseUrl()));
            Map<Integer, Long> acked = post(stack.gateway().baseUrl());
            progress.step(String.format(Locale.ROOT, "posted; %,d records acknowledged (2xx); waiting until the reader sees them all",
                    acked.size()));
            Map<Integer, String> commitOf = awaitVisible(table, tableConfig, acked.size());
            instants.stop();
            gauge.stop();

            long[] latencies = new long[acked.size()];
            Map<String, Long> newestAckOfInstant = new HashMap<>();
            int i = 0;
            for (Map.Entry<Integer, Long> record : acked.entrySet()) {
                String instant = commitOf.get(record.getKey());
                Long visible = instants.appeared(instant);
                if (visible == null) {
                    throw new IllegalStateException("row " + record.getKey() + " was written by instant " + instant
                            + ", which the timeline watcher never saw complete");
                }
                latencies[i++] = visible - record.getValue();
                newestAckOfInstant.merge(instant, record.getValue(), Math::max);
            }
            Arrays.sort(latencies);
            long[] newestAges = newestAckOfInstant.entrySet().stream()
                    .mapToLong(e -> instants.appeared(e.getKey()) - e.getValue()).sorted().toArray();
            long[] gaugeAges = gauge.ages();
            String line = String.format(Locale.ROOT,
                    "checkpoint interval %2d s: %,d records (%d retried after 503), p50 %.1f s, p99 %.1f s, max %.1f s (goal p99 <= %d s: %s); "
                            + "%d instants; newest row's age at its commit: bench p50 %.1f s, gauge lastCommittedIngestTime p50 %s",
                    interval.toSeconds(), latencies.length, retried, percentile(latencies, 50) / 1e3, percentile(latencies, 99) / 1e3,
                    latencies[latencies.length - 1] / 1e3, interval.toSeconds() + 5,
                    percentile(latencies, 99) <= (interval.toSeconds() + 5) * 1000 ? "met" : "NOT met",
                    newestAges.length, percentile(newestAges, 50) / 1e3,
                    gaugeAges.length == 0 ? "n/a (never moved)" : String.format(Locale.ROOT, "%.1f s (%d changes)",
                            percentile(gaugeAges, 50) / 1e3, gaugeAges.length));
            progress.step(line);
            return line;
        }
    }

    private static void awaitRunning(LocalStack stack, LocalStack.Progress progress) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        for (var job : stack.jobs().values()) {
            while (stack.flink().status(job) != org.apache.flink.api.common.JobStatus.RUNNING) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("the ETL job did not reach RUNNING within 2 minutes");
                }
                Thread.sleep(100);
            }
        }
        progress.step("ETL job running");
    }

    /**
     * Posts {@code rate} single-record requests a second for {@code seconds}; returns each acknowledged
     * record's id → epoch ms of its 2xx. A 503 or 429 (Kafka slow to ack, overload) is retried with the
     * same body after {@link #RETRY_DELAY}, as a client would, up to {@link #ATTEMPTS} attempts; the record's
     * 2xx is then the retry's. Any other answer, or no 2xx at all, fails the bench: every record must count.
     */
    private Map<Integer, Long> post(String baseUrl) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .executor(Executors.newFixedThreadPool(4)).build();
        URI uri = URI.create(baseUrl + "/v1/logs/" + SOURCE);
        warmUp(http, uri);
        Map<Integer, Long> acked = new ConcurrentHashMap<>();
        AtomicInteger failures = new AtomicInteger();
        AtomicInteger retries = new AtomicInteger();
        retryReasons.clear();
        AtomicInteger next = new AtomicInteger();
        AtomicLong inFlight = new AtomicLong();
        int total = rate * seconds;
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
        ticker.scheduleAtFixedRate(() -> {
            int id = next.getAndIncrement();
            if (id < total) {
                inFlight.incrementAndGet();
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(record(id))).build();
                send(http, request, id, 1, ticker, acked, failures, retries, inFlight);
            }
        }, 0, 1_000_000 / rate, TimeUnit.MICROSECONDS);
        while (next.get() < total) {
            Thread.sleep(100);
        }
        Instant deadline = Instant.now().plusSeconds(60);
        while (inFlight.get() > 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(50);
        }
        ticker.shutdown();
        retried = retries.get();
        if (retried > 0) {
            System.out.printf(Locale.ROOT, "%d requests were retried after a 503/429, by the gateway's error code: %s%n",
                    retried, new TreeMap<>(retryReasons));
        }
        if (failures.get() > 0 || acked.size() != total) {
            throw new IllegalStateException(failures.get() + " of " + total + " records were not acknowledged with a 2xx");
        }
        return acked;
    }

    /**
     * One record before the stream, until it gets a 2xx (at most a minute): the gateway's producer fetches the
     * topic's metadata and its code gets compiled on the first requests, which are no steady state.
     */
    private static void warmUp(HttpClient http, URI uri) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofMinutes(1));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(record(-1).replace("\"f--1\"", "\"warm-up\""))).build();
        while (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() / 100 != 2) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the gateway answered no warm-up request with a 2xx within a minute");
            }
            Thread.sleep(RETRY_DELAY.toMillis());
        }
    }

    private void send(HttpClient http, HttpRequest request, int id, int attempt, ScheduledExecutorService retryer,
                      Map<Integer, Long> acked, AtomicInteger failures, AtomicInteger retries, AtomicLong inFlight) {
        http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
            int status = error == null ? response.statusCode() : 0;
            if (status / 100 == 2) {
                acked.put(id, System.currentTimeMillis());
            } else if ((status == 503 || status == 429) && attempt < ATTEMPTS) {
                retries.incrementAndGet();
                Matcher code = ERROR_CODE.matcher(response.body());
                retryReasons.merge(status + " " + (code.find() ? code.group(1) : "?"), 1, Integer::sum);
                retryer.schedule(() -> send(http, request, id, attempt + 1, retryer, acked, failures, retries, inFlight),
                        RETRY_DELAY.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } else if (failures.getAndIncrement() < 5) {
                System.out.println("record " + id + ": " + (error != null ? error : "HTTP " + status) + " after " + attempt + " attempt(s)");
            }
            inFlight.decrementAndGet();
        });
    }

    private static String record(int id) {
        return "{\"ts\":\"" + Instant.now() + "\",\"level\":\"INFO\",\"service\":\"freshness\",\"host\":\"bench\","
                + "\"trace_id\":\"f-" + id + "\",\"msg\":\"freshness probe " + id + "\",\"latency_ms\":1,"
                + "\"user\":{\"id\":" + (id % 1000) + ",\"region\":\"eu\"}}";
    }

    /**
     * Reads the table through Hudi's Flink reader until it holds {@code expected} probe rows; returns each
     * probe id → the instant that wrote its row ({@code _hoodie_commit_time}).
     */
    private static Map<Integer, String> awaitVisible(Path table, TableConfig config, int expected) throws Exception {
        Instant deadline = Instant.now().plus(VISIBLE_TIMEOUT);
        while (true) {
            Map<Integer, String> rows = read(table, config);
            if (rows.size() >= expected) {
                return rows;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("only " + rows.size() + " of " + expected + " rows visible after "
                        + VISIBLE_TIMEOUT + "; see the logs under " + table.getParent());
            }
            Thread.sleep(1000);
        }
    }

    /** Probe id → {@code _hoodie_commit_time} of every row of the table (snapshot query). */
    private static Map<Integer, String> read(Path table, TableConfig config) throws Exception {
        RowType rowType = TableSchemas.rowType(config);
        StringBuilder columns = new StringBuilder("`_hoodie_commit_time` STRING");
        for (RowType.RowField field : rowType.getFields()) {
            columns.append(", `").append(field.getName()).append("` ").append(field.getType().asSerializableString());
        }
        StreamTableEnvironment tables = StreamTableEnvironment.create(StreamExecutionEnvironment.createLocalEnvironment(1));
        HudiSinkConfig sink = hudiSink(config);
        String partitioned = sink.partitionFields().isEmpty() ? ""
                : " PARTITIONED BY (`" + String.join("`, `", sink.partitionFields()) + "`)";
        tables.executeSql("CREATE TABLE t (" + columns + ")" + partitioned + " WITH ('connector' = 'hudi', 'path' = '" + table.toUri()
                + "', 'table.type' = '" + sink.tableType().name() + "', 'read.streaming.enabled' = 'false')");
        Map<Integer, String> rows = new HashMap<>();
        if (!Files.isDirectory(table.resolve(".hoodie")) || !hasCompletedInstant(table)) {
            return rows;
        }
        try (CloseableIterator<Row> it = tables.executeSql("SELECT `_hoodie_commit_time`, trace_id FROM t").collect()) {
            while (it.hasNext()) {
                Row row = it.next();
                String traceId = (String) row.getField(1);
                if (traceId != null && traceId.startsWith("f-")) {
                    rows.put(Integer.parseInt(traceId.substring(2)), (String) row.getField(0));
                }
            }
        }
        return rows;
    }

    private static HudiSinkConfig hudiSink(TableConfig config) {
        return config.sinks().stream().filter(HudiSinkConfig.class::isInstance).map(HudiSinkConfig.class::cast)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("table " + config.name() + " has no hudi sink"));
    }

    private static boolean hasCompletedInstant(Path table) throws IOException {
        try (Stream<Path> files = Files.list(table.resolve(".hoodie"))) {
            return files.anyMatch(f -> InstantWatcher.instantOf(f.getFileName().toString()) != null);
        }
    }

    /** The p-th percentile (nearest rank) of sorted values. */
    static long percentile(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    /** Polls a table's timeline and notes when each completed write instant first appeared (epoch ms). */
    private static final class InstantWatcher {
        private final Path timeline;
        private final Map<String, Long> appeared = new ConcurrentHashMap<>();
        private final Thread thread;
        private volatile boolean running = true;

        private InstantWatcher(Path table) {
            this.timeline = table.resolve(".hoodie");
            this.thread = new Thread(this::poll, "freshness-timeline");
            thread.setDaemon(true);
        }

        static InstantWatcher start(Path table) {
            InstantWatcher watcher = new InstantWatcher(table);
            watcher.thread.start();
            return watcher;
        }

        /** The instant's time of a completed write instant's file name ({@code 20261130181500123.commit}), else null. */
        static String instantOf(String fileName) {
            for (String suffix : List.of(".commit", ".deltacommit")) {
                if (fileName.endsWith(suffix) && fileName.indexOf('.') == fileName.length() - suffix.length()) {
                    return fileName.substring(0, fileName.length() - suffix.length());
                }
            }
            return null;
        }

        private void poll() {
            while (running) {
                long now = System.currentTimeMillis();
                if (Files.isDirectory(timeline)) {
                    try (Stream<Path> files = Files.list(timeline)) {
                        files.map(f -> instantOf(f.getFileName().toString())).filter(java.util.Objects::nonNull)
                                .forEach(instant -> appeared.putIfAbsent(instant, now));
                    } catch (IOException | java.io.UncheckedIOException e) {
                        // A file Hudi renamed meanwhile: the next poll sees the timeline as it is.
                    }
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        Long appeared(String instant) {
            return appeared.get(instant);
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    /**
     * Scrapes the job's {@code lastCommittedIngestTime} gauge of one table from its Prometheus reporter;
     * each time its value moves, notes the age (scrape time − value).
     */
    private static final class GaugeWatcher {
        private final HttpClient http = HttpClient.newHttpClient();
        private final URI uri;
        private final String tableLabel;
        private final List<Long> ages = new ArrayList<>();
        private final Thread thread;
        private volatile boolean running = true;

        private GaugeWatcher(int port, String table) {
            this.uri = URI.create("http://127.0.0.1:" + port + "/metrics");
            this.tableLabel = "table=\"" + table.replaceAll("[^A-Za-z0-9_]", "_") + "\"";
            this.thread = new Thread(this::poll, "freshness-gauge");
            thread.setDaemon(true);
        }

        static GaugeWatcher start(int port, String table) {
            GaugeWatcher watcher = new GaugeWatcher(port, table);
            watcher.thread.start();
            return watcher;
        }

        private void poll() {
            long last = 0;
            while (running) {
                try {
                    String body = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
                            HttpResponse.BodyHandlers.ofString()).body();
                    long now = System.currentTimeMillis();
                    long value = body.lines().filter(l -> l.contains(SlaMetrics.LAST_COMMITTED_INGEST_TIME) && l.contains(tableLabel)
                                    && !l.startsWith("#"))
                            .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).max().orElse(0);
                    if (value > last) {
                        // The watcher starts before the first record is posted: every move is a commit of ours.
                        synchronized (ages) {
                            ages.add(now - value);
                        }
                        last = value;
                    }
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                } catch (IOException | RuntimeException e) {
                    // The reporter answers once the job's operators registered; try again.
                }
            }
        }

        long[] ages() {
            synchronized (ages) {
                return ages.stream().mapToLong(Long::longValue).sorted().toArray();
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }
    }
}
