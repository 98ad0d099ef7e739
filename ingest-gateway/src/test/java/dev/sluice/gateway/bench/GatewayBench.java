package dev.sluice.gateway.bench;

import dev.sluice.core.record.RecordHeaders;
import dev.sluice.infra.Dirs;
import dev.sluice.infra.kafka.KafkaBroker;
import dev.sluice.infra.kafka.KafkaBrokers;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The gateway benchmark behind {@code ./sluice bench gateway} (bench/gateway/run): one broker, one
 * machine, one run, three measurements of the same payloads:
 * <ol>
 *   <li>(a) a raw Kafka producer with the gateway's headers and throughput settings (linger 5 ms, 5
 *       requests in flight, as the gateway had before it tuned for small requests): the limit;</li>
 *   <li>(b) the gateway with NDJSON batches of 500 records;</li>
 *   <li>(c) the gateway with single-record JSON posts at a fixed concurrency, with p50/p99 latency;</li>
 *   <li>(d) the gateway with NDJSON bodies of {@value #SMALL_BATCH} records (what SDKs typically send) at a
 *       higher concurrency.</li>
 * </ol>
 * For (b), (c) and (d) it prints the gateway's CPU per request and per record and the latency breakdown of
 * a request by stage, read from the gateway's {@code sluice_gateway_stage_seconds} and its producer's
 * {@code kafka_producer_*} averages on {@code /q/metrics} before and after the measurement (a gateway without them, e.g. an older build given
 * with {@code --jar}, gets the figures without the breakdown).
 * (a) and (b) alternate for a few rounds and b/a is the median of the rounds' ratios, so that load
 * from neighbours on a shared machine lands on both sides of a ratio rather than on one measurement.
 * The gateway runs as its packaged fast-jar in a child JVM; the load for (b) and (c) comes from
 * {@code wrk} when given, otherwise from this JVM's HTTP client (still not the JVM under test).
 * Not a test: nothing runs it during {@code verify}.
 */
public final class GatewayBench {
    private static final String KEY = "sluice-bench-key";
    private static final int BATCH = 500;
    private static final int SMALL_BATCH = 10;
    private static final int PAYLOADS = 4096;

    private final Path workDir;
    private final Path gatewayJar;
    private final String wrk;
    private final int seconds;
    private final int warmupSeconds;
    private final int rounds;
    private final int batchConnections;
    private final int singleConnections;
    private final int smallBatchConnections;
    private final List<String> gatewayJvmArgs;
    private final List<byte[]> payloads = new ArrayList<>();

    private GatewayBench(Map<String, String> options) throws IOException {
        this.workDir = Files.createTempDirectory("sluice-bench-gateway");
        this.gatewayJar = Path.of(options.getOrDefault("jar", "ingest-gateway/target/quarkus-app/quarkus-run.jar"));
        this.wrk = options.get("wrk");
        this.seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
        this.warmupSeconds = Integer.parseInt(options.getOrDefault("warmup", "10"));
        this.rounds = Integer.parseInt(options.getOrDefault("rounds", "3"));
        this.batchConnections = Integer.parseInt(options.getOrDefault("batch-connections", "8"));
        this.singleConnections = Integer.parseInt(options.getOrDefault("single-connections", "32"));
        this.smallBatchConnections = Integer.parseInt(options.getOrDefault("small-batch-connections", "64"));
        String jvmArgs = options.getOrDefault("gateway-jvm-args", "").trim();
        this.gatewayJvmArgs = jvmArgs.isEmpty() ? List.of() : List.of(jvmArgs.split("\\s+"));
        Random random = new Random(7);
        String[] levels = {"INFO", "INFO", "INFO", "WARN", "ERROR", "DEBUG"};
        String[] services = {"checkout", "login", "inventory", "payments", "search"};
        for (int i = 0; i < PAYLOADS; i++) {
            String line = String.format("{\"ts\":\"2026-11-23T10:%02d:%02d.%03dZ\",\"level\":\"%s\",\"service\":\"%s\","
                            + "\"host\":\"app-%02d\",\"trace\":\"%016x\",\"user\":%d,\"msg\":\"request handled in %d ms\","
                            + "\"path\":\"/api/v1/items/%d\",\"status\":%d}",
                    random.nextInt(60), random.nextInt(60), random.nextInt(1000), levels[random.nextInt(levels.length)],
                    services[random.nextInt(services.length)], random.nextInt(20), random.nextLong(),
                    random.nextInt(1_000_000), random.nextInt(900), random.nextInt(100_000),
                    random.nextInt(10) == 0 ? 500 : 200);
            payloads.add(line.getBytes(StandardCharsets.UTF_8));
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new java.util.HashMap<>();
        for (String arg : args) {
            String[] kv = arg.replaceFirst("^--", "").split("=", 2);
            options.put(kv[0], kv.length > 1 ? kv[1] : "true");
        }
        GatewayBench bench = new GatewayBench(options);
        // Also on Ctrl-C or a failed run (which exits rather than leave the broker's threads holding the JVM):
        // the gateway is a plain child process that would outlive us, and the broker's logs hold every record
        // of the run, several GB.
        Runtime.getRuntime().addShutdownHook(new Thread(bench::cleanUp, "bench-cleanup"));
        try {
            bench.run();
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private void run() throws Exception {
        double avgBytes = payloads.stream().mapToInt(p -> p.length).average().orElse(0);
        System.out.printf("payloads: %d distinct JSON log records, %.0f bytes on average; %d rounds of (a) then (b), "
                + "%d s per measurement after %d s warm-up each%n", PAYLOADS, avgBytes, rounds, seconds, warmupSeconds);
        try (KafkaBroker broker = KafkaBrokers.start(workDir.resolve("kafka"));
                KafkaProducer<String, byte[]> producer = rawProducer(broker.bootstrapServers())) {
            int port = freePort();
            gateway = startGateway(broker.bootstrapServers(), port);
            try {
                String url = "http://127.0.0.1:" + port + "/v1/logs/bench";
                String metricsUrl = "http://127.0.0.1:" + port + "/q/metrics";
                Workload batches = workload(url, "application/x-ndjson", ndjsonBatch(BATCH), BATCH, batchConnections, "b");
                runRaw(producer, warmupSeconds);
                batches.run(warmupSeconds);
                // (a) and (b) alternate: a neighbour's load that comes and goes then hits both sides of a
                // round instead of one whole measurement, and the ratio is taken per round.
                List<Double> ratios = new ArrayList<>();
                Cpu rawCpu = Cpu.ZERO;
                Cpu batchCpu = Cpu.ZERO;
                double rawRecords = 0;
                double batchRecords = 0;
                double[] raw = new double[rounds];
                double[] batch = new double[rounds];
                // (a) sends nothing through the gateway: its stage metrics only move during (b).
                Stages batchStages = Stages.scrape(metricsUrl);
                for (int round = 0; round < rounds; round++) {
                    Cpu before = Cpu.now(gateway);
                    double[] rawRun = runRaw(producer, seconds);
                    Cpu between = Cpu.now(gateway);
                    Load load = batches.run(seconds);
                    Cpu after = Cpu.now(gateway);
                    rawCpu = rawCpu.plus(between.minus(before));
                    batchCpu = batchCpu.plus(after.minus(between));
                    rawRecords += rawRun[1];
                    batchRecords += load.records();
                    raw[round] = rawRun[0];
                    batch[round] = load.recordsPerSecond();
                    ratios.add(batch[round] / raw[round]);
                    System.out.printf("round %d: (a) %,9.0f records/s   (b) %,9.0f records/s (%d non-2xx)   b/a = %.2f%n",
                            round + 1, raw[round], batch[round], load.errors(), ratios.get(round));
                }
                String batchBreakdown = Stages.scrape(metricsUrl).since(batchStages).describe(false);
                System.out.printf("(a) raw producer            %,12.0f records/s  (median of rounds)%n", median(raw));
                System.out.println("    " + rawCpu.perRecord(rawRecords, 0));
                System.out.printf("(b) gateway, NDJSON x %d   %,12.0f records/s  (median of rounds, %d connections)%n",
                        BATCH, median(batch), batchConnections);
                System.out.println("    " + batchCpu.perRecord(batchRecords, BATCH));
                System.out.println("    " + batchBreakdown);

                Measured singles = measure(workload(url, "application/json", payloads.get(0), 1, singleConnections, "c"),
                        metricsUrl, 1);
                System.out.printf("(c) gateway, single JSON    %,12.0f records/s  (%d connections, %d non-2xx)%n",
                        singles.load().recordsPerSecond(), singleConnections, singles.load().errors());
                singles.print();
                Measured small = measure(workload(url, "application/x-ndjson", ndjsonBatch(SMALL_BATCH), SMALL_BATCH,
                        smallBatchConnections, "d"), metricsUrl, SMALL_BATCH);
                System.out.printf("(d) gateway, NDJSON x %d    %,12.0f records/s  (%d connections, %d non-2xx)%n",
                        SMALL_BATCH, small.load().recordsPerSecond(), smallBatchConnections, small.load().errors());
                small.print();
                System.out.println();
                System.out.printf("b/a = %.2f (median of the rounds' ratios: %s)   c/a = %.3f   d/a = %.3f%n",
                        median(ratios.stream().mapToDouble(Double::doubleValue).toArray()),
                        ratios.stream().map(r -> String.format("%.2f", r)).collect(Collectors.joining(" ")),
                        singles.load().recordsPerSecond() / median(raw), small.load().recordsPerSecond() / median(raw));
                System.out.printf("(c) latency p50 = %s, p99 = %s   (d) latency p50 = %s, p99 = %s%n",
                        singles.load().p50(), singles.load().p99(), small.load().p50(), small.load().p99());
                System.out.printf("load client: %s; machine: %d cores shared by broker, gateway and load client%n",
                        wrk != null ? "wrk (" + wrk + ")" : "Java HttpClient in the bench JVM (wrk not available)",
                        Runtime.getRuntime().availableProcessors());
            } finally {
                gateway.destroy();
                gateway.waitFor();
            }
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int mid = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    private volatile Process gateway;

    private void cleanUp() {
        Process running = gateway;
        if (running != null && running.isAlive()) {
            running.destroy();
            try {
                running.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Dirs.deleteTree(workDir);
        } catch (IOException e) {
            System.err.println("could not delete the bench's work dir " + workDir + ": " + e);
        }
    }

    /**
     * (a): the same payloads and headers as the gateway's, keyed by the source, with the settings that
     * favour throughput (linger, 5 requests in flight): the gateway's own favour latency for small
     * requests, and its batched throughput (b) is measured against this unchanged limit.
     */
    private static KafkaProducer<String, byte[]> rawProducer(String bootstrap) {
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 131072,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 5000);
        return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    }

    /** Records/s and records acked. */
    private double[] runRaw(KafkaProducer<String, byte[]> producer, int durationSeconds) throws InterruptedException {
        Header[] headers = {
            new RecordHeader(RecordHeaders.SOURCE, "bench".getBytes(StandardCharsets.UTF_8)),
            new RecordHeader(RecordHeaders.KIND, "program".getBytes(StandardCharsets.UTF_8)),
            new RecordHeader(RecordHeaders.RECEIVED_AT, Long.toString(System.currentTimeMillis()).getBytes(StandardCharsets.UTF_8)),
            new RecordHeader(RecordHeaders.REQUEST_ID, "raw".getBytes(StandardCharsets.UTF_8))};
        // Bounded outstanding records, as the gateway's byte budget bounds its own.
        Semaphore outstanding = new Semaphore(50_000);
        AtomicLong acked = new AtomicLong();
        long start = System.nanoTime();
        long end = start + Duration.ofSeconds(durationSeconds).toNanos();
        int i = 0;
        while (System.nanoTime() < end) {
            outstanding.acquire();
            producer.send(new ProducerRecord<>("bench-raw", null, "bench", payloads.get(i++ % PAYLOADS), Arrays.asList(headers)),
                    (metadata, e) -> {
                        if (e == null) {
                            acked.incrementAndGet();
                        }
                        outstanding.release();
                    });
        }
        producer.flush();
        return new double[] {acked.get() / ((System.nanoTime() - start) / 1e9), acked.get()};
    }

    private Process startGateway(String bootstrap, int port) throws Exception {
        Path log = workDir.resolve("gateway.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(gatewayJvmArgs);
        command.addAll(List.of("-Dquarkus.profile=bench", "-Dquarkus.http.port=" + port,
                "-Dkafka.bootstrap.servers=" + bootstrap, "-jar", gatewayJar.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway exited; see " + log);
            }
            try {
                HttpResponse<Void> ready = client.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(), HttpResponse.BodyHandlers.discarding());
                if (ready.statusCode() == 200) {
                    return process;
                }
            } catch (IOException e) {
                // Not listening yet.
            }
            Thread.sleep(200);
        }
        process.destroy();
        throw new IllegalStateException("the gateway was not ready within 90 s; see " + log);
    }

    /** Warm-up, then one measurement with the gateway's CPU and stage metrics around it. */
    private Measured measure(Workload workload, String metricsUrl, int recordsPerRequest) throws Exception {
        workload.run(warmupSeconds);
        Stages stagesBefore = Stages.scrape(metricsUrl);
        Cpu before = Cpu.now(gateway);
        Load load = workload.run(seconds);
        Cpu cpu = Cpu.now(gateway).minus(before);
        // Scraped right away: the producer's averages cover its last sample windows, i.e. this measurement.
        Stages stages = Stages.scrape(metricsUrl).since(stagesBefore);
        return new Measured(load, cpu, stages, recordsPerRequest);
    }

    private record Measured(Load load, Cpu cpu, Stages stages, int recordsPerRequest) {
        void print() {
            System.out.println("    " + cpu.perRecord(load.records(), recordsPerRequest));
            System.out.println("    " + stages.describe(true) + String.format("; client-seen mean %.3f ms", load.meanMillis()));
        }
    }

    private byte[] ndjsonBatch(int records) {
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < records; i++) {
            body.writeBytes(payloads.get(i % PAYLOADS));
            body.write('\n');
        }
        return body.toByteArray();
    }

    record Load(double recordsPerSecond, long errors, String p50, String p99, double meanMillis, double records,
            double seconds) {
    }

    /**
     * The gateway's stage timers ({@code sluice_gateway_stage_seconds}: count and sum per stage) and the
     * producer's averages, as scraped from {@code /q/metrics}; {@link #since} turns two scrapes into the
     * counts and sums of what happened in between.
     */
    private record Stages(Map<String, double[]> countAndSum, Map<String, Double> gauges) {
        private static final Pattern STAGE = Pattern.compile(
                "^sluice_gateway_stage_seconds_(count|sum)\\{[^}]*stage=\"(\\w+)\"[^}]*} (\\S+)$", Pattern.MULTILINE);
        /** The producer's client metrics (ms), as Quarkus publishes them; averages over its recent sample window. */
        private static final Pattern GAUGE = Pattern.compile(
                "^kafka_producer_(record_queue_time_avg|request_latency_avg|records_per_request_avg)\\{[^}]*client_id=\"kafka-producer-records\"[^}]*} (\\S+)$",
                Pattern.MULTILINE);
        private static final List<String> ORDER = List.of("dispatch", "admission", "read", "validate", "send", "kafka", "answer");

        static Stages scrape(String metricsUrl) throws IOException, InterruptedException {
            String text = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(metricsUrl)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            Map<String, double[]> countAndSum = new java.util.HashMap<>();
            Matcher stage = STAGE.matcher(text);
            while (stage.find()) {
                countAndSum.computeIfAbsent(stage.group(2), k -> new double[2])[stage.group(1).equals("count") ? 0 : 1] =
                        Double.parseDouble(stage.group(3));
            }
            Map<String, Double> gauges = new java.util.HashMap<>();
            Matcher gauge = GAUGE.matcher(text);
            while (gauge.find()) {
                gauges.put(gauge.group(1), Double.parseDouble(gauge.group(2)));
            }
            return new Stages(countAndSum, gauges);
        }

        Stages since(Stages earlier) {
            Map<String, double[]> delta = new java.util.HashMap<>();
            countAndSum.forEach((stage, now) -> {
                double[] then = earlier.countAndSum.getOrDefault(stage, new double[2]);
                delta.put(stage, new double[] {now[0] - then[0], now[1] - then[1]});
            });
            return new Stages(delta, gauges);
        }

        /** Mean ms per stage; with {@code producer}, the producer's split of the kafka stage. */
        String describe(boolean producer) {
            if (countAndSum.isEmpty()) {
                return "breakdown: n/a (this gateway has no sluice_gateway_stage_seconds)";
            }
            StringBuilder out = new StringBuilder(String.format("breakdown, mean ms per request over %.0f requests:",
                    countAndSum.getOrDefault("kafka", new double[2])[0]));
            double total = 0;
            for (String stage : ORDER) {
                double[] cs = countAndSum.getOrDefault(stage, new double[2]);
                double ms = cs[0] == 0 ? 0 : cs[1] / cs[0] * 1000;
                total += ms;
                out.append(String.format(" %s %.3f", stage, ms));
                if (producer && stage.equals("kafka") && !gauges.isEmpty()) {
                    out.append(String.format(" (producer: batch wait %.3f, broker round trip %.3f, %.1f records/produce request)",
                            gauges.getOrDefault("record_queue_time_avg", Double.NaN),
                            gauges.getOrDefault("request_latency_avg", Double.NaN),
                            gauges.getOrDefault("records_per_request_avg", Double.NaN)));
                }
                out.append(" |");
            }
            return out.append(String.format(" server total %.3f ms", total)).toString();
        }
    }

    /**
     * CPU seconds used by this JVM (the raw producer and the fallback load client), the broker and the
     * gateway: on a shared machine, CPU per record says more than records/s.
     */
    private record Cpu(double bench, double broker, double gateway) {
        static final Cpu ZERO = new Cpu(0, 0, 0);

        static Cpu now(Process gateway) {
            double bench = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                    .getOperatingSystemMXBean()).getProcessCpuTime() / 1e9;
            double broker = 0;
            double gw = 0;
            for (ProcessHandle child : ProcessHandle.current().children().toList()) {
                double cpu = child.info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0);
                if (child.pid() == gateway.pid()) {
                    gw = cpu;
                } else {
                    // The only other live child between measurements is the broker (wrk has exited).
                    broker += cpu;
                }
            }
            return new Cpu(bench, broker, gw);
        }

        Cpu plus(Cpu other) {
            return new Cpu(bench + other.bench, broker + other.broker, gateway + other.gateway);
        }

        Cpu minus(Cpu other) {
            return new Cpu(bench - other.bench, broker - other.broker, gateway - other.gateway);
        }

        /** With {@code recordsPerRequest} 0 (no HTTP requests), per record only. */
        String perRecord(double records, int recordsPerRequest) {
            String perRecord = String.format("CPU per record: bench JVM %.1f us, broker %.1f us, gateway %.1f us",
                    bench / records * 1e6, broker / records * 1e6, gateway / records * 1e6);
            if (recordsPerRequest == 0) {
                return perRecord;
            }
            return recordsPerRequest == 1 ? perRecord + " (= per request)" : perRecord + String.format(
                    "; gateway CPU per request %.1f us", gateway / (records / recordsPerRequest) * 1e6);
        }
    }

    /** A load on the gateway that can be run for a given time, again and again. */
    @FunctionalInterface
    private interface Workload {
        Load run(int durationSeconds) throws Exception;
    }

    private Workload workload(String url, String contentType, byte[] body, int recordsPerRequest, int connections,
            String name) throws IOException {
        if (wrk == null) {
            return duration -> javaLoad(url, contentType, body, recordsPerRequest, connections, duration);
        }
        Path bodyFile = workDir.resolve(name + ".body");
        Files.write(bodyFile, body);
        Path script = workDir.resolve(name + ".lua");
        Files.writeString(script, String.join("\n",
                "wrk.method = \"POST\"",
                "wrk.headers[\"Content-Type\"] = \"" + contentType + "\"",
                "wrk.headers[\"Authorization\"] = \"Bearer " + KEY + "\"",
                "local f = assert(io.open(\"" + bodyFile + "\", \"rb\"))",
                "wrk.body = f:read(\"*all\")",
                "f:close()",
                ""));
        return duration -> parseWrk(runWrk(url, script, connections, duration), recordsPerRequest);
    }

    private String runWrk(String url, Path script, int connections, int durationSeconds) throws Exception {
        Process process = new ProcessBuilder(wrk, "-t2", "-c" + connections, "-d" + durationSeconds + "s", "--latency",
                "--timeout", "10s", "-s", script.toString(), url).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("wrk failed:\n" + output);
        }
        return output;
    }

    private static Load parseWrk(String output, int recordsPerRequest) {
        Matcher total = Pattern.compile("(\\d+) requests in ([\\d.]+)(m?s|m)").matcher(output);
        if (!total.find()) {
            throw new IllegalStateException("unexpected wrk output:\n" + output);
        }
        long requests = Long.parseLong(total.group(1));
        double duration = Double.parseDouble(total.group(2)) * switch (total.group(3)) {
            case "ms" -> 0.001;
            case "m" -> 60;
            default -> 1;
        };
        Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(output);
        long errors = non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0;
        Matcher socketErrors = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(output);
        if (socketErrors.find()) {
            for (int g = 1; g <= 4; g++) {
                errors += Long.parseLong(socketErrors.group(g));
            }
        }
        double records = (double) (requests - errors) * recordsPerRequest;
        Matcher mean = Pattern.compile("^\\s*Latency\\s+(\\S+)", Pattern.MULTILINE).matcher(output);
        double meanMillis = mean.find() ? millis(mean.group(1)) : Double.NaN;
        return new Load(records / duration, errors, percentile(output, "50%"), percentile(output, "99%"), meanMillis,
                records, duration);
    }

    /** A wrk duration ("812.00us", "6.51ms", "1.02s") in ms. */
    private static double millis(String duration) {
        Matcher m = Pattern.compile("([\\d.]+)(us|ms|s|m)").matcher(duration);
        if (!m.matches()) {
            return Double.NaN;
        }
        double value = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> value / 1000;
            case "ms" -> value;
            case "s" -> value * 1000;
            default -> value * 60_000;
        };
    }

    private static String percentile(String output, String label) {
        Matcher m = Pattern.compile("^\\s*" + Pattern.quote(label) + "\\s+(\\S+)", Pattern.MULTILINE).matcher(output);
        return m.find() ? m.group(1) : "n/a";
    }

    /** Fallback load: {@code connections} virtual users posting back to back, latency per request. */
    private static Load javaLoad(String url, String contentType, byte[] body, int recordsPerRequest, int connections,
            int durationSeconds) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", contentType).header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        long end = System.nanoTime() + Duration.ofSeconds(durationSeconds).toNanos();
        ExecutorService users = Executors.newFixedThreadPool(connections);
        List<Future<long[]>> results = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            results.add(users.submit(() -> {
                List<Long> latencies = new ArrayList<>();
                long errors = 0;
                while (System.nanoTime() < end) {
                    long t = System.nanoTime();
                    HttpResponse<Void> response = client.send(request, HttpResponse.BodyHandlers.discarding());
                    if (response.statusCode() / 100 == 2) {
                        latencies.add(System.nanoTime() - t);
                    } else {
                        errors++;
                    }
                }
                long[] out = new long[latencies.size() + 1];
                out[0] = errors;
                for (int i = 0; i < latencies.size(); i++) {
                    out[i + 1] = latencies.get(i);
                }
                return out;
            }));
        }
        List<Long> all = new ArrayList<>();
        long errors = 0;
        for (Future<long[]> f : results) {
            long[] r = f.get();
            errors += r[0];
            for (int i = 1; i < r.length; i++) {
                all.add(r[i]);
            }
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        users.shutdown();
        all.sort(Long::compare);
        double records = all.size() * (double) recordsPerRequest;
        double meanMillis = all.stream().mapToLong(Long::longValue).average().orElse(Double.NaN) / 1e6;
        return new Load(records / elapsed, errors, millis(all, 0.50), millis(all, 0.99), meanMillis, records, elapsed);
    }

    private static String millis(List<Long> sorted, double quantile) {
        if (sorted.isEmpty()) {
            return "n/a";
        }
        return String.format("%.2fms", sorted.get((int) Math.min(sorted.size() - 1, sorted.size() * quantile)) / 1e6);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
